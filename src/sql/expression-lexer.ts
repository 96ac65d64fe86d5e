/**
 * Tokens of a user-written Spark SQL expression, from the Spark grammar's own
 * lexer (grammar.ts), and the lexical rules of the expression subset: no
 * comment, no `;`, no parameter marker (`:name`, `?`), no character Spark
 * cannot read, no literal left open. Because the tokens are Spark's, a literal
 * or a comment ends exactly where Spark would end it.
 * See https://spark.apache.org/docs/latest/sql-ref-literals.html
 */
import type { Token } from 'antlr4ng';
import { L, isHidden, isKeyword, isNumber, lexSql } from './grammar.ts';

export type ExprToken = { kind: 'ident' | 'string' | 'number' | 'op' | '(' | ')' | ',' | '.' | 'comment'; text: string; at: number; end: number };

export type LexResult = ExprToken[] | { error: string; at: number };

/** Operators of the expression subset, by token type. */
const OPERATORS = new Set([L.EQ, L.NSEQ, L.NEQ, L.NEQJ, L.LT, L.LTE, L.GT, L.GTE, L.PLUS, L.MINUS, L.ASTERISK, L.SLASH, L.PERCENT, L.TILDE, L.AMPERSAND, L.PIPE, L.CONCAT_PIPE, L.HAT]);
const PUNCTUATION = new Map<number, ExprToken['kind']>([[L.LEFT_PAREN, '('], [L.RIGHT_PAREN, ')'], [L.COMMA, ','], [L.DOT, '.']]);
const COMMENTS = new Set([L.LINE_COMMENT, L.BRACKETED_COMMENT, L.HENT_START]);

/**
 * The default-channel tokens of `text`, or its first lexical problem with its
 * character offset (comments come after every other lexical problem).
 */
export function expressionTokens(text: string): { tokens: Token[] } | { error: string; at: number } {
  const all = lexSql(text);
  let comment: Token | undefined;
  const tokens: Token[] = [];
  for (const [i, t] of all.entries()) {
    if (COMMENTS.has(t.type)) {
      if (t.type === L.BRACKETED_COMMENT && !t.text!.endsWith('*/')) return { error: 'unterminated comment', at: t.start };
      comment ??= t;
      continue;
    }
    if (isHidden(t)) continue;
    const problem = lexicalProblem(t, all[i + 1], all[i - 1]);
    if (problem) return problem;
    tokens.push(t);
  }
  if (comment) return { error: 'comments are not allowed', at: comment.start };
  return { tokens };
}

function lexicalProblem(t: Token, next: Token | undefined, previous: Token | undefined): { error: string; at: number } | undefined {
  const text = t.text ?? '';
  if (t.type === L.UNRECOGNIZED) {
    if (text === "'" || text === '"') {
      const raw = previous?.type === L.IDENTIFIER && /^[rR]$/.test(previous.text ?? '') && previous.stop + 1 === t.start;
      return raw ? { error: 'unterminated raw string literal', at: previous.start } : { error: 'unterminated string literal', at: t.start };
    }
    if (text === '`') return { error: 'unterminated backquoted name', at: t.start };
    return { error: `character ${JSON.stringify(text)} is not allowed`, at: t.start };
  }
  if (t.type === L.IDENTIFIER && /^[0-9]/.test(text)) return { error: 'malformed number', at: t.start };
  if (isNumber(t.type) && next && next.start === t.stop + 1 && /^[A-Za-z0-9_]/.test(next.text ?? '')) return { error: 'malformed number', at: t.start };
  if (text.startsWith('!') && t.type !== L.NEQJ) return { error: 'character "!" is not allowed', at: t.start };
  if (OPERATORS.has(t.type) || PUNCTUATION.has(t.type) || isKeyword(t.type) || isNumber(t.type)) return undefined;
  if (t.type === L.IDENTIFIER || t.type === L.BACKQUOTED_IDENTIFIER || t.type === L.STRING_LITERAL || t.type === L.DOUBLEQUOTED_STRING) return undefined;
  return { error: text.length === 1 ? `character ${JSON.stringify(text)} is not allowed` : `${JSON.stringify(text)} is not allowed`, at: t.start };
}

/** Tokens of `text` (comments included, as `comment` tokens), or the first lexical error. */
export function lexExpression(text: string): LexResult {
  const checked = expressionTokens(text);
  if ('error' in checked && checked.error !== 'comments are not allowed') return checked;
  return lexSql(text)
    .filter((t) => COMMENTS.has(t.type) || !isHidden(t))
    .map((t) => ({ kind: kindOf(t), text: t.text ?? '', at: t.start, end: t.stop + 1 }));
}

function kindOf(t: Token): ExprToken['kind'] {
  if (COMMENTS.has(t.type)) return 'comment';
  if (t.type === L.STRING_LITERAL || t.type === L.DOUBLEQUOTED_STRING) return 'string';
  if (isNumber(t.type)) return 'number';
  return PUNCTUATION.get(t.type) ?? (OPERATORS.has(t.type) ? 'op' : 'ident');
}
