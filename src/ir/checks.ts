/** Small semantic checks the phase normalizers share; each reports and returns a value or undefined. */
import { isValidIdentifier, parseTableRef } from '../sql/identifiers.ts';
import { parseColumnType, normalizeColumnType } from '../sql/types.ts';
import { joinPointer } from '../spec/files.ts';
import type { ColumnSpec } from '../spec/types.ts';
import { fail, type PhaseContext } from './context.ts';
import type { Column, TableRef } from './types.ts';

/** An identifier used in SQL (column, key); reports `code` when invalid. */
export function identifier(ctx: PhaseContext, name: string, pointer: string, what: string, code = 'SQL_IDENTIFIER'): string | undefined {
  if (isValidIdentifier(name)) return name;
  fail(ctx, code, `${what} '${name}' is not a valid identifier (letters, digits and _, not starting with a digit)`, pointer);
  return undefined;
}

/** `database.table` → {@link TableRef}. */
export function tableRef(ctx: PhaseContext, text: string, pointer: string): TableRef | undefined {
  const r = parseTableRef(text);
  if (typeof r === 'string') {
    fail(ctx, 'SQL_TABLE_NAME', r, pointer);
    return undefined;
  }
  return r;
}

/** Column list: valid names, valid types, no duplicates. */
export function columns(ctx: PhaseContext, specs: readonly ColumnSpec[], pointer: string, code = 'COLUMN'): Column[] | undefined {
  let ok = true;
  const seen = new Set<string>();
  const out: Column[] = [];
  for (const [i, c] of specs.entries()) {
    const p = joinPointer(pointer, i);
    if (!identifier(ctx, c.name, joinPointer(p, 'name'), 'column', `${code}_NAME`)) ok = false;
    if (seen.has(c.name.toLowerCase())) {
      fail(ctx, `${code}_DUPLICATE`, `column '${c.name}' is listed twice`, joinPointer(p, 'name'));
      ok = false;
    }
    seen.add(c.name.toLowerCase());
    const t = parseColumnType(c.type);
    if (typeof t === 'string') {
      const quoteHint = /^decimal\(\d+$/i.test(c.type) ? ' (in flow style `{type: decimal(12,2)}` YAML splits at the comma: quote it, "decimal(12,2)")' : '';
      fail(ctx, `${code}_TYPE`, `column '${c.name}': ${t}${quoteHint}`, joinPointer(p, 'type'));
      ok = false;
      continue;
    }
    out.push({ name: c.name, type: normalizeColumnType(c.type), nullable: c.nullable ?? true, ...(c.pii ? { pii: true } : {}), ...(c.comment === undefined ? {} : { comment: c.comment }) });
  }
  return ok ? out : undefined;
}

/** Reports names in `names` that are not columns of a known table. */
export function knownColumns(ctx: PhaseContext, names: readonly (string | undefined)[], table: { fqn: string; columns: string[] } | undefined, pointers: readonly string[], code: string): boolean {
  if (!table || table.columns.length === 0) return true;
  let ok = true;
  for (const [i, n] of names.entries()) {
    if (n !== undefined && !table.columns.includes(n)) {
      fail(ctx, code, `column '${n}' is not a column of ${table.fqn} (columns: ${table.columns.join(', ')})`, pointers[i]!);
      ok = false;
    }
  }
  return ok;
}

/** Platform default Spark parameters, then the specific ones (secrets are checked for every spec string by spec/secrets-check.ts). */
export function submitParameters(ctx: PhaseContext, specific: string | undefined, _pointer: string): string {
  return [ctx.platform.defaults.sparkSubmitParameters, specific].filter((s) => s && s.trim() !== '').join(' ');
}
