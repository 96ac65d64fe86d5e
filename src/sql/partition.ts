/**
 * Partition transforms of `partition_by`: a bare column (identity),
 * `years|months|days|hours(col)`, `bucket(N, col)`, `truncate(N, col)`.
 * See https://iceberg.apache.org/docs/latest/spark-ddl/#partitioned-by
 */
import type { PartitionField } from '../ir/types.ts';
import { isValidIdentifier, quoteIdent } from './identifiers.ts';

const TIME: Record<string, 'years' | 'months' | 'days' | 'hours'> = {
  years: 'years', year: 'years', months: 'months', month: 'months', days: 'days', day: 'days', date: 'days', hours: 'hours', hour: 'hours',
};
const MAX_WIDTH = 2_147_483_647;

/** Parses one `partition_by` entry into a {@link PartitionField}, or returns an error message. */
export function parsePartitionField(text: string): PartitionField | string {
  const s = text.trim();
  if (isValidIdentifier(s)) return { transform: 'identity', column: s };
  const m = /^([A-Za-z_]+)\s*\(\s*(?:(\d+)\s*,\s*)?([A-Za-z0-9_]*)\s*\)$/.exec(s);
  if (!m) return `expected a column or a transform like days(col), bucket(16, col), truncate(10, col); got ${JSON.stringify(text)}`;
  const [, fn = '', width, column = ''] = m;
  const name = fn.toLowerCase();
  if (!isValidIdentifier(column)) return `${JSON.stringify(column)} is not a valid column name in ${JSON.stringify(text)}`;
  if (name === 'bucket' || name === 'truncate') {
    if (width === undefined) return `${name} needs a width: ${name}(N, ${column})`;
    const n = Number(width);
    if (n < 1 || n > MAX_WIDTH) return `${name} width must be 1 to ${MAX_WIDTH}, got ${width}`;
    return { transform: name, width: n, column };
  }
  if (width !== undefined) return `${fn} takes only a column, got ${JSON.stringify(text)}`;
  if (name === 'identity') return { transform: 'identity', column };
  const time = Object.hasOwn(TIME, name) ? TIME[name] : undefined;
  if (time === undefined) return `unknown partition transform "${fn}" (expected identity, years, months, days, hours, bucket, truncate)`;
  return { transform: time, column };
}

/** The `PARTITIONED BY` entry of a field: `` `col` ``, `` days(`ts`) ``, `` bucket(16, `id`) ``. */
export function renderPartitionField(f: PartitionField): string {
  const col = quoteIdent(f.column);
  switch (f.transform) {
    case 'identity':
      return col;
    case 'bucket':
    case 'truncate':
      if (!Number.isInteger(f.width) || f.width < 1 || f.width > MAX_WIDTH) throw new Error(`invalid ${f.transform} width ${f.width}`);
      return `${f.transform}(${f.width}, ${col})`;
    default:
      return `${f.transform}(${col})`;
  }
}
