/**
 * `lakestep lineage` and `lakestep graph --tables` on a compiled spec tree and on
 * a build: output, `--depth`, quarantined use cases, and the usage errors (exit 2).
 */
import { describe, expect, it } from 'vitest';
import { layoutDot } from '../helpers/graphviz.ts';
import { folder, runCli } from './support.ts';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf';

/** shop loads raw_shop.orders and cleans it into process_shop.orders; bi copies that after shop-clean; hr is quarantined. */
const SPECS = {
  'specs/platform.yaml': 'prefix: ln\nregion: eu-west-1\nemr:\n  network: {subnet_ids: [subnet-0a1b2c3d4e5f60718], security_group_ids: [sg-0d4e5f60718293a4b]}\n',
  'specs/shop/orchestration.yaml':
    'owner: shop@example.com\ndags:\n  - name: shop-load\n    type: ingestion\n    schedule: cron(0 * * * ? *)\n  - name: shop-clean\n    type: transformation\n    depends_on: [shop-load]\n',
  'specs/shop/ingestion.yaml': `batch:\n  - name: orders-pg\n    source: {engine: postgresql, secret_arn: "${SECRET}", table: public.orders}\n    target: raw_shop.orders\n    mode: append\n    columns:\n      - {name: id, type: bigint, nullable: false}\n`,
  'specs/shop/processing.yaml': 'merges:\n  - name: clean\n    target: process_shop.orders\n    source: raw_shop.orders\n    keys: [id]\nsql:\n  - file: sql/ddl.sql\n',
  'specs/shop/sql/ddl.sql': 'CREATE TABLE IF NOT EXISTS process_shop.orders (id BIGINT) USING iceberg;\n',
  'specs/bi/orchestration.yaml': 'owner: bi@example.com\ndags:\n  - name: bi-copy\n    type: transformation\n    depends_on: [shop/shop-clean]\n',
  'specs/bi/processing.yaml': 'merges:\n  - name: copy\n    target: process_bi.orders\n    source: process_shop.orders\n    keys: [id]\nsql:\n  - file: sql/ddl.sql\n',
  'specs/bi/sql/ddl.sql': 'CREATE TABLE IF NOT EXISTS process_bi.orders (id BIGINT) USING iceberg;\n',
  'specs/hr/orchestration.yaml': 'owner: hr@example.com\ndags:\n  - name: people\n    type: transformation\n    schedule: cron(0 6 * * *)\n    spark: {entrypoint: s3://ln-artifacts/hr/people.py}\n',
};

describe('lakestep lineage', () => {
  it('prints the upstream and downstream trees of a table, any case, and says which use cases are left out', async () => {
    const r = await runCli(['lineage', 'PROCESS_SHOP.Orders', 'specs'], folder(SPECS));
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'process_shop.orders  (owner: shop)',
        '',
        'upstream: 2 workflows, 1 table',
        '  ← shop/shop-clean  (transformation)',
        '    ← raw_shop.orders',
        '      ← shop/shop-load  (ingestion)',
        '',
        'downstream: 1 workflow, 1 table',
        '  → bi/bi-copy  (transformation)',
        '    → process_bi.orders',
      ].join('\n'),
    );
    expect(r.err).toBe('1 use case(s) quarantined, their reads and writes unknown until they compile: hr (details: lakestep validate)');
  });

  it('follows --depth steps on each side and prints JSON with --json, also from a build', async () => {
    const dir = folder(SPECS);
    expect((await runCli(['compile', 'specs', '--out', 'out'], dir)).code).toBe(1);
    const r = await runCli(['lineage', 'process_bi.orders', '--build', 'out', '--json', '--depth', '1'], dir);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { depth: number; upstream: { workflows: { workflow: string }[]; tables: { table: string }[]; truncated: string[] } };
    expect(json.depth).toBe(1);
    expect(json.upstream.workflows.map((w) => w.workflow)).toEqual(['bi/bi-copy']);
    expect(json.upstream.tables).toEqual([{ table: 'process_shop.orders', step: 1 }]);
    expect(json.upstream.truncated).toEqual(['process_shop.orders']);
    const text = await runCli(['lineage', 'process_bi.orders', '--build', 'out', '--depth', '1'], dir);
    expect(text.out).toContain('    ← process_shop.orders  (more beyond --depth 1)');
  });

  it.each([
    [['lineage'], 'lineage needs a table: lakestep lineage <database>.<table> [specs]'],
    [['lineage', 'orders', 'specs'], "give the table as <database>.<table>, got 'orders'"],
    [['lineage', 'a.b.c', 'specs'], "give the table as <database>.<table>, got 'a.b.c'"],
    [['lineage', 'raw_shop.ordres', 'specs'], "no compiled workflow reads or writes table 'raw_shop.ordres' (did you mean 'raw_shop.orders'?); quarantined use cases (hr) are not in the build"],
    [['lineage', 'raw_shop.orders', 'specs', '--depth', '0'], '--depth must be at least 1, got 0'],
    [['lineage', 'raw_shop.orders', 'specs', '--depth', 'two'], '--depth must be an integer, got "two"'],
    [['lineage', 'raw_shop.orders', 'specs', '--depth', '9007199254740993'], '--depth is too large, got 9007199254740993'],
    [['lineage', 'raw_shop.orders', 'specs', 'more'], "unexpected argument 'more' (give one folder)"],
    [['lineage', 'raw_shop.orders', 'nowhere'], 'specs folder nowhere does not exist'],
    [['lineage', 'raw_shop.orders', '--bogus'], "Unknown option '--bogus'"],
  ])('exits 2 for %j', async (argv, message) => {
    const r = await runCli(argv, folder(SPECS));
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.out).toBe('');
  });

  it('escapes terminal controls in a name it echoes', async () => {
    const r = await runCli(['lineage', 'raw\u001b[2J.x', 'specs'], folder(SPECS));
    expect(r.code).toBe(2);
    expect(r.err).toContain("table 'raw\\x1b[2J.x'");
  });

  it('has help', async () => {
    const r = await runCli(['lineage', '--help'], folder());
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: lakestep lineage <database.table> [specs] [--depth N] [--json] [--build build]');
  });
});

describe('lakestep graph --tables', () => {
  it('draws tables between their writers and readers, the quarantined use case dashed without tables', async () => {
    const r = await runCli(['graph', 'specs', '--tables'], folder(SPECS));
    expect(r.code).toBe(0);
    expect(r.out).toContain('  subgraph uc_shop["shop"]\n    n_shop__shop_load["shop-load<br/>cron(0 * * * ? *)"]\n    n_shop__shop_clean["shop-clean"]\n    t_process_shop__orders[("process_shop.orders")]\n    t_raw_shop__orders[("raw_shop.orders")]\n  end');
    expect(r.out).toContain('  n_shop__shop_load --> t_raw_shop__orders\n  t_raw_shop__orders --> n_shop__shop_clean\n  n_shop__shop_clean --> t_process_shop__orders\n');
    expect(r.out).toContain('  t_process_shop__orders --> n_bi__bi_copy\n  n_bi__bi_copy --> t_process_bi__orders\n');
    expect(r.out).toContain('  subgraph uc_hr["hr (quarantined: 1 error)"]\n    n_hr__people["people<br/>cron(0 6 * * *)"]\n  end');
    expect(r.err).toBe('1 use case(s) quarantined, drawn dashed, without the tables they read and write (known once they compile): hr (details: lakestep validate)');
  });

  it('draws DOT from a build', async () => {
    const dir = folder(SPECS);
    await runCli(['compile', 'specs', '--out', 'out'], dir);
    const r = await runCli(['graph', '--tables', '--format', 'dot', '--build', 'out'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('    t_raw_shop__orders [label="raw_shop.orders", shape=cylinder,');
    expect(r.out).toContain('  t_raw_shop__orders -> n_shop__shop_clean;\n');
    expect(await layoutDot(r.out)).toContain('<title>t_raw_shop__orders&#45;&gt;n_shop__shop_clean</title>');
  });
});
