/**
 * User-written boolean expressions (`delete_when`, `where` of rewrite_data_files,
 * and any row condition) are parsed with the Spark grammar that reads user SQL
 * files (grammar.ts), checked against a documented subset of Spark SQL
 * expressions (README, "Expressions"), and the SQL that lakestep emits is
 * rendered from the checked tree — names quoted, literals re-escaped — so no
 * input can end, comment out or extend the statement it lands in.
 * See https://spark.apache.org/docs/latest/sql-ref-expression.html
 */
import type { Token } from 'antlr4ng';
import { EXPRESSION_KEYWORDS } from './expression-functions.ts';
import { Fail, keywordHere, show, unexpected } from './expression-fail.ts';
import { expressionTokens } from './expression-lexer.ts';
import { simpleExpression } from './expression-simple.ts';
import { booleanExpr } from './expression-tree.ts';
import { L, isKeyword, isNamePart, isNumber, parseTokens, syntheticToken, type SyntaxError } from './grammar.ts';
import { isValidIdentifier, quoteIdent, sqlString } from './identifiers.ts';

export { EXPRESSION_KEYWORDS } from './expression-functions.ts';
export type { ExprToken } from './expression-lexer.ts';

/** A node of the parse tree; `render` turns it back into SQL. */
export type Expr =
  | { k: 'col'; parts: string[] }
  | { k: 'lit'; text: string }
  | { k: 'str'; prefix: string; value: string }
  | { k: 'hex'; value: string }
  | { k: 'interval'; text: string }
  | { k: 'unary'; op: string; e: Expr }
  | { k: 'bin'; op: string; l: Expr; r: Expr }
  | { k: 'paren'; e: Expr }
  | { k: 'call'; name: string; args: Expr[] }
  | { k: 'cast'; e: Expr; type: string }
  | { k: 'case'; operand?: Expr; whens: [Expr, Expr][]; otherwise?: Expr }
  | { k: 'is'; e: Expr; not: boolean; what: string; other?: Expr }
  | { k: 'in'; e: Expr; not: boolean; list: Expr[] }
  | { k: 'between'; e: Expr; not: boolean; lo: Expr; hi: Expr }
  | { k: 'like'; e: Expr; not: boolean; op: string; pattern: Expr; escape?: string };

export type ParseResult = { expr: Expr } | { error: string; at: number };

/** Deepest nesting of parentheses, `CASE`s and prefix operators accepted (keeps the parser's stack small). */
export const MAX_EXPRESSION_DEPTH = 64;

/** The parse tree of `text`, or the first problem with its character offset. */
export function parseExpression(text: string): ParseResult {
  const lexed = expressionTokens(text);
  if ('error' in lexed) return lexed;
  const { tokens } = lexed;
  if (tokens.length === 0) return { error: 'the expression is empty', at: 0 };
  const deep = tooDeep(tokens);
  if (deep) return deep;
  const simple = simpleExpression(tokens);
  return simple ? { expr: simple } : grammarExpression(tokens, text.length);
}

/** The Spark grammar's reading of an expression's tokens (the reference {@link simpleExpression} agrees with). */
export function grammarExpression(tokens: Token[], length: number): ParseResult {
  try {
    const parsed = parseTokens(tokens, length, (p) => p.booleanExpression());
    if ('error' in parsed) {
      const e = parsed.error;
      const value = e.token !== undefined && (STARTS_VALUE.has(e.token.type) || isNumber(e.token.type));
      return syntaxProblem(tokens, e.early && !value ? (anchoredError(tokens, length) ?? e) : e, length);
    }
    return { expr: booleanExpr(parsed.tree) };
  } catch (e) {
    if (e instanceof Fail) return { error: e.message, at: e.at };
    if (e instanceof RangeError) return { error: `the expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep`, at: 0 };
    throw e;
  }
}

/** Tokens that cannot continue a complete expression: a value (two values in a row), a closing parenthesis or a comma too many. */
const STARTS_VALUE = new Set([L.IDENTIFIER, L.BACKQUOTED_IDENTIFIER, L.STRING_LITERAL, L.DOUBLEQUOTED_STRING, L.RIGHT_PAREN, L.COMMA]);

/**
 * The rule `booleanExpression` may end early and leave the rest (`CASE WHEN a`
 * reads as a column named CASE). Parsed again between parentheses, which
 * anchor its end, an input that stops too early is reported at its end.
 */
function anchoredError(tokens: Token[], length: number): SyntaxError | undefined {
  const r = parseTokens([syntheticToken(L.LEFT_PAREN, '(', -1), ...tokens, syntheticToken(L.RIGHT_PAREN, ')', length)], length, (p) => p.booleanExpression());
  // Only an error at the end says more than the first parse: the input stops too early.
  return 'error' in r && r.error.at >= length ? r.error : undefined;
}

const PREFIX = new Set([L.KW_NOT, L.MINUS, L.PLUS, L.TILDE]);

function tooDeep(tokens: Token[]): { error: string; at: number } | undefined {
  const open: number[] = [];
  let run = 0;
  for (const [i, t] of tokens.entries()) {
    const typeOpens = t.type === L.LT && (tokens[i - 1]?.type === L.KW_ARRAY || tokens[i - 1]?.type === L.KW_MAP);
    if (t.type === L.LEFT_PAREN || t.type === L.KW_CASE || typeOpens) open.push(t.type);
    else if (t.type === L.RIGHT_PAREN) while (open.length > 0 && open.pop() !== L.LEFT_PAREN);
    else if ((t.type === L.KW_END && open.at(-1) === L.KW_CASE) || (t.type === L.GT && open.at(-1) === L.LT)) open.pop();
    run = PREFIX.has(t.type) ? run + 1 : 0;
    if (open.length + run > MAX_EXPRESSION_DEPTH) return { error: `the expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep`, at: t.start };
  }
  return undefined;
}

/** Tokens after which a value must come. */
const EXPECTS_VALUE = new Set([
  L.EQ, L.NSEQ, L.NEQ, L.NEQJ, L.LT, L.LTE, L.GT, L.GTE, L.PLUS, L.MINUS, L.ASTERISK, L.SLASH, L.PERCENT, L.TILDE, L.AMPERSAND, L.PIPE, L.CONCAT_PIPE, L.HAT,
  L.LEFT_PAREN, L.COMMA, L.KW_AND, L.KW_OR, L.KW_NOT, L.KW_IN, L.KW_LIKE, L.KW_ILIKE, L.KW_RLIKE, L.KW_REGEXP, L.KW_BETWEEN, L.KW_WHEN, L.KW_THEN,
  L.KW_ELSE, L.KW_CASE, L.KW_DIV, L.KW_ESCAPE, L.KW_FROM,
]);

/** The grammar's syntax error, worded for a person writing one expression. */
function syntaxProblem(tokens: Token[], e: SyntaxError, length: number): { error: string; at: number } {
  const t = e.token && tokens.includes(e.token) ? e.token : undefined;
  const i = t ? tokens.indexOf(t) : tokens.length;
  const prev = tokens[i - 1];
  const depth = (open: number, close: number) => tokens.slice(0, i).reduce((n, x) => n + (x.type === open ? 1 : x.type === close ? -1 : 0), 0);
  const atEnd = !t;
  const at = t ? t.start : length;
  if (prev?.type === L.DOT) return { error: 'a field name was expected after "."', at };
  if (t?.type === L.DOT && !isNamePart(tokens[i + 1]?.type ?? L.EOF)) return { error: 'a field name was expected after "."', at: tokens[i + 1]?.start ?? length };
  if (prev?.type === L.KW_IS) return { error: 'expected NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS', at };
  if (atEnd) {
    if (!prev || EXPECTS_VALUE.has(prev.type)) return { error: 'a value was expected before the end of the expression', at };
    if (depth(L.LEFT_PAREN, L.RIGHT_PAREN) > 0) return { error: 'expected ")" before the end', at };
    if (depth(L.KW_CASE, L.KW_END) > 0) return { error: 'expected END before the end', at };
    return { error: 'the expression ends too early', at };
  }
  const f = !prev || EXPECTS_VALUE.has(prev.type) ? (isKeyword(t.type) && EXPRESSION_KEYWORDS.has(t.text!.toUpperCase()) ? keywordHere(t) : new Fail(`a value was expected, found ${show(t.text!)}`, t.start)) : unexpected(t);
  return { error: f.message, at: f.at };
}

/**
 * An error message (ending with the character offset) when `text` is not an
 * expression of the accepted subset; else null.
 */
export function validateExpression(text: string): string | null {
  const r = parseExpression(text);
  return 'error' in r ? `${r.error} (offset ${r.at})` : null;
}

/** Renders a parse tree as Spark SQL; column names become `alias`.`col` when an alias is given. */
export function renderExpression(e: Expr, alias?: string): string {
  const r = (x: Expr) => renderExpression(x, alias);
  const not = (n: boolean) => (n ? 'NOT ' : '');
  switch (e.k) {
    case 'col': {
      const [first, ...fields] = e.parts.map(quoteIdent);
      return (alias === undefined ? '' : `${alias}.`) + [first, ...fields].join('.');
    }
    case 'lit':
    case 'interval':
      return e.text;
    case 'str':
      return (e.prefix ? `${e.prefix} ` : '') + sqlString(e.value);
    case 'hex':
      return `X'${e.value}'`;
    case 'unary': {
      const inner = r(e.e);
      // `- -1` must never print as `--1`, which starts a comment.
      return e.op === 'NOT' ? `NOT ${inner}` : `${e.op}${/^[-+~]/.test(inner) ? `(${inner})` : inner}`;
    }
    case 'bin':
      return `${r(e.l)} ${e.op} ${r(e.r)}`;
    case 'paren':
      return `(${r(e.e)})`;
    case 'call':
      return `${e.name}(${e.args.map(r).join(', ')})`;
    case 'cast':
      return `CAST(${r(e.e)} AS ${e.type})`;
    case 'case':
      return `CASE ${e.operand ? r(e.operand) + ' ' : ''}${e.whens.map(([c, v]) => `WHEN ${r(c)} THEN ${r(v)}`).join(' ')}${e.otherwise ? ` ELSE ${r(e.otherwise)}` : ''} END`;
    case 'is':
      return `${r(e.e)} IS ${not(e.not)}${e.what}${e.other ? ' ' + r(e.other) : ''}`;
    case 'in':
      return `${r(e.e)} ${not(e.not)}IN (${e.list.map(r).join(', ')})`;
    case 'between':
      return `${r(e.e)} ${not(e.not)}BETWEEN ${r(e.lo)} AND ${r(e.hi)}`;
    case 'like':
      return `${r(e.e)} ${not(e.not)}${e.op} ${r(e.pattern)}${e.escape === undefined ? '' : ` ESCAPE ${sqlString(e.escape)}`}`;
  }
}

/** The canonical SQL of a valid expression (names quoted, literals re-escaped). Throws on an invalid one (validated earlier). */
export function canonicalExpression(text: string, alias?: string): string {
  const r = parseExpression(text);
  if ('error' in r) throw new Error(`invalid expression: ${r.error} (offset ${r.at})`);
  if (alias !== undefined && !isValidIdentifier(alias)) throw new Error(`invalid alias ${JSON.stringify(alias)}`);
  return renderExpression(r.expr, alias);
}

/**
 * Rewrites the column names of a valid expression as `alias`.`col`, so a
 * condition written against source columns cannot be ambiguous inside a MERGE.
 */
export function qualifyExpression(text: string, alias: string): string {
  return canonicalExpression(text, alias);
}

/**
 * The one entry point for a user's boolean row expression (`delete_when`, a
 * `where`, a quality check's `expression`): parsed with the Spark grammar,
 * checked against the subset, and rendered for SQL — columns as
 * `qualifier`.`col` when a qualifier is given. Returns the rendered SQL and
 * the tree, or the first problem with its character offset in `text`.
 */
export function rowExpression(text: string, qualifier?: string): { sql: string; expr: Expr } | { error: string; at: number } {
  if (qualifier !== undefined && !isValidIdentifier(qualifier)) throw new Error(`invalid qualifier ${JSON.stringify(qualifier)}`);
  const r = parseExpression(text);
  return 'error' in r ? r : { sql: renderExpression(r.expr, qualifier), expr: r.expr };
}
