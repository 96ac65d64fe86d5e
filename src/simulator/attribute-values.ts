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
