/**
 * What rules and schedules share: names within EventBridge's limits, target
 * placeholders, the Step Functions status-change event.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-rule.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
import { createHash } from 'node:crypto';
import type { RuleDefinition } from '../build/types.ts';
import type { Platform, Workflow } from '../ir/types.ts';
import { stateMachineArnPlaceholder, stateMachineName } from '../naming.ts';

/** `Name` of `AWS::Events::Rule`: 1–64 characters of `[.\-_A-Za-z0-9]`. */
export const RULE_NAME_MAX = 64;
/** `Id` of a rule target: 1–64 characters of `[.\-_A-Za-z0-9]`. */
export const TARGET_ID_MAX = 64;
/** `Description` of `AWS::Events::Rule`. */
export const RULE_DESCRIPTION_MAX = 512;

/** Role EventBridge assumes to start executions (created by infra). */
export const EVENTS_ROLE_ARN = '${EventsRoleArn}';
/** The platform's SNS topic (created by infra). */
export const NOTIFICATION_TOPIC_ARN = '${NotificationTopicArn}';

export const SFN_SOURCE = 'aws.states';
export const SFN_STATUS_CHANGE = 'Step Functions Execution Status Change';
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/**
 * Joins `parts` with `.` into a valid rule name: no state machine, dag or use-case
 * name holds a `.`, so two rules of two machines never share a name. A name over 64 characters keeps
 * its head and ends with 8 hex characters of the SHA-256 of the full name, so
 * it stays deterministic and distinct.
 */
export function ruleName(...parts: string[]): string {
  return limitName(parts.join('.'), RULE_NAME_MAX);
}

/** A target id within the limits, shortened the same way as rule names. */
export function targetId(id: string): string {
  return limitName(id, TARGET_ID_MAX);
}

function limitName(raw: string, max: number): string {
  const clean = raw.replace(/[^.\-_A-Za-z0-9]+/g, '-');
  if (clean === raw && clean.length <= max) return clean;
  // Sanitized or long names get a hash of the original, so two names never collapse into one.
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8);
  return `${clean.slice(0, max - 9).replace(/-+$/, '')}-${hash}`;
}

/** Descriptions are for people; keep them within the CloudFormation limit. */
export function limitDescription(text: string): string {
  return text.length <= RULE_DESCRIPTION_MAX ? text : `${text.slice(0, RULE_DESCRIPTION_MAX - 1)}…`;
}

/** Name of the workflow's own state machine, as every other component derives it. */
export function ownMachineName(platform: Platform, workflow: Workflow): string {
  return stateMachineName(platform.prefix, workflow.useCase, workflow.name);
}

/** ARN (with placeholders) of the state machine of `useCase`/`dag`. */
export function machineArn(platform: Platform, useCase: string, dag: string): string {
  return stateMachineArnPlaceholder(stateMachineName(platform.prefix, useCase, dag));
}

export function ruleState(workflow: Workflow): RuleDefinition['State'] {
  return workflow.enabled ? 'ENABLED' : 'DISABLED';
}
