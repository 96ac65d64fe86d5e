/**
 * User-written boolean expressions (`delete_when`, `where` of rewrite_data_files):
 * a small tokenizer that accepts column names, literals, operators, parentheses
 * and function calls, and rejects anything that could end, comment out or extend
 * the statement it is embedded in.
 * See https://spark.apache.org/docs/latest/sql-ref-expression.html
 */
import { isValidIdentifier, quoteIdent } from './identifiers.ts';

export type ExprToken = {
  kind: 'ident' | 'number' | 'string' | 'op' | '(' | ')' | ',' | '.';
  text: string;
  at: number;
};

/** Words that would turn an expression into (part of) a statement or a query. */
const FORBIDDEN_WORDS = new Set(
  ('SELECT FROM WHERE GROUP HAVING ORDER LIMIT OFFSET UNION INTERSECT EXCEPT MINUS JOIN ON USING INSERT UPDATE DELETE ' +
    'MERGE INTO VALUES DROP CREATE ALTER TRUNCATE CALL WITH SET RESET GRANT REVOKE USE SHOW DESCRIBE EXPLAIN REFRESH ' +
    'CACHE UNCACHE LOAD ADD EXECUTE EXISTS OVER WINDOW PARTITION TABLE LATERAL DECLARE MSCK ANALYZE COMMIT ROLLBACK ' +
    'TRANSFORM REDUCE CLUSTER DISTRIBUTE SORT').split(' '),
);
/** Built-ins that call arbitrary Java methods. */
const FORBIDDEN_FUNCTIONS = new Set(['reflect', 'java_method', 'try_reflect']);
/** Keywords of expressions; never read as column names. */
export const EXPRESSION_KEYWORDS = new Set(
  ('AND OR NOT IS NULL IN LIKE ILIKE RLIKE REGEXP ESCAPE BETWEEN TRUE FALSE UNKNOWN CAST AS CASE WHEN THEN ELSE END ' +
    'INTERVAL TO ANY SOME ALL DIV').split(' '),
);

const OPERATORS = ['<=>', '<>', '<=', '>=', '!=', '==', '||', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^', '~'];
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:BD|bd|[LSYDFlsydf])?/y;

/** Tokens of an expression, or an error message with the offending offset. */
export function tokenizeExpression(text: string): ExprToken[] | string {
  const tokens: ExprToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (text.startsWith('--', i) || text.startsWith('/*', i)) return `comments are not allowed (offset ${i})`;
    if (c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return `unterminated string literal starting at offset ${i}`;
      tokens.push({ kind: 'string', text: text.slice(i, j + 1), at: i });
      i = j + 1;
      continue;
    }
    const word = match(IDENT, text, i) ?? match(NUMBER, text, i);
    if (word !== null) {
      const kind = /^[A-Za-z_]/.test(word) ? 'ident' : 'number';
      if (kind === 'number' && /[A-Za-z0-9_]/.test(text[i + word.length] ?? '')) return `malformed number at offset ${i}`;
      tokens.push({ kind, text: word, at: i });
      i += word.length;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '.') {
      tokens.push({ kind: c, text: c, at: i });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op === undefined) return `character ${JSON.stringify(c)} is not allowed (offset ${i})`;
    tokens.push({ kind: 'op', text: op, at: i });
    i += op.length;
  }
  return tokens;
}

/**
 * An error message (with the character offset) when `text` is not a plain
 * expression: statements, `;`, comments, backticks, double quotes, parameter
 * markers, unbalanced quotes or parentheses, qualified function names; else null.
 */
export function validateExpression(text: string): string | null {
  const tokens = tokenizeExpression(text);
  if (typeof tokens === 'string') return tokens;
  if (tokens.length === 0) return 'the expression is empty';
  const open: number[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as ExprToken;
    const next = tokens[k + 1];
    if (t.kind === '(') open.push(t.at);
    if (t.kind === ')' && open.pop() === undefined) return `unbalanced ")" at offset ${t.at}`;
    if (t.kind === 'ident') {
      if (t.text.length > 128) return `name longer than 128 characters at offset ${t.at}`;
      const upper = t.text.toUpperCase();
      if (FORBIDDEN_WORDS.has(upper)) return `"${t.text}" is not allowed in an expression (offset ${t.at})`;
      if (next?.kind === '(' && FORBIDDEN_FUNCTIONS.has(t.text.toLowerCase())) return `function "${t.text}" is not allowed (offset ${t.at})`;
    }
    if (t.kind === '.') {
      const prev = tokens[k - 1];
      if (next?.kind !== 'ident' || (prev?.kind !== 'ident' && prev?.kind !== ')')) return `misplaced "." at offset ${t.at}`;
      if (tokens[k + 2]?.kind === '(') return `qualified function names are not allowed (offset ${t.at})`;
    }
  }
  const unclosed = open.pop();
  if (unclosed !== undefined) return `unbalanced "(" at offset ${unclosed}`;
  return null;
}

/**
 * Rewrites the column names of a valid expression as `alias`.`col`, so a
 * condition written against source columns cannot be ambiguous inside a MERGE.
 * Function names, keywords, types after `AS`, typed-literal prefixes
 * (`DATE '…'`), interval units and struct fields (`col.field`) are left alone.
 * Throws on an invalid expression (validated earlier).
 */
export function qualifyExpression(text: string, alias: string): string {
  const problem = validateExpression(text);
  if (problem !== null) throw new Error(`invalid expression: ${problem}`);
  const tokens = tokenizeExpression(text) as ExprToken[];
  if (!isValidIdentifier(alias)) throw new Error(`invalid alias ${JSON.stringify(alias)}`);
  const prefix = `${alias}.`;
  let out = '';
  let last = 0;
  let depth = 0;
  let typeUntilDepth = -1;
  let intervalRun = false;
  tokens.forEach((t, k) => {
    const prev = tokens[k - 1];
    const next = tokens[k + 1];
    if (t.kind === '(') depth++;
    if (t.kind === ')') {
      depth--;
      if (depth < typeUntilDepth) typeUntilDepth = -1;
    }
    const upper = t.text.toUpperCase();
    let isColumn = t.kind === 'ident' && !EXPRESSION_KEYWORDS.has(upper) && typeUntilDepth < 0;
    if (isColumn && (next?.kind === '(' || next?.kind === 'string' || prev?.kind === '.')) isColumn = false;
    if (isColumn && intervalRun && (prev?.kind === 'number' || prev?.kind === 'string' || prev?.text.toUpperCase() === 'TO')) isColumn = false;
    if (t.kind === 'ident' && upper === 'AS') typeUntilDepth = depth;
    if (t.kind === 'ident' && upper === 'INTERVAL') intervalRun = true;
    else if (t.kind === 'op' || t.kind === ',' || t.kind === '(' || t.kind === ')') intervalRun = false;
    out += text.slice(last, t.at) + (isColumn ? prefix + quoteIdent(t.text) : t.text);
    last = t.at + t.text.length;
  });
  return out + text.slice(last);
}

function match(re: RegExp, text: string, at: number): string | null {
  re.lastIndex = at;
  const m = re.exec(text);
  return m === null ? null : m[0];
}
