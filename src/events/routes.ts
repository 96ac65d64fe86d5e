/**
 * What each workflow deploys for the dispatcher (src/asl/dispatch.ts), in its own stack:
 *
 * - Routes: one SSM parameter per upstream of a dag with `dependsOn`, at
 *   `/lakestep/<prefix>/after/<upstream machine>/<downstream machine>`, holding the
 *   join the dispatcher runs — `{"key": "<use-case>/<dag>", "downstream": <machine>,
 *   "upstreams": <distinct upstreams>}`. They live in the downstream's stack, so a
 *   quarantined use case keeps its last good links, and an upstream of another use
 *   case needs nothing of the downstream's stack. A disabled dag has none.
 * - Tags of its state machine: `lakestep:platform`, and what to notify —
 *   `lakestep:notify-<STATUS>` (`yes`) for each status the dag notifies, and
 *   `lakestep:dag-topic` when it has `notification.emails` of its own.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ssm-parameter.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#bp-cwe
 */
import type { RouteDefinition } from '../build/types.ts';
import type { Platform, Workflow } from '../ir/types.ts';
import { routesPath, stateMachineName } from '../naming.ts';
import { workflowKey } from '../asl/frame.ts';
import type { ExecutionStatus } from './common.ts';

export const FAILURE_STATUSES: ExecutionStatus[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];
/** Tag the dispatcher checks first: the rule also sees platforms whose prefix starts with this one and `-`. */
export const PLATFORM_TAG = 'lakestep:platform';
export const DAG_TOPIC_TAG = 'lakestep:dag-topic';

/** `lakestep:notify-<status>`. */
export function notifyTag(status: ExecutionStatus): string {
  return `lakestep:notify-${status}`;
}

/** The value a route parameter holds: the join of one downstream. */
export interface RouteValue {
  /** `<use-case>/<dag>`: the key of its joins in the gates table and of its pause flag. */
  key: string;
  /** Name of the downstream's state machine. */
  downstream: string;
  /** How many distinct upstreams must succeed for one logical date. */
  upstreams: number;
}

/** The route parameters of `workflow`, one per distinct upstream (none when disabled). */
export function workflowRoutes(platform: Platform, workflow: Workflow): RouteDefinition[] {
  if (!workflow.enabled) return [];
  const upstreams = [...new Set(workflow.dependsOn.map((d) => stateMachineName(platform.prefix, d.useCase, d.dag)))];
  const value: RouteValue = { key: workflowKey(workflow), downstream: workflow.stateMachineName, upstreams: upstreams.length };
  return upstreams.map((u) => ({
    Name: `${routesPath(platform.prefix, u)}/${workflow.stateMachineName}`,
    Type: 'String',
    Value: JSON.stringify(value),
    Description: `lakestep: after ${u} succeeds, start ${workflow.stateMachineName}${upstreams.length > 1 ? ` once all ${upstreams.length} upstreams succeeded` : ''}`.slice(0, 1024),
  }));
}

/** Tags of the workflow's state machine that the dispatcher reads. */
export function machineTags(platform: Platform, workflow: Workflow): Record<string, string> {
  const tags: Record<string, string> = { [PLATFORM_TAG]: platform.prefix };
  if (!workflow.enabled) return tags;
  const statuses = [...(workflow.notification.onFailure ? FAILURE_STATUSES : []), ...(workflow.notification.onSuccess ? (['SUCCEEDED'] as const) : [])];
  for (const s of statuses) tags[notifyTag(s)] = 'yes';
  if (statuses.length && workflow.notification.emails.length) tags[DAG_TOPIC_TAG] = 'yes';
  return tags;
}
