/**
 * `checks:` and `freshness:` of an entry that writes a table → {@link TableQuality}:
 * one kind per check, names unique per table, columns valid and known to the
 * table where its columns are known, expressions parsed with the Spark grammar
 * (src/sql/expression.ts), SQL check files read as one query, and freshness
 * ages an alarm can measure (src/events/freshness.ts).
 */
import { joinPointer, locateInString } from '../spec/files.ts';
import { parseDuration } from '../spec/duration.ts';
import { closest } from '../spec/suggest.ts';
import type { CheckSpec, FreshnessSpec } from '../spec/types.ts';
import { rowExpression, type Expr } from '../sql/expression.ts';
import { isValidIdentifier } from '../sql/identifiers.ts';
import { at, fail, findTable, type PhaseContext } from './context.ts';
import { sqlFileAccess } from './sql-access.ts';
import type { Origin, Report } from '../diagnostics.ts';
import { CHECK_KINDS, type CheckKind, type Freshness, type QualityCheck, type TableQuality, type TableRef, type Workflow } from './types.ts';

/** Longest freshness age a CloudWatch alarm can measure: period × evaluation periods ≤ 7 days. */
export const FRESHNESS_MAX_SECONDS = 7 * 86_400;

export interface QualityEntry {
  table: TableRef;
  checks?: CheckSpec[];
  freshness?: FreshnessSpec;
  /** Pointers of `checks` and `freshness` in the context's file. */
  checksPointer: string;
  freshnessPointer: string;
  /** The entry's keys (merge, JDBC), which identify a row in samples. */
  keys?: readonly string[];
  /** Columns the entry itself declares (migration, ingestion). */
  columns?: readonly { name: string; nullable: boolean; pii?: boolean }[];
}

/** The entry's {@link TableQuality}, undefined when it has neither checks nor freshness; `ok` false after an error. */
export function normalizeQuality(ctx: PhaseContext, e: QualityEntry): { quality?: TableQuality; ok: boolean } {
  if (e.checks === undefined && e.freshness === undefined) return { ok: true };
  const fqn = `${e.table.database}.${e.table.table}`;
  const known = findTable(ctx.index, fqn);
  const columns = e.columns?.length ? e.columns.map((c) => c.name) : (known?.columns ?? []);
  let ok = true;
  const checks: QualityCheck[] = [];
  const names = new Map<string, string>();
  for (const [i, spec] of (e.checks ?? []).entries()) {
    const p = joinPointer(e.checksPointer, i);
    const check = normalizeCheck(ctx, spec, p, fqn, columns);
    if (!check) {
      ok = false;
      continue;
    }
    const first = names.get(check.name);
    if (first !== undefined) {
      fail(ctx, 'CHECK_DUPLICATE_NAME', `${fqn} already has a check named '${check.name}' (${first}): give this one a \`name\``, spec.name === undefined ? p : `${p}/name`);
      ok = false;
      continue;
    }
    names.set(check.name, `line ${check.origin.line}`);
    checks.push(check);
  }
  const freshness = e.freshness === undefined ? undefined : normalizeFreshness(ctx, e.freshness, e.freshnessPointer);
  if (e.freshness !== undefined && !freshness) ok = false;
  const pii = new Set([...(e.columns ?? []).filter((c) => c.pii).map((c) => c.name), ...(known?.pii ?? [])]);
  const required = e.columns?.length ? e.columns.filter((c) => !c.nullable).map((c) => c.name) : (known?.required ?? []);
  const sampleColumns = e.keys?.length ? [...e.keys] : required;
  return {
    ok,
    quality: {
      table: e.table,
      checks,
      ...(freshness ? { freshness } : {}),
      sampleColumns,
      maskedColumns: sampleColumns.filter((c) => pii.has(c)),
      origin: at(ctx, e.checks !== undefined ? e.checksPointer : e.freshnessPointer),
    },
  };
}

function kindOf(ctx: PhaseContext, spec: CheckSpec, p: string): CheckKind | undefined {
  const kinds = CHECK_KINDS.filter((k) => spec[k] !== undefined);
  if (kinds.length === 1) return kinds[0];
  const what = kinds.length === 0 ? 'names none' : `names ${kinds.join(' and ')}`;
  fail(ctx, 'CHECK_KIND', `a check names exactly one of ${CHECK_KINDS.join(', ')}; this one ${what}${kinds.length > 1 ? ': write one check per kind' : ''}`, kinds.length > 1 ? `${p}/${kinds[1]}` : p);
  return undefined;
}

function normalizeCheck(ctx: PhaseContext, spec: CheckSpec, p: string, fqn: string, columns: readonly string[]): QualityCheck | undefined {
  const kind = kindOf(ctx, spec, p);
  if (!kind) return undefined;
  let ok = true;
  const column = (name: string, pointer: string): void => {
    if (!isValidIdentifier(name)) {
      fail(ctx, 'CHECK_COLUMN', `'${name}' is not a valid column name (letters, digits and _, not starting with a digit)`, pointer);
      ok = false;
    } else if (columns.length > 0 && !columns.includes(name)) {
      const hint = closest(name, columns);
      fail(ctx, 'CHECK_UNKNOWN_COLUMN', `'${name}' is not a column of ${fqn}${hint ? ` (did you mean '${hint}'?)` : ` (columns: ${columns.join(', ')})`}`, pointer);
      ok = false;
    }
  };
  const expression = (text: string, pointer: string, code: string, what: string): void => {
    const r = rowExpression(text);
    if ('error' in r) {
      ctx.report.error(code, `${what}: ${r.error}`, locateInString(ctx.file, pointer, r.at), ctx.useCase);
      ok = false;
      return;
    }
    for (const name of columnsOf(r.expr)) column(name, pointer);
  };
  let cols: string[] = [];
  if (kind === 'not_null' || kind === 'unique') {
    cols = spec[kind]!;
    cols.forEach((c, j) => column(c, joinPointer(p, kind, j)));
  }
  if (kind === 'accepted_values') {
    cols = [spec.accepted_values!.column];
    column(cols[0]!, `${p}/accepted_values/column`);
  }
  const rc = spec.row_count;
  if (rc && rc.min === undefined && rc.max === undefined) {
    fail(ctx, 'CHECK_ROW_COUNT', 'row_count needs `min`, `max` or both', `${p}/row_count`);
    ok = false;
  }
  if (rc && rc.min !== undefined && rc.max !== undefined && rc.min > rc.max) {
    fail(ctx, 'CHECK_ROW_COUNT', `row_count: min ${rc.min} is more than max ${rc.max}`, `${p}/row_count/min`);
    ok = false;
  }
  if (spec.expression !== undefined) expression(spec.expression, `${p}/expression`, 'CHECK_EXPRESSION', 'expression');
  if (spec.where !== undefined && kind === 'sql') {
    fail(ctx, 'CHECK_WHERE', 'a `sql` check selects its failing rows itself: put the condition in its query', `${p}/where`);
    ok = false;
  } else if (spec.where !== undefined) expression(spec.where, `${p}/where`, 'CHECK_WHERE', 'where');
  const sql = spec.sql === undefined ? undefined : checkSql(ctx, spec.sql, `${p}/sql`);
  if (spec.sql !== undefined && !sql) ok = false;
  if (!ok) return undefined;
  return {
    name: spec.name ?? defaultName(kind, spec),
    kind,
    severity: spec.severity ?? 'error',
    columns: cols,
    ...(spec.accepted_values ? { values: spec.accepted_values.values } : {}),
    ...(rc ? { rowCount: { ...(rc.min === undefined ? {} : { min: rc.min }), ...(rc.max === undefined ? {} : { max: rc.max }), of: rc.of ?? 'table' } } : {}),
    ...(spec.expression === undefined ? {} : { expression: spec.expression }),
    ...(sql ? { sql } : {}),
    ...(spec.where === undefined ? {} : { where: spec.where }),
    origin: at(ctx, p),
  };
}

/** `not_null(order_id,status)`, `row_count(batch)`, `expression(amount >= 0)` (cut at 60 characters), `sql(sql/checks/x.sql)`. */
function defaultName(kind: CheckKind, spec: CheckSpec): string {
  const arg = (() => {
    switch (kind) {
      case 'not_null':
      case 'unique':
        return spec[kind]!.join(',');
      case 'accepted_values':
        return spec.accepted_values!.column;
      case 'row_count':
        return spec.row_count!.of ?? 'table';
      case 'expression':
        return spec.expression!.replace(/\s+/g, ' ').trim();
      case 'sql':
        return spec.sql!;
    }
  })();
  return `${kind}(${arg.length > 60 ? `${arg.slice(0, 59)}…` : arg})`;
}

/** Column names (first part) an expression reads. */
function columnsOf(e: Expr): string[] {
  const out = new Set<string>();
  const walk = (x: Expr): void => {
    switch (x.k) {
      case 'col':
        out.add(x.parts[0]!);
        return;
      case 'unary':
      case 'paren':
        return walk(x.e);
      case 'bin':
        walk(x.l);
        return walk(x.r);
      case 'call':
        return x.args.forEach(walk);
      case 'cast':
        return walk(x.e);
      case 'case':
        if (x.operand) walk(x.operand);
        for (const [c, v] of x.whens) {
          walk(c);
          walk(v);
        }
        if (x.otherwise) walk(x.otherwise);
        return;
      case 'is':
        walk(x.e);
        if (x.other) walk(x.other);
        return;
      case 'in':
        walk(x.e);
        return x.list.forEach(walk);
      case 'between':
        walk(x.e);
        walk(x.lo);
        return walk(x.hi);
      case 'like':
        walk(x.e);
        return walk(x.pattern);
      default:
        return;
    }
  };
  walk(e);
  return [...out];
}

const QUERY_START = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*(?:SELECT|WITH|FROM|VALUES|TABLE|\()/i;

/** A `sql:` check file: one query, reading tables only. */
function checkSql(ctx: PhaseContext, file: string, pointer: string): QualityCheck['sql'] | undefined {
  const found = ctx.otherFiles.get(file);
  if (!found) {
    const hint = closest(file, [...ctx.otherFiles.keys()]);
    fail(ctx, 'CHECK_SQL_NOT_FOUND', `'${ctx.useCase}/${file}' does not exist${hint ? ` (did you mean '${hint}'?)` : ''}`, pointer);
    return undefined;
  }
  const access = sqlFileAccess(found.path, found.text, ctx.platform.catalog);
  for (const problem of access.problems) ctx.report.error(problem.code, problem.message, problem.origin, ctx.useCase);
  if (access.problems.length > 0) return undefined;
  const [first, second] = access.statements;
  if (!first || second || !QUERY_START.test(first.text) || first.uses.some((u) => u.kinds.some((k) => k !== 'read'))) {
    fail(ctx, 'CHECK_SQL_NOT_QUERY', `${found.path} must hold one query (SELECT …) returning the failing rows${second ? `; it has ${access.statements.length} statements` : ''}`, pointer);
    return undefined;
  }
  const reads = new Map(first.uses.map((u) => [`${u.table.database}.${u.table.table}`, u.table]));
  return { file: found.path, text: first.text, reads: [...reads.values()] };
}

function normalizeFreshness(ctx: PhaseContext, spec: FreshnessSpec, p: string): Freshness | undefined {
  let ok = true;
  const seconds = (field: 'warn_after' | 'error_after'): number | undefined => {
    const text = spec[field];
    if (text === undefined) return undefined;
    const s = parseDuration(text) ?? 0;
    if (s < 60 || s > FRESHNESS_MAX_SECONDS) {
      fail(ctx, 'FRESHNESS_AGE', `${field}: ${text} is not between 1m and 7d (a CloudWatch alarm evaluates at most 7 days)`, `${p}/${field}`);
      ok = false;
    } else if (s > 86_400 && s % 3600 !== 0) {
      fail(ctx, 'FRESHNESS_AGE', `${field}: ${text} is longer than a day and not a whole number of hours (an alarm over more than a day has periods of an hour); write it in hours or days`, `${p}/${field}`);
      ok = false;
    }
    return s;
  };
  const warn = seconds('warn_after');
  const error = seconds('error_after');
  if (ok && warn !== undefined && error !== undefined && error <= warn) {
    fail(ctx, 'FRESHNESS_AGE', `error_after (${spec.error_after}) must be longer than warn_after (${spec.warn_after})`, `${p}/error_after`);
    ok = false;
  }
  if (!ok) return undefined;
  return { ...(warn === undefined ? {} : { warnAfterSeconds: warn }), ...(error === undefined ? {} : { errorAfterSeconds: error }), origin: at(ctx, p) };
}

/** Every {@link TableQuality} of a workflow's entries, in spec order. */
export function workflowQuality(w: Workflow): TableQuality[] {
  const b = w.body;
  const of = (xs: readonly { quality?: TableQuality }[]) => xs.flatMap((x) => (x.quality ? [x.quality] : []));
  switch (b.kind) {
    case 'migration':
      return of(b.migration.tables);
    case 'ingestion':
      return [...of(b.ingestion.batch), ...of(b.ingestion.kafka)];
    case 'processing':
      return [...of(b.processing.merges), ...b.processing.sql.flatMap((f) => f.quality)];
    case 'maintenance':
    case 'spark':
      return [];
  }
}

/**
 * One freshness SLA per table and use case: each becomes the use case's alarms on
 * the table's publish metric (src/events/freshness.ts), named after the table.
 */
export function checkFreshnessOnce(workflows: readonly Workflow[], report: Report, useCase: string): boolean {
  const first = new Map<string, Origin>();
  let ok = true;
  for (const w of workflows) {
    for (const q of workflowQuality(w)) {
      if (!q.freshness) continue;
      const fqn = `${q.table.database}.${q.table.table}`;
      const other = first.get(fqn);
      if (other) {
        report.error('FRESHNESS_DUPLICATE', `${fqn} already has a freshness SLA (${other.file}:${other.line}): give each table one`, q.freshness.origin, useCase);
        ok = false;
      } else first.set(fqn, q.freshness.origin);
    }
  }
  return ok;
}
