/**
 * The worst-case payload of migrations whose tables have checks: each checked table's Map outcome
 * carries its check results and kept branch, the state holds their merge (`$.quality`) beside the
 * outcomes, and the summary and the run record keep it (src/phases/migration-outcomes.ts). The
 * estimate is measured against the simulator, every check of every checked table failing and every
 * other table failing its conversion: a probe after each top-level state writes the whole state to
 * (emulated) S3, so the largest state is measured wherever it is, and the run record is the
 * `putItem` request as sent. The estimate must bound both — in full outcomes with the tables'
 * causes kept (up to 4 tables), in full outcomes, and in compact ones (100+ tables) — without being
 * far above. Then what the compiler does with a migration whose checks take it past the quota.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAYLOAD_BYTES_MAX } from '../../src/asl/limits.ts';
import { lakestepVersion, writeBuild } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { COMPACT_FROM } from '../../src/phases/migration-items.ts';
import { FRAME_BYTES } from '../../src/phases/migration-payload.ts';
import { itemToPlain, simulate } from '../../src/simulator/index.ts';
import type { SourceFile } from '../../src/spec/files.ts';

type Json = Record<string, any>;
const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v));

const UC = 'big';
const DAG = 'big-migration';
const REF = `${UC}/${DAG}`;
const name = (i: number) => `table_${String(i).padStart(4, '0')}`;

/**
 * Six checks of every kind a migration can run, names escaped in JSON (quotes in an expression's
 * default name) and cut with `…` (three UTF-8 bytes), a row_count (its `rows` in the summary) and
 * a custom name of the longest allowed.
 */
const CHECKS = `    checks:
      - not_null: [id, updated_at]
      - unique: [id]
      - accepted_values: {column: status, values: [new, "it's", done]}
      - row_count: {min: 1000000000}
      - expression: "note <> 'a \\"quoted\\" value' AND length(note) < 1000 AND status IS NOT NULL AND id > 0"
      - {name: ${'c'.repeat(64)}, not_null: [note]}
`;
const CHECKS_PER_TABLE = 6;

/** A use case migrating `n` tables, those `checked` says with {@link CHECKS}. */
function specs(n: number, checked: (i: number) => boolean): SourceFile[] {
  const tables = Array.from(
    { length: n },
    (_, i) => `  - name: ${name(i)}
    source: {hdfs_path: /warehouse/raw.db/${name(i)}, format: parquet}
    datasync: {task_arn: arn:aws:datasync:eu-west-1:123456789012:task/task-0a1b2c3d4e5f${String(i).padStart(5, '0')}}
    columns:
      - {name: id, type: bigint, nullable: false}
      - {name: note, type: string}
      - {name: status, type: string}
      - {name: updated_at, type: timestamp}
    watermark_column: updated_at
${checked(i) ? CHECKS : ''}`,
  ).join('');
  return [
    { path: 'platform.yaml', text: 'prefix: pay\nregion: eu-west-1\n' },
    { path: `${UC}/orchestration.yaml`, text: `owner: ${UC}@example.com\ndags:\n  - {name: ${DAG}, type: migration, timeout: 1h, retries: 0}\n` },
    { path: `${UC}/migration.yaml`, text: `database: raw_${UC}\nmax_concurrency: 4\ntables:\n${tables}` },
  ];
}

/**
 * Every top-level transition (`Next`, and a Catch's) goes through a probe first: a putObject of the
 * whole state (`States.JsonToString($)`, the payload Step Functions counts) under the name of the
 * state it enters, then on. `ResultPath: null`: the run goes on as it would.
 */
function probed(def: Json): Json {
  const states: Json = {};
  let n = 0;
  const via = (target: string): string => {
    const probe = `Probe ${++n}`;
    states[probe] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:s3:putObject',
      Parameters: { Bucket: 'probe', 'Key.$': `States.Format('{}/${n}', States.UUID())`, 'Body.$': 'States.JsonToString($)' },
      ResultPath: null,
      Next: target,
    };
    return probe;
  };
  for (const [k, st] of Object.entries(def.States as Json)) {
    const s = structuredClone(st) as Json;
    if (s.Type !== 'Choice' && typeof s.Next === 'string') s.Next = via(s.Next);
    for (const c of (s.Catch ?? []) as Json[]) c.Next = via(c.Next);
    states[k] = s;
  }
  return { ...def, States: states };
}

interface Measured {
  /** Compile's worst case. */
  estimate: number;
  /** The largest state the probes saw. */
  state: number;
  /** The run record's putItem request (TableName and Item). */
  record: number;
  summary: Json;
  /** Some probe saw the outcomes and their merged checks in the state together (`Keep checks: failed`). */
  merged: boolean;
  executions: { status: string; error: string | null }[];
}

/** Compiles `n` tables (`checked` ones with checks) and runs them, every table failing: its checks, or its conversion. */
async function measure(n: number, checked: (i: number) => boolean): Promise<Measured> {
  const result = compile(specs(n, checked), { lakestepVersion: lakestepVersion() });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const dir = join(mkdtempSync(join(tmpdir(), 'lakestep-payload-checks-')), 'build');
  writeBuild(dir, result.files);
  const file = join(dir, `${REF}.asl.json`);
  writeFileSync(file, JSON.stringify(probed(JSON.parse(readFileSync(file, 'utf8')))));
  const jobs = (i: number) => `${REF}/convert-${name(i)}`;
  const indexes = Array.from({ length: n }, (_, i) => i);
  const r = await simulate({
    buildDir: dir,
    scenario: {
      start: [{ workflow: REF, logical_date: '2026-01-01' }],
      checks: Object.fromEntries(indexes.filter(checked).map((i) => [jobs(i), 'error' as const])),
      jobs: Object.fromEntries(indexes.filter((i) => !checked(i)).map((i) => [jobs(i), { state: 'FAILED' as const, details: 'Job failed: '.padEnd(256, 'x') }])),
    },
  });
  const probes = Object.entries(r.s3).filter(([uri]) => uri.startsWith('s3://probe/'));
  expect(probes.length).toBeGreaterThan(10);
  const raw = (r.dynamodb['pay-runs'] ?? []).find((i) => (i as Json).pk.S === REF) as Json;
  const record = itemToPlain(raw);
  return {
    estimate: result.manifest.useCases.find((u) => u.name === UC)!.workflows.find((w) => w.name === DAG)!.stats.worstCasePayloadBytes!,
    state: Math.max(...probes.map(([, body]) => Buffer.byteLength(body))),
    record: bytes({ TableName: 'pay-runs', Item: raw }),
    summary: JSON.parse(record.summary as string) as Json,
    merged: probes.some(([, body]) => {
      const state = JSON.parse(body) as Json;
      return Array.isArray(state.tables) && Array.isArray(state.quality?.checks);
    }),
    executions: r.executions.filter((e) => e.workflow === REF),
  };
}

/** Slack of the estimate per check result: a failing count of 19 digits (the simulator's is 1) and its status, in each of the state's copies. */
const PER_CHECK = 3 * 32;
/** Per table: its kept branch named after an 80-character execution and the last publish attempt, its longest status, its error name of 64 characters. */
const PER_TABLE = 3 * (64 + 64);

describe.each([
  // Causes kept: each failed table's outcome quotes its checks.
  { n: 3, checked: (i: number) => i !== 1 },
  { n: 40, checked: (i: number) => i % 4 !== 3 },
  // Compact outcomes: the failed tables' checks.
  { n: COMPACT_FROM + 10, checked: (i: number) => i % 5 !== 4 },
])('a migration of $n tables, most of them checked, every table failing', ({ n, checked }) => {
  let m: Measured;
  const tables = Array.from({ length: n }, (_, i) => i);
  const audited = tables.filter(checked);
  beforeAll(async () => {
    m = await measure(n, checked);
    console.log(`payload of ${n} tables (${audited.length} checked): estimate ${m.estimate} bytes, measured state ${m.state}, run record ${m.record}`);
  }, 120_000);

  it('fails every table, the checked ones by their checks, and the run record keeps every check result', () => {
    expect(m.executions).toEqual([expect.objectContaining({ status: 'FAILED', error: 'Lakestep.TablesFailed' })]);
    const quality = m.summary.quality as Json;
    expect(quality.status).toBe('failed');
    expect(quality.kept).toHaveLength(audited.length);
    expect(quality.checks).toHaveLength(audited.length * CHECKS_PER_TABLE);
    expect((quality.checks as Json[]).every((c) => c.status === 'failed')).toBe(true);
    expect(m.merged).toBe(true);
    if (n >= COMPACT_FROM) expect(m.summary).toMatchObject({ tables: n, failed_count: n });
    else expect((m.summary.tables as Json[]).map((t) => t.status)).toEqual(tables.map(() => 'FAILED'));
  });

  it('is at least the largest state and the run record measured, and above them by no more than its allowances', () => {
    const measured = Math.max(m.state, m.record);
    expect(m.estimate).toBeGreaterThanOrEqual(measured);
    // The frame allowance; where the outcomes keep causes, per table the job run fields AWS reports beyond those the
    // simulator emulates (a checked table's conversion may fail too: its cause is the larger of the two); per table and
    // per check result, the longest values the model gives them.
    const causes = Array.isArray(m.summary.tables) && (m.summary.tables as Json[]).some((t) => 'cause' in t);
    const jobRuns = causes ? 4096 * n : 0;
    expect(m.estimate - measured).toBeLessThanOrEqual(FRAME_BYTES + jobRuns + PER_TABLE * n + PER_CHECK * audited.length * CHECKS_PER_TABLE);
  });
});

describe('a migration that its checks take past the payload quota', () => {
  const run = (n: number, checked: boolean) => {
    const r = compile(specs(n, () => checked), { lakestepVersion: lakestepVersion() });
    const w = r.manifest.useCases.find((u) => u.name === UC)?.workflows.find((x) => x.name === DAG);
    return { bytes: w?.stats.worstCasePayloadBytes ?? 0, limits: r.diagnostics.filter((d) => d.code === 'WORKFLOW_PAYLOAD_LIMIT').map((d) => [d.severity, d.message]) };
  };

  it('is refused with WORKFLOW_PAYLOAD_LIMIT, as a migration past it without checks, while the same tables without checks compile', () => {
    const plain = run(120, false);
    expect(plain.limits).toEqual([]);
    expect(plain.bytes).toBeLessThan(PAYLOAD_BYTES_MAX / 4);
    const checked = run(120, true);
    expect(checked.bytes).toBeGreaterThan(PAYLOAD_BYTES_MAX);
    expect(checked.limits).toEqual([
      ['error', `'${DAG}' can reach ${checked.bytes.toLocaleString('en-US')} bytes of state payload in one execution (quota 262,144, exceeded): it would fail on AWS; split it or lower its table count or the checks of its tables (a run keeps each failed check of every table)`],
    ]);
  });

  it('past 80% of the quota, is a warning', () => {
    const checked = run(90, true);
    expect(checked.bytes).toBeGreaterThan(0.8 * PAYLOAD_BYTES_MAX);
    expect(checked.bytes).toBeLessThanOrEqual(PAYLOAD_BYTES_MAX);
    expect(checked.limits).toEqual([['warning', expect.stringContaining(`can reach ${checked.bytes.toLocaleString('en-US')} bytes of state payload in one execution (quota 262,144)`)]]);
  });
});
