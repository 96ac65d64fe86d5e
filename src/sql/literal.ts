/**
 * Values of Spark SQL literal and quoted-name tokens, decoded the way Spark's
 * parser decodes them (ParserUtils.unescapeSQLString): `'…'` and `"…"` with
 * backslash escapes, raw `R'…'` without any, backquoted names with doubled
 * backticks. See https://spark.apache.org/docs/latest/sql-ref-literals.html#string-literal
 */

const SIMPLE_ESCAPES: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '%': '\\%', _: '\\_' };

/** The value of a string literal token (`'…'`, `"…"`, `R'…'`, `r"…"`). */
export function stringValue(token: string): string {
  if (/^[rR]/.test(token)) return token.slice(2, -1);
  const body = token.slice(1, -1);
  let value = '';
  let j = 0;
  while (j < body.length) {
    if (body[j] !== '\\') {
      value += body[j++];
      continue;
    }
    const e = body[j + 1] ?? '';
    const octal = /^[0-3][0-7]{2}/.exec(body.slice(j + 1, j + 4));
    const unicode = /^u[0-9A-Fa-f]{4}/.exec(body.slice(j + 1, j + 6));
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
  return value;
}

/** The name of an identifier token: backquotes removed and doubled backticks undone; plain names as written. */
export function identifierValue(token: string): string {
  return token.startsWith('`') ? token.slice(1, -1).replaceAll('``', '`') : token;
}
