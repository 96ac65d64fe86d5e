/**
 * A catalog of edits of the example platform for the incremental compile's differential tests: each
 * touches text no other edit touches, so any subset applies together (in catalog order, removals after
 * the text edits they would skip).
 */
import { resolve } from 'node:path';
import { readSpecTree } from '../../src/cli/spec-reader.ts';
import type { SourceFile } from '../../src/spec/files.ts';

export const EXAMPLE = readSpecTree(resolve(import.meta.dirname, '../../specs')).files;

export interface Edit {
  name: string;
  apply(files: Map<string, string>): void;
}

/** Replaces each `[from, to]` in `path`; nothing when the file is gone (its use case removed by another edit). */
function text(name: string, path: string, ...pairs: [string | RegExp, string][]): Edit {
  return {
    name,
    apply(files) {
      const before = files.get(path);
      if (before === undefined) return;
      let t = before;
      for (const [from, to] of pairs) {
        const next = t.replace(from, to);
        // An edit that no longer finds its text would test nothing: the example changed under the catalog.
        if (next === t) throw new Error(`edit '${name}': ${String(from)} not found in ${path}`);
        t = next;
      }
      files.set(path, t);
    },
  };
}

function removeUseCase(name: string): Edit {
  return {
    name: `${name} removed`,
    apply(files) {
      for (const p of [...files.keys()]) if (p.startsWith(`${name}/`)) files.delete(p);
    },
  };
}

/** Edits that touch distinct text, so any subset of them applies together, in catalog order. */
export const CATALOG: Edit[] = [
  text("a use case's schedule", 'clickstream/orchestration.yaml', ['schedule: rate(15 minutes)', 'schedule: rate(30 minutes)']),
  text('a SQL file', 'orders/sql/orders_enriched.sql', ['INTERVAL 3 DAYS', 'INTERVAL 5 DAYS']),
  text('a SQL file reading one more table', 'orders/sql/orders_enriched.sql', ['  WHERE o.updated_at', '  LEFT JOIN raw_payments.payments p ON p.order_id = o.order_id\n  WHERE o.updated_at']),
  text("a SQL file writing another use case's table", 'orders/sql/orders_enriched.sql', ['MERGE INTO process_orders.orders_enriched', 'MERGE INTO raw_customers.customers']),
  text('the platform', 'platform.yaml', ['max_vcpu: 96', 'max_vcpu: 64']),
  text("a database's owner", 'platform.yaml', ['raw_clickstream: {owner: clickstream', 'raw_clickstream: {owner: orders']),
  text("lines above the platform's databases", 'platform.yaml', ['\ndatabases:\n', '\n# owners\n# of each database\ndatabases:\n']),
  text("an upstream's dag renamed", 'customers/orchestration.yaml', ['- name: customers-ingestion\n', '- name: customers-ingest\n'], ['depends_on: [customers-ingestion]', 'depends_on: [customers-ingest]']),
  text("an upstream's migration renamed (another use case waits for its tables)", 'customers/orchestration.yaml', [/customers-migration/g, 'customers-hdfs-move']),
  text("an upstream's schedule", 'customers/orchestration.yaml', ['schedule: cron(0 * * * ? *)', 'schedule: cron(30 * * * ? *)']),
  text('a share taken back', 'customers/orchestration.yaml', [/share:\n(?: {2}.*\n)+/, '']),
  text("a merge's delete condition", 'payments/processing.yaml', ["delete_when: \"status = 'VOIDED'\"", "delete_when: \"status = 'CANCELLED'\""]),
  text('a YAML syntax error', 'payments/orchestration.yaml', [/\n*$/, '\n  - [unclosed\n']),
  removeUseCase('clickstream'),
  removeUseCase('customers'),
  {
    name: "a new use case writing another's table",
    apply(files) {
      files.set('intruder/orchestration.yaml', 'owner: intruder-team@example.com\ndags:\n  - name: intruder-merge\n    type: transformation\n    schedule: cron(0 5 * * ? *)\n');
      files.set('intruder/processing.yaml', 'merges:\n  - name: steal\n    source: raw_orders.orders\n    target: raw_customers.customers\n    keys: [customer_id]\n');
    },
  },
];

/** The example with the edits of `on` applied, in catalog order (removals after the text edits they would skip). */
export function treeOf(on: readonly boolean[]): SourceFile[] {
  const files = new Map(EXAMPLE.map((f) => [f.path, f.text]));
  CATALOG.forEach((e, i) => on[i] && e.apply(files));
  return [...files].map(([path, t]) => ({ path, text: t }));
}

