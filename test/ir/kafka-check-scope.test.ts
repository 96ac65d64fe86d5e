/**
 * The checks of a Kafka micro-batch source read the batch's rows; `unique` then compares a batch's
 * rows with one another only, which validation says at the check (CHECK_BATCH_SCOPE).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lakestepVersion, readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';

describe('checks of a Kafka micro-batch source', () => {
  it('warns at a unique check that it compares the rows of one batch', () => {
    const sources = readSpecs(resolve('specs')).map((f) =>
      f.path === 'orders/ingestion.yaml' ? { ...f, text: f.text.replace('    start_from_watermark: orders\n    checks: [{not_null: [order_id]}]\n', '    start_from_watermark: orders\n    checks: [{not_null: [order_id]}, {unique: [event_id]}, {row_count: {min: 1}}]\n') } : f,
    );
    const r = compile(sources, { lakestepVersion: lakestepVersion() });
    const warnings = r.diagnostics.filter((d) => d.code === 'CHECK_BATCH_SCOPE');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ file: 'orders/ingestion.yaml', severity: 'warning' });
    expect(warnings[0]!.message).toContain('unique(event_id) on a Kafka source compares the rows of each batch with one another, not with the rows already in raw_orders.order_events');
    const job = JSON.parse(r.files.get('orders/jobs/orders-ingestion/ingest.json')!) as { steps: { kind: string; audit?: { checks: { checkKind: string; sql: string }[] } }[] };
    const checks = job.steps.find((s) => s.kind === 'kafka')!.audit!.checks;
    expect(checks.find((c) => c.checkKind === 'row_count')!.sql).toBe('SELECT count(*) AS _lakestep_rows FROM `glue_catalog`.`raw_orders`.`order_events`');
  });
});
