/**
 * Evaluation of parsed condition and update expressions against an item.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 */
import { ExpressionError } from './lexer.ts';
import type { Condition, Operand, UpdateActions } from './parser.ts';
import { clone, compare, equals, getPath, removePath, setPath, typeOf, type AttributeValue, type Item, type PathStep } from './values.ts';

export type Values = Record<string, AttributeValue>;

function value(ref: string, values: Values): AttributeValue {
  const v = values[ref];
  if (v === undefined) throw new ExpressionError(`Value provided in ExpressionAttributeValues unused in expressions or undefined: ${ref}`);
  return v;
}

/** The operand's value; `undefined` when it names an absent attribute. */
export function resolve(operand: Operand, item: Item, values: Values): AttributeValue | undefined {
  switch (operand.kind) {
    case 'path':
      return getPath(item, operand.path);
    case 'value':
      return value(operand.ref, values);
    case 'size':
      return sizeOf(getPath(item, operand.path));
    case 'if_not_exists':
      return getPath(item, operand.path) ?? resolve(operand.fallback, item, values);
    case 'list_append': {
      const left = resolve(operand.left, item, values);
      const right = resolve(operand.right, item, values);
      if (!left || !right || !('L' in left) || !('L' in right)) throw new ExpressionError('Incorrect operand type for operator or function; operator or function: list_append');
      return { L: [...left.L, ...right.L] };
    }
    case 'arith': {
      const left = resolve(operand.left, item, values);
      const right = resolve(operand.right, item, values);
      if (!left || !right || !('N' in left) || !('N' in right)) {
        throw new ExpressionError(`An operand in the update expression has an incorrect data type; operator: ${operand.op}`);
      }
      const n = operand.op === '+' ? Number(left.N) + Number(right.N) : Number(left.N) - Number(right.N);
      return { N: String(n) };
    }
  }
}

function sizeOf(v: AttributeValue | undefined): AttributeValue | undefined {
  if (v === undefined) return undefined;
  if ('S' in v) return { N: String(Buffer.byteLength(v.S, 'utf8')) };
  if ('B' in v) return { N: String(Buffer.from(v.B, 'base64').length) };
  if ('SS' in v) return { N: String(v.SS.length) };
  if ('NS' in v) return { N: String(v.NS.length) };
  if ('BS' in v) return { N: String(v.BS.length) };
  if ('L' in v) return { N: String(v.L.length) };
  if ('M' in v) return { N: String(Object.keys(v.M).length) };
  return undefined;
}

export function evaluateCondition(condition: Condition, item: Item, values: Values): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(condition.left, item, values) && evaluateCondition(condition.right, item, values);
    case 'or':
      return evaluateCondition(condition.left, item, values) || evaluateCondition(condition.right, item, values);
    case 'not':
      return !evaluateCondition(condition.condition, item, values);
    case 'compare': {
      const left = resolve(condition.left, item, values);
      const right = resolve(condition.right, item, values);
      if (left === undefined || right === undefined) return condition.op === '<>' && (left !== undefined || right !== undefined);
      if (condition.op === '=') return equals(left, right);
      if (condition.op === '<>') return !equals(left, right);
      const order = compare(left, right);
      if (order === undefined) return false;
      return { '<': order < 0, '<=': order <= 0, '>': order > 0, '>=': order >= 0 }[condition.op];
    }
    case 'between': {
      const v = resolve(condition.value, item, values);
      const low = resolve(condition.low, item, values);
      const high = resolve(condition.high, item, values);
      if (!v || !low || !high) return false;
      const a = compare(v, low);
      const b = compare(v, high);
      return a !== undefined && b !== undefined && a >= 0 && b <= 0;
    }
    case 'in': {
      const v = resolve(condition.value, item, values);
      return v !== undefined && condition.list.some((o) => {
        const candidate = resolve(o, item, values);
        return candidate !== undefined && equals(v, candidate);
      });
    }
    case 'function':
      return evaluateFunction(condition, item, values);
  }
}

function evaluateFunction(condition: Extract<Condition, { kind: 'function' }>, item: Item, values: Values): boolean {
  const [first, second] = condition.args;
  const pathOf = (o: Operand | undefined): PathStep[] => {
    if (!o || o.kind !== 'path') throw new ExpressionError(`Invalid ConditionExpression: ${condition.name} needs an attribute path`);
    return o.path;
  };
  switch (condition.name) {
    case 'attribute_exists':
      return getPath(item, pathOf(first)) !== undefined;
    case 'attribute_not_exists':
      return getPath(item, pathOf(first)) === undefined;
    case 'attribute_type': {
      const v = getPath(item, pathOf(first));
      const t = second ? resolve(second, item, values) : undefined;
      return v !== undefined && t !== undefined && 'S' in t && typeOf(v) === t.S;
    }
    case 'begins_with': {
      const v = getPath(item, pathOf(first));
      const prefix = second ? resolve(second, item, values) : undefined;
      return v !== undefined && prefix !== undefined && 'S' in v && 'S' in prefix && v.S.startsWith(prefix.S);
    }
    case 'contains': {
      const v = getPath(item, pathOf(first));
      const needle = second ? resolve(second, item, values) : undefined;
      if (!v || !needle) return false;
      if ('S' in v) return 'S' in needle && v.S.includes(needle.S);
      if ('SS' in v) return 'S' in needle && v.SS.includes(needle.S);
      if ('NS' in v) return 'N' in needle && v.NS.some((n) => Number(n) === Number(needle.N));
      if ('L' in v) return v.L.some((e) => equals(e, needle));
      return false;
    }
  }
}

/**
 * Applies update actions to a copy of `item`; returns the new item and the top-level
 * attribute names the update touched (for `UPDATED_NEW`/`UPDATED_OLD`).
 */
export function applyUpdate(actions: UpdateActions, item: Item, values: Values): { item: Item; updated: string[] } {
  const next = clone(item);
  const updated = new Set<string>();
  const touch = (path: PathStep[]): void => void updated.add(String(path[0]));
  // Operands read the item as it was before the update, as DynamoDB does.
  for (const { path, value: operand } of actions.set) {
    const v = resolve(operand, item, values);
    if (v === undefined) throw new ExpressionError('The provided expression refers to an attribute that does not exist in the item');
    setPath(next, path, v);
    touch(path);
  }
  for (const path of actions.remove) {
    removePath(next, path);
    touch(path);
  }
  for (const { path, value: operand } of actions.add) {
    setPath(next, path, add(getPath(next, path), resolve(operand, item, values)));
    touch(path);
  }
  for (const { path, value: operand } of actions.delete) {
    const current = getPath(next, path);
    const remaining = current && deleteFromSet(current, resolve(operand, item, values));
    if (remaining) setPath(next, path, remaining);
    else removePath(next, path);
    touch(path);
  }
  return { item: next, updated: [...updated] };
}

function add(current: AttributeValue | undefined, delta: AttributeValue | undefined): AttributeValue {
  if (delta === undefined) throw new ExpressionError('ADD needs a value');
  if ('N' in delta) {
    if (current === undefined) return delta;
    if (!('N' in current)) throw new ExpressionError('An operand in the update expression has an incorrect data type');
    return { N: String(Number(current.N) + Number(delta.N)) };
  }
  for (const kind of ['SS', 'NS', 'BS'] as const) {
    if (kind in delta) {
      const extra = (delta as Record<string, string[]>)[kind] as string[];
      if (current === undefined) return { [kind]: [...new Set(extra)] } as AttributeValue;
      if (!(kind in current)) throw new ExpressionError('An operand in the update expression has an incorrect data type');
      const merged = [...new Set([...((current as Record<string, string[]>)[kind] as string[]), ...extra])];
      return { [kind]: merged } as AttributeValue;
    }
  }
  throw new ExpressionError('Incorrect operand type for operator or function; operator: ADD, operand type: ' + typeOf(delta));
}

function deleteFromSet(current: AttributeValue, remove: AttributeValue | undefined): AttributeValue | undefined {
  for (const kind of ['SS', 'NS', 'BS'] as const) {
    if (kind in current && remove && kind in remove) {
      const gone = new Set((remove as Record<string, string[]>)[kind]);
      const left = ((current as Record<string, string[]>)[kind] as string[]).filter((x) => !gone.has(x));
      return left.length ? ({ [kind]: left } as AttributeValue) : undefined;
    }
  }
  throw new ExpressionError('Incorrect operand type for operator or function; operator: DELETE');
}
