/**
 * `max_active_runs` on the example platform (clickstream-ingestion: 1, every 15 minutes): a run
 * started while an earlier one is still working waits for it (looking again each minute) before
 * its own job starts, in the order the runs started; a dag without it overlaps as before. The
 * gate reads Step Functions' own list of running executions (src/asl/gate.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StateMachineDefinition } from '../../src/asl/types.ts';
import { GATE_LISTED_MAX, GATE_POLL_SECONDS, GATE_SETTLE_SECONDS } from '../../src/asl/gate.ts';
import { simulate, type ManualStart, type SimulationResult } from '../../src/simulator/index.ts';
import { compileExamplePlatform, executionsOf, type PlatformBuild } from './platform.ts';

let build: PlatformBuild;
beforeAll(() => {
  build = compileExamplePlatform();
});

const INGESTION = 'clickstream/clickstream-ingestion';
const JOB = 'Ingest 1 source(s)';

/** A simulated start time: `seconds` after 10:00 on 2026-11-25. */
const at = (seconds: number): string => new Date(Date.parse('2026-11-25T10:00:00Z') + seconds * 1000).toISOString();

/** The scenario's `starts` of `job`'s workflow, every call of `job` taking `jobSeconds`, migrations done. */
const simulateRuns = (ref: string, job: string, starts: ManualStart[], jobSeconds: number, on = build): Promise<SimulationResult> =>
  simulate({ buildDir: on.dir, now: '2026-11-26T00:00:00Z', scenario: { start: starts, delays: { [ref]: { [job]: jobSeconds } }, migrated: 'all' } });

/** Runs of `ref` started at `starts` (minutes after 10:00, each its own logical date), each job taking `jobMinutes`. */
const overlapping = (ref: string, job: string, starts: number[], jobMinutes: number, on = build): Promise<SimulationResult> =>
  simulateRuns(ref, job, starts.map((m, i) => ({ workflow: ref, logical_date: `2026-11-25T0${i}:00:00Z`, at: at(m * 60) })), jobMinutes * 60, on);

/** When each execution of `ref` entered `state`, by execution name. */
const entered = (r: SimulationResult, ref: string, state: string): Record<string, number> =>
  Object.fromEntries(r.timeline.filter((t) => t.workflow === ref && t.kind === 'entered' && t.state === state).map((t) => [t.execution, Date.parse(t.time)]));

describe('max_active_runs', () => {
  it('a run started while an earlier one works waits for its end, then runs; the third waits for the second', async () => {
    const r = await overlapping(INGESTION, JOB, [0, 5, 10], 20);
    const runs = executionsOf(r, INGESTION).sort((a, b) => a.startTime.localeCompare(b.startTime));
    expect(runs.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const jobs = entered(r, INGESTION, JOB);
    const [first, second, third] = runs.map((e) => ({ job: jobs[e.name]!, stop: Date.parse(e.stopTime!) }));
    // Each job starts only after the run before it ended, within one look (a minute) of that end.
    expect(second!.job).toBeGreaterThanOrEqual(first!.stop);
    expect(second!.job - first!.stop).toBeLessThanOrEqual(60_000);
    expect(third!.job).toBeGreaterThanOrEqual(second!.stop);
    expect(third!.job - second!.stop).toBeLessThanOrEqual(60_000);
    // The first did not wait; the waiting runs looked again each minute.
    expect(first!.job - Date.parse(runs[0]!.startTime)).toBeLessThan(60_000);
    const waits = r.timeline.filter((t) => t.workflow === INGESTION && t.kind === 'entered' && t.state === 'Wait for an earlier run');
    expect(waits.filter((t) => t.execution === runs[1]!.name).length).toBeGreaterThanOrEqual(14);
    // Nothing of the listing reaches the run's output.
    for (const e of runs) expect(Object.keys(e.output as object).sort()).toEqual(['run', 'summary']);
  }, 120_000);

  it('with max_active_runs 2, two runs work at once and the third waits for the end of the first', async () => {
    const two = compileExamplePlatform((path, text) => (path === 'clickstream/orchestration.yaml' ? text.replace('max_active_runs: 1', 'max_active_runs: 2') : text));
    const r = await overlapping(INGESTION, JOB, [0, 5, 10], 20, two);
    const runs = executionsOf(r, INGESTION).sort((a, b) => a.startTime.localeCompare(b.startTime));
    expect(runs.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const jobs = entered(r, INGESTION, JOB);
    const [first, second, third] = runs.map((e) => ({ start: Date.parse(e.startTime), job: jobs[e.name]!, stop: Date.parse(e.stopTime!) }));
    expect(second!.job - second!.start).toBeLessThan(60_000);
    expect(second!.job).toBeLessThan(first!.stop);
    expect(third!.job).toBeGreaterThanOrEqual(first!.stop);
    expect(third!.job - first!.stop).toBeLessThanOrEqual(60_000);
    expect(third!.job).toBeLessThan(second!.stop);
  }, 120_000);

  it('a run listed late still goes first: the gate lets the run list settle before its first look', async () => {
    // ListExecutions is eventually consistent: the earlier run is listed only 8 s after its start,
    // the one started a second later at once. Looking at once, the later run would see only itself
    // and go, and the earlier one, seeing both a minute later, would go too.
    const r = await simulateRuns(INGESTION, JOB, [
      { workflow: INGESTION, logical_date: '2026-11-25T00:00:00Z', at: at(0), listing_lag: 8 },
      { workflow: INGESTION, logical_date: '2026-11-25T01:00:00Z', at: at(1), listing_lag: 0 },
    ], 20 * 60);
    const runs = executionsOf(r, INGESTION).sort((a, b) => a.startTime.localeCompare(b.startTime));
    expect(runs.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const jobs = entered(r, INGESTION, JOB);
    const [first, second] = runs.map((e) => ({ start: Date.parse(e.startTime), job: jobs[e.name]!, stop: Date.parse(e.stopTime!) }));
    expect(second!.job).toBeGreaterThanOrEqual(first!.stop);
    // The earlier run went at its first look, after the settle: no minute's wait.
    expect(first!.job - first!.start).toBeGreaterThanOrEqual(GATE_SETTLE_SECONDS * 1000);
    expect(first!.job - first!.start).toBeLessThan(GATE_POLL_SECONDS * 1000);
  }, 120_000);

  it(`with more runs than one listing holds (${GATE_LISTED_MAX}), the runs wait until the earliest are listed`, async () => {
    // The earliest run works for four minutes; a hundred more start a second apart a minute after it, so
    // the second run's third look (at 3 min 10 s) finds 101 runs running. The newest hundred leave the
    // working run out of the first page: the earliest of that page must not take itself for the earliest of all.
    const iso = (i: number): string => new Date(Date.parse('2026-11-20T00:00:00Z') + i * 15 * 60_000).toISOString().replace('.000Z', 'Z');
    const starts = [0, ...Array.from({ length: GATE_LISTED_MAX }, (_, i) => 60 + i)];
    const r = await simulateRuns(INGESTION, JOB, starts.map((s, i) => ({ workflow: INGESTION, logical_date: iso(i), at: at(s) })), 4 * 60);
    const runs = executionsOf(r, INGESTION).sort((a, b) => a.startTime.localeCompare(b.startTime));
    expect(runs).toHaveLength(GATE_LISTED_MAX + 1);
    const jobs = entered(r, INGESTION, JOB);
    const first = runs[0]!;
    expect(jobs[first.name]).toBeDefined();
    // No other job started before the first run ended.
    const early = runs.slice(1).filter((e) => jobs[e.name] !== undefined && jobs[e.name]! < Date.parse(first.stopTime!));
    expect(early.map((e) => e.name)).toEqual([]);
    // The next job to start is the second run's, once the listing held every run.
    const next = runs.slice(1).filter((e) => jobs[e.name] !== undefined).sort((a, b) => jobs[a.name]! - jobs[b.name]!)[0];
    expect(next?.name).toBe(runs[1]!.name);
  }, 300_000);

  it('a run that waits nearly its whole timeout behind a slow one keeps its history under the quota: its looks are spaced out', async () => {
    // A 20-hour job timeout: a run may last days, and looking once a minute for that long is more history than Step
    // Functions keeps (25,000 events: the run would fail with its history full instead of going on or timing out).
    const slow = compileExamplePlatform((path, text) => (path === 'clickstream/orchestration.yaml' ? text.replace('    timeout: 10m\n', '    timeout: 20h\n') : text));
    const definition = JSON.parse(readFileSync(join(slow.dir, 'clickstream/clickstream-ingestion.asl.json'), 'utf8')) as StateMachineDefinition;
    const timeout = definition.TimeoutSeconds!;
    const poll = (definition.States['Wait for an earlier run'] as { Seconds: number }).Seconds;
    expect(timeout).toBeGreaterThan(3 * 86_400);
    expect(poll).toBeGreaterThan(GATE_POLL_SECONDS);
    // The first run's job works until two hours before that run's timeout; the second, a minute later, waits all that time.
    const r = await simulateRuns(INGESTION, JOB, [
      { workflow: INGESTION, logical_date: '2026-11-25T00:00:00Z', at: at(0) },
      { workflow: INGESTION, logical_date: '2026-11-25T01:00:00Z', at: at(60) },
    ], timeout - 2 * 3600, slow);
    const [first, second] = executionsOf(r, INGESTION).sort((a, b) => a.startTime.localeCompare(b.startTime));
    expect(first!.status).toBe('SUCCEEDED');
    const looks = r.timeline.filter((t) => t.execution === second!.name && t.kind === 'entered' && t.state === 'Wait for an earlier run').length;
    expect(looks).toBeGreaterThan((timeout - 3 * 3600) / poll);
    // Its history, as Step Functions records it: 5 events per Task state (entered, scheduled, started, succeeded,
    // exited), 2 per other state, and the execution's start and end.
    const states = definition.States;
    const events = 2 + r.timeline.filter((t) => t.execution === second!.name && t.kind === 'entered').reduce((n, t) => n + (states[t.state!]?.Type === 'Task' ? 5 : 2), 0);
    expect(events).toBeLessThanOrEqual(0.8 * 25_000);
    const reported = slow.manifest.useCases.find((u) => u.name === 'clickstream')!.workflows.find((w) => w.name === 'clickstream-ingestion')!.stats.worstCaseHistoryEvents!;
    expect(events).toBeLessThanOrEqual(reported);
    expect(reported).toBeLessThanOrEqual(0.8 * 25_000);
  }, 300_000);

  it('a run waits for an earlier one that times out until it has timed out, though the simulator ends that one first', async () => {
    // The first run's job outlasts its timeout: the simulator ends that execution in one step, before the second run,
    // a minute later in simulated time, looks; to that look, as on AWS, the first is still running.
    const r = await simulateRuns(INGESTION, JOB, [
      { workflow: INGESTION, logical_date: '2026-11-25T00:00:00Z', at: at(0) },
      { workflow: INGESTION, logical_date: '2026-11-25T01:00:00Z', at: at(60) },
    ], 7 * 86_400);
    const [first, second] = executionsOf(r, INGESTION).sort((a, b) => a.startTime.localeCompare(b.startTime));
    expect(first!.status).toBe('TIMED_OUT');
    const jobs = entered(r, INGESTION, JOB);
    expect(jobs[second!.name]!).toBeGreaterThanOrEqual(Date.parse(first!.stopTime!));
    expect(jobs[second!.name]! - Date.parse(first!.stopTime!)).toBeLessThanOrEqual(GATE_POLL_SECONDS * 1000);
  }, 120_000);

  it('a dag without max_active_runs overlaps its runs as before', async () => {
    const SESSIONS = 'clickstream/clickstream-sessions';
    const r = await overlapping(SESSIONS, 'Run clickstream-sessions', [0, 5], 20);
    const runs = executionsOf(r, SESSIONS).sort((a, b) => a.startTime.localeCompare(b.startTime));
    const jobs = entered(r, SESSIONS, 'Run clickstream-sessions');
    expect(Object.keys(jobs)).toHaveLength(2);
    // The second job started while the first run was still going.
    expect(jobs[runs[1]!.name]!).toBeLessThan(Date.parse(runs[0]!.stopTime!));
  }, 120_000);
});
