/**
 * Sort fields of `sort_by` and of `rewrite_data_files.sort_order`:
 * `col`, `col DESC`, `col ASC NULLS LAST` …
 * See https://iceberg.apache.org/docs/latest/spark-ddl/#alter-table--write-ordered-by
 */
import { isValidIdentifier, quoteIdent } from './identifiers.ts';

export interface SortField {
  column: string;
  direction: 'ASC' | 'DESC';
  nulls: 'FIRST' | 'LAST';
}

/**
 * Parses one sort entry, or returns an error message. Without a null order,
 * Iceberg's default applies: nulls first ascending, nulls last descending.
 */
export function parseSortField(text: string): SortField | string {
  const m = /^\s*([A-Za-z0-9_]+)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$/i.exec(text);
  const column = m?.[1];
  if (!m || column === undefined) return `expected "<column> [ASC|DESC] [NULLS FIRST|NULLS LAST]", got ${JSON.stringify(text)}`;
  if (!isValidIdentifier(column)) return `${JSON.stringify(column)} is not a valid column name`;
  const direction = (m[2]?.toUpperCase() ?? 'ASC') as SortField['direction'];
  const nulls = (m[3]?.toUpperCase() ?? (direction === 'ASC' ? 'FIRST' : 'LAST')) as SortField['nulls'];
  return { column, direction, nulls };
}

/** `` `col` DESC NULLS LAST ``; throws on an invalid entry (validated earlier). */
export function renderSortField(text: string): string {
  const f = parseSortField(text);
  if (typeof f === 'string') throw new Error(f);
  return `${quoteIdent(f.column)} ${f.direction} NULLS ${f.nulls}`;
}
