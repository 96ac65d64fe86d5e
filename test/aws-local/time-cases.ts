/**
 * Logical dates, data intervals and run identity on both interpreters, over the golden
 * build `time-runs`: schedules fire through the schedule starter (moto: the bundled Lambda
 * handler), operator commands run through `src/ops`, and each case checks the run records
 * (the runs table) for the dates and names the rules give.
 */
import type { Case, Observation } from './cases.ts';

export const TIME_BUILD = 'golden/time-runs';
const RUNS = 'tr-runs';

interface RunRecord {
  name: string;
  logical_date: string;
  ds: string;
  data_interval_start: string;
  data_interval_end: string;
  attempt: string;
  trigger: string;
}

/** The run records of `ref`, by execution name. */
function records(o: Observation, ref: string): RunRecord[] {
  const rows = (o.items[RUNS] ?? []) as Record<string, { S?: string; N?: string }>[];
  return rows
    .filter((r) => r.pk?.S === ref)
    .map((r) => ({
      name: String(r.sk?.S).split('#')[1] ?? '',
      logical_date: r.logical_date?.S ?? '',
      ds: r.ds?.S ?? '',
      data_interval_start: r.data_interval_start?.S ?? '',
      data_interval_end: r.data_interval_end?.S ?? '',
      attempt: r.attempt?.N ?? '',
      trigger: r.trigger?.S ?? '',
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const json = (v: unknown) => JSON.stringify(v);

/** The runs of `ref`: exactly these records (name, dates, attempt, trigger). */
const runsOf = (ref: string, want: Partial<RunRecord>[]) => (o: Observation): string | undefined => {
  const got = records(o, ref).map((r, i) => Object.fromEntries(Object.keys(want[i] ?? r).map((k) => [k, r[k as keyof RunRecord]])));
  return json(got) === json(want) ? undefined : `${ref} runs ${json(records(o, ref))}, expected ${json(want)}`;
};

/** The executions of `ref` by name and status. */
const executionsOf = (ref: string, want: [string, string][]) => (o: Observation): string | undefined => {
  const got = o.executions.filter((e) => e.ref === ref).map((e) => [e.name, e.status]).sort();
  return json(got) === json([...want].sort()) ? undefined : `${ref} executions ${json(got)}, expected ${json(want)}`;
};

const all = (...checks: ((o: Observation) => string | undefined)[]) => (o: Observation): string | undefined => checks.map((f) => f(o)).find((m) => m !== undefined);

const day = (d: string, hh = '02') => ({ ts: `${d}T${hh}:00:00Z`, name: `${d}T${hh}0000Z` });

export function timeCases(): Case[] {
  const base = { build: TIME_BUILD, route: true } as const;
  const D = 'sched/daily';
  const c: Case[] = [];

  // The daily 02:00 run fired on 2026-11-26 covers [11-25 02:00, 11-26 02:00) and has ds 2026-11-25 (interval).
  c.push({
    ...base,
    scenario: 'schedule-interval',
    workflow: D,
    phases: [{ fire: { ref: D, at: '2026-11-26T02:00:00Z' } }],
    known: ['2026-11-25T02:00:00Z', '2026-11-26T02:00:00Z', '2026-11-25', '2026-11-25T020000Z'],
    expect: all(
      runsOf(D, [{ name: '2026-11-25T020000Z', logical_date: '2026-11-25T02:00:00Z', ds: '2026-11-25', data_interval_start: '2026-11-25T02:00:00Z', data_interval_end: '2026-11-26T02:00:00Z', attempt: '1', trigger: 'schedule' }]),
      // Its downstream inherits all of it.
      runsOf('sched/after-daily', [{ name: '2026-11-25T020000Z', ds: '2026-11-25', data_interval_start: '2026-11-25T02:00:00Z', data_interval_end: '2026-11-26T02:00:00Z', trigger: 'dependency' }]),
    ),
  });
  // Under trigger the same fire is the run of 2026-11-26, over the same interval.
  c.push({
    ...base,
    scenario: 'schedule-trigger',
    workflow: 'sched/daily-trigger',
    phases: [{ fire: { ref: 'sched/daily-trigger', at: '2026-11-26T02:00:00Z' } }],
    known: ['2026-11-25T02:00:00Z', '2026-11-26T02:00:00Z', '2026-11-26'],
    expect: runsOf('sched/daily-trigger', [{ name: '2026-11-26T020000Z', logical_date: '2026-11-26T02:00:00Z', ds: '2026-11-26', data_interval_start: '2026-11-25T02:00:00Z', data_interval_end: '2026-11-26T02:00:00Z' }]),
  });
  // rate(1 day): the period before its fire at midnight.
  c.push({
    ...base,
    scenario: 'schedule-rate',
    workflow: 'sched/rate-daily',
    phases: [{ fire: { ref: 'sched/rate-daily', at: '2026-11-26T00:00:00Z' } }],
    known: ['2026-11-25T00:00:00Z', '2026-11-26T00:00:00Z', '2026-11-25'],
    expect: runsOf('sched/rate-daily', [{ name: '2026-11-25T000000Z', ds: '2026-11-25', data_interval_start: '2026-11-25T00:00:00Z', data_interval_end: '2026-11-26T00:00:00Z', trigger: 'schedule' }]),
  });
  // A joined downstream: runs once, over its upstreams' interval.
  c.push({
    ...base,
    scenario: 'joined-downstream',
    workflow: 'sched/joined',
    phases: [{ fire: { ref: D, at: '2026-11-28T02:00:00Z' } }, { fire: { ref: 'sched/other-daily', at: '2026-11-28T02:00:00Z' } }],
    known: ['2026-11-27T02:00:00Z', '2026-11-28T02:00:00Z', '2026-11-27'],
    expect: all(
      executionsOf('sched/joined', [['2026-11-27T020000Z', 'SUCCEEDED']]),
      runsOf('sched/joined', [{ name: '2026-11-27T020000Z', ds: '2026-11-27', data_interval_start: '2026-11-27T02:00:00Z', data_interval_end: '2026-11-28T02:00:00Z', trigger: 'dependency' }]),
    ),
  });
  // One execution per dag and date across schedule, dependency, run, backfill and a dated console start.
  const identity = day('2026-11-29');
  c.push({
    ...base,
    scenario: 'one-run-per-date',
    workflow: D,
    phases: [
      { fire: { ref: D, at: '2026-11-30T02:00:00Z' } },
      { operator: { command: 'run', ref: D, date: '2026-11-29' } },
      { operator: { command: 'backfill', ref: D, from: '2026-11-29', to: '2026-11-29' } },
      { operator: { command: 'run', ref: 'sched/after-daily', date: '2026-11-29' } },
      { start: [{ ref: D, input: { logical_date: identity.ts }, name: 'console-dated' }] },
    ],
    known: [identity.ts, identity.name],
    expect: all(
      executionsOf(D, [[identity.name, 'SUCCEEDED'], ['console-dated', 'SUCCEEDED']]),
      executionsOf('sched/after-daily', [[identity.name, 'SUCCEEDED']]),
      runsOf(D, [{ name: identity.name, trigger: 'schedule' }]),
      runsOf('sched/after-daily', [{ name: identity.name, trigger: 'dependency' }]),
    ),
  });
  // --rerun: a second attempt, named and recorded as such; the downstream still runs once.
  const rerun = day('2026-12-01');
  c.push({
    ...base,
    scenario: 'rerun-attempt',
    workflow: D,
    phases: [{ operator: { command: 'run', ref: D, date: '2026-12-01' } }, { operator: { command: 'run', ref: D, date: '2026-12-01', rerun: true } }],
    known: [rerun.ts, rerun.name, `${rerun.name}_a2`],
    expect: all(
      runsOf(D, [{ name: rerun.name, attempt: '1', trigger: 'manual' }, { name: `${rerun.name}_a2`, attempt: '2', trigger: 'manual' }]),
      executionsOf('sched/after-daily', [[rerun.name, 'SUCCEEDED']]),
    ),
  });
  // A backfill of a six-hourly dag: every interval of the day, named as its schedule names them.
  const hours = ['00', '06', '12', '18'];
  c.push({
    ...base,
    scenario: 'backfill-sub-daily',
    workflow: 'sched/six-hourly',
    phases: [{ operator: { command: 'backfill', ref: 'sched/six-hourly', from: '2026-12-02', to: '2026-12-02', maxConcurrency: 2 } }],
    known: [...hours.map((h) => `2026-12-02T${h}:00:00Z`), '2026-12-03T00:00:00Z', ...hours.map((h) => `2026-12-02T${h}0000Z`)],
    expect: runsOf(
      'sched/six-hourly',
      hours.map((h, i) => ({ name: `2026-12-02T${h}0000Z`, data_interval_start: `2026-12-02T${h}:00:00Z`, data_interval_end: i < 3 ? `2026-12-02T${hours[i + 1]}:00:00Z` : '2026-12-03T00:00:00Z', trigger: 'backfill' })),
    ),
  });
  // Daylight saving time: the fires after the days clocks moved, through the bundled starter on moto.
  const dst: [string, string, string, string, string][] = [
    ['dst-lisbon-spring', 'sched/lisbon', '2026-03-30T00:30:00Z', '2026-03-28T01:30:00Z', '2026-03-28T013000Z'],
    ['dst-lisbon-autumn', 'sched/lisbon', '2026-10-26T01:30:00Z', '2026-10-25T00:30:00Z', '2026-10-25T003000Z'],
    ['dst-new-york-spring', 'sched/new-york', '2026-03-09T06:30:00Z', '2026-03-07T07:30:00Z', '2026-03-07T073000Z'],
    ['dst-new-york-autumn', 'sched/new-york-night', '2026-11-02T06:30:00Z', '2026-11-01T05:30:00Z', '2026-11-01T053000Z'],
  ];
  for (const [scenario, ref, fire, start, name] of dst) {
    c.push({
      ...base,
      scenario,
      workflow: ref,
      phases: [{ fire: { ref, at: fire } }],
      known: [fire, start, name],
      expect: runsOf(ref, [{ name, logical_date: start, data_interval_start: start, data_interval_end: fire, trigger: 'schedule' }]),
    });
  }
  return c;
}
