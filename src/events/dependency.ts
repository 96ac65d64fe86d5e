/**
 * Dependency rules: a downstream workflow starts when its upstreams succeed.
 *
 * Every rule targets the downstream's join machine (DESIGN §4.2), never the
 * downstream itself: EventBridge delivers at least once, and only the join's
 * deterministic execution name turns a duplicate event into a refused start.
 * - One upstream: the rule on the upstream's `SUCCEEDED` status-change event.
 * - Two or more: EventBridge cannot join events, so a single rule listing every
 *   upstream ARN targets the join machine, which learns which upstream finished
 *   from `$.detail.stateMachineArn`. One rule rather than
 *   one per upstream because rules are the scarce quota (300 per bus) while one
 *   more ARN in a pattern costs about 100 of its 2,048 characters; the quota
 *   check reports a pattern that grows too long.
 *
 * Upstreams of other use cases are named the same way (`<prefix>-<use-case>-<dag>`),
 * so no stack needs another's outputs.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html
 */
import type { RuleDefinition } from '../build/types.ts';
import type { Platform, Workflow, WorkflowRef } from '../ir/types.ts';
import { gateMachineName, stateMachineArnPlaceholder, stateMachineName } from '../naming.ts';
import {
  limitDescription,
  EVENTS_ROLE_ARN,
  machineArn,
  ownMachineName,
  ruleName,
  ruleState,
  statusChangePattern,
  targetId,
} from './common.ts';

/** The dependency rule of one workflow (none without `dependsOn`). */
export function dependencyRules(platform: Platform, workflow: Workflow): RuleDefinition[] {
  const upstreams = uniqueUpstreams(workflow.dependsOn);
  const [only] = upstreams;
  if (only === undefined) return [];
  const machine = ownMachineName(platform, workflow);
  const upstreamNames = upstreams.map((u) => stateMachineName(platform.prefix, u.useCase, u.dag));
  const pattern = statusChangePattern(
    upstreams.map((u) => machineArn(platform, u.useCase, u.dag)),
    ['SUCCEEDED'],
  );
  const gate = gateMachineName(platform.prefix, workflow.useCase, workflow.name);
  const single = upstreams.length === 1;
  return [
    {
      Name: single ? ruleName(machine, 'after', only.useCase === workflow.useCase ? only.dag : `${only.useCase}-${only.dag}`) : ruleName(machine, 'upstreams'),
      Description: limitDescription(
        single
          ? `Start ${machine} through ${gate} once per logical date when ${upstreamNames[0]} succeeds`
          : `Record in ${gate} each success of ${upstreamNames.join(', ')}; ${machine} starts once all have succeeded`,
      ),
      EventPattern: pattern,
      State: ruleState(workflow),
      Targets: [{ Id: targetId('join-state-machine'), Arn: stateMachineArnPlaceholder(gate), RoleArn: EVENTS_ROLE_ARN }],
    },
  ];
}

/** Upstreams without repeats, in spec order (a repeated name must not change the rule). */
function uniqueUpstreams(refs: readonly WorkflowRef[]): WorkflowRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.useCase}/${r.dag}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
