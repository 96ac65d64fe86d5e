import { describe, expect, it } from 'vitest';
import { analyzeSql } from '../../src/sql/analysis/index.ts';
import { usesOf, usesOfOne } from './analysis-helpers.ts';

describe('analyzeSql: common table expressions', () => {
  it.each([
    { given: 'WITH events AS (SELECT * FROM raw.events WHERE ok) SELECT * FROM events', want: ['read select raw.events'] },
    // A CTE does not see itself: the inner `events` is the table (Spark's WITH is not recursive).
    { given: 'WITH events AS (SELECT * FROM events) SELECT * FROM events', want: ['read select events'] },
    { given: 'WITH a AS (SELECT * FROM raw.e), b AS (SELECT * FROM a JOIN raw.u ON a.k = u.k) INSERT INTO proc.j SELECT * FROM b', want: ['read select raw.e', 'read select raw.u', 'write insert proc.j'] },
    // A later CTE sees the earlier ones, an earlier one does not see a later one.
    { given: 'WITH a AS (SELECT * FROM b), b AS (SELECT * FROM a) SELECT * FROM b', want: ['read select b'] },
    { given: 'WITH x AS (WITH y AS (SELECT * FROM raw.deep) SELECT * FROM y) SELECT * FROM x, y', want: ['read select raw.deep', 'read select y'] },
    // An inner WITH shadows an outer one of the same name, only inside.
    { given: 'WITH t AS (SELECT * FROM raw.a) SELECT * FROM (WITH t AS (SELECT * FROM raw.b) SELECT * FROM t) JOIN t', want: ['read select raw.a', 'read select raw.b'] },
    // CTE names are case-insensitive, and a qualified name is never a CTE.
    { given: 'WITH Orders AS (SELECT * FROM raw.orders) SELECT * FROM ORDERS JOIN raw.Orders', want: ['read select raw.orders', 'read select raw.Orders'] },
    // In subqueries of the body, in a MERGE source and under INSERT.
    { given: 'WITH k AS (SELECT id FROM raw.keys) SELECT * FROM raw.t WHERE id IN (SELECT id FROM k)', want: ['read select raw.keys', 'read select raw.t'] },
    { given: 'INSERT INTO proc.t WITH s AS (SELECT * FROM raw.s) SELECT * FROM s', want: ['write insert proc.t', 'read select raw.s'] },
    { given: 'WITH s AS (SELECT * FROM raw.s) MERGE INTO proc.t USING s ON t.id = s.id WHEN MATCHED THEN DELETE', want: ['read select raw.s', 'write merge proc.t'] },
    // The target of a DML statement is a table even when a CTE has its name.
    { given: 'WITH t AS (SELECT * FROM raw.s) INSERT INTO t SELECT * FROM t', want: ['read select raw.s', 'write insert t'] },
  ])('$given', ({ given, want }) => expect(usesOfOne(given)).toEqual(want));
});

describe('analyzeSql: temporary views are never tables', () => {
  it('follows views defined, read and dropped along the file', () => {
    const r = analyzeSql(
      [
        'CREATE OR REPLACE TEMP VIEW recent AS SELECT * FROM raw.events',
        'CREATE TEMPORARY VIEW Ids AS SELECT id FROM recent',
        'CACHE TABLE hot AS SELECT * FROM raw.events WHERE hot',
        'CREATE GLOBAL TEMPORARY VIEW shared AS SELECT 1',
        "CREATE TEMPORARY VIEW files USING parquet OPTIONS (path 's3://b/p')",
        'INSERT INTO proc.daily SELECT * FROM recent JOIN ids USING (id) JOIN hot USING (id) JOIN global_temp.shared JOIN files',
        'UNCACHE TABLE hot',
        'DROP VIEW recent',
        'SELECT * FROM recent JOIN shared',
      ].join(';\n'),
    );
    expect(r.problems).toEqual([]);
    expect(r.statements.map((s) => [s.uses.map((u) => `${u.role} ${u.name.parts.join('.')}`), s.tempViews])).toEqual([
      [['read raw.events'], { defines: 'recent', reads: [] }],
      [[], { defines: 'ids', reads: ['recent'] }],
      [['read raw.events'], { defines: 'hot', reads: [] }],
      [[], { defines: 'global_temp.shared', reads: [] }],
      [[], { defines: 'files', reads: [] }],
      [['write proc.daily'], { reads: ['recent', 'ids', 'hot', 'global_temp.shared', 'files'] }],
      [[], { reads: ['hot'] }],
      [[], { drops: 'recent', reads: [] }],
      // After DROP VIEW the name is a table again; a global view is read only through global_temp.
      [['read recent', 'read shared'], { reads: [] }],
    ]);
  });

  it('takes DROP TABLE of a temporary view for the drop of the view, as Spark does: the table of that name is read after it', () => {
    const r = analyzeSql('USE raw_orders;\nCREATE TEMP VIEW refunds AS SELECT 1;\nDROP TABLE refunds;\nUSE raw_payments;\nSELECT * FROM refunds');
    expect(r.problems).toEqual([]);
    // Before: a drop of raw_orders.refunds, and the read of raw_payments.refunds taken for the view.
    expect(r.statements.map((s) => [s.uses.map((u) => `${u.operation} ${(u.name.resolved ?? u.name.parts).join('.')}`), s.tempViews])).toEqual([
      [[], { reads: [] }],
      [[], { defines: 'refunds', reads: [] }],
      [[], { drops: 'refunds', reads: [] }],
      [[], { reads: [] }],
      [['select raw_payments.refunds'], { reads: [] }],
    ]);
  });

  it('knows views an earlier file of the session defined, and the changelog view of create_changelog_view', () => {
    const r = analyzeSql("SELECT * FROM staged; CALL cat.system.create_changelog_view(table => 'raw.e'); SELECT * FROM e_changes", { tempViews: ['Staged'] });
    expect(r.statements.map((s) => s.tempViews)).toEqual([{ reads: ['staged'] }, { defines: 'e_changes', reads: [] }, { reads: ['e_changes'] }]);
    expect(r.statements.flatMap((s) => s.uses.map((u) => u.name.parts.join('.')))).toEqual(['raw.e']);
  });

  it('a CTE shadows a temporary view of the same name', () => {
    expect(usesOf('CREATE TEMP VIEW v AS SELECT 1; WITH v AS (SELECT * FROM raw.x) SELECT * FROM v')).toEqual([[], ['read select raw.x']]);
  });
});

describe('analyzeSql: USE', () => {
  it('resolves later one-part names and says so', () => {
    const r = analyzeSql('SELECT * FROM early;\nUSE raw;\nINSERT INTO daily SELECT * FROM events JOIN proc.other;\nUSE NAMESPACE glue_catalog.proc;\nSELECT * FROM t');
    expect(r.problems).toEqual([]);
    const names = r.statements.map((s) => s.uses.map((u) => u.name));
    expect(names).toEqual([
      [{ parts: ['early'] }],
      [],
      [
        { parts: ['daily'], resolved: ['raw', 'daily'], use: { line: 2, column: 1 } },
        { parts: ['events'], resolved: ['raw', 'events'], use: { line: 2, column: 1 } },
        { parts: ['proc', 'other'] },
      ],
      [],
      [{ parts: ['t'], resolved: ['glue_catalog', 'proc', 't'], use: { line: 4, column: 1 } }],
    ]);
  });

  it('reads USE IDENTIFIER with a string constant, and refuses it with anything else at the statement (no crash)', () => {
    const r = analyzeSql("USE IDENTIFIER('raw');\nSELECT * FROM t");
    expect(r.problems).toEqual([]);
    expect(r.statements[1]!.uses.map((u) => u.name)).toEqual([{ parts: ['t'], resolved: ['raw', 't'], use: { line: 1, column: 1 } }]);
    expect(analyzeSql('USE IDENTIFIER(:ds);\nSELECT 1').problems).toEqual([
      expect.objectContaining({ code: 'SQL_UNSUPPORTED', line: 1, column: 5, message: expect.stringContaining('IDENTIFIER(…) names a table only with a string constant') }),
    ]);
  });
});

describe('analyzeSql: never a table from a comment or a string literal', () => {
  it.each([
    { given: "-- DROP TABLE raw.a;\nSELECT 'INSERT INTO raw.b SELECT 1; DROP TABLE raw.c' AS s FROM raw.real", want: [['read select raw.real']] },
    { given: '/* MERGE INTO raw.a USING raw.b; */ SELECT "raw.c; DELETE FROM raw.d" FROM raw.real', want: [['read select raw.real']] },
    // A backslash escapes the quote in '…' but not in a raw R'…': the literal ends where Spark ends it.
    { given: "SELECT * FROM raw.real WHERE note = '\\' ; DROP TABLE raw.x; --'", want: [['read select raw.real']] },
    { given: "SELECT * FROM raw.real WHERE note = R'\\' ; DROP TABLE raw.x; --'", want: [['read select raw.real'], ['write drop raw.x']] },
    { given: '/* nested /* comment; DROP TABLE raw.a; */ still; DROP TABLE raw.b; */ SELECT 1', want: [[]] },
    { given: "SELECT `raw.a; DROP TABLE raw.b` FROM raw.real -- ; DROP TABLE raw.c\n", want: [['read select raw.real']] },
    { given: "SELECT * FROM raw.real WHERE a = 'it\\'s; DROP TABLE raw.x'", want: [['read select raw.real']] },
    { given: '-- only a comment; DROP TABLE raw.a\n/* and another */', want: [] },
  ])('$given', ({ given, want }) => expect(usesOf(given)).toEqual(want));
});

describe('analyzeSql: parameter markers', () => {
  it('reads statements with named markers, which the runtime binds', () => {
    expect(usesOf('DELETE FROM proc.d WHERE ds = :ds; INSERT INTO proc.d SELECT :ds, * FROM raw.e WHERE ts > :watermark AND run = :run_id')).toEqual([
      ['write delete proc.d'],
      ['write insert proc.d', 'read select raw.e'],
    ]);
  });
});
