import { analyzeSql, type AnalyzeOptions, type SqlStatement } from '../../src/sql/analysis/index.ts';

/** One use as `role operation parts[ (procedure)]`, e.g. `write merge proc.d`. */
export function show(u: SqlStatement['uses'][number]): string {
  return `${u.role} ${u.operation} ${u.name.parts.join('.')}${u.procedure ? ` (${u.procedure})` : ''}`;
}

/** The uses of every statement of `sql`, one list per statement; throws when the analysis reports a problem. */
export function usesOf(sql: string, options?: AnalyzeOptions): string[][] {
  const r = analyzeSql(sql, options);
  if (r.problems.length > 0) throw new Error(`unexpected problems: ${JSON.stringify(r.problems)}`);
  return r.statements.map((s) => s.uses.map(show));
}

/** The uses of a one-statement `sql`. */
export function usesOfOne(sql: string): string[] {
  const all = usesOf(sql);
  if (all.length !== 1) throw new Error(`expected one statement, got ${all.length}`);
  return all[0]!;
}
