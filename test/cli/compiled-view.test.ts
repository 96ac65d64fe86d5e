/**
 * `graph`, `lineage` and `plan` from a specs folder compile through the incremental cache, streamed, into no
 * build folder (src/cli/commands.ts `compileView`): what they print is what they print without the cache,
 * after an edit at once, and a manifest part the cache holds is used only while it has the digest its entry
 * recorded — a tampered or missing one is assembled again and written back.
 */
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folder, runCli } from './support.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../specs');

/** The example, compiled into `build` with the cache in `cache`. */
async function warm(): Promise<string> {
  const dir = folder();
  cpSync(EXAMPLE, join(dir, 'specs'), { recursive: true });
  const r = await runCli(['compile', 'specs', '--out', 'build', '--cache-dir', 'cache'], dir);
  expect(r.code).toBe(0);
  return dir;
}

/** stdout of the command through the cache in `cache` and without any, which must be equal; the first is returned. */
async function same(dir: string, args: string[]): Promise<string> {
  const cached = await runCli([...args, '--cache-dir', 'cache'], dir);
  const fresh = await runCli([...args, '--no-cache'], dir);
  expect(cached.code, cached.err).toBe(0);
  expect(cached.out).toBe(fresh.out);
  return cached.out;
}

const GRAPH = ['graph', 'specs'];
const TABLES = ['graph', 'specs', '--tables'];
const LINEAGE = ['lineage', 'process_orders.order_status', 'specs', '--json'];

describe('graph, lineage and plan through the compile cache', () => {
  it('print what they print without the cache, and never take a manifest part the cache holds unless it has its digest', async () => {
    const dir = await warm();
    for (const args of [GRAPH, TABLES, LINEAGE]) await same(dir, args);
    const part = (u: string) => readFileSync(join(dir, 'cache', `${u}.part`), 'utf8');
    const built = readFileSync(join(dir, 'build/orders/manifest.json'), 'utf8');
    expect(part('orders')).toBe(built);
    // A part changed in the cache folder (its entry still names the real one's digest): not shown, written back.
    writeFileSync(join(dir, 'cache/orders.part'), built.replaceAll('orders@example.com', 'mallory@example.com').replaceAll('order_status', 'order_stolen'));
    const tables = await same(dir, TABLES);
    expect(tables).toContain('order_status');
    expect(tables).not.toMatch(/order_stolen|mallory/);
    expect(part('orders')).toBe(built);
    // A part gone from the cache: assembled again from the IR, and kept again.
    rmSync(join(dir, 'cache/payments.part'));
    await same(dir, LINEAGE);
    expect(part('payments')).toBe(readFileSync(join(dir, 'build/payments/manifest.json'), 'utf8'));
  });

  it('fill an empty cache as a compile does, and show an edit at once', async () => {
    const dir = folder();
    cpSync(EXAMPLE, join(dir, 'specs'), { recursive: true });
    const before = await same(dir, LINEAGE);
    expect(readdirSync(join(dir, 'cache')).filter((n) => n.endsWith('.part')).sort()).toEqual(['clickstream.part', 'customers.part', 'orders.part', 'payments.part']);
    expect(existsSync(join(dir, 'build'))).toBe(false);
    // A SQL file of orders-upserts stops reading raw_customers.customers: the lineage loses that branch at once.
    const sql = join(dir, 'specs/orders/sql/orders_enriched.sql');
    const text = readFileSync(sql, 'utf8');
    const edited = text.replace(/c\.(segment|country)/g, 'CAST(NULL AS STRING) AS $1').replace(/\n\s*LEFT JOIN raw_customers\.customers c[^\n]*/, '');
    expect(edited).not.toContain('raw_customers');
    writeFileSync(sql, edited);
    const after = await same(dir, LINEAGE);
    expect(before).toContain('raw_customers.customers');
    expect(after).not.toContain('raw_customers.customers');
  });
});
