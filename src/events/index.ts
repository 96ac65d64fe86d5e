/**
 * EventBridge rule definitions from the IR (DESIGN §5): schedules, dependencies,
 * notifications, one file per kind, combined here in a fixed order so the
 * output is deterministic.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-rule.html
 */
import type { RuleDefinition } from '../build/types.ts';
import type { Platform, PlatformIR, Workflow } from '../ir/types.ts';
import { dependencyRules } from './dependency.ts';
import { notificationRules } from './notification.ts';
import type { WorkflowRules } from './quotas.ts';

export type RuleKind = 'dependency' | 'notification';

const RULE_KINDS: Record<RuleKind, (platform: Platform, workflow: Workflow) => RuleDefinition[]> = {
  dependency: dependencyRules,
  notification: notificationRules,
};
const ORDER: readonly RuleKind[] = ['dependency', 'notification'];

/** Every rule of one workflow: its dependency rule, then notifications (schedules are Scheduler schedules, schedule.ts). */
export function workflowRules(platform: Platform, workflow: Workflow): RuleDefinition[] {
  return ORDER.flatMap((kind) => RULE_KINDS[kind](platform, workflow));
}

/** Rules of every workflow of the platform, in use case and workflow order. */
export function platformRules(ir: PlatformIR): WorkflowRules[] {
  return ir.useCases.flatMap((u) => u.workflows.map((workflow) => ({ workflow, rules: workflowRules(ir.platform, workflow) })));
}

export { scheduleGroups, workflowSchedules, type ScheduleGroup } from './schedule.ts';
export { dependencyRules } from './dependency.ts';
export { notificationRules, FAILURE_STATUSES } from './notification.ts';
export { checkRuleQuotas, formatRuleSummary, RULES_PER_BUS, TARGETS_PER_RULE } from './quotas.ts';
export type { QuotaReport, RuleSummary, WorkflowRules } from './quotas.ts';
export { ruleName, statusChangePattern, EVENTS_ROLE_ARN, NOTIFICATION_TOPIC_ARN, SFN_SOURCE, SFN_STATUS_CHANGE } from './common.ts';
export { matchEventPattern, validateEventPattern, eventPatternLength, EVENT_PATTERN_MAX_LENGTH } from './pattern.ts';
export { applyInputTransformer, targetInput, readPath } from './transform.ts';
