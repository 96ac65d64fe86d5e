/**
 * `checkMigrationOrder`: an ingestion source or merge that touches a migrated table
 * must reach the table's migration through `depends_on`, else a positioned
 * `MIGRATION_NOT_UPSTREAM` warning at that source or merge.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { Report } from '../../src/diagnostics.ts';
import { checkMigrationOrder } from '../../src/ir/migration-order.ts';
import type { SourceFile } from '../../src/spec/files.ts';

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

describe('checkMigrationOrder', () => {
  const result = compile(sources(SPECS), { lakestepVersion: 'test' });

  it('reports the writer and the reader that do not depend on the migration, at their entry', () => {
    expect(result.quarantined).toEqual([]);
    const report = new Report();
    checkMigrationOrder(result.useCases, report);
    expect(report.diagnostics.map((d) => [d.code, d.severity, d.file, d.line, d.column, d.useCase])).toEqual([
      ['MIGRATION_NOT_UPSTREAM', 'warning', 'reports/processing.yaml', 2, 5, 'reports'],
      ['MIGRATION_NOT_UPSTREAM', 'warning', 'shop/ingestion.yaml', 2, 5, 'shop'],
    ]);
    expect(report.diagnostics[0]!.message).toContain("merge 'order-totals' reads raw_shop.orders");
    expect(report.diagnostics[0]!.message).toContain("add 'shop/shop-migration' to its `depends_on`");
    expect(report.diagnostics[1]!.message).toContain("JDBC source 'orders-pg' writes raw_shop.orders");
    expect(report.diagnostics[1]!.message).toContain("add 'shop-migration' to its `depends_on`");
  });

  it('accepts a workflow that reaches the migration through an upstream', () => {
    const report = new Report();
    checkMigrationOrder(result.useCases.filter((u) => u.name === 'shop').map((u) => ({ ...u, workflows: u.workflows.filter((w) => w.name !== 'shop-ingestion') })), report);
    expect(report.diagnostics).toEqual([]);
  });
});
