/**
 * The simulated EMR Serverless job writes its result file in the lakestep runtime's
 * format: checked against the runtime's own `format_watermark` and `branch_name`
 * (infra/spark), run by python3 (the runtime imports pyspark and boto3 lazily, so no
 * Spark is needed).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { jobResult, runtimeTimestamp } from '../../src/simulator/services/emr-serverless.ts';
import { auditBranchName } from '../../src/naming.ts';
import type { JobDocument } from '../../src/build/types.ts';

const INPUTS = [
  '2026-11-25',
  '2026-11-25T06:00:00Z',
  '2026-11-25T06:00:00.123Z', // AWS $$.Execution.StartTime
  '2026-11-25T06:00:00.123456+00:00', // moto $$.State.EnteredTime
  '2026-11-25T01:30:00+02:00',
  '2026-01-01T00:30:00.5-01:00',
];

function runtimeFormat(values: string[]): string[] {
  const script = [
    'import json, sys',
    "sys.path.insert(0, 'infra/spark')",
    'from lakestep import format_watermark',
    'print(json.dumps([format_watermark(v) for v in json.loads(sys.argv[1])]))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, JSON.stringify(values)], { encoding: 'utf8' })) as string[];
}

type Branch = [useCase: string, workflow: string, job: string, runId: string, attempt: number, batch: number | null];

const BRANCHES: Branch[] = [
  ['orders', 'orders-upserts', 'process', '2026-11-25T020000Z', 1, null],
  ['orders', 'orders-upserts', 'process', '2026-11-25T020000Z', 2, null],
  ['orders', 'orders-upserts', 'process', '2026-11-25T020000Z_a2', 1, null],
  ['orders', 'orders-ingestion', 'ingest', '2026-11-25T020000Z', 1, 3],
  ['orders', 'orders-ingestion', 'ingest', '2026-11-25T020000Z_b3', 1, null],
  ['orders', 'orders-ingestion', 'ingest', '2026-11-25-0123456789abcdef0123456789abcdef01234567_a12', 12, 0],
  ['', '', '', '--', 1, null],
  ['é', 'dag-ü\u00e9 "x"', 'j\n\t\u007f', '😀 é`; DROP', 3, 7],
  ['K', 'İstanbul', 'ß', '\u0001\u001f', 1, null],
];

function runtimeBranches(values: Branch[]): string[] {
  const script = [
    'import json, sys',
    "sys.path.insert(0, 'infra/spark')",
    'from lakestep import Owner, branch_name',
    'print(json.dumps([branch_name(Owner(u, w, j), r, a, b) for u, w, j, r, a, b in json.loads(sys.argv[1])]))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, JSON.stringify(values)], { encoding: 'utf8' })) as string[];
}

describe('simulated job result', () => {
  it('names audit branches exactly as the runtime does', () => {
    const names = BRANCHES.map(([useCase, workflow, job, runId, attempt, batch]) => auditBranchName({ useCase, workflow, job }, runId, attempt, batch ?? undefined));
    expect(names).toEqual(runtimeBranches(BRANCHES));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^audit_[a-z0-9_]+$/);
  });

  it('reports a kept branch of the job, as the runtime names it', () => {
    const check = { kind: 'check', name: 'c', table: 'raw.orders', check: 'not_null(id)', checkKind: 'not_null', severity: 'error', sql: '', sampleColumns: [], maskedColumns: [] };
    // Audited, checked, then published: the failing check stops the job before its publish, and the branch stays.
    const doc = { useCase: 'orders', workflow: 'orders-upserts', job: 'process', steps: [{ kind: 'audit', key: 'raw.orders' }, check, { kind: 'publish' }] } as unknown as JobDocument;
    const result = jobResult(doc, {}, '2026-11-25T02:00:00Z', 'error', '2026-11-25T020000Z');
    expect(result.quality?.summary.kept).toEqual([{ table: 'raw.orders', branch: auditBranchName(doc, '2026-11-25T020000Z') }]);
    expect(result.quality?.summary.kept[0]!.branch).toMatch(/^audit_orders_upserts_2026_11_25t020000z_[0-9a-f]{16}$/);
  });

  it('formats a reported timestamp exactly as the runtime does', () => {
    expect(INPUTS.map(runtimeTimestamp)).toEqual(runtimeFormat(INPUTS));
  });

  it('reports each watermark step and JDBC extract, and a row count per other step', () => {
    const doc = {
      useCase: 'orders',
      workflow: 'orders-ingestion',
      job: 'orders-pg',
      steps: [
        { kind: 'jdbc_extract', name: 'extract', watermarkParameter: 'orders_wm' },
        { kind: 'watermark', name: 'wm', key: 'updated_at' },
        { kind: 'merge', name: 'merge' },
      ],
    } as unknown as JobDocument;
    const result = jobResult(doc, { 'orders/orders-ingestion/orders-pg/updated_at': '42' }, '2026-11-25T06:00:00.123Z');
    expect(result).toEqual({
      watermarks: { orders_wm: '2026-11-25T06:00:00.123000Z', updated_at: '42' },
      rows: { extract: 0, merge: 0 },
    });
  });
});
