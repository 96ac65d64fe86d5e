/**
 * The Spark job roles of the example platform, synthesized, against the
 * table-access model of its manifest: every role reads what its workflows read
 * and writes exactly what they write — nothing of a table it only reads, and
 * nothing at all of a table it does not touch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/build/types.ts';
import type { SourceFile } from '../../src/spec/files.ts';
import { compileToBuild, exampleSources } from './compiled.ts';
import { ACCOUNT, allows, REGION, Resolver, type ResolvedStatement, sparkRoles } from './iam-eval.ts';
import { synthesize } from './synth.ts';
import { readManifestDir } from '../../src/build/manifest-files.ts';

let manifest: Manifest;
let roles: Map<string, ResolvedStatement[]>;

/** Compiles and synthesizes `sources`: the manifest, and each use case's Spark role statements, intrinsics resolved. */
function synthesizeRoles(sources: readonly SourceFile[]): { manifest: Manifest; roles: Map<string, ResolvedStatement[]> } {
  const { buildDir } = compileToBuild(sources);
  const m = readManifestDir(buildDir);
  const s = synthesize(buildDir, { nagChecks: false, lean: true });
  const roles = sparkRoles(s, new Resolver(s.json));
  return { manifest: m, roles: new Map([...roles].map(([uc, r]) => [uc, r.statements])) };
}

beforeAll(() => {
  ({ manifest, roles } = synthesizeRoles(exampleSources()));
}, 240_000);

const tableArn = (t: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:table/${t.replace('.', '/')}`;
const dataFile = (t: string) => `arn:aws:s3:::${manifest.tables[t]!.location.slice('s3://'.length)}data/part-00000.parquet`;

/** What a use case does to each table: 'write' when any of its workflows changes it, else 'read'. */
function usage(useCase: string): Map<string, 'read' | 'write'> {
  const out = new Map<string, 'read' | 'write'>();
  for (const w of manifest.useCases.find((u) => u.name === useCase)!.workflows) {
    for (const t of w.reads) if (!out.has(t)) out.set(t, 'read');
    for (const t of w.writes) out.set(t, 'write');
  }
  return out;
}

describe('Spark job roles of the example, against its table-access model', () => {
  it('lists reads and writes for every workflow that runs a job on tables', async () => {
    const withTables = manifest.useCases.flatMap((u) => u.workflows).filter((w) => w.reads.length + w.writes.length > 0);
    expect(withTables.length).toBeGreaterThan(10);
    for (const w of withTables) expect(Object.keys(w.access).sort()).toEqual([...new Set([...w.reads, ...w.writes])].sort());
  });

  it.each(['orders', 'payments', 'customers', 'clickstream'])('%s: reads what it reads, writes only what it writes, and nothing else', async (useCase) => {
    const role = roles.get(useCase)!;
    const mine = usage(useCase);
    for (const table of Object.keys(manifest.tables)) {
      const use = mine.get(table);
      const where = `${useCase} → ${table} (${use ?? 'untouched'})`;
      expect(await allows(role, 'glue:GetTable', tableArn(table)), where).toBe(use !== undefined);
      expect(await allows(role, 's3:GetObject', dataFile(table)), where).toBe(use !== undefined);
      expect(await allows(role, 'glue:UpdateTable', tableArn(table)), where).toBe(use === 'write');
      expect(await allows(role, 's3:PutObject', dataFile(table)), where).toBe(use === 'write');
      expect(await allows(role, 's3:DeleteObject', dataFile(table)), where).toBe(use === 'write');
      expect(await allows(role, 'glue:DeleteTable', tableArn(table)), where).toBe(false);
    }
  });
});

describe("Spark job roles of the example, against the platform's DynamoDB tables", () => {
  // A custom `spark:` job runs its own code under its use case's role: a grant on these tables would let it move
  // another use case's watermarks (its next run then skips or replays data) or forge its runs. The runtime needs
  // none: infra/spark's tests run every job kind against clients of S3 and Secrets Manager only (spark_fakes.py).
  it.each(['orders', 'payments', 'customers', 'clickstream'])('%s: can reach no item of the watermarks, runs or gates table', async (useCase) => {
    const role = roles.get(useCase)!;
    for (const table of Object.values(manifest.platform.dynamodb)) {
      const arn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}`;
      for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchWriteItem']) {
        expect(await allows(role, action, arn), `${useCase}: ${action} on ${table}`).toBe(false);
      }
    }
  });
});

describe("Spark job roles of the example, against the platform's key", () => {
  // The key also encrypts the tables, topic, log groups and state machines: a job's own code must not be able to
  // ask KMS for anything but what S3 (the buckets) and Secrets Manager (its secrets' keys) ask on its behalf.
  it.each(['orders', 'payments', 'customers', 'clickstream'])('%s: uses a KMS key only through S3 or Secrets Manager', async (useCase) => {
    const kmsStatements = roles.get(useCase)!.filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:')));
    expect(kmsStatements.length).toBeGreaterThan(0);
    for (const s of kmsStatements) {
      const via = (s.Condition as { StringEquals?: Record<string, string> } | undefined)?.StringEquals?.['kms:ViaService'];
      expect([`s3.${REGION}.amazonaws.com`, `secretsmanager.${REGION}.amazonaws.com`], JSON.stringify(s)).toContain(via);
    }
  });
});

describe('Spark job roles of the example: the model has cross-use-case reads', () => {
  it('has tables one use case reads and another writes, so the checks above can fail', async () => {
    const readElsewhere = Object.entries(manifest.tables).filter(([, t]) => t.readers.some((r) => !t.writers.some((w) => w.split('/')[0] === r.split('/')[0])));
    expect(readElsewhere.map(([name]) => name)).toContain('raw_customers.customers');
  });
});

describe('a table written only by SQL', () => {
  it('gets exactly its write grants, on the role of the use case whose SQL writes it (before: none at all)', async () => {
    const sql = `CREATE TABLE IF NOT EXISTS analytics_marketing.campaign_performance (campaign_id BIGINT, orders BIGINT) USING iceberg;
MERGE INTO analytics_marketing.campaign_performance t USING (SELECT 1 AS campaign_id, count(*) AS orders FROM raw_orders.orders) s
ON t.campaign_id = s.campaign_id WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *;
`;
    const r = synthesizeRoles(exampleSources().map((f) => (f.path === 'orders/sql/orders_enriched.sql' ? { ...f, text: sql } : f)));
    expect(r.manifest.quarantined).toEqual([]);
    const table = `arn:aws:glue:${REGION}:${ACCOUNT}:table/analytics_marketing/campaign_performance`;
    const file = `arn:aws:s3:::${r.manifest.tables['analytics_marketing.campaign_performance']!.location.slice(5)}data/part-0.parquet`;
    for (const [useCase, role] of r.roles) {
      const mine = useCase === 'orders';
      for (const action of ['glue:GetTable', 'glue:UpdateTable', 'glue:CreateTable']) expect(await allows(role, action, table), `${useCase} ${action}`).toBe(mine);
      for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) expect(await allows(role, action, file), `${useCase} ${action}`).toBe(mine);
      expect(await allows(role, 'glue:DeleteTable', table)).toBe(false);
      expect(await allows(role, 'glue:CreateDatabase', `arn:aws:glue:${REGION}:${ACCOUNT}:database/analytics_marketing`)).toBe(mine);
    }
  }, 240_000);
});

describe('a merge that reads another use case\'s table', () => {
  it('gives the reader read grants on it and no write grant (before: Create/Update/Delete on its whole database and S3 prefix)', async () => {
    const merge = `  - name: payment-status\n    target: process_orders.order_payments\n    source: raw_payments.payments\n    keys: [payment_id]\n`;
    const ddl = 'CREATE TABLE IF NOT EXISTS process_orders.order_payments (payment_id BIGINT) USING iceberg;\n';
    const sources = exampleSources().map((f) =>
      f.path === 'orders/processing.yaml' ? { ...f, text: f.text.replace('merges:\n', `merges:\n${merge}`) } : f.path === 'orders/sql/orders_enriched.sql' ? { ...f, text: `${ddl}${f.text}` } : f,
    );
    const r = synthesizeRoles(sources);
    expect(r.manifest.quarantined).toEqual([]);
    const orders = r.roles.get('orders')!;
    const payments = `arn:aws:glue:${REGION}:${ACCOUNT}:table/raw_payments/payments`;
    const file = `arn:aws:s3:::${r.manifest.tables['raw_payments.payments']!.location.slice(5)}data/part-0.parquet`;
    expect(await allows(orders, 'glue:GetTable', payments)).toBe(true);
    expect(await allows(orders, 's3:GetObject', file)).toBe(true);
    for (const action of ['glue:UpdateTable', 'glue:CreateTable', 'glue:DeleteTable']) expect(await allows(orders, action, payments), action).toBe(false);
    for (const action of ['s3:PutObject', 's3:DeleteObject']) expect(await allows(orders, action, file), action).toBe(false);
    expect(await allows(orders, 'glue:GetTable', `arn:aws:glue:${REGION}:${ACCOUNT}:table/raw_payments/refunds`)).toBe(false);
  }, 240_000);
});
