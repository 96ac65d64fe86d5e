/**
 * Notification rules: the workflow's own status-change events → the platform's
 * SNS topic, as a readable message. Rules rather than Catch states, because only
 * the status-change event sees a timeout or an abort of the whole execution.
 *
 * The message is an input-transformer *string* template: the whole template is
 * one quoted JSON string and each `<variable>` inside it is replaced by the raw
 * value. A path missing from the event (no `error` on an abort) leaves its
 * variable empty. Executions started by a dependency join or a backfill are named
 * after their logical date, so the execution name shows it.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
import type { RuleDefinition, RuleTarget } from '../build/types.ts';
import type { Platform, Workflow } from '../ir/types.ts';
import {
  limitDescription,
  type ExecutionStatus,
  machineArn,
  NOTIFICATION_TOPIC_ARN,
  ownMachineName,
  ruleName,
  ruleState,
  statusChangePattern,
  targetId,
} from './common.ts';

export const FAILURE_STATUSES: ExecutionStatus[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];
export const CONSOLE_EXECUTION_URL = 'https://console.aws.amazon.com/states/home?region=<region>#/v2/executions/details/<executionArn>';

const PATHS = {
  status: '$.detail.status',
  name: '$.detail.name',
  executionArn: '$.detail.executionArn',
  region: '$.region',
  time: '$.time',
};
const ERROR_PATHS = { error: '$.detail.error', cause: '$.detail.cause' };

/** Failure rule (and success rule where asked) of one workflow. */
export function notificationRules(platform: Platform, workflow: Workflow): RuleDefinition[] {
  const machine = ownMachineName(platform, workflow);
  const arn = machineArn(platform, workflow.useCase, workflow.name);
  const title = `${workflow.useCase}/${workflow.name}`;
  const topic = platform.notifications.topicName;
  const rules: RuleDefinition[] = [];
  if (workflow.notification.onFailure) {
    rules.push({
      Name: ruleName(machine, 'notify-failure'),
      Description: limitDescription(`Notify ${topic} when ${machine} fails, times out or is aborted`),
      EventPattern: statusChangePattern([arn], FAILURE_STATUSES),
      State: ruleState(workflow),
      Targets: [
        topicTarget(
          { ...PATHS, ...ERROR_PATHS },
          `lakestep ${title}: execution <name> ended <status> at <time>. Error: <error>. Cause: <cause>. ` +
            `State machine ${machine}. Console: ${CONSOLE_EXECUTION_URL}`,
        ),
      ],
    });
  }
  if (workflow.notification.onSuccess) {
    rules.push({
      Name: ruleName(machine, 'notify-success'),
      Description: limitDescription(`Notify ${topic} when ${machine} succeeds`),
      EventPattern: statusChangePattern([arn], ['SUCCEEDED']),
      State: ruleState(workflow),
      Targets: [
        topicTarget(
          PATHS,
          `lakestep ${title}: execution <name> ended <status> at <time>. State machine ${machine}. Console: ${CONSOLE_EXECUTION_URL}`,
        ),
      ],
    });
  }
  return rules;
}

/** `text` becomes one quoted JSON string; its `<variables>` are the keys of `paths`. */
function topicTarget(paths: Record<string, string>, text: string): RuleTarget {
  return {
    Id: targetId('notification-topic'),
    Arn: NOTIFICATION_TOPIC_ARN,
    InputTransformer: { InputPathsMap: { ...paths }, InputTemplate: JSON.stringify(text) },
  };
}
