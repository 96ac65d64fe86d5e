/**
 * The incremental compile writes what a full compile writes, byte for byte, after
 * every kind of change — and recomputes the use cases the change reaches, not
 * only the one whose files changed. Each case compiles the example with a cache,
 * changes the tree, compiles again with the same cache, and compares with a
 * compile of the changed tree from nothing.
 */
import { describe, expect, it, vi } from 'vitest';
import { resolve } from 'node:path';
import { compile, compileStream, type CompileResult, type StreamResult } from '../../src/compile.ts';
import { MemoryCache, type CompileCache } from '../../src/compile/cache.ts';
import { ReadAnswers } from '../../src/compile/reads.ts';
import { readSpecTree } from '../../src/cli/spec-reader.ts';
import type { SourceFile } from '../../src/spec/files.ts';
import { VERSION } from './support.ts';

const EXAMPLE = readSpecTree(resolve(import.meta.dirname, '../../specs')).files;
const NAMES = ['clickstream', 'customers', 'orders', 'payments'];

type Edit = (files: Map<string, string>) => void;

function edited(base: readonly SourceFile[], ...edits: Edit[]): SourceFile[] {
  const m = new Map(base.map((f) => [f.path, f.text]));
  for (const e of edits) e(m);
  return [...m].map(([path, text]) => ({ path, text }));
}

/** Replaces `from` by `to` in one file, failing when `from` is not there (the edit would test nothing). */
const replace =
  (path: string, from: string | RegExp, to: string): Edit =>
  (m) => {
    const text = m.get(path);
    expect(text, path).toBeDefined();
    const next = text!.replace(from, to);
    expect(next, `${path}: ${String(from)} not found`).not.toBe(text);
    m.set(path, next);
  };

function withCache(sources: readonly SourceFile[], cache: CompileCache, env?: string): { files: Map<string, string>; result: StreamResult } {
  const files = new Map<string, string>();
  const result = compileStream(sources, { ...VERSION, ...(env === undefined ? {} : { env }), cache, emit: (f) => files.set(f.path, f.text()) });
  return { files, result };
}

function sorted(files: ReadonlyMap<string, string>): [string, string][] {
  return [...files].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Compiles `before` then `after` through one cache; asserts `after` equals a full compile and returns what was reused. */
function check(before: readonly SourceFile[], after: readonly SourceFile[], cache: CompileCache = new MemoryCache(), env?: { before?: string; after?: string }): { result: StreamResult; full: CompileResult; changed: boolean } {
  const first = withCache(before, cache, env?.before);
  const second = withCache(after, cache, env?.after);
  const full = compile(after, { ...VERSION, ...(env?.after === undefined ? {} : { env: env.after }) });
  expect(sorted(second.files)).toEqual(sorted(full.files));
  expect(second.result.diagnostics).toEqual(full.diagnostics);
  expect(second.result.quarantined).toEqual(full.quarantined);
  expect(second.result.limitsSummary).toBe(full.limitsSummary);
  expect(second.result.rulesSummary).toBe(full.rulesSummary);
  return { result: second.result, full, changed: JSON.stringify(sorted(first.files)) !== JSON.stringify(sorted(full.files)) };
}

const recomputed = (r: StreamResult, stage: 'scanned' | 'normalized' | 'assembled') => NAMES.filter((n) => !r.reused[stage].includes(n));

describe('incremental compile', () => {
  it('reuses every stage of every use case when nothing changed', () => {
    const { result, changed } = check(EXAMPLE, EXAMPLE);
    expect(changed).toBe(false);
    expect(result.reused).toEqual({ platform: true, scanned: NAMES, normalized: NAMES, assembled: NAMES, cross: { scanned: true, facts: true } });
  });

  it("a use case's YAML file: that use case, and those that read what changed", () => {
    const after = edited(EXAMPLE, replace('clickstream/orchestration.yaml', /schedule: .*/, 'schedule: cron(7 3 * * ? *)'));
    const { result, changed } = check(EXAMPLE, after);
    expect(changed).toBe(true);
    expect(recomputed(result, 'scanned')).toEqual(['clickstream']);
    expect(recomputed(result, 'assembled')).toContain('clickstream');
    expect(result.reused.assembled).toEqual(expect.arrayContaining(['customers', 'payments']));
  });

  it('a SQL file: its use case only', () => {
    const after = edited(EXAMPLE, replace('orders/sql/orders_enriched.sql', 'INTERVAL 3 DAYS', 'INTERVAL 5 DAYS'));
    const { result, changed } = check(EXAMPLE, after);
    expect(changed).toBe(true);
    expect(recomputed(result, 'scanned')).toEqual(['orders']);
    expect(recomputed(result, 'assembled')).toEqual(['orders']);
  });

  it('a SQL file that makes its use case write a table of another: quarantined, as in a full compile', () => {
    const after = edited(EXAMPLE, replace('orders/sql/orders_enriched.sql', 'MERGE INTO process_orders.orders_enriched', 'MERGE INTO raw_customers.customers'));
    const { full } = check(EXAMPLE, after);
    expect(full.quarantined.map((q) => q.useCase)).toContain('orders');
  });

  it('platform.yaml: every use case', () => {
    const after = edited(EXAMPLE, replace('platform.yaml', 'max_vcpu: 96', 'max_vcpu: 64'));
    const { result, changed } = check(EXAMPLE, after);
    expect(changed).toBe(true);
    expect(result.reused).toEqual({ platform: false, scanned: [], normalized: [], assembled: [], cross: { scanned: false, facts: false } });
  });

  it("a use case's file leaves the platform stage alone; a use case the platform names, removed, does not", () => {
    expect(check(EXAMPLE, edited(EXAMPLE, replace('orders/sql/orders_enriched.sql', 'INTERVAL 3 DAYS', 'INTERVAL 4 DAYS'))).result.reused.platform).toBe(true);
    // platform.yaml lists clickstream in a use_cases list: without it, the platform warns of an unknown use case.
    expect(EXAMPLE.find((f) => f.path === 'platform.yaml')!.text).toMatch(/use_cases: \[clickstream/);
    const { result, full } = check(EXAMPLE, EXAMPLE.filter((f) => !f.path.startsWith('clickstream/')));
    expect(result.reused.platform).toBe(false);
    expect(full.diagnostics.some((d) => d.code === 'PLATFORM_UNKNOWN_USE_CASE' && d.file === 'platform.yaml')).toBe(true);
  });

  it('another environment, or its overlay edited: the platform stage runs again, as a full compile of that environment', () => {
    const cache = new MemoryCache();
    expect(check(EXAMPLE, EXAMPLE, cache, { before: 'dev', after: 'prod' }).result.reused.platform).toBe(false);
    expect(check(EXAMPLE, EXAMPLE, cache, { before: 'prod', after: 'prod' }).result.reused.platform).toBe(true);
    const overlay = EXAMPLE.find((f) => f.path === 'platform.prod.yaml')!;
    const after = edited(EXAMPLE, (m) => m.set('platform.prod.yaml', `${overlay.text}\nshared_secrets:\n  - arn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:extra-AbCdEf\n    use_cases: [orders, nobody]\n`));
    const { result, full } = check(EXAMPLE, after, cache, { before: 'prod', after: 'prod' });
    expect(result.reused.platform).toBe(false);
    expect(full.diagnostics.some((d) => d.code === 'PLATFORM_UNKNOWN_USE_CASE' && d.file === 'platform.prod.yaml')).toBe(true);
  });

  it("another environment's prefix: it reserves a use-case name here (src/ir/environment-names.ts), and gives it back", () => {
    const cache = new MemoryCache();
    const nested = edited(EXAMPLE, replace('platform.dev.yaml', /\nprefix: acme-dev\n/, '\nprefix: acme-orders\n'));
    const { result, full } = check(EXAMPLE, nested, cache);
    expect(result.reused.platform).toBe(false);
    expect(full.quarantined.map((q) => q.useCase)).toContain('orders');
    expect(full.diagnostics.find((d) => d.code === 'USE_CASE_RESERVED')).toMatchObject({ file: 'orders/ingestion-nightly.yaml', useCase: 'orders' });
    const back = check(nested, EXAMPLE, cache);
    expect(back.full.quarantined).toEqual([]);
    expect(back.changed).toBe(true);
  });

  it('a reserved use case whose first file changes, or an overlay renamed: its error points at the files as they are now', () => {
    const cache = new MemoryCache();
    const nested = edited(EXAMPLE, replace('platform.dev.yaml', /\nprefix: acme-dev\n/, '\nprefix: acme-orders\n'));
    // A file that sorts before orders' others becomes the file the use case's error points at, then goes again.
    const earlier = edited(nested, (m) => m.set('orders/aaa.yaml', '# notes\n'));
    const first = check(nested, earlier, cache);
    expect(first.full.diagnostics.find((d) => d.code === 'USE_CASE_RESERVED')).toMatchObject({ file: 'orders/aaa.yaml' });
    expect(check(earlier, nested, cache).full.diagnostics.find((d) => d.code === 'USE_CASE_RESERVED')).toMatchObject({ file: 'orders/ingestion-nightly.yaml' });
    // The overlay as platform.dev.yml: the message names the file that reserves the name.
    const renamed = edited(nested, (m) => {
      m.set('platform.dev.yml', m.get('platform.dev.yaml')!);
      m.delete('platform.dev.yaml');
    });
    expect(check(nested, renamed, cache).full.diagnostics.find((d) => d.code === 'USE_CASE_RESERVED')!.message).toContain('platform.dev.yml');
  });

  it('a reused platform is not parsed again when no diagnostic points into it, though it declares database owners', () => {
    expect(EXAMPLE.find((f) => f.path === 'platform.yaml')!.text).toMatch(/\ndatabases:\n/);
    /** The example with platform.yaml's text counted each time something reads it. */
    const counted = (): { sources: SourceFile[]; reads: () => number } => {
      let n = 0;
      const platform = EXAMPLE.find((f) => f.path === 'platform.yaml')!;
      const watched = { path: platform.path, get text() { n++; return platform.text; } };
      return { sources: EXAMPLE.map((f) => (f === platform ? watched : f)), reads: () => n };
    };
    const cache = new MemoryCache();
    const cold = counted();
    withCache(cold.sources, cache);
    const warm = counted();
    const { result } = withCache(warm.sources, cache);
    expect(result.reused.platform).toBe(true);
    expect(result.diagnostics).toEqual(compile(EXAMPLE, VERSION).diagnostics);
    expect(warm.reads()).toBeLessThan(cold.reads());
  });

  it('a reused platform points later diagnostics into platform.yaml as a full compile does (the file parsed again on demand)', () => {
    const after = edited(EXAMPLE, (m) => m.set('platform.yaml', m.get('platform.yaml')!.replace('\ndatabases:\n', '\ndatabases:\n  raw_elsewhere: {owner: nobody}\n')));
    const { result, full } = check(after, after);
    expect(result.reused.platform).toBe(true);
    const owner = full.diagnostics.find((d) => d.code === 'DATABASE_OWNER_UNKNOWN');
    expect(owner).toMatchObject({ file: 'platform.yaml', pointer: '/databases/raw_elsewhere/owner' });
    expect(owner!.line).toBeGreaterThan(1);
  });

  it("an upstream's dag: the downstream use case is recompiled though its files did not change", () => {
    const after = edited(EXAMPLE, replace('customers/orchestration.yaml', /- name: customers-ingestion\n/, '- name: customers-ingest\n'), replace('customers/orchestration.yaml', 'depends_on: [customers-ingestion]', 'depends_on: [customers-ingest]'));
    const { result, full } = check(EXAMPLE, after);
    expect(result.reused.scanned).toContain('orders');
    expect(recomputed(result, 'normalized')).toEqual(expect.arrayContaining(['customers', 'orders']));
    expect(full.diagnostics.some((d) => d.useCase === 'orders' && d.code === 'DAG_UNKNOWN_DEPENDENCY')).toBe(true);
    expect(result.reused.normalized).toEqual(expect.arrayContaining(['clickstream', 'payments']));
  });

  it("an upstream's schedule: the dependent dag's inherited timetable follows", () => {
    const after = edited(EXAMPLE, replace('customers/orchestration.yaml', /(- name: customers-migration\n(?:.*\n)*?\s+schedule: ).*/, '$1cron(0 4 * * ? *)'));
    const { result } = check(EXAMPLE, after);
    expect(result.reused.scanned).toEqual(expect.arrayContaining(['clickstream', 'orders', 'payments']));
  });

  it("a share taken back: the owner's grants change; the reader did not read them and is reused", () => {
    const after = edited(EXAMPLE, replace('customers/orchestration.yaml', /share:\n(?:  .*\n)+/, ''));
    const { result, changed } = check(EXAMPLE, after);
    expect(changed).toBe(true);
    expect(recomputed(result, 'assembled')).toEqual(['customers']);
  });

  it('a table owner changed in platform.yaml: as a full compile', () => {
    const after = edited(EXAMPLE, (m) => m.set('platform.yaml', `${m.get('platform.yaml')}\ndatabases:\n  raw_customers: {owner: orders}\n`));
    check(EXAMPLE, after);
  });

  it('a new use case that writes a table it does not own: it is quarantined, the owner is untouched', () => {
    const after = edited(EXAMPLE, (m) => {
      m.set('intruder/orchestration.yaml', 'owner: intruder-team@example.com\ndags:\n  - name: intruder-merge\n    type: transformation\n    schedule: cron(0 5 * * ? *)\n');
      m.set('intruder/processing.yaml', 'merges:\n  - name: steal\n    source: raw_orders.orders\n    target: raw_customers.customers\n    keys: [customer_id]\n');
    });
    const { result, full } = check(EXAMPLE, after);
    expect(full.quarantined.map((q) => q.useCase)).toContain('intruder');
    expect(result.reused.assembled).toContain('customers');
  });

  it('a removed use case: its files leave the build, its dependants are recompiled, its cache entry goes', () => {
    const cache = new MemoryCache();
    const after = EXAMPLE.filter((f) => !f.path.startsWith('customers/'));
    const { full } = check(EXAMPLE, after, cache);
    expect([...full.files.keys()].some((p) => p.startsWith('customers/'))).toBe(false);
    expect([...cache.entries.keys()].sort()).toEqual(['clickstream', 'orders', 'payments']);
  });

  it('a change and its revert: the cache never serves the changed result for the original tree', () => {
    const cache = new MemoryCache();
    const after = edited(EXAMPLE, replace('orders/sql/orders_enriched.sql', 'INTERVAL 3 DAYS', 'INTERVAL 9 DAYS'));
    check(EXAMPLE, after, cache);
    check(after, EXAMPLE, cache);
  });

  it('a tampered cache entry (files changed behind its digests) is assembled again, not trusted', () => {
    const cache = new MemoryCache();
    withCache(EXAMPLE, cache);
    const stored = cache.entries.get('orders')!;
    const [path] = [...stored.files.keys()].filter((p) => p.endsWith('.asl.json'));
    stored.files.set(path!, '{"tampered": true}\n');
    const { files, result } = withCache(EXAMPLE, cache);
    expect(files.get(path!)).toBe(compile(EXAMPLE, VERSION).files.get(path!));
    expect(result.reused.assembled).not.toContain('orders');
  });

  it('a tampered IR (changed behind its digest) is normalized again when its use case is assembled, not trusted', () => {
    const cache = new MemoryCache();
    withCache(EXAMPLE, cache);
    for (const w of cache.irs.get('orders')!.useCase.workflows) w.timeoutSeconds = 1;
    cache.entries.get('orders')!.files.clear();
    const reference = compile(EXAMPLE, VERSION).files;
    const { files, result } = withCache(EXAMPLE, cache);
    expect(sorted(files)).toEqual(sorted(reference));
    expect(result.reused.assembled).not.toContain('orders');
    expect(result.reused.normalized).toContain('orders');
  });

  it('reads are not asked again while the index prints the same; a change to the index asks them once and rewrites no entry', () => {
    const cache = new MemoryCache();
    const asked = vi.spyOn(ReadAnswers.prototype, 'unchanged');
    const written = vi.spyOn(cache, 'write');
    const verifiedNow = () => {
      const v = cache.verified!;
      expect(Object.keys(v.ids).sort()).toEqual(NAMES);
      for (const n of NAMES) expect(v.ids[n], n).toBe(cache.entries.get(n)!.entry.normalized!.id);
      return v.print;
    };
    try {
      withCache(EXAMPLE, cache);
      const first = verifiedNow();
      // A SQL file leaves the index as it was: its use case is normalized again, no other is asked.
      const sql = edited(EXAMPLE, replace('orders/sql/orders_enriched.sql', 'INTERVAL 3 DAYS', 'INTERVAL 4 DAYS'));
      asked.mockClear();
      const { result } = check(EXAMPLE, sql, cache);
      expect(asked).not.toHaveBeenCalled();
      expect(result.reused.normalized).toEqual(['clickstream', 'customers', 'payments']);
      expect(verifiedNow()).toBe(first);
      // A schedule is in the index: every other use case's reads are asked again and answer alike; only the
      // changed use case's entry is written, and the list of verified results takes the new print.
      const schedule = edited(sql, replace('clickstream/orchestration.yaml', /schedule: .*/, 'schedule: cron(7 3 * * ? *)'));
      withCache(sql, cache);
      asked.mockClear();
      written.mockClear();
      const second = check(sql, schedule, cache);
      expect(asked).toHaveBeenCalledTimes(3);
      expect(second.result.reused.normalized).toEqual(['customers', 'orders', 'payments']);
      expect(new Set(written.mock.calls.map(([name]) => name))).toEqual(new Set(['clickstream']));
      expect(verifiedNow()).not.toBe(first);
      // Compiled again unchanged: nothing is asked.
      asked.mockClear();
      check(schedule, schedule, cache);
      expect(asked).not.toHaveBeenCalled();
      // A list made for another index, or naming another result, is not taken: the reads are asked.
      cache.verified = { ...cache.verified!, print: first };
      asked.mockClear();
      check(schedule, schedule, cache);
      expect(asked).toHaveBeenCalledTimes(4);
      cache.verified!.ids.orders = 'another';
      asked.mockClear();
      check(schedule, schedule, cache);
      expect(asked).toHaveBeenCalledTimes(1);
    } finally {
      asked.mockRestore();
      written.mockRestore();
    }
  });

  it("the whole-platform stages' results are taken from the last compile exactly while what they read is the same", () => {
    const cache = new MemoryCache();
    const owners = (m: Map<string, string>) => m.set('platform.yaml', m.get('platform.yaml')!.replace('\ndatabases:\n', '\ndatabases:\n  raw_elsewhere: {owner: nobody}\n'));
    const base = edited(EXAMPLE, owners);
    withCache(base, cache);
    // A SQL file: no index entry, claim, edge nor fact changes.
    const sql = edited(base, replace('orders/sql/orders_enriched.sql', 'INTERVAL 3 DAYS', 'INTERVAL 4 DAYS'));
    expect(check(base, sql, cache).result.reused.cross).toEqual({ scanned: true, facts: true });
    // A merge's condition: the use case's facts are the same; the ownership stages too.
    const condition = edited(sql, replace('orders/processing.yaml', "op = 'D'", "op = 'X'"));
    expect(check(sql, condition, cache).result.reused.cross).toEqual({ scanned: true, facts: true });
    // A schedule is in the index: both run again.
    const schedule = edited(condition, replace('clickstream/orchestration.yaml', /schedule: .*/, 'schedule: cron(7 3 * * ? *)'));
    expect(check(condition, schedule, cache).result.reused.cross).toEqual({ scanned: false, facts: false });
    // A comment line above `databases:` in platform.yaml: the same platform, but the warning about its unknown
    // owner moves down one line; taken from the last compile it would point at the old line (check compares).
    const shifted = edited(schedule, (m) => m.set('platform.yaml', m.get('platform.yaml')!.replace('\ndatabases:\n', '\n# shifted\ndatabases:\n')));
    const r = check(schedule, shifted, cache);
    expect(r.result.reused.cross.scanned).toBe(false);
    expect(r.full.diagnostics.some((d) => d.code === 'DATABASE_OWNER_UNKNOWN')).toBe(true);
    // Compiled again unchanged: both taken.
    expect(check(shifted, shifted, cache).result.reused.cross).toEqual({ scanned: true, facts: true });
  });

  it("an entry whose normalized result is newer than its assembled output (a quarantined use case's) is assembled again, not served", () => {
    // A quarantined use case's entry takes its new normalized result and keeps its last assembled output; when it
    // compiles again with that normalized result unchanged, the output must follow it, not the kept one.
    const changed = edited(EXAMPLE, replace('orders/processing.yaml', "op = 'D'", "op = 'X'"));
    const cache = new MemoryCache();
    withCache(EXAMPLE, cache);
    const later = new MemoryCache();
    withCache(changed, later);
    const old = cache.entries.get('orders')!;
    const now = later.entries.get('orders')!.entry;
    expect(now.normalized!.id).not.toBe(old.entry.normalized!.id);
    cache.entries.set('orders', { entry: { ...now, assembled: old.entry.assembled }, files: old.files });
    cache.irs.set('orders', later.irs.get('orders')!);
    const { files, result } = withCache(changed, cache);
    expect(sorted(files)).toEqual(sorted(compile(changed, VERSION).files));
    expect(result.reused.normalized).toContain('orders');
    expect(result.reused.assembled).not.toContain('orders');
  });

  it('another lakestep version or cache format reuses nothing', () => {
    const cache = new MemoryCache();
    withCache(EXAMPLE, cache);
    const files = new Map<string, string>();
    const r = compileStream(EXAMPLE, { lakestepVersion: '9.9.9', cache, emit: (f) => files.set(f.path, f.text()) });
    expect(r.reused.scanned).toEqual([]);
  });

  it("the same version built from other code (src/cli/code-id.ts) reuses nothing; the same code reuses everything", () => {
    const cache = new MemoryCache();
    const run = (codeId: string) => {
      const files = new Map<string, string>();
      const result = compileStream(EXAMPLE, { ...VERSION, codeId, cache, emit: (f) => files.set(f.path, f.text()) });
      return { files, result };
    };
    run('a'.repeat(64));
    const other = run('b'.repeat(64));
    expect(other.result.reused).toEqual({ platform: false, scanned: [], normalized: [], assembled: [], cross: { scanned: false, facts: false } });
    expect(sorted(other.files)).toEqual(sorted(compile(EXAMPLE, VERSION).files));
    expect(run('b'.repeat(64)).result.reused).toEqual({ platform: true, scanned: NAMES, normalized: NAMES, assembled: NAMES, cross: { scanned: true, facts: true } });
  });
});
