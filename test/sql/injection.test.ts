import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createTableSql,
  isValidIdentifier,
  landingViewSql,
  maintenanceSql,
  parsePartitionField,
  parseSortField,
  parseTableRef,
  quoteIdent,
  tableName,
  validateColumnType,
  validateExpression,
} from '../../src/sql/index.ts';
import { migrationTable, origin } from './fixtures.ts';
import { sparkTokens, syntaxErrors, unescapeSpark } from './syntax.ts';

const HOSTILE = [
  "o'brien",
  'a`b',
  'x; DROP TABLE t',
  'x -- comment',
  'x /* comment */',
  'Parameters.$',
  "States.Format('{}', $.run)",
  'two\nlines',
  "'); DROP TABLE t; --",
  '\\',
  '${Account}',
  ':ds',
];

describe('names from specs', () => {
  it.each(HOSTILE)('%j is rejected wherever a name goes', (name) => {
    expect(isValidIdentifier(name)).toBe(false);
    expect(() => quoteIdent(name)).toThrow();
    expect(() => tableName('glue', { database: 'raw', table: name })).toThrow();
    expect(() => tableName(name, { database: 'raw', table: 't' })).toThrow();
    expect(typeof parseTableRef(`raw.${name}`)).toBe('string');
    expect(typeof parsePartitionField(`days(${name})`)).toBe('string');
    expect(typeof parseSortField(name)).toBe('string');
    expect(validateColumnType(`struct<${name}: int>`)).not.toBeNull();
    expect(() => createTableSql('glue', migrationTable({ columns: [{ name, type: 'int', nullable: true }] }))).toThrow();
  });
});

describe('expressions from specs', () => {
  it.each([
    "op = 'D'; DROP TABLE t",
    "op = 'D' -- rest",
    "op = 'D' /* rest */",
    '`a b` = 1',
    "op = R'\\' OR TRUE) THEN UPDATE SET t.status = reflect('x') --'",
    'a b',
    '<status>',
    "op = 'D",
    'op = (1',
    'ts > :watermark',
    'a.$ = 1',
    "States.Format('{}', a) = 'x'",
    '1 = 1) OR (1 = 1',
    "a IN (SELECT b FROM t)",
  ])('%j is rejected', (expression) => {
    expect(validateExpression(expression)).toMatch(/offset \d+|empty/);
  });
});

/** The one string-literal token of `sql` that decodes to `value`. */
function literalTokensFor(sql: string, value: string): string[] {
  return sparkTokens(sql).filter((t) => t.startsWith("'") && unescapeSpark(t) === value);
}

describe('values from specs', () => {
  it.each(HOSTILE)('%j stays one literal in DDL, view options and procedure arguments', (value) => {
    const table = migrationTable({
      columns: [{ name: 'note', type: 'string', nullable: true, comment: value }],
      properties: { 'lakestep.note': value },
      formatOptions: { comment: value },
      partitionBy: [],
    });
    const ddl = createTableSql('glue', table);
    expect(syntaxErrors(ddl)).toEqual([]);
    expect(literalTokensFor(ddl, value)).toHaveLength(2);
    // Same statement shape as with a harmless value: nothing leaked out of the literal.
    const plain = createTableSql('glue', migrationTable({ ...table, columns: [{ name: 'note', type: 'string', nullable: true, comment: 'x' }], properties: { 'lakestep.note': 'x' } }));
    expect(sparkTokens(ddl).length).toBe(sparkTokens(plain).length);

    const view = landingViewSql(table);
    expect(syntaxErrors(view)).toEqual([]);
    expect(literalTokensFor(view, value)).toHaveLength(1);
  });

  it('keeps hostile landing paths and where strings inside their literals', () => {
    const path = "s3://bucket/x'); DROP TABLE t; --\n/*";
    const view = landingViewSql(migrationTable({ landingPath: path }));
    expect(literalTokensFor(view, path)).toHaveLength(1);
    const where = "note = '; DROP TABLE t; -- States.Format(x) .$'";
    const [call] = maintenanceSql('glue', { kind: 'rewrite_data_files', table: { database: 'raw', table: 't' }, schedule: 'rate(1 day)', options: { where }, origin });
    expect(call?.sql).toBe(`CALL \`glue\`.system.rewrite_data_files(table => 'raw.t', where => '\`note\` = \\'; DROP TABLE t; -- States.Format(x) .$\\'')`);
    expect(syntaxErrors(call?.sql ?? '')).toEqual([]);
  });

  it('never lets a column comment change the statement (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (comment) => {
        const table = migrationTable({ columns: [{ name: 'a', type: 'int', nullable: true, comment }], partitionBy: [] });
        const sql = createTableSql('glue', table);
        expect(literalTokensFor(sql, comment)).toHaveLength(1);
        expect(syntaxErrors(sql)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
