/**
 * Schedules on a time zone's wall clock in the simulator (golden build time-runs): on the
 * days clocks move, a local time that does not exist does not fire and a repeated one
 * fires once, and each run's data interval is the span between two actual fires — so the
 * run after a skipped fire covers both days, and nothing is read twice or lost.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lakestepVersion, readSpecs, writeBuild } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { itemToPlain, simulate } from '../../src/simulator/index.ts';

function timeRunsBuild(): string {
  const result = compile(readSpecs(resolve('test/golden/time-runs/specs')), { lakestepVersion: lakestepVersion() });
  expect(result.quarantined).toEqual([]);
  const dir = join(mkdtempSync(join(tmpdir(), 'lakestep-time-')), 'build');
  writeBuild(dir, result.files);
  return dir;
}
const build = timeRunsBuild();

/** [name, interval start, interval end] of the runs of `dag` when every schedule fires over the window. */
async function runs(dag: string, start: string, end: string): Promise<string[][]> {
  const result = await simulate({ buildDir: build, scenario: { window: { start, end } } });
  return (result.dynamodb['tr-runs'] ?? [])
    .map((i) => itemToPlain(i) as Record<string, string>)
    .filter((r) => r.pk === `sched/${dag}`)
    .map((r) => [r.sk!.split('#')[1]!, r.data_interval_start!, r.data_interval_end!])
    .sort((a, b) => a[0]!.localeCompare(b[0]!));
}

describe('daylight saving time on the days clocks move', () => {
  it('Europe/Lisbon, spring (2026-03-29): 01:30 does not exist; the next run covers 47 hours', async () => {
    expect(await runs('lisbon', '2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([
      ['2026-03-26T013000Z', '2026-03-26T01:30:00Z', '2026-03-27T01:30:00Z'],
      ['2026-03-27T013000Z', '2026-03-27T01:30:00Z', '2026-03-28T01:30:00Z'],
      // Fired 2026-03-30 at 01:30 WEST (00:30 UTC), after the skipped 03-29.
      ['2026-03-28T013000Z', '2026-03-28T01:30:00Z', '2026-03-30T00:30:00Z'],
    ]);
  });

  it('Europe/Lisbon, autumn (2026-10-25): 01:30 happens twice and fires once, at the first; the next run covers 25 hours', async () => {
    expect(await runs('lisbon', '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z')).toEqual([
      ['2026-10-23T003000Z', '2026-10-23T00:30:00Z', '2026-10-24T00:30:00Z'],
      ['2026-10-24T003000Z', '2026-10-24T00:30:00Z', '2026-10-25T00:30:00Z'],
      ['2026-10-25T003000Z', '2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z'],
    ]);
  });

  it('America/New_York, spring (2026-03-08): 02:30 does not exist', async () => {
    expect(await runs('new-york', '2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z')).toEqual([
      ['2026-03-06T073000Z', '2026-03-06T07:30:00Z', '2026-03-07T07:30:00Z'],
      ['2026-03-07T073000Z', '2026-03-07T07:30:00Z', '2026-03-09T06:30:00Z'],
    ]);
  });

  it('America/New_York, autumn (2026-11-01): 01:30 fires once, at 01:30 EDT', async () => {
    expect(await runs('new-york-night', '2026-10-31T00:00:00Z', '2026-11-03T00:00:00Z')).toEqual([
      ['2026-10-30T053000Z', '2026-10-30T05:30:00Z', '2026-10-31T05:30:00Z'],
      ['2026-10-31T053000Z', '2026-10-31T05:30:00Z', '2026-11-01T05:30:00Z'],
      ['2026-11-01T053000Z', '2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z'],
    ]);
  });
});
