/**
 * `lakestep pause|resume <use-case>/<dag>`: the dag's triggers off or on, like the pause
 * toggle of a scheduler — its EventBridge Scheduler schedule(s), disabled or enabled, and
 * for a dag with upstreams the pause flag the dispatcher reads (pause-flag.ts): a paused
 * dag is not started after its upstreams, and their successes are not recorded for it.
 * Notifications are left alone, so a run in flight still reports.
 *
 * @see https://docs.aws.amazon.com/scheduler/latest/APIReference/API_UpdateSchedule.html
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ManifestWorkflow } from '../build/types.ts';
import { awsErrorName, errorMessage } from './errors.ts';
import { readPauseFlag, writePauseFlag } from './pause-flag.ts';
import { scheduleStates, setScheduleState } from './schedules.ts';

/** Whether the dag has anything that starts it besides an operator. */
export function hasTriggers(w: ManifestWorkflow): boolean {
  return w.dependsOn.length > 0 || (w.schedules?.length ?? 0) > 0;
}

export interface TriggerState {
  /** A Scheduler schedule, or the dag's dependencies (the routes the dispatcher follows). */
  kind: 'schedule' | 'dependencies';
  name: string;
  /**
   * `ENABLED`, `DISABLED` (or another state); `MISSING` when not deployed. Dependencies are
   * `DISABLED` while the pause flag is set, and when the specs disable the dag (no routes).
   */
  state: string;
  /** What the specs deploy (`enabled: false` dags deploy their triggers disabled). */
  deployed: 'ENABLED' | 'DISABLED';
  /** When the pause flag was set. */
  since?: string;
}

export interface PauseResult {
  ref: string;
  action: 'pause' | 'resume';
  rules: (TriggerState & { changed: boolean; error?: string })[];
  ok: boolean;
}

/** The clients of the triggers: the platform's schedule group and gates table. */
export interface TriggerClients {
  scheduler: SchedulerClient;
  dynamodb: DynamoDBClient;
  /** Schedule group of the platform: its prefix. */
  group: string;
  /** The gates table, which holds the pause flags. */
  gatesTable: string;
}

/** Current state of each trigger: schedules (`GetSchedule`), then the dependencies' pause flag (`GetItem`). */
export async function triggerStates(c: TriggerClients, ref: string, w: ManifestWorkflow): Promise<TriggerState[]> {
  const out: TriggerState[] = await scheduleStates(c.scheduler, c.group, w);
  if (w.dependsOn.length) {
    const deployed = w.routes?.length ? 'ENABLED' : 'DISABLED';
    const flag = await readPauseFlag(c.dynamodb, c.gatesTable, ref);
    out.push({
      kind: 'dependencies',
      name: `after ${w.dependsOn.join(', ')}`,
      state: deployed === 'DISABLED' || flag.paused ? 'DISABLED' : 'ENABLED',
      deployed,
      ...(flag.since ? { since: flag.since } : {}),
    });
  }
  return out;
}

/**
 * Disables (`pause`) or enables (`resume`) every trigger; one already in that state is
 * left as it is. Schedules not deployed are reported, not created.
 */
export async function setTriggers(c: TriggerClients, ref: string, w: ManifestWorkflow, action: 'pause' | 'resume', now: Date = new Date()): Promise<PauseResult> {
  const want = action === 'pause' ? 'DISABLED' : 'ENABLED';
  const rules: PauseResult['rules'] = [];
  for (const current of await triggerStates(c, ref, w)) {
    const specOff = current.kind === 'dependencies' && current.deployed === 'DISABLED';
    if (current.state === 'MISSING' || current.state === want || (specOff && action === 'resume')) {
      const error =
        current.state === 'MISSING' ? `${current.kind} not deployed: run \`npm run deploy\`` : specOff && action === 'resume' ? 'the specs disable this dag (`enabled: false`): its routes are not deployed' : undefined;
      rules.push({ ...current, changed: false, ...(error ? { error } : {}) });
      continue;
    }
    try {
      if (current.kind === 'schedule') await setScheduleState(c.scheduler, c.group, current.name, want);
      else await writePauseFlag(c.dynamodb, c.gatesTable, ref, action === 'pause', now);
      rules.push({ ...current, state: want, changed: true, ...(action === 'pause' && current.kind === 'dependencies' ? { since: now.toISOString() } : {}) });
    } catch (err) {
      rules.push({ ...current, changed: false, error: `${awsErrorName(err) ?? 'Error'}: ${errorMessage(err)}` });
    }
  }
  return { ref, action, rules, ok: rules.every((r) => !r.error) };
}

/** `paused`, `active`, `partly paused` or `no triggers` (manual only) for `status`. */
export function pausedLabel(states: readonly TriggerState[]): string {
  const live = states.filter((s) => s.state !== 'MISSING');
  if (!live.length) return states.length ? 'triggers not deployed' : 'no triggers (started by hand only)';
  const disabled = live.filter((s) => s.state === 'DISABLED').length;
  if (disabled === 0) return 'active';
  return disabled === live.length ? 'paused' : `partly paused (${disabled} of ${live.length} triggers disabled)`;
}

export interface UseCasePauseResult {
  useCase: string;
  action: 'pause' | 'resume';
  /** Each dag with triggers, in the order of the specs. */
  dags: PauseResult[];
  /** Dags left as they are: no trigger (started by hand only), or on resume disabled by the specs (`enabled: false`). */
  left: { ref: string; why: string }[];
  /** Dags whose triggers could not be read (the others are still changed). */
  unread: { ref: string; error: string }[];
  ok: boolean;
}

/**
 * `pause|resume <use-case>`: every dag's triggers, one dag after the other. Resume leaves a dag the
 * specs disable (`enabled: false`) disabled: enabling its schedule would start what the specs turned off.
 */
export async function setUseCaseTriggers(c: TriggerClients, useCase: string, workflows: readonly ManifestWorkflow[], action: 'pause' | 'resume', now: Date = new Date()): Promise<UseCasePauseResult> {
  const dags: PauseResult[] = [];
  const left: UseCasePauseResult['left'] = [];
  const unread: UseCasePauseResult['unread'] = [];
  for (const w of workflows) {
    const ref = `${useCase}/${w.name}`;
    if (!hasTriggers(w)) left.push({ ref, why: 'no schedule and no upstream: started by hand only' });
    else if (action === 'resume' && !w.enabled) left.push({ ref, why: 'the specs disable it (`enabled: false`)' });
    else {
      try {
        dags.push(await setTriggers(c, ref, w, action, now));
      } catch (err) {
        // No credentials at all: no dag can be read or changed, and the command says so once, with its hint.
        if (err instanceof Error && err.name === 'CredentialsProviderError') throw err;
        // Stopping here would leave the use case half paused without saying which half.
        unread.push({ ref, error: `${awsErrorName(err) ?? 'Error'}: ${errorMessage(err)}` });
      }
    }
  }
  return { useCase, action, dags, left, unread, ok: dags.every((d) => d.ok) && !unread.length };
}
