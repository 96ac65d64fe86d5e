/** Small semantic checks the phase normalizers share; each reports and returns a value or undefined. */
import { STATIC_OVERWRITE_CONF } from '../sql/conversion.ts';
import { isValidIdentifier, parseTableRef } from '../sql/identifiers.ts';
import { SESSION_TIME_ZONE_CONF } from '../sql/watermark.ts';
import { VARIABLE_SUBSTITUTION_OFF } from '../sql/conf.ts';
import { parseSubmitParameters } from '../spec/submit-parameters.ts';
import { parseColumnType, normalizeColumnType } from '../sql/types.ts';
import { joinPointer } from '../spec/files.ts';
import type { ColumnSpec } from '../spec/types.ts';
import { fail, platformDatabases, type PhaseContext } from './context.ts';
import { locationProblem, s3UrisIn } from './locations.ts';
import { isCatalogName } from './sql-access.ts';
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
  // Spark reads a catalog's name (or global_temp, its temporary views' namespace) where a database would stand:
  // `spark_catalog.t` is table `t` of the session catalog, never of a database `spark_catalog`.
  if (isCatalogName(r.database, ctx.platform.catalog) || r.database.toLowerCase() === 'global_temp') {
    fail(ctx, 'SQL_TABLE_NAME', `'${r.database}' names a catalog in Spark SQL (${r.database}.${r.table} is a table of that catalog, not of a database): give the table as <database>.<table>`, pointer);
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

/**
 * Platform default Spark parameters, then the specific ones, whose protected
 * settings ({@link protectedSettingProblems}) and S3 files outside the use
 * case's locations (./locations.ts) are errors where they are written (secrets
 * are checked for every spec string by spec/secrets-check.ts).
 */
export function submitParameters(ctx: PhaseContext, specific: string | undefined, pointer: string): string {
  if (specific !== undefined) {
    for (const p of protectedSettingProblems(specific, ctx.platform.catalog)) fail(ctx, 'SPARK_SETTING_PROTECTED', p.message, pointer, false, p.offset);
    // Files the job loads (`--py-files`, `--jars`, …) are read with the use case's role.
    const scope = { platform: ctx.platform, useCase: ctx.useCase, databases: platformDatabases(ctx.index) };
    for (const { uri, offset } of s3UrisIn(specific, { dag: ctx.dag, useCase: ctx.useCase })) {
      const problem = locationProblem(uri, 'read', scope);
      if (problem) fail(ctx, 'SPARK_LOCATION', problem, pointer, false, offset);
    }
  }
  return [ctx.platform.defaults.sparkSubmitParameters, specific].filter((s) => s && s.trim() !== '').join(' ');
}

/**
 * Settings of spark-submit parameters a spec may not change, with the offset of
 * each: the platform catalog's (`spark.sql.catalog.<catalog>` and below), the
 * default catalog, the session time zone, the partition overwrite mode and
 * variable substitution (off), on which every generated statement relies. Restating the value lakestep sets is
 * allowed. List-valued settings are merged instead (spec/submit-parameters.ts).
 */
export function protectedSettingProblems(text: string, catalog: string): { offset: number; message: string }[] {
  const out: { offset: number; message: string }[] = [];
  const fixed: Record<string, [string, string]> = {
    'spark.sql.defaultcatalog': [catalog, `the platform's catalog '${catalog}'`],
    'spark.sql.session.timezone': [SESSION_TIME_ZONE_CONF.split('=')[1]!, 'UTC: watermarks, logical dates and the generated SQL are UTC'],
    'spark.sql.sources.partitionoverwritemode': [STATIC_OVERWRITE_CONF.split('=')[1]!, 'static: conversions and overwrites replace whole tables, never some partitions'],
    'spark.sql.variable.substitute': [VARIABLE_SUBSTITUTION_OFF.split('=')[1]!, 'false: a statement runs as written and analysed, with no ${…} replaced in it'],
  };
  const cat = `spark.sql.catalog.${catalog.toLowerCase()}`;
  for (const o of parseSubmitParameters(text)) {
    if (o.flag !== '--conf' || o.key === undefined) continue;
    const key = o.key.toLowerCase();
    if (key === cat || key.startsWith(`${cat}.`)) {
      out.push({ offset: o.valueOffset, message: `'${o.key}' configures the platform's catalog '${catalog}', which lakestep binds to Iceberg in the Glue Data Catalog for every job; it cannot be set` });
    } else if (fixed[key] && o.value !== fixed[key][0]) {
      out.push({ offset: o.valueOffset, message: `'${o.key}' is set by lakestep to ${fixed[key][1]}; it cannot be changed` });
    }
  }
  return out;
}
