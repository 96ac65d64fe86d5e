/**
 * Notification rules: the workflow's own status-change events → the platform's
 * SNS topic, as a readable message. Rules rather than Catch states, because only
 * the status-change event sees a timeout or an abort of the whole execution.
 *
 * EventBridge inserts a variable inside a quoted string of the template as its raw
 * text, unescaped: an error cause with quotes or backslashes would break the JSON.
 * So the failure message is a JSON object whose `error` and `cause` are variables
 * *outside* quotes, which EventBridge renders as JSON values (quoted and escaped,
 * `null` when the path is missing, e.g. on an abort); only values that cannot hold
 * quotes (names, ARNs, statuses, times) go inside the readable `message` string.
 * Failures of the workflow's join machine are notified by the same rule: a failed
 * start of the downstream must not go unnoticed. Executions started by a
 * dependency join or a backfill are named after their logical date, so the
 * execution name shows it.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
import type { RuleDefinition, RuleTarget } from '../build/types.ts';
import type { Platform, Workflow } from '../ir/types.ts';
import { gateMachineName, stateMachineArnPlaceholder } from '../naming.ts';
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
  stateMachineArn: '$.detail.stateMachineArn',
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
  const join = workflow.dependsOn.length > 0 ? stateMachineArnPlaceholder(gateMachineName(platform.prefix, workflow.useCase, workflow.name)) : undefined;
  if (workflow.notification.onFailure || join) {
    const own = workflow.notification.onFailure;
    rules.push({
      Name: ruleName(machine, own ? 'notify-failure' : 'notify-join-failure'),
      Description: limitDescription(`Notify ${topic} when ${own ? machine : `${machine}-join`}${own && join ? ' or its join machine' : ''} fails, times out or is aborted`),
      EventPattern: statusChangePattern([...(own ? [arn] : []), ...(join ? [join] : [])], FAILURE_STATUSES),
      State: ruleState(workflow),
      Targets: [
        jsonTarget({ ...PATHS, ...ERROR_PATHS }, `lakestep ${title}: execution <name> of <stateMachineArn> ended <status> at <time>. Console: ${CONSOLE_EXECUTION_URL}`, ['error', 'cause']),
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
          `lakestep ${title}: execution <name> of <stateMachineArn> ended <status> at <time>. Console: ${CONSOLE_EXECUTION_URL}`,
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

/**
 * `{"message": "<text>", "<v>": <v>, …}`: `text` may only use variables whose values
 * cannot hold quotes; each of `values` is inserted as a JSON value, escaped by EventBridge.
 */
function jsonTarget(paths: Record<string, string>, text: string, values: string[]): RuleTarget {
  const fields = [`"message": ${JSON.stringify(text)}`, ...values.map((v) => `${JSON.stringify(v)}: <${v}>`)];
  return {
    Id: targetId('notification-topic'),
    Arn: NOTIFICATION_TOPIC_ARN,
    InputTransformer: { InputPathsMap: { ...paths }, InputTemplate: `{${fields.join(', ')}}` },
  };
}
