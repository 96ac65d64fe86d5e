/**
 * Checks of maintenance task options against what the Iceberg procedures accept.
 * See https://iceberg.apache.org/docs/latest/spark-procedures/
 */
import type { MaintenanceTask, MaintenanceTaskKind } from '../ir/types.ts';
import { validateExpression } from './expression.ts';
import { isValidIdentifier } from './identifiers.ts';
import { parseSortField } from './sort.ts';

/** `remove_orphan_files` refuses intervals under a day: concurrent writes could lose files. */
export const MIN_ORPHAN_AGE_SECONDS = 86_400;

type Options = MaintenanceTask['options'];
type Rule = { type: 'integer' | 'string' | 'list'; required?: boolean; min?: number };

const RULES: Record<MaintenanceTaskKind, Record<string, Rule>> = {
  expire_snapshots: { olderThanSeconds: { type: 'integer', min: 0 }, retainLast: { type: 'integer', min: 1 } },
  remove_old_metadata: { previousVersionsMax: { type: 'integer', min: 1 } },
  rewrite_data_files: {
    strategy: { type: 'string' },
    sortOrder: { type: 'list' },
    targetFileSizeBytes: { type: 'integer', min: 1 },
    where: { type: 'string' },
  },
  rewrite_manifests: {},
  remove_orphan_files: { olderThanSeconds: { type: 'integer', min: MIN_ORPHAN_AGE_SECONDS } },
  hard_delete: { column: { type: 'string', required: true }, olderThanSeconds: { type: 'integer', required: true, min: 0 }, olderThanYears: { type: 'integer', min: 1 } },
};

/** Error messages for the options of a task kind (unknown keys, types, ranges, expressions); empty when valid. */
export function validateMaintenanceOptions(kind: MaintenanceTaskKind, options: Options): string[] {
  const rules = RULES[kind];
  const problems: string[] = [];
  for (const key of Object.keys(options).sort()) if (!(key in rules)) problems.push(`unknown option "${key}"`);
  for (const [key, rule] of Object.entries(rules)) {
    const v = options[key];
    if (v === undefined) {
      if (rule.required) problems.push(`option "${key}" is required`);
      continue;
    }
    if (rule.type === 'integer' && !(typeof v === 'number' && Number.isSafeInteger(v))) problems.push(`option "${key}" must be an integer`);
    else if (rule.type === 'integer' && rule.min !== undefined && (v as number) < rule.min) problems.push(`option "${key}" must be at least ${rule.min}`);
    if (rule.type === 'string' && typeof v !== 'string') problems.push(`option "${key}" must be a string`);
    if (rule.type === 'list' && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) problems.push(`option "${key}" must be a list of strings`);
  }
  const { strategy, sortOrder, where, column } = options;
  if (typeof strategy === 'string' && strategy !== 'binpack' && strategy !== 'sort') problems.push(`strategy must be binpack or sort, got "${strategy}"`);
  if (Array.isArray(sortOrder)) {
    if (strategy !== 'sort' && sortOrder.length > 0) problems.push('sortOrder needs strategy "sort"');
    for (const s of sortOrder) {
      const f = parseSortField(s);
      if (typeof f === 'string') problems.push(`sortOrder: ${f}`);
    }
  }
  if (typeof where === 'string') {
    const e = validateExpression(where);
    if (e !== null) problems.push(`where: ${e}`);
  }
  if (kind === 'hard_delete' && typeof column === 'string' && !isValidIdentifier(column)) problems.push(`column "${column}" is not a valid identifier`);
  return problems;
}
