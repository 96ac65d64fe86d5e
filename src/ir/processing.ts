/** `processing.yaml` → {@link Processing}: MERGE upserts and user SQL files. */
import { parseExpression } from '../sql/expression.ts';
import { LineIndex, locateInString } from '../spec/files.ts';
import { bindSqlTemplates } from '../sql/templates.ts';
import { joinPointer } from '../spec/files.ts';
import { closest } from '../spec/suggest.ts';
import type { MergeSpec, ProcessingSpec } from '../spec/types.ts';

type SqlFileSpec = NonNullable<ProcessingSpec['sql']>[number];
import { identifier, knownColumns, tableRef } from './checks.ts';
import { at, fail, findTable, isCreated, skipped, warn, type PhaseContext } from './context.ts';
import { createsWithRows, sqlFileAccess, writesRowsAudited } from './sql-access.ts';
import { normalizeQuality } from './quality.ts';
import type { Merge, SqlFile, SqlTableUse, TableQuality, TableRef, WorkflowBody } from './types.ts';
import { parseDuration } from '../spec/duration.ts';

/** Default look-back of incremental merges (`late_arrival`). */
export const DEFAULT_LATE_ARRIVAL = '1h';

export function normalizeProcessing(ctx: PhaseContext, spec: ProcessingSpec): WorkflowBody | undefined {
  let ok = true;
  const names = new Set<string>();
  const unique = (name: string, pointer: string) => {
    if (names.has(name)) {
      fail(ctx, 'PROCESSING_DUPLICATE_STEP', `step '${name}' is defined more than once`, pointer);
      ok = false;
    }
    names.add(name);
  };
  const merges: Merge[] = [];
  for (const [i, m] of (spec.merges ?? []).entries()) {
    if (skipped(ctx, `/merges/${i}`)) {
      ok = false;
      continue;
    }
    const merge = normalizeMerge(ctx, m, `/merges/${i}`);
    if (!merge) ok = false;
    else {
      unique(merge.name, `/merges/${i}`);
      if (m.enabled !== false) merges.push(merge);
    }
  }
  const sql: SqlFile[] = [];
  for (const [i, s] of (spec.sql ?? []).entries()) {
    const p = `/sql/${i}`;
    if (skipped(ctx, p)) {
      ok = false;
      continue;
    }
    const file = ctx.otherFiles.get(s.file);
    if (!file) {
      const hint = closest(s.file, [...ctx.otherFiles.keys()]);
      fail(ctx, 'PROCESSING_SQL_NOT_FOUND', `'${ctx.useCase}/${s.file}' does not exist${hint ? ` (did you mean '${hint}'?)` : ''}`, `${p}/file`);
      ok = false;
      continue;
    }
    if (file.text.trim() === '') {
      fail(ctx, 'PROCESSING_SQL_EMPTY', `'${file.path}' is empty`, `${p}/file`);
      ok = false;
      continue;
    }
    const name = s.name ?? s.file.replace(/^.*\//, '').replace(/\.sql$/, '');
    unique(name, p);
    // Run templates first ('{{ ds }}' → :ds): the analysis reads, and the job runs, the bound text.
    const bound = bindSqlTemplates(file.text);
    if (bound.problems.length) {
      const lines = new LineIndex(file.text);
      for (const problem of bound.problems) {
        const pos = lines.linePos(problem.offset);
        ctx.report.error(problem.code, problem.message, { file: file.path, line: pos.line, column: pos.col, pointer: '' }, ctx.useCase);
      }
      ok = false;
      continue;
    }
    const analysed = sqlStatements(ctx, { path: file.path, text: bound.sql }, s, p);
    const quality = analysed ? sqlQuality(ctx, s, p, analysed) : undefined;
    if (!analysed || !quality) ok = false;
    else sql.push({ name, file: file.path, text: file.text, statements: analysed.statements, declared: analysed.declared, params: bound.params, quality, origin: at(ctx, p) });
  }
  if (ok && merges.length + sql.length === 0) {
    fail(ctx, 'PROCESSING_NO_STEPS', 'every step is disabled: nothing to process', '');
    ok = false;
  }
  return ok ? { kind: 'processing', processing: { merges, sql, origin: at(ctx, '') } } : undefined;
}

function normalizeMerge(ctx: PhaseContext, m: MergeSpec, p: string): Merge | undefined {
  let ok = true;
  const target = tableRef(ctx, m.target, `${p}/target`);
  const source = tableRef(ctx, m.source, `${p}/source`);
  if (!target || !source) ok = false;
  for (const [j, k] of m.keys.entries()) if (!identifier(ctx, k, joinPointer(p, 'keys', j), 'key')) ok = false;
  for (const f of ['order_by', 'incremental_column'] as const) {
    if (m[f] !== undefined && !identifier(ctx, m[f]!, `${p}/${f}`, f.replace('_', ' '))) ok = false;
  }
  for (const [j, c] of (m.columns ?? []).entries()) if (!identifier(ctx, c, joinPointer(p, 'columns', j), 'column')) ok = false;
  if (m.delete_when !== undefined) {
    const r = parseExpression(m.delete_when);
    if ('error' in r) {
      ctx.report.error('PROCESSING_EXPRESSION', `delete_when: ${r.error}`, locateInString(ctx.file, `${p}/delete_when`, r.at), ctx.useCase);
      ok = false;
    }
  }
  if (m.columns && m.columns.length > 0) {
    for (const [j, k] of m.keys.entries()) {
      if (!m.columns.includes(k)) {
        fail(ctx, 'PROCESSING_KEY_NOT_IN_COLUMNS', `key '${k}' must be one of the merged \`columns\``, joinPointer(p, 'keys', j));
        ok = false;
      }
    }
  }
  if (source && !findTable(ctx.index, `${source.database}.${source.table}`)) {
    warn(ctx, 'PROCESSING_UNKNOWN_TABLE', `'${source.database}.${source.table}' is not created by any migration, ingestion or merge of the platform; make sure something else (a SQL file) creates it`, `${p}/source`);
  }
  if (source && ok) {
    const known = findTable(ctx.index, `${source.database}.${source.table}`);
    const names = [...m.keys, m.order_by, m.incremental_column, ...(m.columns ?? [])];
    const pointers = [...m.keys.map((_, j) => joinPointer(p, 'keys', j)), `${p}/order_by`, `${p}/incremental_column`, ...(m.columns ?? []).map((_, j) => joinPointer(p, 'columns', j))];
    if (!knownColumns(ctx, names, known, pointers, 'PROCESSING_UNKNOWN_COLUMN')) ok = false;
  }
  const { quality, ok: qualityOk } = target
    ? normalizeQuality(ctx, { table: target, checks: m.checks, freshness: m.freshness, checksPointer: `${p}/checks`, freshnessPointer: `${p}/freshness`, keys: m.keys })
    : { ok: true };
  if (!qualityOk) ok = false;
  // Checked last, so that the column checks above still report.
  if (target && !isCreated(ctx.index, `${target.database}.${target.table}`)) {
    fail(ctx, 'TABLE_NOT_CREATED', `no migration, ingestion, SQL statement or custom job of the platform creates ${target.database}.${target.table}: the merge would fail on a fresh platform; create it (a migration, or a SQL file with CREATE TABLE IF NOT EXISTS) or merge into a table that is created`, `${p}/target`);
    ok = false;
  }
  if (!ok) return undefined;
  return {
    name: m.name ?? target!.table,
    target: target!,
    source: source!,
    keys: m.keys,
    ...(m.order_by === undefined ? {} : { orderBy: m.order_by }),
    ...(m.delete_when === undefined ? {} : { deleteWhen: m.delete_when }),
    ...(m.incremental_column === undefined ? {} : { incrementalColumn: m.incremental_column, lateArrivalSeconds: parseDuration(m.late_arrival ?? DEFAULT_LATE_ARRIVAL) ?? 3600 }),
    columns: m.columns ?? [],
    ...(quality ? { quality } : {}),
    origin: at(ctx, p),
  };
}

/**
 * `checks:` and `freshness:` of a `sql:` entry, by `database.table`: each table must be
 * one the file's statements (or its `writes`) write.
 */
function sqlQuality(ctx: PhaseContext, s: SqlFileSpec, p: string, analysed: Pick<SqlFile, 'statements' | 'declared'>): TableQuality[] | undefined {
  const written = new Map<string, TableRef>();
  for (const u of [...analysed.statements.flatMap((st) => st.uses), ...analysed.declared]) {
    if (u.kinds.some((k) => k === 'write' || k === 'update' || k === 'create')) written.set(`${u.table.database}.${u.table.table}`, u.table);
  }
  let ok = true;
  const out: TableQuality[] = [];
  const tables = [...new Set([...Object.keys(s.checks ?? {}), ...Object.keys(s.freshness ?? {})])];
  for (const fqn of tables) {
    const key = s.checks?.[fqn] !== undefined ? joinPointer(p, 'checks', fqn) : joinPointer(p, 'freshness', fqn);
    const table = written.get(fqn);
    if (!table) {
      const hint = closest(fqn, [...written.keys()]);
      fail(ctx, 'CHECK_TABLE_NOT_WRITTEN', `${s.file} does not write ${fqn}${hint ? ` (did you mean '${hint}'?)` : written.size ? ` (it writes ${[...written.keys()].join(', ')})` : ''}: checks and freshness go on the tables its statements write`, key, true);
      ok = false;
      continue;
    }
    if ((s.checks?.[fqn]?.length ?? 0) > 0 && !checkable(ctx, s, fqn, analysed, joinPointer(p, 'checks', fqn))) {
      ok = false;
      continue;
    }
    const r = normalizeQuality(ctx, { table, checks: s.checks?.[fqn], freshness: s.freshness?.[fqn], checksPointer: joinPointer(p, 'checks', fqn), freshnessPointer: joinPointer(p, 'freshness', fqn) });
    if (!r.ok) ok = false;
    else if (r.quality) out.push(r.quality);
  }
  return ok ? out : undefined;
}

/**
 * Whether the checks of `fqn` can gate its publish: the job audits the rows statements write
 * into an existing table (src/phases/quality.ts); a table created with its rows (`CREATE [OR
 * REPLACE] TABLE … AS SELECT`, the `snapshot` procedure) is committed to main as it is created —
 * Iceberg has no branch of a table before the table exists — and a table only created empty, or
 * only declared in `writes:`, has no audited write to check. Either would leave its checks
 * silently unrun, so it is an error at the checks, saying how to write the table instead.
 */
function checkable(ctx: PhaseContext, s: SqlFileSpec, fqn: string, analysed: Pick<SqlFile, 'statements' | 'declared'>, pointer: string): boolean {
  const uses = analysed.statements.flatMap((st) => st.uses.filter((u) => `${u.table.database}.${u.table.table}` === fqn).map((u) => ({ st, u })));
  const where = (o: { file: string; line: number; column: number }) => `${o.file}:${o.line}:${o.column}`;
  const created = uses.find(({ u }) => createsWithRows(u));
  if (created) {
    const replace = created.u.kinds.includes('update');
    fail(
      ctx,
      'CHECK_TABLE_CREATED_WITH_ROWS',
      `statement ${created.st.index} of ${s.file} (${where(created.u.origin)}) creates ${fqn} with its rows (${replace ? 'CREATE OR REPLACE TABLE … AS SELECT' : 'CREATE TABLE … AS SELECT'}), which commits them to main together with the table: an audit branch holds writes into a table that exists (Iceberg has no branch of a table before it is created, and a REPLACE commits the new table straight to main), so these checks could not keep the rows from being published. ` +
        `Create the table empty (CREATE TABLE IF NOT EXISTS ${fqn} (<columns>) USING iceberg), then fill it with ${replace ? 'INSERT OVERWRITE' : 'INSERT INTO'} ${fqn} SELECT … (or MERGE INTO), which is written through the audit branch and checked before it is published`,
      pointer,
      true,
    );
    return false;
  }
  if (!uses.some(({ u }) => writesRowsAudited(u))) {
    const declaredOnly = analysed.declared.some((d) => `${d.table.database}.${d.table.table}` === fqn);
    fail(
      ctx,
      'CHECK_TABLE_NOT_AUDITED',
      `no statement of ${s.file} writes rows into ${fqn} that the job can audit (${declaredOnly ? 'it is only declared in `writes:`' : 'it is only created, empty'}), so these checks would never run: put them on the entry whose INSERT, INSERT OVERWRITE or MERGE INTO writes ${fqn}`,
      pointer,
      true,
    );
    return false;
  }
  return true;
}

/**
 * The statements of a SQL file with the tables each reads and writes (src/ir/sql-access.ts),
 * and the file's declared `reads`/`writes`. A statement the analysis cannot read is an error
 * unless the entry declares what the file reads and writes; a write into a table nothing
 * of the platform creates is an error at the statement.
 */
function sqlStatements(ctx: PhaseContext, file: { path: string; text: string }, s: SqlFileSpec, p: string): Pick<SqlFile, 'statements' | 'declared'> | undefined {
  let ok = true;
  const access = sqlFileAccess(file.path, file.text, ctx.platform.catalog);
  const declares = s.reads !== undefined || s.writes !== undefined;
  for (const problem of access.problems) {
    if (problem.declarable && declares) {
      ctx.report.warning('SQL_NOT_ANALYSED', `${problem.message.replace(/; declare the tables.*$/, '')}; the \`reads\`/\`writes\` declared for ${file.path} stand for it`, problem.origin, ctx.useCase);
    } else {
      ctx.report.error(problem.code, problem.message, problem.origin, ctx.useCase);
      ok = false;
    }
  }
  for (const st of access.statements) {
    for (const u of st.uses) {
      const fqn = `${u.table.database}.${u.table.table}`;
      if (u.kinds.some((k) => k === 'write' || k === 'update' || k === 'maintain' || k === 'alter') && !u.kinds.includes('create') && !isCreated(ctx.index, fqn)) {
        ctx.report.error('TABLE_NOT_CREATED', `statement ${st.index} writes ${fqn}, which no migration, ingestion, SQL statement or custom job of the platform creates: the job would fail on a fresh platform; create it first (e.g. CREATE TABLE IF NOT EXISTS)`, u.origin, ctx.useCase);
        ok = false;
      }
    }
  }
  const declared: SqlTableUse[] = [];
  for (const [kinds, list] of [[['read'], s.reads], [['create', 'write', 'update'], s.writes]] as const) {
    for (const [j, t] of (list ?? []).entries()) {
      const pointer = joinPointer(p, kinds[0] === 'read' ? 'reads' : 'writes', j);
      const ref = tableRef(ctx, t, pointer);
      if (ref) declared.push({ table: ref, kinds: [...kinds], origin: at(ctx, pointer) });
      else ok = false;
    }
  }
  return ok ? { statements: access.statements, declared } : undefined;
}
