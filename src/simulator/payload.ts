/**
 * Payload templates (`Parameters`, `ResultSelector`, Pass `Parameters`) as Step Functions
 * evaluates them: JSONPath references into the input and the context object (`$$`),
 * and the intrinsic functions. The simulator evaluates these itself instead of leaving
 * them to `aws-local-stepfunctions`, whose versions drop every backslash from string
 * results, do not unescape `\{ \} \' \\` in literals, and return a bare value (or
 * nothing) for wildcard paths such as `$.tables[*].status` with one (or zero) matches.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
 */
import { createHash } from 'node:crypto';

/** What a `States.Runtime` error is: neither retried nor caught (`States.ALL` does not match it). */
export class StatesRuntimeError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(message: string) {
    super(message, { cause: message });
    this.name = 'States.Runtime';
  }
}

export interface EvalContext {
  /** The context object `$$`. */
  context: unknown;
  /** Deterministic source for `States.UUID` and `States.MathRandom`. */
  next(): number;
}

// ---------------------------------------------------------------- JSONPath

type Step = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'wildcard' } | { kind: 'descend'; key: string | null };

const pathCache = new Map<string, { steps: Step[]; definite: boolean }>();

/** Parses `$.a.b[0]['c'][*].d`, `$..d` (after the leading `$` or `$$`). */
export function parsePath(path: string): { steps: Step[]; definite: boolean } {
  const cached = pathCache.get(path);
  if (cached) return cached;
  const start = path.startsWith('$$') ? 2 : path.startsWith('$') ? 1 : -1;
  if (start < 0) throw new StatesRuntimeError(`Invalid JSONPath '${path}': must start with $`);
  const steps: Step[] = [];
  let i = start;
  const ident = (): string => {
    const m = /^[^.[\]\s]+/.exec(path.slice(i));
    if (!m) throw new StatesRuntimeError(`Invalid JSONPath '${path}' at ${i}`);
    i += m[0].length;
    return m[0];
  };
  while (i < path.length) {
    if (path.startsWith('..', i)) {
      i += 2;
      if (path[i] === '*') {
        i++;
        steps.push({ kind: 'descend', key: null });
      } else steps.push({ kind: 'descend', key: ident() });
    } else if (path[i] === '.') {
      i++;
      if (path[i] === '*') {
        i++;
        steps.push({ kind: 'wildcard' });
      } else steps.push({ kind: 'key', key: ident() });
    } else if (path[i] === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) throw new StatesRuntimeError(`Invalid JSONPath '${path}': unclosed [`);
      const inner = path.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') steps.push({ kind: 'wildcard' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: 'key', key: inner.slice(1, -1) });
      else throw new StatesRuntimeError(`The simulator does not support '[${inner}]' in JSONPath '${path}'`);
    } else throw new StatesRuntimeError(`Invalid JSONPath '${path}' at ${i}`);
  }
  const parsed = { steps, definite: steps.every((s) => s.kind === 'key' || s.kind === 'index') };
  pathCache.set(path, parsed);
  return parsed;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isObject(v)) return Object.values(v);
  return [];
}

function descend(v: unknown, key: string | null, out: unknown[]): void {
  if (key !== null && isObject(v) && Object.hasOwn(v, key)) out.push(v[key]);
  for (const c of children(v)) {
    if (key === null) out.push(c);
    descend(c, key, out);
  }
}

/**
 * Values a path selects. A definite path gives its value or `undefined`; an indefinite
 * one (`[*]`, `.*`, `..`) always gives an array, empty when nothing matches.
 */
export function queryPath(path: string, input: unknown, context: unknown): unknown {
  const { steps, definite } = parsePath(path);
  let current: unknown[] = [path.startsWith('$$') ? context : input];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      switch (step.kind) {
        case 'key':
          if (isObject(v) && Object.hasOwn(v, step.key)) next.push(v[step.key]);
          break;
        case 'index':
          if (Array.isArray(v)) {
            const i = step.index < 0 ? v.length + step.index : step.index;
            if (i >= 0 && i < v.length) next.push(v[i]);
          }
          break;
        case 'wildcard':
          next.push(...children(v));
          break;
        case 'descend': {
          const found: unknown[] = [];
          descend(v, step.key, found);
          next.push(...found);
          break;
        }
      }
    }
    current = next;
  }
  return definite ? current[0] : current;
}

/** A path value that must exist (as a `Parameters` reference requires). */
export function requirePath(path: string, input: unknown, context: unknown, field: string): unknown {
  const value = queryPath(path, input, context);
  if (value === undefined) {
    const where = path.startsWith('$$') ? 'context object' : 'input';
    throw new StatesRuntimeError(
      `The JsonPath argument for the field '${field}' could not be found in the ${where} '${truncate(JSON.stringify(path.startsWith('$$') ? context : input))}'`,
    );
  }
  return value;
}

function truncate(s: string | undefined): string {
  if (s === undefined) return 'undefined';
  return s.length > 500 ? `${s.slice(0, 497)}...` : s;
}

// ---------------------------------------------------------------- payload templates

/** Evaluates a payload template against `input` and the context. */
export function evaluateTemplate(template: unknown, input: unknown, ctx: EvalContext): unknown {
  if (Array.isArray(template)) return template.map((v) => evaluateTemplate(v, input, ctx));
  if (!isObject(template)) return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      const name = key.slice(0, -2);
      out[name] = value.startsWith('$') ? requirePath(value, input, ctx.context, key) : evaluateIntrinsic(value, input, ctx, key);
    } else out[key] = evaluateTemplate(value, input, ctx);
  }
  return out;
}

// ---------------------------------------------------------------- intrinsic functions

type Arg =
  | { kind: 'string'; value: string; raw: string }
  | { kind: 'literal'; value: unknown }
  | { kind: 'path'; path: string }
  | { kind: 'call'; name: string; args: Arg[] };

const callCache = new Map<string, Arg>();

/** Parses `States.Name(arg, …)` with nested calls, `'literals'` (escapes `\' \{ \} \\`), numbers, booleans, null and paths. */
export function parseIntrinsic(text: string): Arg {
  const cached = callCache.get(text);
  if (cached) return cached;
  let i = 0;
  const fail = (msg: string): never => {
    throw new StatesRuntimeError(`Invalid intrinsic function '${text}': ${msg} at ${i}`);
  };
  const ws = (): void => {
    while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n') i++;
  };
  const arg = (): Arg => {
    ws();
    const ch = text[i];
    if (ch === "'") {
      let value = '';
      let raw = '';
      i++;
      for (;;) {
        const c = text[i];
        if (c === undefined) fail('unterminated string');
        if (c === '\\') {
          const n = text[i + 1];
          if (n === undefined) fail('dangling backslash');
          value += n;
          raw += c + n;
          i += 2;
          continue;
        }
        if (c === "'") {
          i++;
          break;
        }
        value += c;
        raw += c;
        i++;
      }
      return { kind: 'string', value, raw };
    }
    if (ch === '$') {
      const begin = i;
      let depth = 0;
      let quote: string | null = null;
      while (i < text.length) {
        const c = text[i] as string;
        if (quote) {
          if (c === quote) quote = null;
        } else if (c === "'" || c === '"') quote = c;
        else if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (depth === 0 && (c === ',' || c === ')' || c === ' ')) break;
        i++;
      }
      return { kind: 'path', path: text.slice(begin, i) };
    }
    if (text.startsWith('States.', i)) return call();
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (!m) return fail('unexpected argument');
    i += (m[0] as string).length;
    return { kind: 'literal', value: JSON.parse(m[0] as string) };
  };
  const call = (): Arg => {
    const m = /^States\.[A-Za-z0-9]+/.exec(text.slice(i));
    if (!m) return fail('expected States.<Function>');
    const name = m[0] as string;
    i += name.length;
    ws();
    if (text[i] !== '(') fail('expected (');
    i++;
    const args: Arg[] = [];
    ws();
    if (text[i] === ')') i++;
    else {
      for (;;) {
        args.push(arg());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ')') {
          i++;
          break;
        }
        fail('expected , or )');
      }
    }
    return { kind: 'call', name, args };
  };
  ws();
  const parsed = call();
  ws();
  if (i !== text.length) fail('trailing text');
  callCache.set(text, parsed);
  return parsed;
}

export function evaluateIntrinsic(text: string, input: unknown, ctx: EvalContext, field = ''): unknown {
  return evalArg(parseIntrinsic(text), input, ctx, field);
}

function evalArg(a: Arg, input: unknown, ctx: EvalContext, field: string): unknown {
  switch (a.kind) {
    case 'string':
      return a.value;
    case 'literal':
      return a.value;
    case 'path':
      return requirePath(a.path, input, ctx.context, field);
    case 'call': {
      const fn = FUNCTIONS[a.name];
      if (!fn) throw new StatesRuntimeError(`Unknown intrinsic function ${a.name}`);
      const values = a.args.map((x) => evalArg(x, input, ctx, field));
      return fn(values, a.args, ctx, a.name);
    }
  }
}

type Fn = (values: unknown[], args: Arg[], ctx: EvalContext, name: string) => unknown;

function expect(name: string, values: unknown[], count: number | [number, number]): void {
  const [lo, hi] = typeof count === 'number' ? [count, count] : count;
  if (values.length < lo || values.length > hi) {
    throw new StatesRuntimeError(`${name} expects ${lo === hi ? lo : `${lo} to ${hi}`} argument(s), got ${values.length}`);
  }
}

function typed<T>(name: string, v: unknown, check: (v: unknown) => boolean, what: string): T {
  if (!check(v)) throw new StatesRuntimeError(`${name}: expected ${what}, got ${JSON.stringify(v)}`);
  return v as T;
}

const isArray = (v: unknown): boolean => Array.isArray(v);
const isString = (v: unknown): boolean => typeof v === 'string';
const isInteger = (v: unknown): boolean => Number.isInteger(v);
const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);

/** Text of a value inside `States.Format`: strings as they are, other scalars as JSON. */
function formatValue(v: unknown, name: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return JSON.stringify(v);
  throw new StatesRuntimeError(`${name}: arguments must be strings, numbers, booleans or null, got ${JSON.stringify(v)}`);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

function uuidFrom(n: number): string {
  const hex = createHash('sha256').update(`lakestep-sim-${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16] as string, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const FUNCTIONS: Record<string, Fn> = {
  'States.Format': (values, args, _ctx, name) => {
    if (values.length < 1 || args[0]?.kind !== 'string') throw new StatesRuntimeError(`${name}: the first argument must be a string literal`);
    const raw = args[0].raw;
    let out = '';
    let used = 1;
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i] as string;
      if (c === '\\') {
        out += raw[i + 1] ?? '';
        i++;
      } else if (c === '{' && raw[i + 1] === '}') {
        if (used >= values.length) throw new StatesRuntimeError(`${name}: more {} than arguments`);
        out += formatValue(values[used++], name);
        i++;
      } else out += c;
    }
    if (used !== values.length) throw new StatesRuntimeError(`${name}: more arguments than {}`);
    return out;
  },
  'States.StringToJson': (values, _a, _c, name) => {
    expect(name, values, 1);
    const s = typed<string>(name, values[0], isString, 'a string');
    try {
      return JSON.parse(s);
    } catch {
      throw new StatesRuntimeError(`${name}: not valid JSON: ${truncate(s)}`);
    }
  },
  'States.JsonToString': (values, _a, _c, name) => {
    expect(name, values, 1);
    return JSON.stringify(values[0]);
  },
  'States.Array': (values) => values,
  'States.ArrayPartition': (values, _a, _c, name) => {
    expect(name, values, 2);
    const arr = typed<unknown[]>(name, values[0], isArray, 'an array');
    const size = typed<number>(name, values[1], (v) => isInteger(v) && (v as number) > 0, 'a positive integer');
    const out: unknown[][] = [];
    for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
    return out;
  },
  'States.ArrayContains': (values, _a, _c, name) => {
    expect(name, values, 2);
    return typed<unknown[]>(name, values[0], isArray, 'an array').some((v) => deepEqual(v, values[1]));
  },
  'States.ArrayRange': (values, _a, _c, name) => {
    expect(name, values, 3);
    const [a, b, step] = values.map((v) => typed<number>(name, v, isInteger, 'integers'));
    if (step === 0) throw new StatesRuntimeError(`${name}: step must not be 0`);
    const out: number[] = [];
    for (let n = a as number; (step as number) > 0 ? n <= (b as number) : n >= (b as number); n += step as number) {
      out.push(n);
      if (out.length > 1000) throw new StatesRuntimeError(`${name}: more than 1000 items`);
    }
    return out;
  },
  'States.ArrayGetItem': (values, _a, _c, name) => {
    expect(name, values, 2);
    const arr = typed<unknown[]>(name, values[0], isArray, 'an array');
    const i = typed<number>(name, values[1], (v) => isInteger(v) && (v as number) >= 0, 'an index ≥ 0');
    if (i >= arr.length) throw new StatesRuntimeError(`${name}: index ${i} out of bounds (length ${arr.length})`);
    return arr[i];
  },
  'States.ArrayLength': (values, _a, _c, name) => {
    expect(name, values, 1);
    return typed<unknown[]>(name, values[0], isArray, 'an array').length;
  },
  'States.ArrayUnique': (values, _a, _c, name) => {
    expect(name, values, 1);
    const out: unknown[] = [];
    for (const v of typed<unknown[]>(name, values[0], isArray, 'an array')) if (!out.some((o) => deepEqual(o, v))) out.push(v);
    return out;
  },
  'States.Base64Encode': (values, _a, _c, name) => {
    expect(name, values, 1);
    return Buffer.from(typed<string>(name, values[0], isString, 'a string'), 'utf8').toString('base64');
  },
  'States.Base64Decode': (values, _a, _c, name) => {
    expect(name, values, 1);
    return Buffer.from(typed<string>(name, values[0], isString, 'a string'), 'base64').toString('utf8');
  },
  'States.Hash': (values, _a, _c, name) => {
    expect(name, values, 2);
    const algorithms: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
    const algorithm = algorithms[String(values[1])];
    if (!algorithm) throw new StatesRuntimeError(`${name}: unknown algorithm ${String(values[1])}`);
    const data = typeof values[0] === 'string' ? values[0] : JSON.stringify(values[0]);
    return createHash(algorithm).update(data).digest('hex');
  },
  'States.JsonMerge': (values, _a, _c, name) => {
    expect(name, values, 3);
    const a = typed<Record<string, unknown>>(name, values[0], isObject, 'an object');
    const b = typed<Record<string, unknown>>(name, values[1], isObject, 'an object');
    if (values[2] !== false) throw new StatesRuntimeError(`${name}: only shallow merges (false) are supported`);
    return { ...structuredClone(a), ...structuredClone(b) };
  },
  'States.MathRandom': (values, _a, ctx, name) => {
    expect(name, values, [2, 3]);
    const [lo, hi] = values.map((v) => typed<number>(name, v, isInteger, 'integers'));
    const r = (Math.sin(ctx.next()) + 1) / 2;
    return (lo as number) + Math.floor(r * ((hi as number) - (lo as number)));
  },
  'States.MathAdd': (values, _a, _c, name) => {
    expect(name, values, 2);
    const [a, b] = values.map((v) => typed<number>(name, v, isNumber, 'numbers'));
    return (a as number) + (b as number);
  },
  'States.StringSplit': (values, _a, _c, name) => {
    expect(name, values, 2);
    const s = typed<string>(name, values[0], isString, 'a string');
    const seps = typed<string>(name, values[1], isString, 'a string');
    if (seps === '') return [s];
    const out: string[] = [];
    let cur = '';
    for (const c of s) {
      if (seps.includes(c)) {
        if (cur !== '') out.push(cur);
        cur = '';
      } else cur += c;
    }
    if (cur !== '') out.push(cur);
    return out;
  },
  'States.UUID': (values, _a, ctx, name) => {
    expect(name, values, 0);
    return uuidFrom(ctx.next());
  },
};
