/**
 * Identifiers and literals of generated Spark SQL. Every name that reaches SQL
 * is validated first and then quoted; every value is rendered as an escaped
 * string literal. Nothing from a spec is ever spliced into SQL raw.
 */
import type { TableRef } from '../ir/types.ts';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Longest table or column name: the Glue API's `NameString` (1–255 characters) and
 * Iceberg's Glue catalog (`IcebergToGlueConverter`: tables `[a-z0-9_]{1,255}`).
 * Spark SQL itself sets no limit.
 * See https://docs.aws.amazon.com/glue/latest/webapi/API_TableInput.html
 */
export const MAX_IDENTIFIER_LENGTH = 255;

/**
 * Longest database name Iceberg's Glue catalog accepts (`[a-z0-9_]{1,252}`; Glue
 * itself takes 255, but such a database could never be loaded through Iceberg).
 * See https://docs.aws.amazon.com/athena/latest/ug/glue-best-practices.html
 */
export const MAX_DATABASE_LENGTH = 252;

/**
 * True for a plain identifier (`^[A-Za-z_][A-Za-z0-9_]*$`, at most 255 characters).
 * See https://docs.aws.amazon.com/glue/latest/dg/components-overview.html#names-best-practices
 */
export function isValidIdentifier(name: string): boolean {
  return name.length <= MAX_IDENTIFIER_LENGTH && IDENTIFIER.test(name);
}

/**
 * A warning for names with upper-case letters, or null. Glue stores names in
 * lower case, so `OrderId` is read back as `orderid`.
 * See https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
 */
export function identifierCaseWarning(name: string): string | null {
  return /[A-Z]/.test(name) ? `"${name}" has upper-case letters; the Glue Data Catalog stores it as "${name.toLowerCase()}"` : null;
}

/**
 * Quotes a validated identifier with backticks. Throws on an invalid name: names
 * are checked while validating specs, so reaching here with one is a bug.
 * See https://spark.apache.org/docs/latest/sql-ref-identifier.html
 */
export function quoteIdent(name: string): string {
  if (!isValidIdentifier(name)) throw new Error(`invalid SQL identifier: ${JSON.stringify(name)}`);
  // Valid identifiers hold no backtick; the doubling keeps quoting correct on its own terms.
  return '`' + name.replace(/`/g, '``') + '`';
}

/** `` `catalog`.`db`.`table` `` for a table of the Iceberg catalog. */
export function tableName(catalog: string, ref: TableRef): string {
  return `${quoteIdent(catalog)}.${quoteIdent(ref.database)}.${quoteIdent(ref.table)}`;
}

/** `db.table` as Iceberg procedures take it in their `table` argument (not yet a literal). */
export function procedureTableName(ref: TableRef): string {
  quoteIdent(ref.database);
  quoteIdent(ref.table);
  return `${ref.database}.${ref.table}`;
}

/**
 * A Spark SQL string literal holding exactly `value`. Spark unescapes backslash
 * sequences in literals by default (`spark.sql.parser.escapedStringLiterals=false`),
 * so backslashes and quotes are escaped, and control characters (newlines, tabs…)
 * and lone surrogates are written as escapes, so a literal always stays on one
 * line and survives any encoding.
 * See https://spark.apache.org/docs/latest/sql-ref-literals.html#string-literal
 */
export function sqlString(value: string): string {
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029 || (code >= 0xd800 && code <= 0xdfff)) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + "'";
}

/**
 * Parses `db.table` into a {@link TableRef}; returns an error message for
 * anything else (missing or extra parts, invalid identifiers).
 */
export function parseTableRef(text: string): TableRef | string {
  const parts = text.split('.');
  if (parts.length !== 2) return `expected <database>.<table>, got ${JSON.stringify(text)}`;
  const [database = '', table = ''] = parts;
  for (const part of [database, table]) {
    if (!isValidIdentifier(part)) return `${JSON.stringify(part)} is not a valid identifier (letters, digits and _, not starting with a digit, at most ${MAX_IDENTIFIER_LENGTH} characters)`;
  }
  if (database.length > MAX_DATABASE_LENGTH) return `database ${JSON.stringify(database)} has ${database.length} characters; Iceberg's Glue catalog accepts at most ${MAX_DATABASE_LENGTH}`;
  return { database, table };
}
