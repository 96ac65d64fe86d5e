/**
 * The join state machine of a dag with upstreams (DESIGN §4.2). EventBridge
 * cannot join events and delivers them at least once, so every upstream's success
 * rule targets this machine — one upstream included, which makes a duplicate
 * delivery harmless: a DynamoDB `ADD` records the upstream for the logical date,
 * and once the set is complete the downstream is started under a deterministic
 * execution name, which Step Functions refuses to start twice. Nothing is claimed
 * before the start, so a failed start is retried by a later delivery or by
 * redriving the failed join execution (its failure is notified).
 *
 * The window (`gate_ttl`) is measured from the first upstream's stop time
 * (`detail.stopDate`, epoch ms) with DynamoDB arithmetic; the entry carries
 * `expires_at` (epoch seconds) for the table's TTL, computed from the event time
 * with calendar tables because ASL has no date functions.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-before-you-start.html
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

/** Years the calendar tables cover (event times, i.e. now). */
export const CALENDAR_YEARS = { first: 2020, last: 2099 } as const;

/** The join machine of `w`, or undefined when it has no upstream. */
export function gateFor(w: Workflow, platform: Platform): GateMachine | undefined {
  if (w.dependsOn.length < 1) return undefined;
  const upstreams = w.dependsOn.map((d) => `${d.useCase}/${d.dag}`).join(', ');
  const count = new Set(w.dependsOn.map((d) => `${d.useCase}/${d.dag}`)).size;
  return {
    stateMachineName: gateMachineName(platform.prefix, w.useCase, w.name),
    definition: template<StateMachineDefinition>('gate', {
      comment: `Join for ${workflowKey(w)}: starts it once per logical date when ${count > 1 ? `all of ${upstreams}` : upstreams} succeeded`,
      gateKey: workflowKey(w),
      windowMs: String(platform.defaults.gateTtlSeconds * 1000),
      // The event's hour is rounded down: one more hour, then the window and a day.
      keepSeconds: 3600 + platform.defaults.gateTtlSeconds + 86400,
      calendar: calendarTables(),
      minusFirstYear: -CALENDAR_YEARS.first,
      upstreamCount: count,
      downstream: w.name,
      downstreamArn: stateMachineArnPlaceholder(w.stateMachineName),
      dynamodbRetry: retryFor('dynamodb'),
      statesRetry: retryFor('states'),
      sfnRetry: retryFor('sfnApi'),
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
