/**
 * Diagnostics of `compile()`: all of a file's problems in one run, each with a
 * real position and a JSON pointer that names a node of its file.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { readSpecs } from '../../src/cli/io.ts';
import type { Diagnostic } from '../../src/diagnostics.ts';
import { caseNames, GOLDEN_DIR } from '../golden/cases.ts';
import { compileTree } from './support.ts';

const sparkOrchestration = ['owner: a@example.com', 'dags:', '  - {name: one, type: transformation, spark: {entrypoint: s3://lakestep-artifacts/a/one.py}}', ''].join('\n');
const codesAt = (ds: Diagnostic[]) => ds.map((d) => `${d.line}:${d.column} ${d.code}`);

describe('compile() collects every diagnostic of a file', () => {
  it('reports all schema errors of one orchestration file, not the first', () => {
    const r = compileTree({
      'a/orchestration.yaml': [
        'owner: a@example.com',
        'colour: blue',
        'dags:',
        '  - name: one',
        '    type: transformation',
        '    retires: 2',
        '    spark: {entrypoint: s3://lakestep-artifacts/a/one.py}',
        '  - name: two',
        '    type: loading',
        '    spark: {entrypoint: s3://lakestep-artifacts/a/two.py, args: []}',
        '',
      ].join('\n'),
    });
    expect(codesAt(r.diagnostics)).toEqual([
      '2:1 SCHEMA_UNKNOWN_FIELD',
      '6:5 SCHEMA_UNKNOWN_FIELD',
      '9:11 SCHEMA_ENUM',
      '10:59 SCHEMA_UNKNOWN_FIELD',
    ]);
    expect(r.diagnostics[1]!.message).toContain("did you mean 'retries'?");
    expect(r.diagnostics.every((d) => d.severity === 'error' && d.file === 'a/orchestration.yaml' && d.useCase === 'a')).toBe(true);
  });

  it('checks the dags when the error is outside the dag list (a missing owner)', () => {
    const r = compileTree({
      'a/orchestration.yaml': ['dags:', '  - name: one', '    type: transformation', '    schedule: cron(0 25 * * ? *)', '    spark: {entrypoint: s3://lakestep-artifacts/a/one.py}', ''].join('\n'),
    });
    expect(codesAt(r.diagnostics)).toEqual(['1:1 SCHEMA_REQUIRED', '4:15 SCHEDULE_INVALID']);
    expect(r.quarantined.map((q) => q.useCase)).toEqual(['a']);
  });

  it('reports the errors of a phase file read by two dags once, the valid entries of a bad file included', () => {
    const r = compileTree({
      'a/orchestration.yaml': ['owner: a@example.com', 'dags:', '  - {name: one, type: maintenance}', '  - {name: two, type: maintenance}', ''].join('\n'),
      'a/maintenance.yaml': ['tables:', '  - {table: raw_a.x, expire_snapshot: {}}', '  - {table: raw_a.y, rewrite_manifests: {schedule: "cron(0 25 * * ? *)"}}', ''].join('\n'),
    });
    expect(codesAt(r.diagnostics.filter((d) => d.severity === 'error'))).toEqual(['2:22 SCHEMA_UNKNOWN_FIELD', '3:52 SCHEDULE_INVALID']);
    expect(r.diagnostics.map((d) => d.code)).not.toContain('SPEC_UNUSED_FILE');
  });

  it('does not call a file that failed to parse unused, and calls a readable one unused', () => {
    const r = compileTree({
      'a/orchestration.yaml': sparkOrchestration,
      'a/notes.yaml': 'tables: [\n',
      'a/old-migration.yaml': 'database: raw_a\ntables: []\n',
    });
    expect(r.diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(['a/notes.yaml YAML_BAD_INDENT', 'a/old-migration.yaml SPEC_UNUSED_FILE']);
  });

  it('reports all semantic errors of one file: schedule, template, dependency, duplicate, secret', () => {
    const r = compileTree({
      'a/orchestration.yaml': [
        'owner: a@example.com',
        'dags:',
        '  - name: one',
        '    type: transformation',
        '    schedule: rate(0 minutes)',
        '    spark: {entrypoint: s3://lakestep-artifacts/a/one.py, arguments: ["{{ today }}"]}',
        '  - name: two',
        '    type: transformation',
        '    depends_on: [zero]',
        '    spark: {entrypoint: s3://lakestep-artifacts/a/two.py, arguments: [--token, abc123]}',
        '  - name: one',
        '    type: transformation',
        '    spark: {entrypoint: s3://lakestep-artifacts/a/three.py}',
        '',
      ].join('\n'),
    });
    expect(codesAt(r.diagnostics)).toEqual([
      '5:15 SCHEDULE_INVALID',
      '6:71 TEMPLATE_INVALID',
      '9:18 DAG_UNKNOWN_DEPENDENCY',
      '10:80 SECRET_IN_CLEAR_TEXT',
      '11:11 DAG_DUPLICATE_NAME',
    ]);
    expect(r.files.has('a/one.asl.json')).toBe(false);
    expect(r.quarantined.map((q) => q.useCase)).toEqual(['a']);
  });

  it('reports YAML errors of several files of one tree in the same run', () => {
    const r = compileTree({
      'a/orchestration.yaml': 'owner: a@example.com\nowner: b@example.com\ndags: []\n',
      'b/orchestration.yaml': 'owner: b@example.com\ndags:\n  - name: x\n   type: transformation\n',
      'c/orchestration.yaml': 'owner: "unterminated\n',
    });
    expect(new Set(r.diagnostics.map((d) => d.file))).toEqual(new Set(['a/orchestration.yaml', 'b/orchestration.yaml', 'c/orchestration.yaml']));
    expect(r.diagnostics.every((d) => d.code.startsWith('YAML_'))).toBe(true);
    expect(r.quarantined.map((q) => q.useCase)).toEqual(['a', 'b', 'c']);
  });
});

const laughs = ['a0: &a0 [x, x]', ...Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}]`)];

describe('aliases that cannot be expanded are diagnostics, not exceptions', () => {
  it.each([
    ['an alias explosion (billion laughs)', `owner: a@example.com\n${laughs.join('\n')}\ndags: *a8\n`],
    ['an alias without its anchor', 'owner: a@example.com\ndags: [*missing]\n'],
  ])('%s is reported at its file and the other use cases compile', (_what, text) => {
    let r: ReturnType<typeof compileTree> | undefined;
    const b = 'owner: b@example.com\ndags: [{name: x, type: transformation, spark: {entrypoint: s3://lakestep-artifacts/b/x.py}}]\n';
    expect(() => (r = compileTree({ 'a/orchestration.yaml': text, 'b/orchestration.yaml': b }))).not.toThrow();
    expect(r!.quarantined.map((q) => q.useCase)).toEqual(['a']);
    expect(r!.diagnostics.some((d) => d.file === 'a/orchestration.yaml' && d.severity === 'error' && d.line >= 1 && d.column >= 1)).toBe(true);
    expect(r!.files.has('b/x.asl.json')).toBe(true);
  });
});

describe('YAML error positions', () => {
  it('stay on the right line after a stray multi-line scalar', () => {
    const r = compileTree({ 'a/orchestration.yaml': 'owner\n: \nuc0@example.com\ndags:\n' });
    // The ':' of 'dags:' is line 4, column 5; line 3 has only 15 characters.
    expect(r.diagnostics.map((d) => `${d.line}:${d.column}`)).toContain('4:5');
    for (const d of r.diagnostics) expect(d.line === 3 ? d.column <= 16 : true, `${d.line}:${d.column} ${d.message}`).toBe(true);
  });
});

describe('every diagnostic is positioned', () => {
  const trees = caseNames().map((name) => [name, readSpecs(`${GOLDEN_DIR}${name}/specs`)] as const);

  it.each(trees)('%s: file, line and column within the file, code, pointer into the document', (_name, sources) => {
    const r = compileTree(sources);
    const text = new Map(sources.map((s) => [s.path, s.text]));
    for (const d of r.diagnostics) {
      const where = `${d.file}:${d.line}:${d.column} ${d.code}`;
      expect(text.has(d.file), where).toBe(true);
      const lines = text.get(d.file)!.split('\n');
      expect(d.line, where).toBeGreaterThanOrEqual(1);
      expect(d.line, where).toBeLessThanOrEqual(lines.length);
      expect(d.column, where).toBeGreaterThanOrEqual(1);
      expect(d.column, where).toBeLessThanOrEqual(lines[d.line - 1]!.length + 1);
      expect(d.code, where).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(d.pointer, where).toMatch(/^(\/([^~/]|~[01])*)*$/);
      if (d.pointer !== '') {
        const doc = parseDocument(text.get(d.file)!);
        const path = d.pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
        expect(doc.hasIn(path), `${where} pointer ${d.pointer}`).toBe(true);
      }
    }
  });
});
