/**
 * Spec values reach SQL (job documents) and ASL (state machines). Values with
 * quotes, backticks, semicolons, comments, `.$` keys or intrinsic calls are
 * either rejected with a positioned diagnostic (identifiers, expressions) or
 * carried as inert text: one SQL string literal, one ASL string.
 */
import { describe, expect, it } from 'vitest';
import type { JobDocument } from '../../src/build/types.ts';
import { compile } from '../../src/compile.ts';
import type { SourceFile } from '../../src/spec/files.ts';
import { aslProblems } from '../helpers/asl.ts';
import { sparkTokens, syntaxErrors, unescapeSpark } from '../sql/syntax.ts';

const NASTY = `it's \`x\`; DROP TABLE t -- /* .$ States.Format('{}', $.run) */ \${X} \\ end`;
const yamlString = (s: string) => JSON.stringify(s);

function tree(files: Record<string, string>): SourceFile[] {
  return Object.entries(files).map(([path, text]) => ({ path, text }));
}

const orchestration = (body: string) => `owner: team@example.com\ndags:\n${body}`;

describe('hostile identifiers are rejected where they are written', () => {
  it.each([
    ['a column name', 'columns:\n      - {name: "id; DROP TABLE x", type: bigint}', 'MIGRATION_COLUMN_NAME'],
    ['a quoted column name', 'columns:\n      - {name: "a`b", type: bigint}', 'MIGRATION_COLUMN_NAME'],
    ['a column type', 'columns:\n      - {name: id, type: "bigint) USING x --"}', 'MIGRATION_COLUMN_TYPE'],
    ['a partition transform', 'columns:\n      - {name: id, type: bigint}\n    partition_by: ["bucket(16, id); DROP"]', 'MIGRATION_PARTITION'],
  ])('%s', (_what, table, code) => {
    const r = compile(
      tree({
        'm/orchestration.yaml': orchestration('  - {name: mig, type: migration}\n'),
        'm/migration.yaml': `database: raw_m\ntables:\n  - name: t\n    source: {hdfs_path: /w/t, format: parquet}\n    datasync: {task_arn: arn:aws:datasync:us-east-1:123456789012:task/task-0a1b2c3d4e5f60718}\n    ${table}\n`,
      }),
      { lakestepVersion: 'test' },
    );
    const d = r.diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(r.diagnostics)).toBeDefined();
    expect(d!.file).toBe('m/migration.yaml');
    expect(d!.line).toBeGreaterThan(5);
    expect(r.quarantined.map((q) => q.useCase)).toEqual(['m']);
  });

  it.each([
    ["op = 'D'; DROP TABLE x", 'PROCESSING_EXPRESSION'],
    ["op = 'D' -- comment", 'PROCESSING_EXPRESSION'],
    ['`o p` = 1', 'PROCESSING_EXPRESSION'],
    ["op = R'\\' OR TRUE) THEN UPDATE SET t.status = reflect(1) --'", 'PROCESSING_EXPRESSION'],
    ['a b', 'PROCESSING_EXPRESSION'],
    ['<status>', 'PROCESSING_EXPRESSION'],
    ["op IN (SELECT 'D')", 'PROCESSING_EXPRESSION'],
  ])('delete_when %s', (expr, code) => {
    const r = compile(
      tree({
        'p/orchestration.yaml': orchestration('  - {name: up, type: transformation}\n'),
        'p/processing.yaml': `merges:\n  - {target: proc.t, source: raw.t, keys: [id], delete_when: ${yamlString(expr)}}\n`,
      }),
      { lakestepVersion: 'test' },
    );
    expect(r.diagnostics.map((d) => `${d.file}:${d.line} ${d.code}`)).toContain(`p/processing.yaml:2 ${code}`);
  });
});

describe('hostile free text is carried as inert text', () => {
  const r = compile(
    tree({
      'x/orchestration.yaml': orchestration(
        [
          '  - {name: mig, type: migration}',
          '  - name: job',
          '    type: transformation',
          '    spark:',
          '      entrypoint: s3://lakestep-artifacts/x/job.py',
          `      arguments: [${yamlString(NASTY.replace('${X}', ''))}, ${yamlString(`{{ ds }}/${NASTY.replace('${X}', '').replace('\\', '')}`)}, ".$", "$.run.ds"]`,
          '',
        ].join('\n'),
      ),
      'x/migration.yaml': [
        'database: raw_x',
        'tables:',
        '  - name: t',
        `    source: {hdfs_path: ${yamlString("/w/it's;--`x`/*.$")}, format: csv, options: {sep: ${yamlString("';")}}}`,
        '    datasync: {task_arn: arn:aws:datasync:us-east-1:123456789012:task/task-0a1b2c3d4e5f60718}',
        '    columns:',
        `      - {name: id, type: bigint, comment: ${yamlString(NASTY.replace('${X}', ''))}}`,
        `    properties: {comment: ${yamlString(NASTY.replace('${X}', ''))}}`,
        '',
      ].join('\n'),
    }),
    { lakestepVersion: 'test' },
  );

  it('compiles, and every definition passes both validators', () => {
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const [path, text] of r.files) if (path.endsWith('.asl.json')) expect(aslProblems(JSON.parse(text)), path).toEqual({ aslValidator: [], statelint: [] });
  });

  it('keeps literal arguments as plain strings and escapes them inside intrinsics', () => {
    const asl = JSON.parse(r.files.get('x/job.asl.json')!) as { States: Record<string, { Parameters?: { JobDriver: { SparkSubmit: Record<string, unknown> } } }> };
    const submit = asl.States['Run job']!.Parameters!.JobDriver.SparkSubmit;
    const expr = submit['EntryPointArguments.$'] as string;
    expect(expr.startsWith('States.Array(')).toBe(true);
    // The plain `.$` and `$.run.ds` arguments are quoted literals, not paths.
    expect(expr).toContain("'.$'");
    expect(expr).toContain("'$.run.ds'");
    // Text with a backslash is not written inside the intrinsic: a Pass state holds it verbatim.
    expect(expr).toContain('$.args.t0');
    expect((asl.States['Prepare arguments'] as unknown as { Parameters: Record<string, string> }).Parameters.t0).toBe(NASTY.replace('${X}', ''));
    expect(expr).toContain("States.Format(\\'\\{\\}\\', $.run)");
    expect(Object.keys(submit).filter((k) => k.endsWith('.$'))).toEqual(['EntryPointArguments.$']);
  });

  it('puts hostile text into SQL only as single string literals that decode to the original', () => {
    const jobs = [...r.files].filter(([p]) => p.includes('/jobs/')).map(([, t]) => JSON.parse(t) as JobDocument);
    const sqls = jobs.flatMap((j) => j.steps.flatMap((s) => ('sql' in s ? [s.sql] : [])));
    const clean = NASTY.replace('${X}', '');
    let found = 0;
    for (const sql of sqls) {
      expect(syntaxErrors(sql), sql).toEqual([]);
      for (const token of sparkTokens(sql)) {
        if (token.startsWith("'") && unescapeSpark(token).includes('DROP TABLE')) {
          found++;
          expect(unescapeSpark(token)).toBe(clean);
        }
        expect(token.toUpperCase() === 'DROP').toBe(false);
      }
    }
    expect(found).toBeGreaterThanOrEqual(2);
  });
});
