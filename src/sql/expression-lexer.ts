/**
 * Tokens of a user-written Spark SQL expression. The lexer knows every literal
 * form Spark reads — `'…'` and `"…"` with backslash escapes, raw `R'…'` (no
 * escapes), hex `X'…'`, backquoted identifiers with doubled backticks, numbers
 * with type suffixes — and both comment forms, so the parser sees exactly the
 * tokens Spark would see and a literal can never end where Spark would not end it.
 * See https://spark.apache.org/docs/latest/sql-ref-literals.html
 */

export type ExprToken =
  | { kind: 'ident'; text: string; at: number; end: number; name: string; quoted: boolean }
  | { kind: 'string'; text: string; at: number; end: number; value: string }
  | { kind: 'hex'; text: string; at: number; end: number; value: string }
  | { kind: 'number' | 'op' | '(' | ')' | ',' | '.' | 'comment'; text: string; at: number; end: number };

export type LexResult = ExprToken[] | { error: string; at: number };

const OPERATORS = ['<=>', '<>', '<=', '>=', '!=', '==', '||', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^', '~'];
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:BD|bd|[LSYDFlsydf])?/y;
const SIMPLE_ESCAPES: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '%': '\\%', _: '\\_' };

/** Tokens of `text` (comments included, as `comment` tokens), or the first lexical error. */
export function lexExpression(text: string): LexResult {
  const tokens: ExprToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (text.startsWith('--', i)) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
      tokens.push({ kind: 'comment', text: text.slice(start, i), at: start, end: i });
      continue;
    }
    if (text.startsWith('/*', i)) {
      const end = blockCommentEnd(text, i);
      if (end === -1) return { error: 'unterminated comment', at: i };
      i = end;
      tokens.push({ kind: 'comment', text: text.slice(start, i), at: start, end: i });
      continue;
    }
    const prefix = /^[rRxX]['"]/.test(text.slice(i, i + 2)) ? c.toLowerCase() : '';
    if (c === "'" || c === '"' || prefix) {
      const lit = prefix === 'r' ? rawString(text, i + 1) : quotedString(text, prefix ? i + 1 : i);
      if ('error' in lit) return lit;
      i = lit.end;
      const tokenText = text.slice(start, i);
      if (prefix === 'x') {
        if (!/^[0-9A-Fa-f]*$/.test(lit.value)) return { error: 'a hex literal X\'…\' holds only hex digits', at: start };
        tokens.push({ kind: 'hex', text: tokenText, at: start, end: i, value: lit.value });
      } else tokens.push({ kind: 'string', text: tokenText, at: start, end: i, value: lit.value });
      continue;
    }
    if (c === '`') {
      let j = i + 1;
      let name = '';
      for (;;) {
        if (j >= text.length) return { error: 'unterminated backquoted name', at: i };
        if (text[j] === '`') {
          if (text[j + 1] !== '`') break;
          name += '`';
          j += 2;
        } else name += text[j++];
      }
      i = j + 1;
      tokens.push({ kind: 'ident', text: text.slice(start, i), at: start, end: i, name, quoted: true });
      continue;
    }
    const word = match(IDENT, text, i);
    if (word !== null) {
      i += word.length;
      tokens.push({ kind: 'ident', text: word, at: start, end: i, name: word, quoted: false });
      continue;
    }
    const num = match(NUMBER, text, i);
    if (num !== null) {
      if (/[A-Za-z0-9_]/.test(text[i + num.length] ?? '')) return { error: 'malformed number', at: i };
      i += num.length;
      tokens.push({ kind: 'number', text: num, at: start, end: i });
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '.') {
      i++;
      tokens.push({ kind: c, text: c, at: start, end: i });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op === undefined) return { error: `character ${JSON.stringify(String.fromCodePoint(text.codePointAt(i)!))} is not allowed`, at: i };
    i += op.length;
    tokens.push({ kind: 'op', text: op, at: start, end: i });
  }
  return tokens;
}

/** Spark block comments nest. Offset after the closing `*\/`, or -1. */
function blockCommentEnd(text: string, at: number): number {
  let depth = 0;
  let i = at;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return -1;
}

/** `R'…'`: everything up to the next quote of the same kind, backslashes included. */
function rawString(text: string, at: number): { value: string; end: number } | { error: string; at: number } {
  const q = text[at]!;
  const close = text.indexOf(q, at + 1);
  if (close === -1) return { error: 'unterminated raw string literal', at: at - 1 };
  return { value: text.slice(at + 1, close), end: close + 1 };
}

/** `'…'` or `"…"` with Spark's backslash escapes, decoded. */
function quotedString(text: string, at: number): { value: string; end: number } | { error: string; at: number } {
  const q = text[at]!;
  let value = '';
  let j = at + 1;
  while (j < text.length && text[j] !== q) {
    if (text[j] !== '\\') {
      value += text[j++];
      continue;
    }
    const e = text[j + 1];
    if (e === undefined) break;
    const octal = /^[0-3][0-7]{2}/.exec(text.slice(j + 1, j + 4));
    const unicode = /^u[0-9A-Fa-f]{4}/.exec(text.slice(j + 1, j + 6));
    if (octal) {
      value += String.fromCharCode(parseInt(octal[0], 8));
      j += 4;
    } else if (unicode) {
      value += String.fromCharCode(parseInt(unicode[0].slice(1), 16));
      j += 6;
    } else {
      value += SIMPLE_ESCAPES[e] ?? e;
      j += 2;
    }
  }
  if (j >= text.length) return { error: 'unterminated string literal', at };
  return { value, end: j + 1 };
}

function match(re: RegExp, text: string, at: number): string | null {
  re.lastIndex = at;
  const m = re.exec(text);
  return m === null ? null : m[0];
}
