import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  identifierCaseWarning,
  isValidIdentifier,
  parseTableRef,
  quoteIdent,
  sqlString,
  tableName,
} from '../../src/sql/index.ts';
import { sparkTokens, unescapeSpark } from './syntax.ts';

describe('isValidIdentifier', () => {
  it.each([
    ['orders', true],
    ['_tmp1', true],
    ['Orders_2024', true],
    ['a'.repeat(255), true],
    ['a'.repeat(256), false],
    ['', false],
    ['1orders', false],
    ['order-id', false],
    ['db.table', false],
    ['na`me', false],
    ['größe', false],
    ['x;drop', false],
  ])('%j → %s', (given, want) => expect(isValidIdentifier(given)).toBe(want));
});

describe('identifierCaseWarning', () => {
  it('warns on upper case only', () => {
    expect(identifierCaseWarning('OrderId')).toContain('"orderid"');
    expect(identifierCaseWarning('order_id')).toBeNull();
  });
});

describe('quoteIdent and tableName', () => {
  it('quotes valid names with backticks', () => {
    expect(quoteIdent('order_id')).toBe('`order_id`');
    expect(tableName('glue', { database: 'raw', table: 'orders' })).toBe('`glue`.`raw`.`orders`');
  });
  it.each(['na`me', 'a b', '', 'x;--', 'a.b'])('throws on %j', (name) => {
    expect(() => quoteIdent(name)).toThrow(/invalid SQL identifier/);
  });
});

describe('sqlString', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ['two\nlines\r\n', "'two\\nlines\\r\\n'"],
    ['tab\there', "'tab\\there'"],
    ['\u0000\u001f\u007f', "'\\u0000\\u001f\\u007f'"],
    ['', "''"],
  ])('%j → %s', (given, want) => expect(sqlString(given)).toBe(want));

  it('stays one Spark string literal whose value round-trips, for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        const tokens = sparkTokens(`SELECT ${sqlString(value)} AS x`);
        expect(tokens).toHaveLength(4);
        expect(tokens[0]).toBe('SELECT');
        expect(unescapeSpark(tokens[1] ?? '')).toBe(value);
        expect(tokens.slice(2)).toEqual(['AS', 'x']);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips hostile values', () => {
    for (const value of ["'; DROP TABLE t; --", "\\'", "' OR '1'='1", '/* x */', '{"a.$": "States.Format(\'{}\', $.x)"}', '\\', "'\n'"]) {
      const tokens = sparkTokens(`SELECT ${sqlString(value)}`);
      expect(tokens).toHaveLength(2);
      expect(unescapeSpark(tokens[1] ?? '')).toBe(value);
    }
  });
});

describe('parseTableRef', () => {
  it.each([
    ['raw_orders.orders', { database: 'raw_orders', table: 'orders' }],
    ['orders', 'expected <database>.<table>, got "orders"'],
    ['a.b.c', 'expected <database>.<table>, got "a.b.c"'],
    ['raw.or-ders', '"or-ders" is not a valid identifier (letters, digits and _, not starting with a digit, at most 255 characters)'],
    ['.orders', '"" is not a valid identifier (letters, digits and _, not starting with a digit, at most 255 characters)'],
    [`${'d'.repeat(252)}.${'t'.repeat(255)}`, { database: 'd'.repeat(252), table: 't'.repeat(255) }],
    [`${'d'.repeat(253)}.t`, `database "${'d'.repeat(253)}" has 253 characters; Iceberg's Glue catalog accepts at most 252`],
  ])('%j', (given, want) => expect(parseTableRef(given)).toEqual(want));
});
