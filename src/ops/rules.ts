/**
 * `lakestep pause|resume <use-case>/<dag>`: the dag's trigger rules — its
 * schedule rule(s) and the dependency rule that starts it (or its join machine)
 * — disabled or enabled in EventBridge, like the pause toggle of a scheduler.
 * Notification rules are left alone, so a run in flight still reports.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DisableRule.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_EnableRule.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeRule.html
 */
import { DescribeRuleCommand, DisableRuleCommand, EnableRuleCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { ManifestWorkflow, RuleDefinition } from '../build/types.ts';
import { awsErrorName, errorMessage } from './errors.ts';

/** Rules of the manifest that start the workflow: a target is its state machine or its join machine. */
export function triggerRules(w: ManifestWorkflow): RuleDefinition[] {
  const machines = [w.stateMachineName, ...(w.gate ? [w.gate.stateMachineName] : [])];
  return w.rules.filter((r) => r.Targets.some((t) => machines.some((m) => t.Arn.endsWith(`:stateMachine:${m}`))));
}

export interface RuleState {
  name: string;
  /** `ENABLED`, `DISABLED` (or another EventBridge state); `MISSING` when the rule is not deployed. */
  state: string;
  /** What the specs deploy (`enabled: false` dags deploy their rules disabled). */
  deployed: RuleDefinition['State'];
}

export interface PauseResult {
  ref: string;
  action: 'pause' | 'resume';
  rules: (RuleState & { changed: boolean; error?: string })[];
  ok: boolean;
}

/** Current state of each trigger rule (`DescribeRule`). */
export async function triggerStates(client: EventBridgeClient, w: ManifestWorkflow): Promise<RuleState[]> {
  const out: RuleState[] = [];
  for (const rule of triggerRules(w)) {
    try {
      const r = await client.send(new DescribeRuleCommand({ Name: rule.Name }));
      out.push({ name: rule.Name, state: r.State ?? 'UNKNOWN', deployed: rule.State });
    } catch (err) {
      if (awsErrorName(err) !== 'ResourceNotFoundException') throw err;
      out.push({ name: rule.Name, state: 'MISSING', deployed: rule.State });
    }
  }
  return out;
}

/**
 * Disables (`pause`) or enables (`resume`) every trigger rule; a rule already in
 * that state is left as it is. Rules not deployed are reported, not created.
 */
export async function setTriggers(client: EventBridgeClient, ref: string, w: ManifestWorkflow, action: 'pause' | 'resume'): Promise<PauseResult> {
  const want = action === 'pause' ? 'DISABLED' : 'ENABLED';
  const rules: PauseResult['rules'] = [];
  for (const current of await triggerStates(client, w)) {
    if (current.state === 'MISSING' || current.state === want) {
      rules.push({ ...current, changed: false, ...(current.state === 'MISSING' ? { error: 'rule not deployed: run `npm run deploy`' } : {}) });
      continue;
    }
    try {
      await client.send(action === 'pause' ? new DisableRuleCommand({ Name: current.name }) : new EnableRuleCommand({ Name: current.name }));
      rules.push({ ...current, state: want, changed: true });
    } catch (err) {
      rules.push({ ...current, changed: false, error: `${awsErrorName(err) ?? 'Error'}: ${errorMessage(err)}` });
    }
  }
  return { ref, action, rules, ok: rules.every((r) => !r.error) };
}

/** `paused`, `active`, `partly paused` or `no triggers` (manual only) for `status`. */
export function pausedLabel(states: readonly RuleState[]): string {
  const live = states.filter((s) => s.state !== 'MISSING');
  if (!live.length) return states.length ? 'rules not deployed' : 'no trigger rules (started by hand only)';
  const disabled = live.filter((s) => s.state === 'DISABLED').length;
  if (disabled === 0) return 'active';
  return disabled === live.length ? 'paused' : `partly paused (${disabled} of ${live.length} rules disabled)`;
}
