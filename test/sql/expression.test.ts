import { describe, expect, it } from 'vitest';
import { qualifyExpression, tokenizeExpression, validateExpression } from '../../src/sql/index.ts';
import { syntaxErrors } from './syntax.ts';

describe('validateExpression', () => {
  it.each([
    "op = 'D'",
    "op IN ('D', 'X') AND NOT deleted IS NULL",
    "name LIKE 'a\\'b%' ESCAPE '\\\\'",
    'amount BETWEEN 1.5 AND 1e3 OR qty >= 10L',
    "CAST(ts AS date) < DATE '2024-01-01' - INTERVAL 30 DAYS",
    "CASE WHEN a <=> b THEN TRUE ELSE FALSE END",
    'payload.op != 1 AND (a + b) * 2 % 3 <> -1',
    "coalesce(x, 'y') || 'z' = 'yz'",
    "note = 'multi\nline; -- not a comment /* */ `tick` :marker $ States.Format(x)'",
  ])('accepts %j', (given) => {
    expect(validateExpression(given)).toBeNull();
    expect(syntaxErrors(`SELECT * FROM t WHERE ${given}`)).toEqual([]);
  });

  it.each([
    ['', 'the expression is empty'],
    ["op = 'D'; DROP TABLE t", 'character ";" is not allowed (offset 8)'],
    ["op = 'D' -- x", 'comments are not allowed (offset 9)'],
    ["op = 'D' /* x */", 'comments are not allowed (offset 9)'],
    ["op = 'D", 'unterminated string literal starting at offset 5'],
    ["op = 'D\\'", 'unterminated string literal starting at offset 5'],
    ['(a = 1', 'unbalanced "(" at offset 0'],
    ['a = 1)', 'unbalanced ")" at offset 5'],
    ['a IN (SELECT id FROM t)', '"SELECT" is not allowed in an expression (offset 6)'],
    ['EXISTS (x)', '"EXISTS" is not allowed in an expression (offset 0)'],
    ['`op` = 1', 'character "`" is not allowed (offset 0)'],
    ['op = "D"', 'character "\\"" is not allowed (offset 5)'],
    ['ts > :watermark', 'character ":" is not allowed (offset 5)'],
    ['ts > ?', 'character "?" is not allowed (offset 5)'],
    ['a.$ = 1', 'character "$" is not allowed (offset 2)'],
    ["States.Format('{}', a) = 'x'", 'qualified function names are not allowed (offset 6)'],
    ["reflect('java.lang.Runtime', 'getRuntime') IS NULL", 'function "reflect" is not allowed (offset 0)'],
    ['a = 1x', 'malformed number at offset 4'],
    ['a . = 1', 'misplaced "." at offset 2'],
    ['${x} = 1', 'character "$" is not allowed (offset 0)'],
    ['é = 1', 'character "é" is not allowed (offset 0)'],
  ])('rejects %j', (given, want) => expect(validateExpression(given)).toBe(want));

  it('tokenizes strings as single tokens with their offsets', () => {
    expect(tokenizeExpression("a='x\\'y'")).toEqual([
      { kind: 'ident', text: 'a', at: 0 },
      { kind: 'op', text: '=', at: 1 },
      { kind: 'string', text: "'x\\'y'", at: 2 },
    ]);
  });
});

describe('qualifyExpression', () => {
  it.each([
    ["op = 'D'", "s.`op` = 'D'"],
    ['payload.op IS NOT NULL', 's.`payload`.op IS NOT NULL'],
    ['upper(op) IN (a, b)', 'upper(s.`op`) IN (s.`a`, s.`b`)'],
    ['CAST(x AS decimal(10, 2)) > y', 'CAST(s.`x` AS decimal(10, 2)) > s.`y`'],
    ['CAST(x AS array<int>) IS NULL AND z', 'CAST(s.`x` AS array<int>) IS NULL AND s.`z`'],
    ["ts < TIMESTAMP '2024-01-01' + INTERVAL '1' HOUR AND ok", "s.`ts` < TIMESTAMP '2024-01-01' + INTERVAL '1' HOUR AND s.`ok`"],
    ["CASE WHEN a THEN b ELSE c END", 'CASE WHEN s.`a` THEN s.`b` ELSE s.`c` END'],
  ])('%j → %j', (given, want) => {
    expect(qualifyExpression(given, 's')).toBe(want);
    expect(syntaxErrors(`SELECT * FROM t s WHERE ${want}`)).toEqual([]);
  });

  it('refuses invalid expressions and aliases', () => {
    expect(() => qualifyExpression('a; b', 's')).toThrow(/invalid expression/);
    expect(() => qualifyExpression('a', 's;')).toThrow(/invalid alias/);
  });
});
