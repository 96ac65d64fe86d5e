/**
 * Static checks of an event pattern, so a malformed generated pattern fails the
 * build instead of `cdk deploy` ("Event pattern is not valid").
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
import { parseCidr } from './ip.ts';
import { wildcardProblem } from './wildcard.ts';

/** EventBridge's limit on the length of an event pattern, in characters. */
export const EVENT_PATTERN_MAX_LENGTH = 2048;

/** Numeric matching works on values in this range only. */
const NUMERIC_LIMIT = 5e9;

/** Length of the pattern as EventBridge counts it: its JSON text. */
export function eventPatternLength(pattern: unknown): number {
  return JSON.stringify(pattern)?.length ?? 0;
}

/** Human-readable problems of `pattern` (`detail.status: ...`); empty when valid. */
export function validateEventPattern(pattern: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(pattern)) return ['pattern must be a JSON object'];
  checkObject(pattern, '', problems);
  const length = eventPatternLength(pattern);
  if (length > EVENT_PATTERN_MAX_LENGTH) {
    problems.push(`pattern is ${length} characters long; EventBridge allows ${EVENT_PATTERN_MAX_LENGTH}`);
  }
  return problems;
}

function checkObject(node: Record<string, unknown>, path: string, problems: string[]): void {
  const entries = Object.entries(node);
  if (entries.length === 0) problems.push(`${path || 'pattern'}: must name at least one field`);
  for (const [key, value] of entries) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or' && Array.isArray(value) && value.some(isObject)) {
      checkOr(value, at, problems);
    } else if (Array.isArray(value)) {
      checkLeaf(value, at, problems);
    } else if (isObject(value)) {
      checkObject(value, at, problems);
    } else {
      problems.push(`${at}: must be an array of values or a nested object, not ${JSON.stringify(value)}`);
    }
  }
}

function checkOr(list: unknown[], at: string, problems: string[]): void {
  if (list.length < 2) problems.push(`${at}: needs at least 2 alternatives`);
  list.forEach((alternative, i) => {
    if (isObject(alternative)) checkObject(alternative, `${at}[${i}]`, problems);
    else problems.push(`${at}[${i}]: each alternative must be an object`);
  });
}

function checkLeaf(list: unknown[], at: string, problems: string[]): void {
  if (list.length === 0) problems.push(`${at}: value list must not be empty`);
  for (const condition of list) {
    if (condition === null || ['string', 'number', 'boolean'].includes(typeof condition)) continue;
    if (!isObject(condition)) {
      problems.push(`${at}: ${JSON.stringify(condition)} is not a value or an operator object`);
      continue;
    }
    const keys = Object.keys(condition);
    const [name] = keys;
    if (keys.length !== 1 || name === undefined) {
      problems.push(`${at}: an operator object must have exactly one key, got ${JSON.stringify(keys)}`);
      continue;
    }
    const check = OPERATOR_CHECKS[name];
    const problem = check ? check(condition[name]) : `unknown operator "${name}"`;
    if (problem) problems.push(`${at}: ${problem}`);
  }
}

type Check = (arg: unknown) => string | undefined;

const OPERATOR_CHECKS: Record<string, Check> = {
  prefix: (arg) => affixProblem('prefix', arg),
  suffix: (arg) => affixProblem('suffix', arg),
  'equals-ignore-case': (arg) => (typeof arg === 'string' ? undefined : 'equals-ignore-case needs a string'),
  wildcard: (arg) => (typeof arg === 'string' ? wildcardProblem(arg) : 'wildcard needs a string'),
  exists: (arg) => (typeof arg === 'boolean' ? undefined : 'exists needs true or false'),
  cidr: (arg) => (typeof arg === 'string' && parseCidr(arg) ? undefined : `cidr needs an address/bits block, got ${JSON.stringify(arg)}`),
  numeric: numericProblem,
  'anything-but': anythingButProblem,
};

function affixProblem(name: string, arg: unknown): string | undefined {
  if (typeof arg === 'string') return undefined;
  if (isObject(arg) && Object.keys(arg).length === 1 && typeof arg['equals-ignore-case'] === 'string') return undefined;
  return `${name} needs a string or {"equals-ignore-case": string}`;
}

function anythingButProblem(arg: unknown): string | undefined {
  if (typeof arg === 'string' || typeof arg === 'number') return undefined;
  if (Array.isArray(arg)) {
    if (arg.length === 0) return 'anything-but list must not be empty';
    const allStrings = arg.every((x) => typeof x === 'string');
    const allNumbers = arg.every((x) => typeof x === 'number');
    return allStrings || allNumbers ? undefined : 'anything-but list must hold only strings or only numbers';
  }
  if (!isObject(arg)) return 'anything-but needs a string, a number, a list or an operator object';
  const keys = Object.keys(arg);
  const [name] = keys;
  if (keys.length !== 1 || !name || !['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(name)) {
    return `anything-but supports prefix, suffix, equals-ignore-case or wildcard, got ${JSON.stringify(keys)}`;
  }
  const inner = arg[name];
  const list = typeof inner === 'string' ? [inner] : Array.isArray(inner) ? inner : undefined;
  if (!list || list.length === 0 || list.some((x) => typeof x !== 'string')) {
    return `anything-but ${name} needs a string or a non-empty list of strings`;
  }
  if (name === 'wildcard') return list.map((x) => wildcardProblem(x as string)).find((p) => p !== undefined);
  return undefined;
}

/** `["=", n]`, `[op, n]` or a range `[">"|">=", low, "<"|"<=", high]` with low < high. */
function numericProblem(arg: unknown): string | undefined {
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) {
    return 'numeric needs [operator, number] or [lower operator, number, upper operator, number]';
  }
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const bound = arg[i + 1];
    if (typeof op !== 'string' || !['=', '<', '<=', '>', '>='].includes(op)) return `numeric operator ${JSON.stringify(op)} is unknown`;
    if (typeof bound !== 'number' || !Number.isFinite(bound)) return `numeric bound after "${op}" must be a number`;
    if (Math.abs(bound) > NUMERIC_LIMIT) return `numeric bound ${bound} is outside ±${NUMERIC_LIMIT}`;
  }
  if (arg.length === 4) {
    const [lowOp, low, highOp, high] = arg as [string, number, string, number];
    if (!['>', '>='].includes(lowOp) || !['<', '<='].includes(highOp)) return 'numeric range must be [">"|">=", low, "<"|"<=", high]';
    if (low >= high) return `numeric range is empty: ${low} is not below ${high}`;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
