/**
 * The compiler never throws on bad input, positions every diagnostic inside
 * its file, and a broken use case never changes another's artifacts.
 */
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { CompileResult } from '../../src/compile.ts';
import type { SourceFile } from '../../src/spec/files.ts';
import { compileTree, filesOf } from '../compile/support.ts';
import { specTree } from './arbitraries.ts';
import { BASE } from './base-tree.ts';

function expectPositioned(r: CompileResult, sources: readonly SourceFile[]): void {
  const text = new Map(sources.map((s) => [s.path, s.text]));
  for (const d of r.diagnostics) {
    const where = `${d.file}:${d.line}:${d.column} ${d.code}`;
    const lines = (text.get(d.file) ?? '').split(/\r?\n/);
    expect(text.has(d.file), where).toBe(true);
    expect(d.line >= 1 && d.line <= lines.length, where).toBe(true);
    expect(d.column >= 1 && d.column <= lines[d.line - 1]!.length + 1, where).toBe(true);
    expect(d.code, where).toMatch(/^[A-Z][A-Z0-9_]+$/);
    expect(typeof d.pointer, where).toBe('string');
  }
}

/** Replace one use case's orchestration with `text`. */
function withOrchestration(sources: readonly SourceFile[], useCase: string, text: string): SourceFile[] {
  return sources.map((s) => (s.path === `${useCase}/orchestration.yaml` ? { ...s, text } : s));
}

const YAML_BITS = ['\n', ' ', '  ', '- ', ': ', '{', '}', '[', ']', '&a ', '*a', '<<: *a', '!!str ', '? ', '|\n', '>\n', '"', "'", '#', '\t', ',', '---\n', '...\n', '%YAML 1.2\n', '\u00e9', '\r\n'];

const edit = fc.oneof(
  fc.record({ at: fc.nat(), remove: fc.integer({ min: 1, max: 8 }), insert: fc.constant('') }),
  fc.record({ at: fc.nat(), remove: fc.constant(0), insert: fc.constantFrom(...YAML_BITS) }),
  fc.record({ at: fc.nat(), remove: fc.integer({ min: 0, max: 3 }), insert: fc.string({ maxLength: 6 }) }),
);

function applyEdits(text: string, edits: { at: number; remove: number; insert: string }[]): string {
  let t = text;
  for (const e of edits) {
    const at = t.length ? e.at % (t.length + 1) : 0;
    t = t.slice(0, at) + e.insert + t.slice(at + e.remove);
  }
  return t;
}

describe('compile() never throws and positions every diagnostic', () => {
  it('on random edits of a valid orchestration file', () => {
    fc.assert(
      fc.property(specTree(2, 2), fc.array(edit, { minLength: 1, maxLength: 6 }), (t, edits) => {
        const target = t.sources.find((s) => s.path.endsWith('orchestration.yaml'))!;
        const sources = t.sources.map((s) => (s === target ? { ...s, text: applyEdits(s.text, edits) } : s));
        expectPositioned(compileTree(sources), sources);
      }),
      { numRuns: 50 },
    );
  });

  it('on random bytes, as orchestration.yaml and as platform.yaml', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, asPlatform) => {
        const text = Buffer.from(bytes).toString('latin1');
        const sources = [{ path: asPlatform ? 'platform.yaml' : 'a/orchestration.yaml', text }, ...(asPlatform ? [{ path: 'a/orchestration.yaml', text: 'owner: a@example.com\ndags: []\n' }] : [])];
        expectPositioned(compileTree(sources), sources);
      }),
      { numRuns: 50 },
    );
  });

  // Alias explosions and unresolved aliases are pinned in test/compile/diagnostics.test.ts.
  it('on deep nesting, anchors and aliases', () => {
    const shapes = fc.oneof(
      fc.integer({ min: 1, max: 2000 }).map((n) => `owner: a@example.com\ndags: ${'['.repeat(n)}${']'.repeat(n)}\n`),
      fc.integer({ min: 1, max: 300 }).map((n) => `owner: a@example.com\ndags:\n${Array.from({ length: n }, (_, i) => `${'  '.repeat(i + 1)}- `).join('\n')}x\n`),
      fc.constantFrom(
        'owner: a@example.com\ndags:\n  - &d\n    name: one\n    type: transformation\n    spark: {entrypoint: s3://lakestep-artifacts/a/one.py}\n  - *d\n',
        'owner: a@example.com\ndags:\n  - <<: &base {type: transformation, spark: {entrypoint: s3://lakestep-artifacts/a/one.py}}\n    name: one\n',
        'owner: a@example.com\ndags: &x [*x]\n',
        '&a [*a]\n',
      ),
    );
    fc.assert(
      fc.property(shapes, (text) => {
        const sources = [{ path: 'a/orchestration.yaml', text }];
        expectPositioned(compileTree(sources), sources);
      }),
      { numRuns: 40 },
    );
  });
});

/** Every map entry of a parsed YAML value, as the path of keys and list indexes leading to it. */
function entryPaths(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.flatMap((x, i) => entryPaths(x, [...path, i]));
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => [[...path, k], ...entryPaths(x, [...path, k])]);
}

/** `doc` with the entry at `path` removed (`undefined`) or replaced. */
function mutate(doc: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return copy;
}

/** The valid tree with a dependency that names no dag: suggestions then run over every dag entry, broken ones too. */
const MISSPELT = BASE.map((f) => (f.path === 'shop/orchestration.yaml' ? { ...f, text: f.text.replace('[shop-ingestion,', '[shop-ingestio,') } : f));
const YAML_FILES = MISSPELT.filter((f) => f.path.endsWith('.yaml')).map((f) => ({ path: f.path, doc: parse(f.text) as unknown }));

describe('compile() never throws on missing fields, wrong shapes and names at the limits', () => {
  it('with any one entry of a valid tree removed (a dag without a name next to a misspelt dependency among them)', () => {
    let n = 0;
    for (const f of YAML_FILES) {
      for (const path of entryPaths(f.doc)) {
        const sources = MISSPELT.map((s) => (s.path === f.path ? { ...s, text: stringify(mutate(f.doc, path, undefined)) } : s));
        expectPositioned(compileTree(sources), sources);
        n++;
      }
    }
    expect(n).toBeGreaterThan(100);
  }, 120_000);

  it('with any name of a valid tree renamed everywhere to 129 or 252 characters (Glue and Iceberg allow 252 for databases, 255 for tables)', () => {
    const words = new Set<string>();
    const collect = (v: unknown): void => {
      if (typeof v === 'string') for (const w of v.split(/[.,()\s]+/)) if (/^[a-z][a-z0-9_]{2,}$/.test(w)) words.add(w);
      if (v && typeof v === 'object') Object.values(v).forEach(collect);
    };
    YAML_FILES.forEach((f) => collect(f.doc));
    expect(words.size).toBeGreaterThan(20);
    for (const w of words) {
      for (const length of [129, 252]) {
        // Every reference renamed with it, so the use case stays valid and reaches SQL generation.
        const re = new RegExp(`(?<![A-Za-z0-9_])${w}(?![A-Za-z0-9_])`, 'g');
        const sources = BASE.map((f) => ({ ...f, text: f.text.replace(re, w.padEnd(length, 'x')) }));
        expectPositioned(compileTree(sources), sources);
      }
    }
  }, 120_000);

  it('with entries replaced by values of other shapes', () => {
    const shapes = fc.constantFrom<unknown>(null, 0, -1, 1.5, true, '', 'x', 'a'.repeat(255), [], [null], {}, { name: 1 });
    fc.assert(
      fc.property(fc.nat(), fc.nat(), shapes, (fileIndex, pathIndex, value) => {
        const f = YAML_FILES[fileIndex % YAML_FILES.length]!;
        const paths = entryPaths(f.doc);
        if (paths.length === 0) return;
        const sources = MISSPELT.map((s) => (s.path === f.path ? { ...s, text: stringify(mutate(f.doc, paths[pathIndex % paths.length]!, value)) } : s));
        expectPositioned(compileTree(sources), sources);
      }),
      { numRuns: 80, seed: 17 },
    );
  }, 120_000);
});

/**
 * Corruptions that keep every dag name, so references into the broken use case
 * still name real dags. (A YAML syntax error in an upstream use case is covered
 * by test/compile/isolation.test.ts.)
 */
const extraDag = (name: string, lines: string[]) => (t: string) =>
  `${t.trimEnd()}\n  - name: ${name}\n    type: transformation\n${lines.map((l) => `    ${l}\n`).join('')}`;

const CORRUPTIONS: Record<string, (text: string) => string> = {
  'unknown field': (t) => t.replace('\ndags:', '\ncolour: red\ndags:'),
  'wrong type': (t) => t.replace('type: transformation', 'type: loading'),
  'bad schedule': extraDag('late', ['schedule: rate(1 minutes)', 'spark: {entrypoint: s3://lakestep-artifacts/jobs/late.py}']),
  'unknown template': extraDag('later', ['spark: {entrypoint: s3://lakestep-artifacts/jobs/later.py, arguments: ["{{ tomorrow }}"]}']),
  'clear-text secret': extraDag('leaky', ['spark: {entrypoint: s3://lakestep-artifacts/jobs/leaky.py, arguments: [--password, hunter2]}']),
  'duplicate dag': (t) => extraDag(/name: (\S+)/.exec(t)![1]!, ['spark: {entrypoint: s3://lakestep-artifacts/jobs/again.py}'])(t),
};

describe('corrupting one use case never changes another use case’s artifacts', () => {
  it('for every kind of corruption and any use case', () => {
    fc.assert(
      fc.property(specTree(3, 3), fc.nat(), fc.constantFrom(...Object.keys(CORRUPTIONS)), (t, pick, how) => {
        const victim = t.useCases[pick % t.useCases.length]!;
        const original = t.sources.find((s) => s.path === `${victim}/orchestration.yaml`)!.text;
        const healthy = compileTree(t.sources);
        const broken = compileTree(withOrchestration(t.sources, victim, CORRUPTIONS[how]!(original)));
        expect(broken.quarantined.map((q) => q.useCase)).toEqual([victim]);
        for (const uc of t.useCases) {
          if (uc === victim) expect(filesOf(broken, uc).size).toBe(0);
          else expect(filesOf(broken, uc), uc).toEqual(filesOf(healthy, uc));
        }
      }),
      { numRuns: 40 },
    );
  });
});
