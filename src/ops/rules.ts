/**
 * `lakestep pause|resume <use-case>/<dag>`: the dag's triggers — its EventBridge Scheduler
 * schedule(s) and the dependency rule that starts it (through its join machine) —
 * disabled or enabled, like the pause toggle of a scheduler. Notification rules are
 * left alone, so a run in flight still reports.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DisableRule.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_EnableRule.html
 * @see https://docs.aws.amazon.com/scheduler/latest/APIReference/API_UpdateSchedule.html
 */
import { DescribeRuleCommand, DisableRuleCommand, EnableRuleCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ManifestWorkflow, RuleDefinition } from '../build/types.ts';
import { awsErrorName, errorMessage } from './errors.ts';
import { scheduleStates, setScheduleState } from './schedules.ts';

/** Rules of the manifest that start the workflow: a target is its state machine or its join machine. */
export function triggerRules(w: ManifestWorkflow): RuleDefinition[] {
  const machines = [w.stateMachineName, ...(w.gate ? [w.gate.stateMachineName] : [])];
  return w.rules.filter((r) => r.Targets.some((t) => machines.some((m) => t.Arn.endsWith(`:stateMachine:${m}`))));
}

/** Whether the dag has anything that starts it besides an operator. */
export function hasTriggers(w: ManifestWorkflow): boolean {
  return triggerRules(w).length > 0 || (w.schedules?.length ?? 0) > 0;
}

export interface RuleState {
  /** A Scheduler schedule or an EventBridge rule. */
  kind: 'schedule' | 'rule';
  name: string;
  /** `ENABLED`, `DISABLED` (or another state); `MISSING` when it is not deployed. */
  state: string;
  /** What the specs deploy (`enabled: false` dags deploy their triggers disabled). */
  deployed: RuleDefinition['State'];
}

export interface PauseResult {
  ref: string;
  action: 'pause' | 'resume';
  rules: (RuleState & { changed: boolean; error?: string })[];
  ok: boolean;
}

/** The clients of the triggers and the platform's schedule group. */
export interface TriggerClients {
  events: EventBridgeClient;
  scheduler: SchedulerClient;
  /** Schedule group of the platform: its prefix. */
  group: string;
}

/** Current state of each trigger: schedules (`GetSchedule`), then rules (`DescribeRule`). */
export async function triggerStates(c: TriggerClients, w: ManifestWorkflow): Promise<RuleState[]> {
  const out: RuleState[] = await scheduleStates(c.scheduler, c.group, w);
  for (const rule of triggerRules(w)) {
    try {
      const r = await c.events.send(new DescribeRuleCommand({ Name: rule.Name }));
      out.push({ kind: 'rule', name: rule.Name, state: r.State ?? 'UNKNOWN', deployed: rule.State });
    } catch (err) {
      if (awsErrorName(err) !== 'ResourceNotFoundException') throw err;
      out.push({ kind: 'rule', name: rule.Name, state: 'MISSING', deployed: rule.State });
    }
  }
  return out;
}

/**
 * Disables (`pause`) or enables (`resume`) every trigger; one already in that state is
 * left as it is. Triggers not deployed are reported, not created.
 */
export async function setTriggers(c: TriggerClients, ref: string, w: ManifestWorkflow, action: 'pause' | 'resume'): Promise<PauseResult> {
  const want = action === 'pause' ? 'DISABLED' : 'ENABLED';
  const rules: PauseResult['rules'] = [];
  for (const current of await triggerStates(c, w)) {
    if (current.state === 'MISSING' || current.state === want) {
      rules.push({ ...current, changed: false, ...(current.state === 'MISSING' ? { error: `${current.kind} not deployed: run \`npm run deploy\`` } : {}) });
      continue;
    }
    try {
      if (current.kind === 'schedule') await setScheduleState(c.scheduler, c.group, current.name, want);
      else await c.events.send(action === 'pause' ? new DisableRuleCommand({ Name: current.name }) : new EnableRuleCommand({ Name: current.name }));
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
  if (!live.length) return states.length ? 'triggers not deployed' : 'no triggers (started by hand only)';
  const disabled = live.filter((s) => s.state === 'DISABLED').length;
  if (disabled === 0) return 'active';
  return disabled === live.length ? 'paused' : `partly paused (${disabled} of ${live.length} triggers disabled)`;
}
