/**
 * The join state machine of a dag with 2+ upstreams (DESIGN §4.2). EventBridge
 * cannot join events, so each upstream's success rule targets this machine;
 * a DynamoDB `ADD` records the upstream for the logical date, and the one
 * execution that completes the set starts the downstream under a
 * deterministic name. The window (`gate_ttl`) is measured from the first
 * upstream's stop time (`detail.stopDate`, epoch ms) with DynamoDB arithmetic.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
 */
import type { Platform, Workflow } from '../ir/types.ts';
import { gateMachineName, stateMachineArnPlaceholder } from '../naming.ts';
import { workflowKey } from './frame.ts';
import { retryFor } from './policy.ts';
import { template } from './templates.ts';
import type { StateMachineDefinition } from './types.ts';

export interface GateMachine {
  stateMachineName: string;
  definition: StateMachineDefinition;
}

/** The join machine of `w`, or undefined when it has fewer than two upstreams. */
export function gateFor(w: Workflow, platform: Platform): GateMachine | undefined {
  if (w.dependsOn.length < 2) return undefined;
  const upstreams = w.dependsOn.map((d) => `${d.useCase}/${d.dag}`).join(', ');
  return {
    stateMachineName: gateMachineName(platform.prefix, w.useCase, w.name),
    definition: template<StateMachineDefinition>('gate', {
      comment: `Join for ${workflowKey(w)}: starts it once per logical date when all of ${upstreams} succeeded`,
      gateKey: workflowKey(w),
      windowMs: String(platform.defaults.gateTtlSeconds * 1000),
      upstreamCount: w.dependsOn.length,
      downstream: w.name,
      downstreamArn: stateMachineArnPlaceholder(w.stateMachineName),
      dynamodbRetry: retryFor('dynamodb'),
      statesRetry: retryFor('states'),
    }),
  };
}
