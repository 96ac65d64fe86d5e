import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalExpression, parseExpression, qualifyExpression, validateExpression } from '../../src/sql/index.ts';
import { lexExpression } from '../../src/sql/expression-lexer.ts';
import { sparkTokens, splitLiterals, syntaxErrors } from './syntax.ts';

describe('validateExpression', () => {
  it.each([
    "op = 'D'",
    "op IN ('D', 'X') AND NOT deleted IS NULL",
    "name LIKE 'a\\'b%' ESCAPE '\\\\'",
    'amount BETWEEN 1.5 AND 1e3 OR qty >= 10L',
    "CAST(ts AS date) < DATE '2024-01-01' - INTERVAL 30 DAYS",
    'CASE WHEN a <=> b THEN TRUE ELSE FALSE END',
    'payload.op != 1 AND (a + b) * 2 % 3 <> -1',
    "coalesce(x, 'y') || 'z' = 'yz'",
    "note = 'multi\nline; -- not a comment /* */ `tick` :marker $ States.Format(x)'",
    "op = R'\\d+' OR `select` = \"double\"",
    'a IS NOT DISTINCT FROM b AND c NOT IN (1, 2) AND d NOT LIKE \'x%\'',
    "ts >= current_timestamp() - INTERVAL '1' HOUR AND x = X'0aFF'",
    'CAST(a AS decimal(10, 2)) > 1 AND CAST(m AS map<string, array<int>>) IS NULL',
    '- -1 = a',
  ])('accepts %j and renders SQL Spark parses', (given) => {
    expect(validateExpression(given)).toBeNull();
    expect(syntaxErrors(`SELECT * FROM t WHERE ${canonicalExpression(given)}`)).toEqual([]);
  });

  it.each([
    ['', 'the expression is empty (offset 0)'],
    ["op = 'D'; DROP TABLE t", 'character ";" is not allowed (offset 8)'],
    ["op = 'D' -- x", 'comments are not allowed (offset 9)'],
    ["op = 'D' /* x */", 'comments are not allowed (offset 9)'],
    ["op = 'D", 'unterminated string literal (offset 5)'],
    ["op = 'D\\'", 'unterminated string literal (offset 5)'],
    ['(a = 1', 'expected ")" before the end (offset 6)'],
    ['a = 1)', 'unexpected ")": an operator or the end of the expression was expected (offset 5)'],
    ['a IN (SELECT id FROM t)', '"SELECT" is not allowed here (write `SELECT` for a column of that name) (offset 6)'],
    ['EXISTS (x)', 'function "EXISTS" is not allowed (see the list of expression functions in the README) (offset 0)'],
    ['ts > :watermark', 'character ":" is not allowed (offset 5)'],
    ['ts > ?', 'character "?" is not allowed (offset 5)'],
    ['a.$ = 1', 'character "$" is not allowed (offset 2)'],
    ["States.Format('{}', a) = 'x'", 'qualified function names are not allowed (offset 7)'],
    ["reflect('java.lang.Runtime', 'getRuntime') IS NULL", 'function "reflect" is not allowed (see the list of expression functions in the README) (offset 0)'],
    ['a = 1x', 'malformed number (offset 4)'],
    ['a . = 1', 'a field name was expected after "." (offset 4)'],
    ['${x} = 1', 'character "$" is not allowed (offset 0)'],
    ['é = 1', 'character "é" is not allowed (offset 0)'],
    ['a b', 'unexpected "b": an operator or the end of the expression was expected (offset 2)'],
    ['<status>', 'a value was expected, found "<" (offset 0)'],
    ['`a b` = 1', '"a b" is not a valid name (letters, digits and _, not starting with a digit, at most 255 characters) (offset 0)'],
    ["op = R'\\' OR TRUE) THEN UPDATE SET t.status = reflect('x') --'", 'comments are not allowed (offset 59)'],
    ['(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))', 'the expression is nested more than 64 levels deep (offset 64)'],
  ])('rejects %j', (given, want) => expect(validateExpression(given)).toBe(want));

  it('lexes a raw literal the way Spark does: the backslash ends nothing', () => {
    const tokens = lexExpression("R'\\' x");
    expect(Array.isArray(tokens) && tokens.map((t) => t.kind)).toEqual(['string', 'ident']);
  });

  it('survives 5,000 nested parentheses and a 100,000-term chain without a stack overflow', () => {
    expect(validateExpression('('.repeat(5000) + 'a' + ')'.repeat(5000))).toMatch(/nested more than 64/);
    expect(validateExpression(Array.from({ length: 100_000 }, (_, i) => `a${i} = 1`).join(' OR '))).toBeNull();
  });
});

describe('qualifyExpression', () => {
  it.each([
    ["op = 'D'", "s.`op` = 'D'"],
    ['payload.op IS NOT NULL', 's.`payload`.`op` IS NOT NULL'],
    ['upper(op) IN (a, b)', 'upper(s.`op`) IN (s.`a`, s.`b`)'],
    ['CAST(x AS decimal(10, 2)) > y', 'CAST(s.`x` AS decimal(10, 2)) > s.`y`'],
    ['CAST(x AS array<int>) IS NULL AND z', 'CAST(s.`x` AS array<int>) IS NULL AND s.`z`'],
    ["ts < TIMESTAMP '2024-01-01' + INTERVAL '1' HOUR AND ok", "s.`ts` < TIMESTAMP '2024-01-01' + INTERVAL '1' HOUR AND s.`ok`"],
    ['CASE WHEN a THEN b ELSE c END', 'CASE WHEN s.`a` THEN s.`b` ELSE s.`c` END'],
    ["op = R'\\d'", "s.`op` = '\\\\d'"],
  ])('%j → %j', (given, want) => {
    expect(qualifyExpression(given, 's')).toBe(want);
    expect(syntaxErrors(`SELECT * FROM t s WHERE ${want}`)).toEqual([]);
  });

  it('refuses invalid expressions and aliases', () => {
    expect(() => qualifyExpression('a; b', 's')).toThrow(/invalid expression/);
    expect(() => qualifyExpression('a', 's;')).toThrow(/invalid alias/);
  });
});

/** Pieces an attacker strings together: every way Spark's lexer could end a literal, a name or the clause. */
const HOSTILE = ["R'", "r\"", "'", '"', '\\', '`', '``', '--', '/*', '*/', '(', ')', ',', ';', ' OR ', ' AND ', 'TRUE', ' THEN UPDATE SET ', ' WHEN MATCHED ', 'reflect(', 'java_method(', 'op', 'a.b', '1', '1e3', ' = ', ' IN ', 'X\'', 'INTERVAL ', ' DAYS', 'CAST(', ' AS ', 'string', '\n', '\u2028', '\u001b[2J', 'NOT ', 'upper(', ' <=> ', '-', ' - ', '\\\'', '$', ':x'];
const soup = fc.array(fc.constantFrom(...HOSTILE), { minLength: 1, maxLength: 14 }).map((ps) => ps.join(''));
/** A literal of any form Spark reads, with hostile content. */
const literal = fc.tuple(fc.constantFrom("R'", "'", '"', 'r"', "DATE '"), soup).map(([open, body]) => {
  const q = open.endsWith('"') ? '"' : "'";
  const inner = open.startsWith('R') || open.startsWith('r') ? body.replaceAll(q, '') : body.replaceAll('\\', '\\\\').replaceAll(q, '\\' + q);
  return open + inner + q;
});
const { tree } = fc.letrec<{ tree: string }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('op', 'a.b', '`select`', '1', '-1', 'TRUE', 'NULL', "INTERVAL '1' DAY"),
    literal,
    fc.tuple(tie('tree'), fc.constantFrom(' = ', ' OR ', ' AND ', ' <=> ', ' || ', ' - ', ' LIKE '), tie('tree')).map(([l, o, r]) => l + o + r),
    fc.tuple(fc.constantFrom('upper(', 'coalesce(', '(', 'NOT (', 'CAST('), tie('tree')).map(([f, e]) => (f === 'CAST(' ? `CAST(${e} AS string)` : `${f}${e})`)),
    fc.tuple(tie('tree'), fc.array(tie('tree'), { minLength: 1, maxLength: 3 })).map(([e, l]) => `${e} IN (${l.join(', ')})`),
  ),
}));
/** A valid-looking tree, sometimes with a hostile piece spliced in anywhere. */
const expression = fc.oneof(
  soup,
  tree,
  fc.tuple(tree, fc.nat(), soup).map(([t, at, s]) => t.slice(0, at % (t.length + 1)) + s + t.slice(at % (t.length + 1))),
);
const FORBIDDEN = new Set(['UPDATE', 'SET', 'DELETE', 'INSERT', 'MERGE', 'THEN', 'WHEN', 'MATCHED', 'REFLECT', 'JAVA_METHOD', 'SELECT', ';']);

let accepted = 0;
describe('property: no way out of an expression', () => {
  it('an accepted expression renders to SQL that parses, re-renders to itself, and holds no statement word or comment', () => {
    fc.assert(
      fc.property(expression, (text) => {
        const r = parseExpression(text);
        if ('error' in r) {
          expect(r.at).toBeGreaterThanOrEqual(0);
          expect(r.at).toBeLessThanOrEqual(text.length);
          return;
        }
        accepted++;
        const sql = canonicalExpression(text, 's');
        expect(canonicalExpression(canonicalExpression(text))).toBe(canonicalExpression(text));
        const merge = `MERGE INTO t USING s ON t.id = s.id WHEN MATCHED AND (${sql}) THEN DELETE WHEN MATCHED THEN UPDATE SET *`;
        expect(syntaxErrors(`SELECT * FROM s WHERE ${sql}`), sql).toEqual([]);
        const outside = splitLiterals(sql).filter((p) => !p.literal).map((p) => p.text).join(' ');
        expect(outside).not.toMatch(/--|\/\*|;/);
        for (const t of sparkTokens(outside)) expect(FORBIDDEN.has(t.toUpperCase()), `${t} in ${merge}`).toBe(false);
      }),
      { numRuns: 400, seed: 11 },
    );
    // The generator must reach the renderer often, or the property proves little.
    expect(accepted).toBeGreaterThan(100);
  });
});

describe('expressions read with the Spark grammar', () => {
  it.each([
    // The grammar reads `a-b` as one name with a tail; in an expression it is a subtraction.
    ['a-b = 1', '`a` - `b` = 1'],
    ['x.a-b.c > 0', '`x`.`a` - `b`.`c` > 0'],
    // Bare CURRENT_DATE / CURRENT_TIMESTAMP are Spark's functions, not columns.
    ['current_date > d', 'current_date() > `d`'],
    ["substring(a, 1, 2) = 'x'", "substring(`a`, 1, 2) = 'x'"],
    ['date_add(ts, 1) > x AND datediff(a, b) > 1', 'date_add(`ts`, 1) > `x` AND datediff(`a`, `b`) > 1'],
    ['"double" = x', "'double' = `x`"],
    ["x = x'0a' OR x = X '0B'", "`x` = X'0a' OR `x` = X'0B'"],
    ["ts > INTERVAL '1 2' DAY TO HOUR", "`ts` > INTERVAL '1 2' DAY TO HOUR"],
    ['a = - -1 AND NOT NOT b', '`a` = -(-1) AND NOT NOT `b`'],
  ])('%j → %j', (given, want) => {
    expect(canonicalExpression(given)).toBe(want);
    expect(syntaxErrors(`SELECT * FROM t WHERE ${want}`)).toEqual([]);
  });

  it.each([
    ['try_cast(a AS int) = 1', 'function "try_cast" is not allowed (see the list of expression functions in the README) (offset 0)'],
    ['transform(a, x -> x) IS NULL', '"->" is not allowed (offset 15)'],
    ['count(*) OVER (PARTITION BY a) > 1', 'function "count" is not allowed (see the list of expression functions in the README) (offset 0)'],
    ['upper(a) FILTER (WHERE b) = 1', 'unexpected "FILTER": an operator or the end of the expression was expected (offset 9)'],
    ['upper(DISTINCT a) = 1', '"DISTINCT" is not allowed here (write `DISTINCT` for a column of that name) (offset 6)'],
    ['a[0] = 1', 'character "[" is not allowed (offset 1)'],
    ['substring(a FROM 1) = 1', 'substring(… FROM … FOR …) is not allowed: separate the arguments with commas (offset 0)'],
    ["position('a' IN b) > 0", 'the special form of position(…) is not allowed: pass plain values separated by commas (offset 0)'],
    ['dateadd(DAY, 1, ts) > x', 'the special form of dateadd(…) is not allowed: pass plain values separated by commas (offset 0)'],
    ["'a' 'b' = x", 'unexpected "\'b\'": an operator or the end of the expression was expected (offset 4)'],
    ["a LIKE ANY ('x')", '"ANY" is not allowed here (write `ANY` for a column of that name) (offset 7)'],
    ['EXISTS (SELECT 1)', 'function "EXISTS" is not allowed (see the list of expression functions in the README) (offset 0)'],
    ['(SELECT 1) = a', '"SELECT" is not allowed here (write `SELECT` for a column of that name) (offset 1)'],
    ['(a, b) = (1, 2)', 'expected ")", found "," (offset 2)'],
    ['CAST(a AS int(3)) = 1', 'expected ")", found "(" (offset 13)'],
    ['CAST(a AS array) IS NULL', 'array needs element types: array<…> (offset 15)'],
    ["INTERVAL '1 day' > x", 'INTERVAL needs an amount and a unit, e.g. INTERVAL 7 DAYS (offset 0)'],
    ["x > INTERVAL 1 DAY '2' HOUR TO SECOND", 'unexpected "\'2\'": an operator or the end of the expression was expected (offset 19)'],
    ['x = INTERVAL 1 DAY TO HOUR', 'unexpected "TO": an operator or the end of the expression was expected (offset 19)'],
    ['x = INTERVAL +1 DAY', 'an interval amount is a plain number (offset 13)'],
    ['1.5x = a', 'malformed number (offset 0)'],
    ['!a', 'character "!" is not allowed (offset 0)'],
    ['a !> b', 'character "!" is not allowed (offset 2)'],
    ['/*+ hint */ a', 'comments are not allowed (offset 0)'],
    ["IDENTIFIER('a') = 1", 'function "IDENTIFIER" is not allowed (see the list of expression functions in the README) (offset 0)'],
    ['current_user() = 1', 'function "current_user" is not allowed (see the list of expression functions in the README) (offset 0)'],
    ['upper(a).b = 1', 'unexpected ".": an operator or the end of the expression was expected (offset 8)'],
    ['a."b" = 1', 'a field name was expected after "." (offset 2)'],
    ["a RLIKE 'x' ESCAPE 'y'", 'unexpected "ESCAPE": an operator or the end of the expression was expected (offset 12)'],
    ["a LIKE b ESCAPE 'cd'", 'ESCAPE takes a single character (offset 16)'],
    ['order = 1', '"order" is not allowed here (write `order` for a column of that name) (offset 0)'],
    // Incomplete input: the error is where the input stops.
    ['CASE WHEN a THEN b', 'expected END before the end (offset 18)'],
    ['a IS', 'expected NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS (offset 4)'],
    ['a IN (1,', 'a value was expected before the end of the expression (offset 8)'],
    ['upper(a', 'expected ")" before the end (offset 7)'],
    ['a = 1 GROUP BY a', 'unexpected "GROUP": an operator or the end of the expression was expected (offset 6)'],
    [`${'NOT '.repeat(65)}a`, 'the expression is nested more than 64 levels deep (offset 256)'],
    [`${'CASE WHEN '.repeat(65)}a`, 'the expression is nested more than 64 levels deep (offset 640)'],
  ])('rejects %j', (given, want) => expect(validateExpression(given)).toBe(want));
});
