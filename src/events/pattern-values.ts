/**
 * One condition of a leaf list (`"state": ["running", {"prefix": "ru"}]`) against
 * one scalar value of the event. `exists` is decided by the caller, which knows
 * whether the field has any value at all.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
import { inCidr, parseCidr } from './ip.ts';
import { matchWildcard } from './wildcard.ts';

/** A JSON scalar as it appears at a leaf of an event. */
export type Scalar = string | number | boolean | null;

type Operator = (arg: unknown, value: Scalar) => boolean;

const OPERATORS: Record<string, Operator> = {
  prefix: (arg, v) => affix(arg, v, (s, a) => s.startsWith(a)),
  suffix: (arg, v) => affix(arg, v, (s, a) => s.endsWith(a)),
  'equals-ignore-case': (arg, v) => typeof arg === 'string' && typeof v === 'string' && sameIgnoringCase(arg, v),
  wildcard: (arg, v) => typeof arg === 'string' && typeof v === 'string' && matchWildcard(arg, v),
  'anything-but': anythingBut,
  numeric: (arg, v) => typeof v === 'number' && Array.isArray(arg) && numericHolds(arg, v),
  cidr: (arg, v) => {
    const block = typeof arg === 'string' ? parseCidr(arg) : undefined;
    return block !== undefined && typeof v === 'string' && inCidr(block, v);
  },
};

/** Operator names a leaf condition object may use (`exists` included). */
export const LEAF_OPERATORS: readonly string[] = [...Object.keys(OPERATORS), 'exists'];

/** True when `condition` (an exact value or a one-key operator object) accepts `value`. */
export function matchCondition(condition: unknown, value: Scalar): boolean {
  if (condition === null || typeof condition !== 'object') return exactEquals(condition, value);
  if (Array.isArray(condition)) return false;
  const entries = Object.entries(condition);
  const [name, arg] = entries[0] ?? [];
  const op = name === undefined ? undefined : OPERATORS[name];
  return entries.length === 1 && op !== undefined && op(arg, value);
}

/** Exact match: same JSON type and value (`"5"` is not `5`, `""` is not `null`). */
export function exactEquals(expected: unknown, value: Scalar): boolean {
  return typeof expected === typeof value && expected === value;
}

/** `prefix`/`suffix`, either a string or `{"equals-ignore-case": string}`; strings only. */
function affix(arg: unknown, v: Scalar, test: (s: string, a: string) => boolean): boolean {
  if (typeof v !== 'string') return false;
  if (typeof arg === 'string') return test(v, arg);
  const folded = ignoreCaseArg(arg);
  return typeof folded === 'string' && test(fold(v), fold(folded));
}

/**
 * `anything-but`: a value or list of strings/numbers (only strings and numbers can
 * differ from them), or `{prefix|suffix|wildcard: s | s[]}` (any non-string differs),
 * or `{equals-ignore-case: s | s[]}` (strings only).
 */
function anythingBut(arg: unknown, v: Scalar): boolean {
  if (typeof arg === 'string' || typeof arg === 'number') return anythingButValues([arg], v);
  if (Array.isArray(arg)) return anythingButValues(arg, v);
  if (arg === null || typeof arg !== 'object') return false;
  const [name, inner] = Object.entries(arg)[0] ?? [];
  const list = typeof inner === 'string' ? [inner] : Array.isArray(inner) ? inner : undefined;
  if (!list || list.some((x) => typeof x !== 'string')) return false;
  const texts = list as string[];
  if (name === 'equals-ignore-case') return typeof v === 'string' && !texts.some((t) => sameIgnoringCase(t, v));
  if (typeof v !== 'string') return name === 'prefix' || name === 'suffix' || name === 'wildcard';
  if (name === 'prefix') return !texts.some((t) => v.startsWith(t));
  if (name === 'suffix') return !texts.some((t) => v.endsWith(t));
  if (name === 'wildcard') return !texts.some((t) => matchWildcard(t, v));
  return false;
}

function anythingButValues(excluded: readonly unknown[], v: Scalar): boolean {
  if (typeof v !== 'string' && typeof v !== 'number') return false;
  return !excluded.some((x) => exactEquals(x, v));
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** `["<", 10]`, `[">", 0, "<=", 5]`, `["=", 3.018e2]`: every (operator, bound) pair must hold. */
function numericHolds(spec: readonly unknown[], v: number): boolean {
  if (spec.length === 0 || spec.length % 2 !== 0) return false;
  for (let i = 0; i < spec.length; i += 2) {
    const cmp = COMPARE[String(spec[i])];
    const bound = spec[i + 1];
    if (!cmp || typeof bound !== 'number' || !cmp(v, bound)) return false;
  }
  return true;
}

function ignoreCaseArg(arg: unknown): unknown {
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) return undefined;
  const entries = Object.entries(arg);
  return entries.length === 1 && entries[0]?.[0] === 'equals-ignore-case' ? entries[0][1] : undefined;
}

function fold(s: string): string {
  return s.toUpperCase().toLowerCase();
}

function sameIgnoringCase(a: string, b: string): boolean {
  return fold(a) === fold(b);
}
