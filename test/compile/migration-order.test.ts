/**
 * Ingestion and merges wait for the migration of every migrated table they touch:
 * `migrationWaits` picks the tables across use cases, the compiled writer starts with
 * one mark check per table (skip path to the run record), and the migration marks each
 * table after its conversion and watermark.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { State, StateMachineDefinition } from '../../src/asl/types.ts';
import { compile } from '../../src/compile.ts';
import { successPathLength } from '../../src/asl/analysis.ts';
import { migratedTables, migrationWaits } from '../../src/ir/migration-order.ts';
import { useCaseFacts, workflowFacts } from '../../src/ir/facts.ts';
import { isSkipState } from '../../src/phases/migration-guard.ts';
import { isRestartState } from '../../src/asl/frame.ts';
import type { SourceFile } from '../../src/spec/files.ts';
import { manifestOf } from '../helpers/manifest.ts';

const SPECS = fileURLToPath(new URL('./migration-order/specs', import.meta.url));

function sources(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push({ path: relative(dir, p).split(sep).join('/'), text: readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

const result = compile(sources(SPECS), { lakestepVersion: 'test' });
const definition = (ref: string): StateMachineDefinition => JSON.parse(result.files.get(`${ref}.asl.json`)!) as StateMachineDefinition;
const workflow = (ref: string) => result.useCases.flatMap((u) => u.workflows).find((w) => `${w.useCase}/${w.name}` === ref)!;

describe('migrationWaits', () => {
  const migrated = migratedTables(result.useCases.map(useCaseFacts));

  it('lists the migrated tables each writer or reader touches, across use cases, each once', () => {
    expect(result.quarantined).toEqual([]);
    // By design these readers run on their own triggers, not after the ingestions that write their source.
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['DEPENDENCY_MISSING', 'reports/processing.yaml'],
      ['DEPENDENCY_MISSING', 'shop/nightly.yaml'],
    ]);
    const waits = (ref: string) => migrationWaits(workflowFacts(workflow(ref)), migrated).map((w) => [w.table, w.migration, w.by]);
    expect(waits('shop/shop-ingestion')).toEqual([['raw_shop.orders', 'shop/shop-migration', "JDBC source 'orders-pg' writes"]]);
    // Depending on the migration does not replace the check: a schedule or a re-run may start it first.
    expect(waits('shop/shop-late-ingestion')).toEqual([['raw_shop.orders', 'shop/shop-migration', "JDBC source 'late-orders-pg' writes"]]);
    // The merge's target is not migrated; its source is.
    expect(waits('shop/shop-nightly')).toEqual([['raw_shop.orders', 'shop/shop-migration', "merge 'orders-copy' reads"]]);
    expect(waits('reports/reports-daily')).toEqual([['raw_shop.orders', 'shop/shop-migration', "merge 'order-totals' reads"]]);
    expect(waits('shop/shop-migration')).toEqual([]);
  });
});

describe('compiled guard', () => {
  it('puts the mark check first and skips to the run record while the table is not migrated', () => {
    const d = definition('shop/shop-ingestion');
    const begin = d.States['Begin run'] as State & { Next: string };
    expect(begin.Next).toBe('Read migration mark raw_shop.orders');
    const read = d.States['Read migration mark raw_shop.orders'] as State & { Parameters: Record<string, unknown>; Next: string };
    expect(read.Parameters).toMatchObject({
      Key: { pk: { S: 'migration/raw_shop.orders' } },
      UpdateExpression: 'SET #v = if_not_exists(#v, :empty)',
      ExpressionAttributeNames: { '#v': 'migrated_at' },
    });
    expect(read.Next).toBe('raw_shop.orders migrated?');
    expect(d.States['raw_shop.orders migrated?']).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.migration_mark.value', StringEquals: '', Next: 'Skip: raw_shop.orders not migrated yet' }],
      Default: 'Read watermark orders-pg',
    });
    expect(d.States['Skip: raw_shop.orders not migrated yet']).toMatchObject({
      Type: 'Pass',
      Result: { reason: 'migration not finished', table: 'raw_shop.orders', migration: 'shop/shop-migration' },
      ResultPath: '$.summary.skipped',
      Next: 'Record success',
    });
  });

  it('the skip is not the success path the manifest counts: that one runs the job', () => {
    const d = definition('shop/shop-ingestion');
    // Begin run → mark read → check → skip → run record → end, against the path through the job.
    expect(successPathLength(d, isRestartState)).toBeLessThan(successPathLength(d, (s) => isSkipState(s) || isRestartState(s)));
    const manifest = manifestOf(result.files);
    const stats = manifest.useCases.flatMap((u) => u.workflows).find((w) => w.name === 'shop-ingestion')!.stats;
    expect(stats.successPathTransitions).toBe(successPathLength(d, (s) => isSkipState(s) || isRestartState(s)));
  });

  it('leaves workflows that touch no migrated table alone', () => {
    expect(JSON.stringify(definition('shop/shop-migration'))).not.toContain('Read migration mark');
  });

  it('marks each table after its conversion and watermark, before the table counts as migrated', () => {
    const d = definition('shop/shop-migration');
    const map = d.States['Migrate tables'] as State & { ItemProcessor: { States: Record<string, State & { Next?: string; Default?: string; Parameters?: Record<string, unknown> }> } };
    const item = map.ItemProcessor.States;
    expect(item['New watermark?']!.Default).toBe('Mark table migrated');
    expect(item['Advance table watermark (timestamp)']!.Next).toBe('Mark table migrated');
    expect(item['Mark table migrated']).toMatchObject({
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: { Key: { pk: { 'S.$': "States.Format('migration/raw_shop.{}', $.table.name)" } }, UpdateExpression: 'SET migrated_at = :now, migrated_by = :exec' },
      Next: 'Freshness SLA?',
    });
    // A table without a freshness SLA is migrated once marked; one with an SLA records its publish first.
    expect(item['Freshness SLA?']).toMatchObject({ Choices: [{ Variable: '$.table.fqn', IsPresent: true, Next: 'Record publish time' }], Default: 'Table migrated' });
    // The item names its table; the key of its mark is the database's prefix and that name: `migration/raw_shop.orders`.
    const list = d.States['List tables'] as State & { Result: { name: string; watermark: boolean }[] };
    expect(list.Result.map((t) => [t.name, t.watermark])).toEqual([['orders', true]]);
  });
});
