/**
 * The streaming start of clickstream-ingestion in the simulator: the job is started
 * through the SDK integration with `Mode: STREAMING`, and a later run finds it even
 * when it is not on the first `listJobRuns` page.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/index.ts';
import { compileExamplePlatform, executionsOf, type PlatformBuild } from '../simulator/platform.ts';

const INGESTION = 'clickstream/clickstream-ingestion';
let build: PlatformBuild;
beforeAll(() => {
  build = compileExamplePlatform();
});

const streams = (sim: Simulator) => sim.emr.runs.filter((r) => r.mode === 'STREAMING' && r.name.endsWith('-stream'));

describe('streaming job start', () => {
  it('starts the stream once, even when 60 newer active runs push it to the second page', async () => {
    const sim = new Simulator(build.dir, {});
    sim.start(INGESTION, { trigger: 'schedule', logical_date: '2026-11-25T00:00:00Z' }, { at: '2026-11-25T00:00:00Z', name: '2026-11-25T000000Z' });
    await sim.runUntilIdle();
    expect(streams(sim)).toHaveLength(1);
    const stream = streams(sim)[0]!;
    // listJobRuns lists newest first, 50 a page: these put the stream on page 2.
    for (let i = 0; i < 60; i++) sim.emr.runs.push({ ...stream, id: `other-${i}`, name: `other-job-${i}`, mode: 'BATCH' });
    sim.start(INGESTION, { trigger: 'schedule', logical_date: '2026-11-25T00:30:00Z' }, { at: '2026-11-25T00:30:00Z', name: '2026-11-25T003000Z' });
    await sim.runUntilIdle();
    const result = await sim.result();
    expect(executionsOf(result, INGESTION).map((e) => [e.name, e.status])).toEqual([
      ['2026-11-25T000000Z', 'SUCCEEDED'],
      ['2026-11-25T003000Z', 'SUCCEEDED'],
    ]);
    expect(streams(sim)).toHaveLength(1);
  });

  it('passes Mode STREAMING to the SDK integration (the optimized one has no Mode)', () => {
    const def = JSON.parse(readFileSync(`${build.dir}/clickstream/clickstream-ingestion.asl.json`, 'utf8')) as { States: Record<string, { Resource?: string; Parameters?: Record<string, unknown> }> };
    const starts = Object.values(def.States).filter((s) => s.Parameters?.Mode === 'STREAMING');
    expect(starts.map((s) => s.Resource)).toEqual(['arn:aws:states:::aws-sdk:emrserverless:startJobRun']);
  });
});
