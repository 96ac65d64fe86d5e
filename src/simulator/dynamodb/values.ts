/**
 * DynamoDB attribute values in the low-level wire format (`{S}`, `{N}`, `{SS}`…).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { BOOL: boolean }
  | { NULL: true };

export type Item = Record<string, AttributeValue>;

/** One step of a document path: an attribute/map key or a list index. */
export type PathStep = string | number;

const TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'BOOL', 'NULL'] as const;
export type AttributeType = (typeof TYPES)[number];

export function typeOf(value: AttributeValue): AttributeType {
  const key = Object.keys(value)[0];
  if (key === undefined || !(TYPES as readonly string[]).includes(key)) throw new Error(`Not an attribute value: ${JSON.stringify(value)}`);
  return key as AttributeType;
}

/** Whether `value` is a well-formed attribute value (one known type key). */
export function isAttributeValue(value: unknown): value is AttributeValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (TYPES as readonly string[]).includes(keys[0] ?? '');
}

export function equals(a: AttributeValue, b: AttributeValue): boolean {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  const va = (a as Record<string, unknown>)[ta];
  const vb = (b as Record<string, unknown>)[ta];
  if (ta === 'N') return Number(va) === Number(vb);
  if (ta === 'SS' || ta === 'BS') return sameSet(va as string[], vb as string[]);
  if (ta === 'NS') return sameSet((va as string[]).map((n) => String(Number(n))), (vb as string[]).map((n) => String(Number(n))));
  if (ta === 'L') {
    const la = va as AttributeValue[];
    const lb = vb as AttributeValue[];
    return la.length === lb.length && la.every((x, i) => equals(x, lb[i] as AttributeValue));
  }
  if (ta === 'M') {
    const ma = va as Item;
    const mb = vb as Item;
    const ka = Object.keys(ma);
    return ka.length === Object.keys(mb).length && ka.every((k) => mb[k] !== undefined && equals(ma[k] as AttributeValue, mb[k]));
  }
  return va === vb;
}

function sameSet(a: string[], b: string[]): boolean {
  const sb = new Set(b);
  return a.length === sb.size && a.every((x) => sb.has(x));
}

/**
 * Ordering for `<`, `<=`, `>`, `>=`: only between two numbers, two strings or two
 * binaries; `undefined` when the operands are not comparable (the condition is false).
 */
export function compare(a: AttributeValue, b: AttributeValue): number | undefined {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return undefined;
  if (ta === 'N') return Math.sign(Number((a as { N: string }).N) - Number((b as { N: string }).N));
  if (ta === 'S' || ta === 'B') {
    const va = (a as Record<string, string>)[ta] as string;
    const vb = (b as Record<string, string>)[ta] as string;
    return va < vb ? -1 : va > vb ? 1 : 0;
  }
  return undefined;
}

/** The value at a document path, or `undefined`. */
export function getPath(item: Item, path: PathStep[]): AttributeValue | undefined {
  let current: AttributeValue | undefined = { M: item };
  for (const step of path) {
    if (current === undefined) return undefined;
    if (typeof step === 'number') current = 'L' in current ? (current.L as AttributeValue[])[step] : undefined;
    else current = 'M' in current ? (current.M as Item)[step] : undefined;
  }
  return current;
}

/** Sets the value at a document path; the parent must exist (as DynamoDB requires). */
export function setPath(item: Item, path: PathStep[], value: AttributeValue): void {
  const parent = parentOf(item, path);
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    if (!('L' in parent)) throw new Error('The document path provided in the update expression is invalid for update');
    if (last >= parent.L.length) parent.L.push(value);
    else parent.L[last] = value;
  } else if (last !== undefined) {
    if (!('M' in parent)) throw new Error('The document path provided in the update expression is invalid for update');
    parent.M[last] = value;
  }
}

/** Removes the value at a document path (no-op when absent). */
export function removePath(item: Item, path: PathStep[]): void {
  let parent: AttributeValue;
  try {
    parent = parentOf(item, path);
  } catch {
    return;
  }
  const last = path[path.length - 1];
  if (typeof last === 'number' && 'L' in parent) parent.L.splice(last, 1);
  else if (typeof last === 'string' && 'M' in parent) delete parent.M[last];
}

function parentOf(item: Item, path: PathStep[]): AttributeValue {
  const parent = getPath(item, path.slice(0, -1));
  if (parent === undefined) throw new Error('The document path provided in the update expression is invalid for update');
  return parent;
}

/** Deep copy. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Plain JavaScript view of an attribute value (numbers as numbers, sets as sorted arrays). */
export function toPlain(value: AttributeValue): unknown {
  const type = typeOf(value);
  switch (type) {
    case 'S':
    case 'B':
    case 'BOOL':
      return (value as Record<string, unknown>)[type];
    case 'N':
      return Number((value as { N: string }).N);
    case 'NULL':
      return null;
    case 'SS':
    case 'BS':
      return [...(value as Record<string, string[]>)[type] as string[]].sort();
    case 'NS':
      return (value as { NS: string[] }).NS.map(Number).sort((x, y) => x - y);
    case 'L':
      return (value as { L: AttributeValue[] }).L.map(toPlain);
    case 'M':
      return itemToPlain((value as { M: Item }).M);
  }
}

export function itemToPlain(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toPlain(v)]));
}
