/**
 * DynamoDB attribute values in the low-level wire format (`{S}`, `{N}`, `{SS}`…), as
 * Step Functions' DynamoDB integrations pass them, and a plain view for reports.
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

const TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'BOOL', 'NULL'] as const;
type AttributeType = (typeof TYPES)[number];

/** The type key of a well-formed attribute value (`S` of `{"S": "x"}`), or undefined. */
export function typeOf(value: unknown): AttributeType | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && (TYPES as readonly string[]).includes(keys[0]!) ? (keys[0] as AttributeType) : undefined;
}

/** Plain JavaScript view of an attribute value (numbers as numbers, sets as sorted arrays). */
export function toPlain(value: AttributeValue): unknown {
  const type = typeOf(value);
  const v = (value as Record<string, unknown>)[type ?? ''];
  switch (type) {
    case 'N':
      return Number(v);
    case 'NULL':
      return null;
    case 'SS':
    case 'BS':
      return [...(v as string[])].sort();
    case 'NS':
      return (v as string[]).map(Number).sort((x, y) => x - y);
    case 'L':
      return (v as AttributeValue[]).map(toPlain);
    case 'M':
      return itemToPlain(v as Item);
    default:
      return v;
  }
}

export function itemToPlain(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toPlain(v)]));
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** DynamoDB nests maps and lists 32 levels deep at most. */
const MAX_DEPTH = 32;
const SHAPES = '{S: "text"}, {N: "1"}, {B: "<base64>"}, {SS|NS|BS: [...]}, {M: {...}}, {L: [...]}, {BOOL: true} or {"NULL": true} (quoted: YAML reads NULL as null)';

/**
 * Why `value` is not a well-formed attribute value, as `[path below it, message]` (path `''` for the value itself),
 * or undefined when it is one: what DynamoDB's own validation would refuse, said before a simulation starts.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 */
export function attributeValueProblem(value: unknown, depth = 1): [string, string] | undefined {
  const type = typeOf(value);
  if (!type) return ['', `must be one attribute value: ${SHAPES}`];
  const v = (value as Record<string, unknown>)[type];
  const set = (ok: (x: unknown) => boolean, what: string): [string, string] | undefined =>
    Array.isArray(v) && v.length > 0 && v.every(ok) && new Set(v).size === v.length ? undefined : [`.${type}`, `must be a non-empty list of distinct ${what}`];
  switch (type) {
    case 'S':
      return typeof v === 'string' ? undefined : ['.S', 'must be a string'];
    case 'N':
      return typeof v === 'string' && NUMBER.test(v) ? undefined : ['.N', 'must be a number written as a string ("42")'];
    case 'B':
      return typeof v === 'string' && BASE64.test(v) ? undefined : ['.B', 'must be base64 text'];
    case 'SS':
      return set((x) => typeof x === 'string', 'strings');
    case 'NS':
      return set((x) => typeof x === 'string' && NUMBER.test(x), 'numbers written as strings');
    case 'BS':
      return set((x) => typeof x === 'string' && BASE64.test(x), 'base64 texts');
    case 'BOOL':
      return typeof v === 'boolean' ? undefined : ['.BOOL', 'must be true or false'];
    case 'NULL':
      return v === true ? undefined : ['.NULL', 'must be true'];
    case 'L':
      if (!Array.isArray(v)) return ['.L', 'must be a list of attribute values'];
      return nestedProblem('L', v.map((x, i) => [`[${i}]`, x]), depth);
    case 'M':
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return ['.M', 'must map names to attribute values'];
      return nestedProblem('M', Object.entries(v).map(([k, x]) => [`.${k}`, x]), depth);
  }
}

/** The first problem of the values a list or map at `depth` holds, each at its own path below it. */
function nestedProblem(type: 'L' | 'M', entries: [string, unknown][], depth: number): [string, string] | undefined {
  if (depth >= MAX_DEPTH) return [`.${type}`, `nests deeper than ${MAX_DEPTH} levels`];
  for (const [at, x] of entries) {
    const problem = attributeValueProblem(x, depth + 1);
    if (problem) return [`.${type}${at}${problem[0]}`, problem[1]];
  }
  return undefined;
}
