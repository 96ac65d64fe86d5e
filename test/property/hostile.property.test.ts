/**
 * Hostile values at every scalar position of every schema: compile never
 * throws, finishes in bounded time, and every artifact it writes passes both
 * ASL validators and the Spark SQL grammar check. Each case puts one hostile
 * value (or key) into a valid tree (test/golden/phases-valid plus a custom
 * Spark dag), at a position found by walking the JSON Schemas.
 */
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { MANIFEST_INDEX, ManifestError, manifestFiles, readManifest } from '../../src/build/manifest-files.ts';
import type { JobDocument } from '../../src/build/types.ts';
import { compileTree, problemsOf } from '../compile/support.ts';
import { syntaxErrors } from '../sql/syntax.ts';
import { BASE, fileOf } from './base-tree.ts';
import { stateNameProblems } from './invariants.ts';
import { scalarSlots, setAt, type Slot } from './schema-slots.ts';

const SLOTS = scalarSlots();

const HOSTILE_STRINGS = [
  '', ' ', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'x'.repeat(129), 'y'.repeat(255), 'a\nb', 'a\u2028b', 'a\rb', '\u001b[2J',
  "'; DROP TABLE t; --", "R'\\' OR TRUE) --", '`x`', '${Account}', '{{ ds }}', '{{', '}}', '$.x', '$$.Execution.Name', "States.Format('{}', $.x)",
  'array<'.repeat(60), 'struct<a: int, b: string>', 'decimal(38,38)', 'constructor(x)', '__proto__(x)', 'bucket(0, x)', '+24:00', '2026-01-01T00:00:00+24:00',
  '1600-01-01', 'cron(0 0 * * ? *)', 'rate(0 minutes)', 'rate(1 minute)', '0m', '999999y', '0B', 's3://b/../x', '/dev/urandom', '../../etc/passwd',
  'password=hunter2', 'é', '😀', '\u0000', 'a'.repeat(5000), '{{resolve:ssm:/acme/key}}', 'x{{ RESOLVE : secretsmanager:db}}@a.example',
];
const hostileString = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
const hostileNumber = fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, 1e308, 0.5, -0);
const value = (slot: Slot) =>
  fc.oneof(
    { weight: 4, arbitrary: slot.type === 'string' ? hostileString : slot.type === 'boolean' ? fc.boolean() : hostileNumber },
    { weight: 1, arbitrary: fc.oneof(hostileString, hostileNumber, fc.constant(null), fc.constant([]), fc.constant({})) },
  );
const mapKey = fc.constantFrom('constructor', '__proto__', 'toString', 'path', 'PATH', 'x', 'write.data.path', 'a'.repeat(200), 'ä', '{{resolve:ssm:/k}}');
/** A CloudFormation dynamic reference, in any spelling: no artifact may carry one into a template. */
const DYNAMIC_REFERENCE = /\{\{\s*resolve\s*:/i;

const budget = { asl: 12 };

/** Checks every artifact that differs from the base build; asl-validator costs ~0.5 s, so at most `budget.asl` new definitions are validated overall. */
function expectValidArtifacts(files: ReadonlyMap<string, string>, base: ReadonlyMap<string, string>, sampled = true): void {
  for (const [path, text] of files) {
    if (base.get(path) === text) continue;
    // Diagnostics (report.json, the manifest's quarantined list) may quote one; they never reach a template.
    const deployed = path === 'report.json' ? '' : path === 'manifest.json' ? JSON.stringify({ ...JSON.parse(text), quarantined: [] }) : text;
    expect(DYNAMIC_REFERENCE.test(deployed), `${path} holds a dynamic reference`).toBe(false);
    if (path.endsWith('.asl.json')) expect(stateNameProblems(JSON.parse(text)), path).toEqual([]);
    if (path.endsWith('.asl.json') && (!sampled || budget.asl-- > 0)) expect(problemsOf(text), path).toEqual({ aslValidator: [], statelint: [] });
    if (path.includes('/jobs/')) {
      const doc = JSON.parse(text) as JobDocument;
      for (const step of doc.steps) {
        if ('sql' in step && !step.name.endsWith('.sql')) expect(syntaxErrors(step.sql), `${path} ${step.name}`).toEqual([]);
        if ('writeSql' in step) expect(syntaxErrors(step.writeSql), `${path} ${step.name}`).toEqual([]);
      }
    }
    if (path.endsWith('.json')) expect(() => JSON.parse(text), path).not.toThrow();
  }
}

const orch = 'owner: a@example.com\ndags:\n  - {name: mig, type: migration}\n';
const migration = (columns: string, more = '') =>
  `database: raw_a\ntables:\n  - name: t\n    source: {hdfs_path: /w/t, format: csv${more}}\n    datasync: {task_arn: arn:aws:datasync:us-east-1:123456789012:task/task-0a1b2c3d4e5f60718}\n    columns:\n${columns}`;
const spark = (extra: string) => `owner: a@example.com\ndags:\n  - name: j\n    type: transformation\n    spark: {entrypoint: s3://lakestep-artifacts/a/j.py${extra}}\n`;

describe('inputs that crashed or wrote invalid artifacts', () => {
  it.each([
    ['a documented struct type (normalized, then parsed again)', { 'a/migration.yaml': migration('      - {name: s, type: "struct<a: int, b: string>"}\n') }, []],
    ['type: constructor', { 'a/migration.yaml': migration('      - {name: s, type: constructor}\n') }, ['MIGRATION_COLUMN_TYPE']],
    ['type: __proto__', { 'a/migration.yaml': migration('      - {name: s, type: __proto__}\n') }, ['MIGRATION_COLUMN_TYPE']],
    ['a 5,000-deep array type', { 'a/migration.yaml': migration(`      - {name: s, type: "${'array<'.repeat(5000)}int${'>'.repeat(5000)}"}\n`) }, ['MIGRATION_COLUMN_TYPE']],
    ['a 256-character column name', { 'a/migration.yaml': migration(`      - {name: ${'c'.repeat(256)}, type: int}\n`) }, ['SCHEMA_MAX_LENGTH']],
    ['a 255-character column and table in a 252-character database', { 'a/migration.yaml': migration(`      - {name: ${'c'.repeat(255)}, type: int}\n`).replace('raw_a', 'd'.repeat(252)).replace('name: t\n', `name: ${'t'.repeat(255)}\n`) }, []],
    ['a dag entry without a name next to a misspelt dependency', { 'a/orchestration.yaml': spark('') + '  - {type: transformation, spark: {entrypoint: s3://lakestep-artifacts/a/x.py}}\n  - {name: k, type: transformation, depends_on: [jj], spark: {entrypoint: s3://lakestep-artifacts/a/k.py}}\n' }, ['SCHEMA_REQUIRED', 'DAG_UNKNOWN_DEPENDENCY']],
    ['the reserved reader option path', { 'a/migration.yaml': migration('      - {name: s, type: int}\n', ', options: {path: /x}') }, ['MIGRATION_RESERVED_OPTION']],
    ['partition transforms named like prototype members', { 'a/migration.yaml': migration('      - {name: s, type: int}\n') + '    partition_by: ["constructor(s)"]\n' }, ['MIGRATION_PARTITION']],
    ['a 60,000-field struct', { 'a/migration.yaml': migration(`      - {name: s, type: "struct<${Array.from({ length: 60_000 }, (_, i) => `f${i}: int`).join(', ')}>"}\n`) }, []],
    ['a newline and U+2028 in an argument next to a template', { 'a/orchestration.yaml': spark(', arguments: ["a\\n{{ ds }}", "{{ ds }}\\u2028"]') }, ['ARGUMENT_CONTROL_CHARACTER']],
    ['keys named constructor and __proto__', { 'a/orchestration.yaml': spark('') + '    constructor: 1\n    __proto__: {x: 1}\n' }, ['SCHEMA_UNKNOWN_FIELD']],
    [
      'maintenance cron groups whose state names pass 80 characters',
      {
        'a/orchestration.yaml': orch + '  - {name: m, type: maintenance}\n',
        'a/migration.yaml': migration('      - {name: s, type: int}\n'),
        'a/maintenance.yaml': ['tables:', '  - table: raw_a.t', ...['expire_snapshots', 'rewrite_data_files'].map((task, i) => `    ${task}: {schedule: "cron(0,5,10,15,20,25,30,35,40,45,50,55 0,1,2,3,4,5,6,7,8,9,10,11 ? * MON-${i ? 'SAT' : 'FRI'} *)"}`), ''].join('\n'),
      },
      [],
    ],
    ['a zero timeout', { 'a/orchestration.yaml': spark('') + '    timeout: 0m\n' }, ['DAG_TIMEOUT_TOO_SHORT']],
  ] as [string, Record<string, string>, string[]][])('%s', (_, files, codes) => {
    const started = performance.now();
    const r = compileTree({ 'a/orchestration.yaml': orch, ...files });
    expect(performance.now() - started).toBeLessThan(20_000);
    const errors = [...new Set(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))];
    expect(errors).toEqual(codes);
    expectValidArtifacts(r.files, new Map(), false);
  }, 60_000);
});

describe('a hand-edited manifest index of a build folder', () => {
  const files = new Map(manifestFiles(compileTree(Object.fromEntries(BASE.map((f) => [f.path, f.text]))).manifest));
  const parts = [...files.keys()].filter((p) => p !== MANIFEST_INDEX);

  it('reads a part only from <name>/manifest.json of a plain folder name, else refuses with ManifestError', () => {
    expect(parts.length).toBeGreaterThan(0);
    const hostilePath = fc.oneof(hostileString, fc.constantFrom(...parts, ...parts.map((p) => `../${p}`), ...parts.map((p) => `./${p}`), ...parts.map((p) => `/${p}`), ...parts.map((p) => p.replace('/', '\\'))));
    fc.assert(
      fc.property(fc.nat(parts.length - 1), fc.option(hostileString, { nil: undefined }), hostilePath, (i, name, manifest) => {
        const index = JSON.parse(files.get(MANIFEST_INDEX)!);
        const entry = index.useCases[i];
        if (name !== undefined) entry.name = name;
        entry.manifest = manifest;
        const read: string[] = [];
        const all = new Map([...files, [MANIFEST_INDEX, JSON.stringify(index)]]);
        let error: unknown;
        try {
          readManifest((p) => (read.push(p), all.get(p)));
        } catch (e) {
          error = e;
        }
        const accepted = typeof entry.name === 'string' && /^[a-z0-9]+$/.test(entry.name) && manifest === `${entry.name}/manifest.json`;
        if (!accepted) expect(error).toBeInstanceOf(ManifestError);
        // Whatever the index says, only the index and parts named after their own plain use case folder are opened.
        for (const p of read) expect(p === MANIFEST_INDEX || /^[a-z0-9]+\/manifest\.json$/.test(p), p).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('hostile values at every scalar position of every schema', () => {
  it('finds the scalar positions of all six schemas', () => {
    for (const kind of ['platform', 'orchestration', 'migration', 'ingestion', 'processing', 'maintenance']) expect(SLOTS.filter((s) => s.kind === kind).length, kind).toBeGreaterThan(3);
  });

  it('compile never throws, finishes in bounded time, and writes only valid artifacts', () => {
    const base = compileTree(BASE);
    expect(base.quarantined).toEqual([]);
    const slot = fc.constantFrom(...SLOTS);
    fc.assert(
      fc.property(slot.chain((s) => fc.tuple(fc.constant(s), value(s), mapKey)), ([s, v, key]) => {
        const file = fileOf(s.kind);
        const source = BASE.find((f) => f.path === file);
        const doc = setAt(source ? parse(source.text) : {}, s.path, v, key);
        const text = stringify(doc);
        const sources = [...BASE.filter((f) => f.path !== file), { path: file, text }];
        const started = performance.now();
        const r = compileTree(sources);
        expect(performance.now() - started, `${s.kind}:${s.path.join('/')}`).toBeLessThan(5_000);
        expectValidArtifacts(r.files, base.files);
      }),
      { numRuns: 150, seed: 11 },
    );
  }, 240_000);
});
