/**
 * The simple-expression reader against the Spark grammar it stands in for:
 * whenever it reads an input, the grammar reads the same tree from it; and it
 * does read the common conditions (otherwise it would save nothing).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expressionTokens } from '../../src/sql/expression-lexer.ts';
import { simpleExpression } from '../../src/sql/expression-simple.ts';
import { grammarExpression, parseExpression } from '../../src/sql/expression.ts';

/** Both readings of `text`: the simple reader's (undefined when it leaves the input to the grammar) and the grammar's. */
function both(text: string) {
  const lexed = expressionTokens(text);
  if ('error' in lexed || lexed.tokens.length === 0) return undefined;
  return { simple: simpleExpression(lexed.tokens), grammar: grammarExpression(lexed.tokens, text.length) };
}

const NAMES = ['op', 'a', 'b', 'status', 'deleted_at', '`odd name`', '`x``y`', '`1st`', 'year', 'case', 'end', 'from', 'x1', 'order', 'when'];
const LITERALS = ["'D'", "'it''s'", "'it\\'s'", '"dq"', "r'raw\\n'", "X'0F'", "DATE '2024-01-01'", '1', '0', '1.5', '.5', '1e3', '10L', '2BD', '3S', '4Y', '1.5D', 'TRUE', 'false', 'NULL', 'null'];
const OPERATORS = ['=', '==', '<>', '!=', '<', '<=', '>', '>=', '<=>', '-', '+', '*', '/', '||', '!', '~'];
const WORDS = ['AND', 'and', 'OR', 'NOT', 'not', 'IS', 'IN', 'NULL', 'TRUE', 'FALSE', 'UNKNOWN', 'DISTINCT', 'FROM', 'LIKE', 'BETWEEN', 'CASE', 'WHEN', 'THEN', 'END', 'CAST', 'AS'];
const PUNCTUATION = ['(', ')', ',', '.'];
const SPACE = fc.constantFrom(' ', '', '  ', '\n', '\t');

/** A structured simple expression, rendered with varied spacing and case. */
const simpleText: fc.Arbitrary<string> = fc.letrec<{ expr: string; operand: string; predicate: string }>((tie) => ({
  operand: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('op', 'a', 'b', 'status', 'deleted_at', 'x1', '`t`', '`Odd_1`') },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', 'b', '`t`'), fc.constantFrom('b', 'c', '`d_e`')).map(([x, y]) => `${x}.${y}`) },
    { weight: 4, arbitrary: fc.constantFrom(...LITERALS.filter((l) => !/^(X'|DATE)|''/.test(l))) },
    { weight: 1, arbitrary: tie('expr').map((e) => `(${e})`) },
  ),
  predicate: fc.oneof(
    { weight: 3, arbitrary: fc.tuple(tie('operand'), fc.constantFrom('=', '==', '<>', '!=', '<', '<=', '>', '>=', '<=>'), tie('operand')).map(([l, op, r]) => `${l} ${op} ${r}`) },
    { weight: 1, arbitrary: fc.tuple(tie('operand'), fc.constantFrom('IS NULL', 'is not null', 'IS TRUE', 'IS NOT FALSE', 'IS UNKNOWN')).map(([e, p]) => `${e} ${p}`) },
    { weight: 1, arbitrary: fc.tuple(tie('operand'), fc.constantFrom('IN', 'NOT IN', 'in'), fc.array(tie('expr'), { minLength: 1, maxLength: 3 })).map(([e, p, l]) => `${e} ${p} (${l.join(', ')})`) },
    { weight: 1, arbitrary: tie('operand') },
  ),
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('predicate'),
    fc.tuple(fc.constantFrom('NOT', 'not'), tie('expr')).map(([n, e]) => `${n} ${e}`),
    fc.tuple(tie('expr'), fc.constantFrom('AND', 'OR', 'and', 'or'), tie('expr')).map(([l, op, r]) => `${l} ${op} ${r}`),
  ),
})).expr;

/** Any sequence of the subset's words and near misses. */
const tokenSoup = fc.array(fc.tuple(fc.constantFrom(...NAMES, ...LITERALS, ...OPERATORS, ...WORDS, ...PUNCTUATION), SPACE), { minLength: 1, maxLength: 12 }).map((parts) => parts.map(([t, s]) => t + (s || ' ')).join(''));

describe('simpleExpression', () => {
  it('reads the common conditions itself, as the grammar does', () => {
    for (const text of ["op = 'D'", "status IN ('closed', 'void') AND deleted_at IS NOT NULL", 'NOT (a = 1 OR b <> 2)', '`odd_name` >= 1.5 or a.b IS NULL']) {
      const r = both(text)!;
      expect(r.simple, text).toBeDefined();
      expect(r.simple, text).toEqual((r.grammar as { expr: unknown }).expr);
    }
  });

  it('leaves to the grammar what it does not read, errors included', () => {
    for (const text of ['a - b = 1', 'upper(a) = 1', "a = DATE '2024-01-01'", 'a BETWEEN 1 AND 2', 'a IS DISTINCT FROM b', 'a = 1 = 2', 'year = 1', 'a =', "a = 'x' 'y'", 'a b', 'NOT', '!a', 'case when a then 1 end = 1']) {
      expect(both(text)?.simple, text).toBeUndefined();
    }
    expect(parseExpression('a =')).toEqual({ error: 'a value was expected before the end of the expression', at: 3 });
  });

  it('agrees with the grammar on every generated simple expression, and reads each', () => {
    fc.assert(
      fc.property(simpleText, (text) => {
        const r = both(text);
        expect(r, text).toBeDefined();
        expect('expr' in r!.grammar, `${text}: ${JSON.stringify(r!.grammar)}`).toBe(true);
        expect(r!.simple, text).toEqual((r!.grammar as { expr: unknown }).expr);
      }),
      { numRuns: 300, seed: 20_261_205 },
    );
  });

  it('never reads an input differently from the grammar, whatever the words', () => {
    let read = 0;
    fc.assert(
      fc.property(tokenSoup, (text) => {
        const r = both(text);
        if (!r || r.simple === undefined) return;
        read++;
        expect(r.grammar, text).toEqual({ expr: r.simple });
      }),
      { numRuns: 1500, seed: 7 },
    );
    // Enough of the soup is read by the simple reader for the comparison to mean something.
    expect(read).toBeGreaterThan(50);
  });
});
