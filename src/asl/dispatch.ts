/**
 * The platform's dispatcher (it replaces DESIGN §4.2's join machines; README "one rule and a
 * dispatcher"): one state machine that one
 * EventBridge rule (src/events/status-rule.ts) feeds the end of every execution of the
 * platform's workflows, so the number of rules does not grow with the workflows.
 *
 * - Notifications: each workflow's stack tags its state machine with what to notify
 *   (`lakestep:notify-<STATUS>`, `lakestep:dag-topic`, src/events/routes.ts); the
 *   dispatcher reads the tags and publishes to the platform topic (and the dag's own),
 *   once per end: it first records the end in the gates table (pk the execution ARN, sk
 *   `notified/<STATUS>/<stopDate>`, created only if absent), so a duplicate delivery or a
 *   duplicate Express run of the same end finds the entry and notifies nothing. A message
 *   that cannot be published does not hold up the downstreams; the run ends failed after
 *   them (`Lakestep.NotificationFailed`), for the alarm on the dispatcher's metrics.
 * - Dependencies: after a success whose output is a run, it lists the routes of the
 *   upstream — SSM parameters `/lakestep/<prefix>/after/<upstream>/<downstream>`, each
 *   created by the downstream's own stack — and joins every downstream: the join is the
 *   one each dag's join machine ran before, keyed by `<use-case>/<dag>` in the gates table.
 *
 * EventBridge cannot join events and delivers them at least once, so every start goes
 * through the join of that downstream and logical date: a DynamoDB `ADD` records the
 * upstream (atomic, so exactly one delivery sees the set complete), and the downstream
 * starts under the execution name of the date, which Step Functions refuses twice.
 * Nothing is claimed before the start: a failed start is notified and retried by the
 * next delivery. A paused dag (`lakestep pause`) has an item `lakestep/paused` in the
 * gates table, read before anything is recorded.
 *
 * It runs as an Express workflow: billed per request and duration instead of per state transition
 * (at 22 transitions a run it made as many transitions as all the workflows together), which is
 * what it can be because it waits for nothing (no `.sync`, no task token, no Wait) and every effect
 * is idempotent already — Express runs an execution at least once, as EventBridge delivers an event.
 * Its calls retry with a short backoff (EXPRESS_TRANSIENT_RETRY) so that a run throttled at every
 * call still ends, notified, within Express's five minutes; a run that fails or times out anyway
 * sets off the platform's alarm on the dispatcher's metrics (infra/platform/dispatcher.ts). Its
 * runs have no history in Step Functions: they are in the platform's state machine log group.
 *
 * The window (`gate_ttl`) is measured from the first upstream's stop time
 * (`detail.stopDate`, epoch ms) with DynamoDB arithmetic; every entry the dispatcher writes
 * carries `expires_at` (epoch seconds) for the table's TTL, computed once per run from the
 * event's hour with calendar tables because ASL has no date functions.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListTagsForResource.html
 */
import type { Platform } from '../ir/types.ts';
import { dispatcherMachineName, stateMachineLogGroupName } from '../naming.ts';
import { retryFor } from './policy.ts';
import { template } from './templates.ts';
import type { State, StateMachineDefinition } from './types.ts';

/** Years the calendar tables cover (event times, i.e. now). */
export const CALENDAR_YEARS = { first: 2020, last: 2099 } as const;

/** The item of the gates table that pauses a dag: `pk` this, `sk` `<use-case>/<dag>`. */
export const PAUSED_KEY = 'lakestep/paused';

/**
 * How long the entry that an execution's end was notified is kept past the event's hour
 * (rounded down, hence the hour): a day, longer than EventBridge retries a delivery (24 h).
 */
export const NOTIFIED_KEEP_SECONDS = 3600 + 86400;

/** The dispatcher's workflow type. */
export const DISPATCHER_TYPE = 'EXPRESS';
/** The longest an Express execution runs: its `TimeoutSeconds`. */
export const EXPRESS_MAX_SECONDS = 300;

export interface DispatcherMachine {
  stateMachineName: string;
  type: typeof DISPATCHER_TYPE;
  definition: StateMachineDefinition;
}

export function dispatcherMachine(platform: Platform): DispatcherMachine {
  const logGroup = stateMachineLogGroupName(platform.prefix);
  // Both the run and its joins call DynamoDB and SNS, with the same Express retries.
  const dynamodbRetry = retryFor('dynamodb', 0, true);
  const snsRetry = retryFor('sns', 0, true);
  const join = template<Record<string, State>>('dispatch-join', {
    pausedKey: PAUSED_KEY,
    logGroup,
    windowMs: String(platform.defaults.gateTtlSeconds * 1000),
    // The event's hour is rounded down: one more hour, then the window and a day.
    keepSeconds: 3600 + platform.defaults.gateTtlSeconds + 86400,
    dynamodbRetry,
    statesRetry: retryFor('states', 0, true),
    snsRetry,
  });
  return {
    stateMachineName: dispatcherMachineName(platform.prefix),
    type: DISPATCHER_TYPE,
    definition: template<StateMachineDefinition>('dispatch', {
      comment: `lakestep ${platform.prefix}: notifies the ends of the platform's executions and starts the downstreams of its successful runs (an Express workflow)`,
      prefix: platform.prefix,
      logGroup,
      timeoutSeconds: EXPRESS_MAX_SECONDS,
      join,
      calendar: calendarTables(),
      minusFirstYear: -CALENDAR_YEARS.first,
      notifiedKeepSeconds: NOTIFIED_KEEP_SECONDS,
      dynamodbRetry,
      sfnRetry: retryFor('sfnApi', 0, true),
      snsRetry,
      ssmRetry: retryFor('ssm', 0, true),
    }),
  };
}

/**
 * Lookup tables that turn the `YYYY`, `MM`, `DD`, `HH` fields into epoch seconds
 * with `States.ArrayGetItem` / `MathAdd` only: `year_s` is indexed by year − first
 * year; `month_s` holds the seconds before each month, indexed by month (1–12) in
 * common years and by month + 13 in leap years (`leap` gives 0 or 13 per year).
 */
export function calendarTables() {
  const yearS: number[] = [];
  const leap: number[] = [];
  for (let y = CALENDAR_YEARS.first; y <= CALENDAR_YEARS.last; y++) {
    yearS.push(Date.UTC(y, 0, 1) / 1000);
    leap.push(new Date(Date.UTC(y, 1, 29)).getUTCMonth() === 1 ? 13 : 0);
  }
  const monthStarts = (y: number) => [0, ...Array.from({ length: 12 }, (_, m) => (Date.UTC(y, m, 1) - Date.UTC(y, 0, 1)) / 1000)];
  return { year_s: yearS, leap, month_s: [...monthStarts(2001), ...monthStarts(2004)] };
}
