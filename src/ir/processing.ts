/** `processing.yaml` → {@link Processing}: MERGE upserts and user SQL files. */
import { parseExpression } from '../sql/expression.ts';
import { LineIndex, locateInString } from '../spec/files.ts';
import { bindSqlTemplates } from '../sql/templates.ts';
import { joinPointer } from '../spec/files.ts';
import { closest } from '../spec/suggest.ts';
import type { MergeSpec, ProcessingSpec } from '../spec/types.ts';
import { identifier, knownColumns, tableRef } from './checks.ts';
import { at, fail, findTable, skipped, warn, type PhaseContext } from './context.ts';
import type { Merge, SqlFile, WorkflowBody } from './types.ts';
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
    sql.push({ name, file: file.path, text: file.text, sql: bound.sql, params: bound.params, origin: at(ctx, p) });
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
    origin: at(ctx, p),
  };
}
