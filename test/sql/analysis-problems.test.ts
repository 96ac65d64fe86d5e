import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeSql, splitStatements } from '../../src/sql/analysis/index.ts';

const DECLARE = 'this statement cannot be analysed; declare the tables it reads and writes with `reads:` and `writes:`';

describe('analyzeSql: statements it cannot read are problems, never skipped', () => {
  it.each([
    { given: 'SELEC * FROM raw.a', code: 'SQL_SYNTAX', at: [1, 1], message: /^syntax error: mismatched input 'SELEC' expecting one of/ },
    { given: 'INSERT INTO proc.a SELEC 1', code: 'SQL_SYNTAX', at: [1, 20], message: /^syntax error: mismatched input 'SELEC'/ },
    { given: 'SELECT 1 SELECT 2', code: 'SQL_SYNTAX', at: [1, 10], message: /^syntax error: a second statement starts here/ },
    { given: 'SELECT * FROM my-table', code: 'SQL_SYNTAX', at: [1, 18], message: /^syntax error: no viable alternative/ },
    { given: 'SELECT * FROM my-tab', code: 'SQL_SYNTAX', at: [1, 15], message: /^"my-tab" is not a valid name/ },
    // Spark's CREATE TABLE … LIKE (a v1 command) takes names of two parts at most.
    { given: 'CREATE TABLE glue_catalog.proc.d LIKE raw.e', code: 'SQL_SYNTAX', at: [1, 31], message: /^syntax error/ },
    { given: 'SELECT * FROM "raw"."a"', code: 'SQL_SYNTAX', at: [1, 15], message: /^"raw" is a string in Spark SQL, not a name/ },
    { given: "SELECT * FROM raw.a WHERE b = 'open", code: 'SQL_SYNTAX', at: [1, 31], message: /^syntax error/ },
    { given: 'SHOW TABLES IN raw', code: 'SQL_UNSUPPORTED', at: [1, 1], message: /^SHOW TABLES …: statements of this kind \(showTables\) are not modelled/ },
    { given: "ADD JAR 's3://b/evil.jar'", code: 'SQL_UNSUPPORTED', at: [1, 1], message: /\(manageResource\)/ },
    { given: 'EXPLAIN SELECT * FROM raw.a', code: 'SQL_UNSUPPORTED', at: [1, 1], message: /\(explainStatement\)/ },
    { given: 'DROP DATABASE raw CASCADE', code: 'SQL_UNSUPPORTED', at: [1, 1], message: /\(dropNamespace\)/ },
    { given: "CREATE FUNCTION f AS 'com.evil.F'", code: 'SQL_UNSUPPORTED', at: [1, 1], message: /\(createFunction\)/ },
    { given: "INSERT OVERWRITE DIRECTORY 's3://b/p' USING parquet SELECT * FROM raw.a", code: 'SQL_UNSUPPORTED', at: [1, 1], message: /^INSERT OVERWRITE DIRECTORY writes files/ },
    { given: 'SET spark.sql.catalog.glue_catalog.warehouse = s3://elsewhere/', code: 'SQL_UNSUPPORTED', at: [1, 1], message: /changes where tables are read or written/ },
    { given: 'SET spark.wap.branch = audit', code: 'SQL_UNSUPPORTED', at: [1, 1], message: /changes where tables are read or written/ },
    { given: "ALTER TABLE proc.s SET LOCATION 's3://b/raw_payments/payments/'", code: 'SQL_UNSUPPORTED', at: [1, 24], message: /^LOCATION puts a table's or database's files elsewhere than the platform lays them out/ },
    { given: "CREATE TABLE proc.t (id bigint) USING iceberg LOCATION 's3://b/raw_payments/payments/'", code: 'SQL_UNSUPPORTED', at: [1, 47], message: /^LOCATION puts/ },
    { given: "CREATE TABLE proc.t LIKE proc.s LOCATION 's3://b/p/'", code: 'SQL_UNSUPPORTED', at: [1, 33], message: /^LOCATION puts/ },
    { given: "CREATE DATABASE proc LOCATION 's3://b/lakestep/'", code: 'SQL_UNSUPPORTED', at: [1, 22], message: /^LOCATION puts/ },
    { given: "CREATE TEMPORARY TABLE v USING parquet OPTIONS (path 's3://b/p/')", code: 'SQL_UNSUPPORTED', at: [1, 1], message: /^CREATE TEMPORARY TABLE makes a temporary view over files/ },
    { given: 'SET `spark.sql.variable.substitute` = true', code: 'SQL_UNSUPPORTED', at: [1, 1], message: /would let Spark rewrite the text of later statements/ },
    { given: "SELECT * FROM IDENTIFIER(concat('raw', '.a'))", code: 'SQL_UNSUPPORTED', at: [1, 15], message: /^IDENTIFIER\(…\) names a table only with a string constant/ },
    { given: "CALL glue_catalog.system.evil('raw.a')", code: 'SQL_UNSUPPORTED', at: [1, 6], message: /^procedure glue_catalog\.system\.evil is not one of Iceberg's system procedures/ },
    { given: "CALL glue_catalog.other.expire_snapshots('raw.a')", code: 'SQL_UNSUPPORTED', at: [1, 6], message: /is not one of Iceberg's system procedures/ },
    { given: "CALL glue_catalog.system.expire_snapshots(table => concat('raw', '.a'))", code: 'SQL_UNSUPPORTED', at: [1, 52], message: /^the table argument must be a string constant naming the table/ },
    { given: "CALL glue_catalog.system.expire_snapshots(table => 'raw.a; DROP TABLE raw.b')", code: 'SQL_UNSUPPORTED', at: [1, 52], message: /^the table argument must be a string constant/ },
    { given: "CALL glue_catalog.system.expire_snapshots(older_than => TIMESTAMP '2024-01-01')", code: 'SQL_SYNTAX', at: [1, 6], message: /^expire_snapshots needs its table argument/ },
    { given: "CALL glue_catalog.system.expire_snapshots(table => 'raw.a', 'x')", code: 'SQL_SYNTAX', at: [1, 61], message: /^a positional argument cannot follow named ones/ },
    { given: "CALL glue_catalog.system.expire_snapshots(table => 'raw.a', tabel => 'raw.b')", code: 'SQL_UNSUPPORTED', at: [1, 61], message: /^expire_snapshots has no argument tabel/ },
    { given: "CALL glue_catalog.system.expire_snapshots(table => 'raw.a', table => 'raw.b')", code: 'SQL_SYNTAX', at: [1, 61], message: /^argument table is given twice/ },
    { given: "CALL glue_catalog.system.expire_snapshots('raw.a', )", code: 'SQL_SYNTAX', at: [1, 52], message: /^an argument is missing/ },
    { given: "CALL glue_catalog.system.expire_snapshots(table => 'raw.a', older_than => :cutoff)", code: 'SQL_SYNTAX', at: [1, 75], message: /^Iceberg's CALL takes no parameter markers/ },
    { given: 'ALTER TABLE raw.a WRITE ORDERED BY (SELECT 1)', code: 'SQL_SYNTAX', at: [1, 37], message: /^unexpected "SELECT" in ALTER TABLE … WRITE/ },
  ])('$given', ({ given, code, at, message }) => {
    const r = analyzeSql(given);
    expect(r.problems).toHaveLength(1);
    const [p] = r.problems;
    expect([p!.code, p!.line, p!.column]).toEqual([code, ...at]);
    expect(p!.message).toMatch(message);
    expect(p!.message.endsWith(DECLARE)).toBe(true);
    expect(r.statements).toHaveLength(1);
    expect(r.statements[0]!.analysed).toBe(false);
  });

  it('reports templates, which are not SQL, and keeps analysing the other statements', () => {
    const r = analyzeSql("INSERT INTO proc.a SELECT * FROM raw.b WHERE ds = '{{ ds }}';\nDELETE FROM proc.a WHERE ds < {{ ds }};\nSELECT * FROM ${db}.t;\nSELECT {% if x %} 1 {% endif %}");
    expect(r.problems.map((p) => [p.code, p.line, p.column])).toEqual([
      ['SQL_TEMPLATE', 2, 31],
      ['SQL_TEMPLATE', 3, 15],
      ['SQL_TEMPLATE', 4, 8],
    ]);
    expect(r.problems[0]!.message).toBe('`{{ … }}` is a template, not Spark SQL: write run parameters as markers (:ds, :ts, :run_id)');
    // The first statement holds `{{ ds }}` inside a string: plain SQL.
    expect(r.statements.map((s) => s.analysed)).toEqual([true, false, false, false]);
    expect(r.statements[0]!.uses.map((u) => u.name.parts.join('.'))).toEqual(['proc.a', 'raw.b']);
  });

  it('reports ${ in string literals, comments and quoted names, which Spark substitutes before parsing', () => {
    const r = analyzeSql(
      [
        "SET x=*/ raw_payments.payments SELECT * FROM raw_orders.orders --\n;",
        'INSERT INTO /*${x}*/ proc.a SELECT * FROM raw.b;',
        "INSERT INTO proc.a SELECT '${env:AWS_SECRET_ACCESS_KEY}', '${system:user.name}';",
        'SELECT `a${b}` FROM raw.c -- ${spark:spark.app.name}',
      ].join('\n'),
    );
    expect(r.problems.map((p) => [p.code, p.line, p.column])).toEqual([
      ['SQL_TEMPLATE', 3, 15],
      ['SQL_TEMPLATE', 4, 28],
      ['SQL_TEMPLATE', 4, 60],
      ['SQL_TEMPLATE', 5, 10],
      ['SQL_TEMPLATE', 5, 30],
    ]);
    expect(r.problems[0]!.message).toContain('Spark substitutes in strings and comments too');
  });

  it('reports the nesting it refuses to follow instead of overflowing the stack', () => {
    const r = analyzeSql(`SELECT * FROM raw.a WHERE x = ${'('.repeat(5000)}1${')'.repeat(5000)}`);
    expect(r.problems.map((p) => [p.code, p.column])).toEqual([['SQL_UNSUPPORTED', 231]]);
    expect(r.problems[0]!.message).toMatch(/^parentheses nested more than 200 deep/);
    const nots = analyzeSql(`SELECT ${'NOT '.repeat(20_000)}x FROM raw.a; SELECT * FROM raw.b`);
    expect(nots.problems.map((p) => [p.code, p.line, p.column, p.message.split(':')[0]])).toEqual([['SQL_UNSUPPORTED', 1, 1, 'the statement is nested too deeply']]);
    expect(nots.statements[1]!.uses.map((u) => u.name.parts.join('.'))).toEqual(['raw.b']);
  });
});

describe('analyzeSql: positions', () => {
  it('gives 1-based lines and columns in the whole file, with CRLF line ends and tabs', () => {
    const sql = '-- header\r\n\r\n\tINSERT INTO\tproc.daily\r\n\tSELECT *\r\n\tFROM\t`raw`.events e\r\n\tJOIN raw.users u ON e.u = u.id;\r\n\r\n/* c */ CALL glue_catalog.system.expire_snapshots(\r\n\t\ttable => \'raw.events\')\r\n';
    const r = analyzeSql(sql);
    expect(r.problems).toEqual([]);
    expect(r.statements.map((s) => [s.line, s.column])).toEqual([[3, 2], [8, 9]]);
    expect(r.statements.flatMap((s) => s.uses.map((u) => [u.name.parts.join('.'), u.line, u.column]))).toEqual([
      ['proc.daily', 3, 14],
      ['raw.events', 5, 7],
      ['raw.users', 6, 7],
      ['raw.events', 9, 12],
    ]);
  });

  it('points at the first part of a name whose catalog was set aside for the grammar', () => {
    const r = analyzeSql('MERGE INTO\n  glue_catalog.proc.d AS t\nUSING glue_catalog.raw.e s ON t.id = s.id WHEN MATCHED THEN DELETE');
    expect(r.statements[0]!.uses.map((u) => [u.name.parts.join('.'), u.line, u.column])).toEqual([
      ['glue_catalog.proc.d', 2, 3],
      ['glue_catalog.raw.e', 3, 7],
    ]);
  });

  it('counts UTF-16 units, as JavaScript strings do, after characters outside the BMP', () => {
    const r = analyzeSql("SELECT '😀😀' AS e, 1 FROM raw.a; /* 🙂 */ DELETE FROM raw.b");
    expect(r.statements.flatMap((s) => s.uses.map((u) => [u.name.parts.join('.'), u.column]))).toEqual([
      ['raw.a', 28],
      ['raw.b', 56],
    ]);
    expect(r.statements.map((s) => s.text)).toEqual(["SELECT '😀😀' AS e, 1 FROM raw.a", '/* 🙂 */ DELETE FROM raw.b']);
  });
});

describe('splitStatements', () => {
  it.each([
    { given: "SELECT 1; SELECT ';' AS a -- ;\n; SELECT `;`", want: ['SELECT 1', "SELECT ';' AS a -- ;", 'SELECT `;`'] },
    { given: '-- Daily totals; two statements.\nDELETE FROM t WHERE ds = :ds;\nINSERT INTO t SELECT 1;\n', want: ['-- Daily totals; two statements.\nDELETE FROM t WHERE ds = :ds', 'INSERT INTO t SELECT 1'] },
    { given: "SELECT 'a\\';b'; /* x; /* y; */ z; */ SELECT 2;;", want: ["SELECT 'a\\';b'", '/* x; /* y; */ z; */ SELECT 2'] },
    { given: '  ;\n-- nothing\n;', want: [] },
  ])('$given', ({ given, want }) => expect(splitStatements(given)).toEqual(want));
});

describe('analyzeSql: property', () => {
  /** Pieces of SQL, hostile and not, in any order. */
  const PIECES = ['SELECT', ' * ', 'FROM', ' raw.a ', 'glue_catalog.proc.b', "'", '"', '`', '--', '/*', '*/', '\n', '\r\n', '\t', ';', '(', ')', ',', 'INSERT INTO', 'MERGE INTO', ' USING ', ' ON ', 'WITH x AS (', 'CALL cat.system.expire_snapshots(', "table => 'db.t'", ' => ', 'ALTER TABLE', ' ADD PARTITION FIELD ', 'DROP', ' TABLE ', 'CREATE TEMP VIEW v AS ', '{{ ds }}', '${x}', ':ds', '?', '😀', '\u0000', 'é', 'R\'\\\'', 'X\'0F\'', ' WHEN MATCHED THEN DELETE', 'USE raw', 'IDENTIFIER(', 'LATERAL VIEW explode(a) t', '-', '.', '1e3'];
  const soup = fc.oneof(fc.string({ maxLength: 60 }), fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((p) => p.join('')));

  it('never throws on garbage, and every position it reports is inside the text', () => {
    fc.assert(
      fc.property(soup, (text) => {
        const r = analyzeSql(text);
        const lines = text.split('\n');
        const inside = (p: { line: number; column: number }) => p.line >= 1 && p.line <= lines.length && p.column >= 1 && p.column <= lines[p.line - 1]!.length + 1;
        for (const s of r.statements) {
          expect(inside(s)).toBe(true);
          for (const u of s.uses) expect(inside(u)).toBe(true);
          expect(s.analysed || r.problems.length > 0).toBe(true);
        }
        for (const p of r.problems) expect(inside(p)).toBe(true);
        expect(r.statements.map((s) => s.text)).toEqual(splitStatements(text));
      }),
      { numRuns: 300, seed: 17 },
    );
  });
});
