/**
 * The compiler's worst-case state payload of a migration against the payload the
 * example migrations really carry in the simulator when every table fails: by a
 * failed conversion job (the `.sync` cause is the job run description) or by a
 * failed DataSync transfer. The run's last state is replaced by a Pass, so the
 * execution output is the whole state at its largest point; the run record is the
 * largest task input. The estimate must bound both, without being far above.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate, type Scenario } from '../../src/simulator/index.ts';
import type { ManifestWorkflow } from '../../src/build/types.ts';
import { FRAME_BYTES } from '../../src/phases/migration-payload.ts';
import { compileExamplePlatform, items, LOGICAL, type PlatformBuild } from '../simulator/platform.ts';

type Json = Record<string, any>;
const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v));

let build: PlatformBuild;
let migrations: { ref: string; workflow: ManifestWorkflow; tables: string[]; jobs: string[] }[];

beforeAll(() => {
  build = compileExamplePlatform();
  migrations = build.manifest.useCases.flatMap((u) =>
    u.workflows
      .filter((w) => w.type === 'migration')
      .map((w) => {
        const path = join(build.dir, w.definition);
        const def = JSON.parse(readFileSync(path, 'utf8')) as Json;
        // Probe: end in a Pass instead of Fail, so the output is the state `Failed` receives.
        def.States.Failed = { Type: 'Pass', End: true };
        writeFileSync(path, JSON.stringify(def));
        const list = def.States['List tables'].Result as { name: string; job: string }[];
        return { ref: `${u.name}/${w.name}`, workflow: w, tables: list.map((t) => t.name), jobs: list.map((t) => t.job) };
      }),
  );
});

/** Largest state and run-record input of each migration when all its tables fail the given way. */
async function measure(failAll: (m: (typeof migrations)[number]) => Partial<Scenario>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const m of migrations) {
    const result = await simulate({ buildDir: build.dir, scenario: { start: [{ workflow: m.ref, logical_date: LOGICAL }], ...failAll(m) } });
    const exec = result.executions.find((e) => e.workflow === m.ref)!;
    expect(exec.status, m.ref).toBe('SUCCEEDED');
    expect((exec.output as Json).summary.tables.every((t: Json) => t.status === 'FAILED'), m.ref).toBe(true);
    const record = items(result, build.tables.runs).find((i) => i.pk === m.ref && i.status === 'FAILED')!;
    expect(record, m.ref).toBeDefined();
    out.set(m.ref, Math.max(bytes(exec.output), bytes(record)));
  }
  return out;
}

describe('worst-case payload of the example migrations', () => {
  let actual: Map<string, number>;
  beforeAll(async () => {
    const details = 'Job failed: '.padEnd(256, 'x');
    const jobsFail = await measure((m) => ({
      jobs: Object.fromEntries(m.jobs.map((j) => [`${m.ref}/${j}`, { state: 'FAILED' as const, details, times: 'always' as const }])),
    }));
    const transfersFail = await measure((m) => ({
      datasync: Object.fromEntries(m.tables.map((t) => [t, { status: 'ERROR' as const, error_code: 'OpNotSupp', error_detail: 'NameNode "nn1" unreachable: '.padEnd(1024, 'x') }])),
    }));
    actual = new Map([...jobsFail].map(([ref, n]) => [ref, Math.max(n, transfersFail.get(ref)!)]));
  }, 120_000);

  it('covers every example migration', () => {
    expect(migrations.length).toBeGreaterThanOrEqual(3);
    expect([...actual.keys()].sort()).toEqual(migrations.map((m) => m.ref).sort());
  });

  it('is at least the payload measured in the simulator, and above it by no more than its allowances', () => {
    for (const m of migrations) {
      const estimate = m.workflow.stats.worstCasePayloadBytes!;
      const measured = actual.get(m.ref)!;
      expect(estimate, m.ref).toBeGreaterThanOrEqual(measured);
      // The frame allowance, and per table the job run fields AWS reports beyond those the simulator emulates.
      expect(estimate - measured, m.ref).toBeLessThanOrEqual(FRAME_BYTES + 4096 * m.tables.length);
    }
  });
});
