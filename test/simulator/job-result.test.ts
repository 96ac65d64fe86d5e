/**
 * The simulated EMR Serverless job writes its result file in the lakestep runtime's
 * format: checked against the runtime's own `format_watermark` (infra/spark), run by
 * python3 (the runtime imports pyspark and boto3 lazily, so no Spark is needed).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { jobResult, runtimeTimestamp } from '../../src/simulator/services/emr-serverless.ts';
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

describe('simulated job result', () => {
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
