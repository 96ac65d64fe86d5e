/**
 * EventBridge event pattern matching, as the event bus does it, for the local
 * simulator and for tests of the generated rules.
 *
 * Semantics (EventBridge User Guide and AWS's Event Ruler):
 * - fields named in a pattern are ANDed; the values of a leaf list are ORed;
 * - a leaf value in the event may be an array: any element may match;
 * - objects inside event arrays are matched element by element, so one match
 *   never combines fields taken from different elements of the same array
 *   (Event Ruler's array consistency);
 * - `exists` looks at leaves only: a field holding an object or an empty array
 *   does not "exist";
 * - `$or` with a list of 2+ sub-patterns matches when any of them does.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 */
import { matchCondition, type Scalar } from './pattern-values.ts';

export { validateEventPattern, eventPatternLength, EVENT_PATTERN_MAX_LENGTH } from './pattern-validate.ts';

/** True when `event` matches `pattern`. Never throws: parts of a malformed pattern simply do not match. */
export function matchEventPattern(pattern: unknown, event: unknown): boolean {
  return isObject(pattern) && matchObject(pattern, event);
}

/** True when `value` is a `$or` list (an array of 2+ objects), not an ordinary field. */
export function isOrList(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length >= 2 && value.every(isObject);
}

function matchObject(pattern: Record<string, unknown>, node: unknown): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or' && isOrList(sub)) {
      if (!sub.some((alternative) => matchObject(alternative, node))) return false;
      continue;
    }
    const value = isObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub, value)) return false;
    } else if (isObject(sub)) {
      if (!elements(value).some((element) => matchObject(sub, element))) return false;
    } else {
      return false;
    }
  }
  return true;
}

function matchLeaf(conditions: readonly unknown[], value: unknown): boolean {
  const leaves = leafValues(value);
  return conditions.some((condition) => {
    const exists = existsArg(condition);
    if (exists !== undefined) return exists === leaves.length > 0;
    return leaves.some((leaf) => matchCondition(condition, leaf));
  });
}

/** The `exists` argument when `condition` is `{"exists": bool}`. */
function existsArg(condition: unknown): boolean | undefined {
  if (!isObject(condition)) return undefined;
  const keys = Object.keys(condition);
  const arg = condition['exists'];
  return keys.length === 1 && typeof arg === 'boolean' ? arg : undefined;
}

/** Scalars at a field: the value itself, or the scalars of a (nested) array; objects are not leaves. */
function leafValues(value: unknown): Scalar[] {
  if (value === undefined || isObject(value)) return [];
  if (Array.isArray(value)) return value.flatMap(leafValues);
  return [value as Scalar];
}

/**
 * Candidates for a nested pattern: the elements of (nested) arrays, each matched
 * on its own; a missing field or an empty array still gives one empty candidate so
 * that `exists: false` below it can hold.
 */
function elements(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [value];
  const flat = value.flat(Infinity);
  return flat.length === 0 ? [undefined] : flat;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
