/**
 * The platform's one EventBridge rule for dependencies and notifications: the end of
 * every execution of a state machine named `<prefix>-*` goes to the dispatcher
 * (src/asl/dispatch.ts). One rule whatever the number of workflows, far below the 300
 * rules of a bus. The platform's own machines (`<prefix>-lakestep-*`: the dispatcher,
 * the backfill machine) are left out, so the dispatcher never feeds itself.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
import type { RuleDefinition } from '../build/types.ts';
import type { Platform } from '../ir/types.ts';
import { dispatcherMachineName, platformMachinePrefix, stateMachineArnPlaceholder } from '../naming.ts';
import { EVENTS_ROLE_ARN, limitDescription, ruleName, SFN_SOURCE, SFN_STATUS_CHANGE, targetId, type ExecutionStatus } from './common.ts';

export const ENDED_STATUSES: ExecutionStatus[] = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

export function statusRule(platform: Platform): RuleDefinition {
  const dispatcher = dispatcherMachineName(platform.prefix);
  const arnStart = (kind: 'stateMachine' | 'execution', name: string) => `arn:\${Partition}:states:\${Region}:\${Account}:${kind}:${name}`;
  return {
    Name: ruleName(`${platform.prefix}-lakestep-status`),
    Description: limitDescription(`lakestep ${platform.prefix}: the end of every execution of a ${platform.prefix}-* state machine goes to ${dispatcher}, which notifies and starts downstreams`),
    EventPattern: {
      source: [SFN_SOURCE],
      'detail-type': [SFN_STATUS_CHANGE],
      detail: {
        status: ENDED_STATUSES,
        stateMachineArn: [{ prefix: arnStart('stateMachine', `${platform.prefix}-`) }],
        executionArn: [{ 'anything-but': { prefix: arnStart('execution', platformMachinePrefix(platform.prefix)) } }],
      },
    },
    State: 'ENABLED',
    Targets: [{ Id: targetId('dispatcher'), Arn: stateMachineArnPlaceholder(dispatcher), RoleArn: EVENTS_ROLE_ARN }],
  };
}
