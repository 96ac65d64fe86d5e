/**
 * The compile cache on disk (src/cli/compile-cache.ts): an entry, the IR and the
 * manifest part per use case, no other generated file. A build folder that lacks files is
 * filled from the IR, assembled again; an IR that is gone or does not match its
 * entry's digest is normalized again, never trusted; either way the build is
 * byte for byte a full compile's. A compile into its previous build rewrites
 * only what differs from what that build wrote, with or without the cache.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { generateSpecs } from '../../bench/generate.ts';
import { LIST_LIMIT } from '../../src/cli/commands.ts';
import { DiskCache, WarmCache, entryFromJson, entryJson } from '../../src/cli/compile-cache.ts';
import { readSpecTree } from '../../src/cli/spec-reader.ts';
import { compile, compileStream } from '../../src/compile.ts';
import { CACHE_FORMAT, MemoryCache, digest, type CacheEntry } from '../../src/compile/cache.ts';
import { buildFiles, folder, runCli } from './support.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../specs');

async function compileInto(dir: string, out: string, ...extra: string[]): Promise<void> {
  const r = await runCli(['compile', 'specs', '--out', out, '--cache-dir', 'cache', ...extra], dir);
  expect(r.err).not.toMatch(/error/i);
  expect(r.code).toBe(0);
}

/** A copy of the example compiled once without a cache (the reference) and once into a warm cache. */
async function warm(): Promise<{ dir: string; full: Map<string, string> }> {
  const dir = folder();
  cpSync(EXAMPLE, join(dir, 'specs'), { recursive: true });
  expect((await runCli(['compile', 'specs', '--out', 'full', '--no-cache'], dir)).code).toBe(0);
  await compileInto(dir, 'build');
  return { dir, full: buildFiles(join(dir, 'full')) };
}

describe('compile cache on disk', () => {
  it('keeps an entry, the IR and the manifest part per use case and the platform stage\'s result, no other generated file, and drops what older versions kept', async () => {
    const { dir, full } = await warm();
    expect(buildFiles(join(dir, 'build'))).toEqual(full);
    const names = readdirSync(join(dir, 'cache')).sort();
    const useCases = ['clickstream', 'customers', 'orders', 'payments'];
    expect(names).toEqual([...useCases.flatMap((u) => [`${u}.entry`, `${u}.ir`, `${u}.part`]), 'platform.cross', 'platform.loaded', 'reads.verified']);
    for (const u of useCases) expect(readFileSync(join(dir, `cache/${u}.part`), 'utf8'), u).toBe(full.get(`${u}/manifest.json`));
    writeFileSync(join(dir, 'cache/orders.files'), 'from an older version');
    await compileInto(dir, 'build');
    expect(existsSync(join(dir, 'cache/orders.files'))).toBe(false);
  });

  it('keeps the results verified on the last index as JSON, and ignores that file when it does not read back', async () => {
    const { dir, full } = await warm();
    const cache = new DiskCache(join(dir, 'cache'));
    const verified = cache.readVerified()!;
    expect(Object.keys(verified.ids).sort()).toEqual(['clickstream', 'customers', 'orders', 'payments']);
    for (const [name, id] of Object.entries(verified.ids)) expect(id, name).toBe(cache.read(name)!.normalized!.id);
    for (const bad of ['{"print": 1, "ids": {}}', '{"print": "p", "ids": {"orders": 2}}', '{"print": "p", "ids": []}', '{"print": "p"', 'null']) {
      writeFileSync(join(dir, 'cache/reads.verified'), bad);
      expect(cache.readVerified(), bad).toBeUndefined();
    }
    await compileInto(dir, 'build');
    expect(buildFiles(join(dir, 'build'))).toEqual(full);
    expect(cache.readVerified()).toEqual(verified);
  });

  it('fills an empty build folder from the IR, byte for byte a full compile', async () => {
    const { dir, full } = await warm();
    await compileInto(dir, 'other');
    expect(buildFiles(join(dir, 'other'))).toEqual(full);
  });

  it('normalizes again a use case whose IR is gone when one of its files is missing from the build', async () => {
    const { dir, full } = await warm();
    rmSync(join(dir, 'cache/orders.ir'));
    const path = [...full.keys()].find((p) => p.startsWith('orders/') && p.endsWith('.asl.json'))!;
    rmSync(join(dir, 'build', path));
    await compileInto(dir, 'build');
    expect(buildFiles(join(dir, 'build'))).toEqual(full);
    expect(existsSync(join(dir, 'cache/orders.ir'))).toBe(true);
  });

  it("reads every entry of the example back from JSON as the very value a compile made", () => {
    const memory = new MemoryCache();
    compileStream(readSpecTree(EXAMPLE).files, { lakestepVersion: '0.0.0-test', cache: memory, emit: () => {} });
    expect(memory.entries.size).toBe(4);
    for (const [name, { entry }] of memory.entries) {
      const text = entryJson(entry);
      expect(text, name).toBeDefined();
      expect(entryFromJson(text!), name).toStrictEqual(entry);
    }
  });

  it('writes each entry as JSON that reads back to the very value, Maps and Sets of its index included', async () => {
    const { dir } = await warm();
    const names = readdirSync(join(dir, 'cache')).filter((n) => n.endsWith('.entry'));
    expect(names).toHaveLength(4);
    for (const n of names) {
      const text = readFileSync(join(dir, 'cache', n), 'utf8');
      expect(text[0], n).toBe('{');
      const entry = entryFromJson(text);
      expect(entry.scan.entry.tables).toBeInstanceOf(Map);
      expect(entry.scan.entry.secrets).toBeInstanceOf(Set);
      // Written again, the same text: nothing is lost or reordered on the way.
      expect(entryJson(entry), n).toBe(text);
    }
  });

  it('keeps an entry JSON cannot hold exactly with the V8 serializer, and reads either form back', () => {
    const dir = folder();
    const cache = new DiskCache(join(dir, 'cache'));
    const base = (): CacheEntry => ({
      format: CACHE_FORMAT,
      key: 'k',
      scan: {
        name: 'orders',
        entry: { readable: true, dags: new Map([['a', 'ingestion']]), schedules: new Map(), timezones: new Map(), conventions: new Map(), dependsOn: new Map([['a', ['x/y']]]), migrationTables: new Map(), tables: new Map(), secrets: new Set(['arn:s']), datasyncTasks: new Set() },
        entryDigest: 'd',
        ownership: { useCase: 'orders', claims: [], homes: [], shares: [] },
        ownershipDigest: 'o',
        edges: [],
        edgesDigest: 'e',
        diagnostics: [],
      },
    });
    const plain = base();
    const withUndefined = { ...base(), normalized: { reads: {}, id: 'i', facts: undefined, factsId: 'f', digest: '-', diagnostics: [] } };
    const withMap = base();
    (withMap.scan.ownership as unknown as { extra: Map<string, string> }).extra = new Map([['m', 'n']]);
    expect(entryJson(plain)).toBeDefined();
    expect(entryJson(withUndefined)).toBeUndefined();
    expect(entryJson(withMap)).toBeUndefined();
    // Whatever else JSON would change on the way: each one keeps the V8 serializer.
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    const odd: [string, unknown][] = [['a Date', new Date(0)], ['NaN', Number.NaN], ['Infinity', Infinity], ['-0', -0], ['a sparse array', sparse], ['a null-prototype object', Object.create(null)], ['a symbol key', { [Symbol('s')]: 1 }], ['a Set', new Set([1])], ['a bigint', 1n]];
    for (const [what, value] of odd) {
      const entry = base();
      (entry.scan as unknown as { odd: unknown }).odd = value;
      expect(entryJson(entry), what).toBeUndefined();
    }
    for (const [name, entry] of [['plain', plain], ['undefined', withUndefined], ['map', withMap]] as const) {
      cache.write(name, entry);
      expect(readFileSync(join(dir, 'cache', `${name}.entry`))[0], name).toBe(name === 'plain' ? 0x7b : 0xff);
      expect(cache.read(name), name).toStrictEqual(entry);
    }
    writeFileSync(join(dir, 'cache/plain.entry'), readFileSync(join(dir, 'cache/plain.entry'), 'utf8').slice(0, 40));
    expect(cache.read('plain')).toBeUndefined();
  });

  it('never trusts an IR that does not match its entry: a tampered one is normalized again', async () => {
    const { dir, full } = await warm();
    const irFile = join(dir, 'cache/orders.ir');
    const stored = deserialize(readFileSync(irFile)) as { digest: string; useCase: { workflows: { description?: string; timeoutSeconds: number }[] } };
    for (const w of stored.useCase.workflows) {
      w.description = 'tampered';
      w.timeoutSeconds = 1;
    }
    writeFileSync(irFile, serialize(stored));
    for (const p of [...full.keys()].filter((p) => p.startsWith('orders/'))) rmSync(join(dir, 'build', p));
    await compileInto(dir, 'build');
    expect(buildFiles(join(dir, 'build'))).toEqual(full);
    expect(readFileSync(join(dir, 'build/orders/orders-migration.asl.json'), 'utf8')).not.toContain('tampered');
  });

  it('says plainly, without a stack, that a cache entry edited by hand does not match, and compiles again from nothing with --no-cache', async () => {
    const { dir, full } = await warm();
    const entry = join(dir, 'cache/payments.entry');
    const text = readFileSync(entry, 'utf8');
    const tampered = text.replace(/("path":"payments\/manifest\.json","digest":")(.)/, (_, head: string, c: string) => head + (c === 'A' ? 'B' : 'A'));
    expect(tampered).not.toBe(text);
    writeFileSync(entry, tampered);
    rmSync(join(dir, 'build/payments/manifest.json'));
    const r = await runCli(['compile', 'specs', '--out', 'build', '--cache-dir', 'cache'], dir);
    expect(r).toMatchObject({ code: 1, err: expect.stringContaining("the compile cache entry of use case 'payments' does not match what it compiles to: delete the cache folder") });
    expect(r.err).not.toMatch(/\n\s+at /);
    await compileInto(dir, 'build', '--no-cache');
    expect(buildFiles(join(dir, 'build'))).toEqual(full);
  });

  for (const mode of [[], ['--no-cache']]) {
    it(`rewrites only the files that differ from the previous build, and restores one edited (even with its size and modification time kept), removed or replaced by a link ${mode.length ? '(--no-cache)' : '(with the cache)'}`, async () => {
      const { dir, full } = await warm();
      const out = join(dir, 'build');
      const paths = [...full.keys()].filter((p) => p.startsWith('orders/'));
      const [edited, sameSize, removed, linked, backdated] = paths as [string, string, string, string, string];
      const mtimes = new Map([...full.keys()].map((p) => [p, statSync(join(out, p)).mtimeMs]));
      writeFileSync(join(out, edited), 'edited by hand');
      const sameSizeEdit = (path: string) => {
        const text = readFileSync(join(out, path), 'utf8');
        writeFileSync(join(out, path), text.replace(/.$/s, text.endsWith('\n') ? ' ' : '\n'));
      };
      sameSizeEdit(sameSize);
      // The same size and its modification time set back to the nanosecond: only the change time tells.
      const ns = statSync(join(out, backdated), { bigint: true }).mtimeNs;
      sameSizeEdit(backdated);
      execFileSync('touch', ['-m', '-d', `@${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`, join(out, backdated)]);
      expect(statSync(join(out, backdated)).mtimeMs).toBe(mtimes.get(backdated));
      rmSync(join(out, removed));
      writeFileSync(join(dir, 'elsewhere.json'), 'not the build');
      rmSync(join(out, linked));
      symlinkSync(join(dir, 'elsewhere.json'), join(out, linked));
      await compileInto(dir, 'build', ...mode);
      expect(buildFiles(out)).toEqual(full);
      expect(lstatSync(join(out, linked)).isFile()).toBe(true);
      expect(readFileSync(join(dir, 'elsewhere.json'), 'utf8')).toBe('not the build');
      // Nothing else is written again (the manifest's index and report.json hold the same text, too).
      const touched = [...full.keys()].filter((p) => statSync(join(out, p)).mtimeMs !== mtimes.get(p));
      expect(touched.sort()).toEqual([edited, sameSize, removed, linked, backdated].sort());
    });
  }
});

/** A disk cache that notes the use cases whose workflow facts a compile read from an entry (a lazy part). */
class FactsWatch extends DiskCache {
  readonly touched = new Set<string>();

  override read(useCase: string): CacheEntry | undefined {
    const entry = super.read(useCase);
    const facts = entry?.normalized?.facts;
    if (facts) {
      const lazy = Object.getOwnPropertyDescriptor(facts, 'workflows')!;
      expect(lazy.get, `${useCase}: its workflow facts are read lazily`).toBeTypeOf('function');
      Object.defineProperty(facts, 'workflows', { ...lazy, get: () => (this.touched.add(useCase), lazy.get!.call(facts)) });
    }
    return entry;
  }
}

describe('entries read lazily', () => {
  const sources = readSpecTree(EXAMPLE).files;
  const edit = (files: readonly { path: string; text: string }[], path: string, from: string | RegExp, to: string) =>
    files.map((f) => {
      if (f.path !== path) return f;
      const text = f.text.replace(from, to);
      expect(text, `${path}: ${String(from)}`).not.toBe(f.text);
      return { path, text };
    });

  it("an incremental compile parses no reused use case's workflow facts while the platform's migrations are the same, and builds what a full compile builds", () => {
    const cache = new FactsWatch(join(folder(), 'cache'));
    const run = (tree: readonly { path: string; text: string }[]) => {
      cache.touched.clear();
      // As the build folder takes them: by digest, a file's text made only where the folder lacks it (here: never).
      const files = new Map<string, string>();
      const r = compileStream(tree, { lakestepVersion: '0.0.0-test', cache, emit: (f) => files.set(f.path, f.digest) });
      const full = compile(tree, { lakestepVersion: '0.0.0-test' });
      expect(new Map([...files].sort())).toEqual(new Map([...full.files].map(([path, text]) => [path, digest(text)] as const).sort()));
      expect(r.diagnostics).toEqual(full.diagnostics);
      return { touched: [...cache.touched].sort(), migrated: cache.readCross()!.migrated!.digest };
    };
    const first = run(sources);
    // A merge's condition: no other use case's facts are parsed.
    const condition = edit(sources, 'orders/processing.yaml', "op = 'D'", "op = 'X'");
    expect(run(condition)).toEqual({ touched: [], migrated: first.migrated });
    // A comment line moves the positions in payments' facts: the migrated tables are made again from every use
    // case's facts, the same, so no other use case's input is made again; and once more, nothing is parsed.
    const comment = edit(condition, 'payments/orchestration.yaml', /^/, '# a comment\n');
    expect(run(comment)).toEqual({ touched: ['clickstream', 'customers', 'orders'], migrated: first.migrated });
    expect(run(comment)).toEqual({ touched: [], migrated: first.migrated });
    // A migrated table disabled: the platform's migrations change, and every use case's input is made again.
    const disabled = edit(comment, 'orders/migration-curated.yaml', 'enabled: true', 'enabled: false');
    const afterDisable = run(disabled);
    expect(afterDisable.migrated).not.toBe(first.migrated);
    expect(afterDisable.touched).toEqual(['clickstream', 'customers', 'payments']);
    // Compiled again, and back: the first unchanged, the revert as a full compile.
    expect(run(disabled)).toEqual({ touched: [], migrated: afterDisable.migrated });
    expect(run(sources).migrated).toBe(first.migrated);
  });

  it('reads a damaged lazy part only when it is read, and then stops with what to do; a truncated entry is not read at all', () => {
    const dir = folder();
    const cache = new DiskCache(join(dir, 'cache'));
    const memory = new MemoryCache();
    compileStream(sources, { lakestepVersion: '0.0.0-test', cache: memory, emit: () => {} });
    const entry = memory.entries.get('orders')!.entry;
    cache.write('orders', entry);
    const file = join(dir, 'cache/orders.entry');
    const text = readFileSync(file, 'latin1');
    const lines = text.split('\n');
    expect(lines).toHaveLength(5);
    // The workflows' facts, damaged but as long as they were.
    writeFileSync(file, [...lines.slice(0, 4), '#'.repeat(lines[4]!.length)].join('\n'));
    const damaged = cache.read('orders')!;
    expect(damaged.scan.entry.tables).toBeInstanceOf(Map);
    expect(damaged.normalized!.facts!.owner).toBe(entry.normalized!.facts!.owner);
    expect(() => damaged.normalized!.facts!.workflows).toThrow("the compile cache entry of use case 'orders' does not read back: delete the cache folder (or use --no-cache) and compile again");
    // One character short at the end: not the length its first line gives.
    writeFileSync(file, text.slice(0, -1));
    expect(cache.read('orders')).toBeUndefined();
    writeFileSync(file, text);
    expect(cache.read('orders')).toStrictEqual(entry);
  });

  it('writes an entry as ASCII, whatever its text holds, and reads it back as the very value', () => {
    const dir = folder();
    const cache = new DiskCache(join(dir, 'cache'));
    const memory = new MemoryCache();
    // An unknown field is quoted in its diagnostic, which the entry keeps: letters past ASCII and one past the
    // BMP. Quarantined, the use case's entry holds no facts (undefined): kept with the V8 serializer.
    const unknown = edit(sources, 'orders/orchestration.yaml', /^owner: /m, 'größe📦: 1\nowner: ');
    compileStream(unknown, { lakestepVersion: '0.0.0-test', cache: memory, emit: () => {} });
    const quarantined = memory.entries.get('orders')!.entry;
    const quoting = [...quarantined.scan.diagnostics, ...(quarantined.normalized?.diagnostics ?? [])].filter((d) => d.message.includes("'größe📦'"));
    expect(quoting).toHaveLength(1);
    cache.write('orders', quarantined);
    expect(readFileSync(join(dir, 'cache/orders.entry'))[0]).toBe(0xff);
    expect(cache.read('orders')).toStrictEqual(quarantined);
    // The same diagnostic in an entry JSON holds: written as ASCII.
    const healthy = memory.entries.get('payments')!.entry;
    healthy.scan.diagnostics = quoting;
    cache.write('payments', healthy);
    const bytes = readFileSync(join(dir, 'cache/payments.entry'));
    expect(bytes[0]).toBe(0x7b);
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    expect(cache.read('payments')).toStrictEqual(healthy);
  });
});

describe('the output of a large platform', () => {
  it(`validate lists every file past ${LIST_LIMIT} files only when it has problems, errors first, and counts the rest`, async () => {
    const generated = generateSpecs({ useCases: 25 });
    const dir = folder(Object.fromEntries(generated.sources.map((f) => [`specs/${f.path}`, f.text])));
    const files = generated.sources.length;
    expect(files).toBeGreaterThan(LIST_LIMIT);
    const broken = generated.sources.find((s) => s.path.endsWith('/processing.yaml'))!;
    writeFileSync(join(dir, 'specs', broken.path), `${broken.text}\n  - [unclosed\n`);
    const r = await runCli(['validate', 'specs', '--no-cache'], dir);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n').filter((l) => l !== '');
    const listed = lines.filter((l) => /^[✓✘] /.test(l));
    expect(listed[0]).toMatch(new RegExp(`^✘ specs/${broken.path}  \\d+ error\\(s\\)`));
    expect(listed.slice(1).every((l) => /^✓ .*  \d+ warning\(s\)$/.test(l))).toBe(true);
    expect(listed.length).toBeLessThanOrEqual(LIST_LIMIT);
    expect(lines).toContain(`… and ${files - listed.length} more file(s) without errors`);
    expect(lines.at(-1)).toMatch(new RegExp(`^${files} files, \\d+ error\\(s\\), \\d+ warning\\(s\\)$`));
  });


  it(`compile lists at most ${LIST_LIMIT} workflows, then only those of the use cases compiled again, and counts the rest`, async () => {
    const generated = generateSpecs({ useCases: 25 });
    const dir = folder(Object.fromEntries(generated.sources.map((f) => [`specs/${f.path}`, f.text])));
    const rowsOf = (out: string) => out.split('\n').filter((l) => / (migration|ingestion|transformation|maintenance|spark) /.test(l) && !l.startsWith('use case'));
    const run = async () => {
      const r = await runCli(['compile', 'specs', '--out', 'build', '--cache-dir', 'cache'], dir);
      expect(r.code).toBe(0);
      return r.out;
    };
    const workflows = generated.dags;
    expect(workflows).toBeGreaterThan(LIST_LIMIT);
    const cold = await run();
    expect(rowsOf(cold)).toHaveLength(LIST_LIMIT);
    expect(cold).toContain(`… and ${workflows - LIST_LIMIT} more workflow(s): build/manifest.json lists every one`);
    // One use case's merge condition edited: its workflows, and the others counted as unchanged.
    const merge = generated.sources.find((s) => s.path.endsWith('/processing.yaml') && s.text.includes("delete_when: \"op = 'D'\""))!;
    writeFileSync(join(dir, 'specs', merge.path), merge.text.replace("op = 'D'", "op = 'X'"));
    const one = await run();
    const name = merge.path.split('/')[0]!;
    const own = generated.sources.find((s) => s.path === `${name}/orchestration.yaml`)!.text.match(/^ {2}- name: /gm)!.length;
    expect(rowsOf(one).map((l) => l.split(/\s+/)[0])).toEqual(Array(own).fill(name));
    expect(one).toContain(`… and ${workflows - own} more workflow(s) (24 use case(s) unchanged since the last compile): build/manifest.json lists every one`);
    const none = await run();
    expect(rowsOf(none)).toEqual([]);
    expect(none).toContain(`${workflows} workflow(s) (25 use case(s) unchanged since the last compile): build/manifest.json lists every one`);
    expect(none).toContain(`25 use case(s) compiled, ${workflows} workflow(s), 0 quarantined → build/manifest.json`);
  });

  it('--watch keeps the entries in memory: a run after a change reads none from disk, and builds what a full compile builds', () => {
    const dir = folder();
    cpSync(EXAMPLE, join(dir, 'specs'), { recursive: true });
    const cacheDir = join(dir, 'cache');
    const cache = new WarmCache(cacheDir);
    // Each file by its digest: a text asked for is assembled again (the build holds the texts, not the cache).
    const run = () => {
      const files = new Map<string, string>();
      const r = compileStream(readSpecTree(join(dir, 'specs')).files, { lakestepVersion: '0.0.0-test', cache, emit: (f) => files.set(f.path, f.digest) });
      return { r, files };
    };
    const first = run();
    expect(first.r.reused.scanned).toEqual([]);
    // What the first run wrote, gone from disk: a cache that reads the disk would compile everything again.
    for (const f of readdirSync(cacheDir)) if (!f.endsWith('.ir')) rmSync(join(cacheDir, f));
    const sql = join(dir, 'specs/orders/sql/orders_enriched.sql');
    writeFileSync(sql, readFileSync(sql, 'utf8').replace(/\s*$/, '\n-- edited\n'));
    const second = run();
    expect(second.r.reused.scanned.sort()).toEqual(['clickstream', 'customers', 'payments']);
    expect(second.r.reused.assembled.sort()).toEqual(['clickstream', 'customers', 'payments']);
    expect(second.r.reused.cross).toEqual({ scanned: true, facts: true });
    const full = compile(readSpecTree(join(dir, 'specs')).files, { lakestepVersion: '0.0.0-test' });
    expect(second.files).toEqual(new Map([...full.files].map(([path, text]) => [path, digest(text)])));
    expect(second.r.diagnostics).toEqual(full.diagnostics);
    // Written through to disk as well: a fresh process finds them.
    expect(new DiskCache(cacheDir).read('orders')?.key).toBe(cache.read('orders')?.key);
  });

  it('--watch hands out its entries frozen: a compile can never change what the next run takes from it', () => {
    const cache = new WarmCache(join(folder(), 'cache'));
    compileStream(readSpecTree(EXAMPLE).files, { lakestepVersion: '0.0.0-test', cache, emit: () => {} });
    const entry = cache.read('orders')!;
    expect(() => {
      (entry.normalized as { id: string }).id = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      entry.assembled!.summary.workflows.pop();
    }).toThrow(TypeError);
    expect(() => {
      (cache.readCross()!.facts!.tables as Record<string, unknown>).x = {};
    }).toThrow(TypeError);
    expect(cache.read('orders')).toEqual(new DiskCache(cache.dir).read('orders'));
  });
});
