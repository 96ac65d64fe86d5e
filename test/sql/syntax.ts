/**
 * Syntax checks of generated SQL. dt-sql-parser's SparkSQL grammar parses most
 * statements once parameter markers become literals and three-part names become
 * two-part names; `CALL` and `ALTER TABLE … WRITE ORDERED BY` (Iceberg extensions)
 * are checked by the small grammars below.
 */
import { SparkSQL } from 'dt-sql-parser';

const parser = new SparkSQL();

/** Splits SQL into string literals and the text between them. */
export function splitLiterals(sql: string): { text: string; literal: boolean }[] {
  const parts: { text: string; literal: boolean }[] = [];
  const re = /'(?:[^'\\]|\\[\s\S])*'/g;
  let last = 0;
  for (const m of sql.matchAll(re)) {
    parts.push({ text: sql.slice(last, m.index), literal: false }, { text: m[0], literal: true });
    last = m.index + m[0].length;
  }
  parts.push({ text: sql.slice(last), literal: false });
  return parts;
}

/** Markers → a timestamp literal; `` `cat`.`db`.`t` `` → `` `db`.`t` ``; string literals untouched. */
export function normalizeForParser(sql: string): string {
  return splitLiterals(sql)
    .map((p) =>
      p.literal
        ? p.text
        : p.text
            .replace(/(?<=[\s(,=]):[A-Za-z_][A-Za-z0-9_]*/g, "'2024-01-01 00:00:00'")
            .replace(/`[A-Za-z0-9_]+`\.(`[A-Za-z0-9_]+`\.`[A-Za-z0-9_]+`)/g, '$1'),
    )
    .join('');
}

/** Syntax errors of one generated statement; empty when it parses. */
export function syntaxErrors(sql: string): string[] {
  if (/^CALL\s/i.test(sql)) return callErrors(sql);
  if (/^ALTER TABLE .* WRITE ORDERED BY /s.test(sql)) return writeOrderErrors(sql);
  return parser.validate(normalizeForParser(sql)).map((e) => `${e.message} (line ${e.startLine}, column ${e.startColumn})`);
}

/** Tokens dt-sql-parser's Spark lexer produces for `sql`, without whitespace. */
export function sparkTokens(sql: string): string[] {
  return parser
    .getAllTokens(sql)
    .map((t) => t.text ?? '')
    .filter((t) => t.trim() !== '');
}

/** Named arguments each Iceberg procedure we generate accepts (Iceberg Spark procedures doc). */
export const PROCEDURE_ARGS: Record<string, string[]> = {
  expire_snapshots: ['table', 'older_than', 'retain_last', 'max_concurrent_deletes', 'stream_results', 'snapshot_ids'],
  remove_orphan_files: ['table', 'older_than', 'location', 'dry_run', 'max_concurrent_deletes'],
  rewrite_data_files: ['table', 'strategy', 'sort_order', 'options', 'where'],
  rewrite_manifests: ['table', 'use_caching', 'spec_id'],
};

const IDENT = '(?:`[A-Za-z0-9_]+`|[A-Za-z_][A-Za-z0-9_]*)';
const STRING = "'(?:[^'\\\\\\n]|\\\\.)*'";
const VALUE = `(?:${STRING}|\\d+|true|false|TIMESTAMP :[A-Za-z_][A-Za-z0-9_]*|map\\(${STRING}(?:, ${STRING})*\\))`;

/** `CALL <catalog>.system.<known procedure>(name => value, …)` with known, distinct names; `table` first. */
export function callErrors(sql: string): string[] {
  const m = new RegExp(`^CALL ${IDENT}\\.system\\.([a-z_]+)\\((.*)\\)$`, 's').exec(sql);
  if (!m) return ['not a CALL of a system procedure'];
  const [, procedure = '', argText = ''] = m;
  const known = PROCEDURE_ARGS[procedure];
  if (!known) return [`unknown procedure ${procedure}`];
  const argRe = new RegExp(`^([a-z_]+) => (${VALUE})(?:, |$)`, 's');
  const names: string[] = [];
  let rest = argText;
  while (rest.length > 0) {
    const a = argRe.exec(rest);
    if (!a) return [`cannot parse arguments at: ${rest}`];
    names.push(a[1] ?? '');
    rest = rest.slice(a[0].length);
  }
  const errors = names.filter((n) => !known.includes(n)).map((n) => `unknown argument ${n} of ${procedure}`);
  if (names[0] !== 'table') errors.push('the first argument must be table');
  if (new Set(names).size !== names.length) errors.push('duplicate argument');
  return errors;
}

/** `ALTER TABLE <name> WRITE ORDERED BY <col> ASC|DESC NULLS FIRST|LAST, …` */
export function writeOrderErrors(sql: string): string[] {
  const field = `${IDENT} (?:ASC|DESC) NULLS (?:FIRST|LAST)`;
  const re = new RegExp(`^ALTER TABLE ${IDENT}\\.${IDENT}\\.${IDENT} WRITE ORDERED BY ${field}(?:, ${field})*$`);
  return re.test(sql) ? [] : ['not ALTER TABLE … WRITE ORDERED BY <fields>'];
}

/** Spark's unescaping of a string literal token (ParserUtils.unescapeSQLString). */
export function unescapeSpark(token: string): string {
  const body = token.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i] ?? '';
    const simple: Record<string, string> = { '0': '\0', "'": "'", '"': '"', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '\\': '\\', '%': '\\%', _: '\\_' };
    if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else out += simple[n] ?? n;
  }
  return out;
}
