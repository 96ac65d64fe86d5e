/**
 * Column types of Iceberg tables as Spark DDL writes them: primitives,
 * `decimal(p,s)`, `array<t>`, `map<k,v>` and `struct<name: t, …>`.
 * See https://iceberg.apache.org/docs/latest/spark-getting-started/#spark-type-to-iceberg-type
 */
import { isValidIdentifier, quoteIdent } from './identifiers.ts';

export type ColumnType =
  | { kind: 'primitive'; name: PrimitiveType }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'array'; element: ColumnType }
  | { kind: 'map'; key: ColumnType; value: ColumnType }
  | { kind: 'struct'; fields: { name: string; type: ColumnType }[] };

export const PRIMITIVE_TYPES = [
  'bigint', 'int', 'string', 'timestamp', 'timestamp_ntz', 'date', 'boolean', 'double', 'float', 'binary',
] as const;
export type PrimitiveType = (typeof PRIMITIVE_TYPES)[number];

/** Spark spellings that name the same Iceberg type. */
const ALIASES: ReadonlyMap<string, PrimitiveType> = new Map([['long', 'bigint'], ['integer', 'int'], ['real', 'float']]);

/** Deepest nesting of array/map/struct accepted (keeps parsing and rendering off the stack limit). */
export const MAX_TYPE_DEPTH = 100;

/** Types a watermark column may have: its max is rendered as a UTC timestamp. */
export const WATERMARK_TYPES: readonly string[] = ['timestamp', 'timestamp_ntz', 'date'];

type Token = { text: string; at: number; quoted?: boolean };

/**
 * Parses a column type, or returns an error message naming the offset of the problem.
 * See https://spark.apache.org/docs/latest/sql-ref-datatypes.html
 */
const parsed = new Map<string, ColumnType | string>();

/** Parses a column type (memoized: specs repeat a handful of types many times). */
export function parseColumnType(text: string): ColumnType | string {
  let r = parsed.get(text);
  if (r === undefined) {
    r = parseColumnTypeUncached(text);
    if (parsed.size < 10_000) parsed.set(text, r);
  }
  return r;
}

function parseColumnTypeUncached(text: string): ColumnType | string {
  const tokens: Token[] = [];
  // Backquoted names (`` `a` ``, as types render struct fields) read as the name inside.
  const re = /\s*(`[A-Za-z_][A-Za-z0-9_]*`|[A-Za-z_][A-Za-z0-9_]*|\d+|[<>(),:]|\S)/gy;
  for (let m = re.exec(text); m !== null && m[1] !== undefined; m = re.exec(text)) {
    const quoted = m[1].startsWith('`') && m[1].length > 1;
    tokens.push({ text: quoted ? m[1].slice(1, -1) : m[1], at: m.index + m[0].length - m[1].length, ...(quoted ? { quoted } : {}) });
  }
  let depth = 0;
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const fail = (what: string): string => {
    const t = peek();
    return t ? `${what} at offset ${t.at}, found "${t.text}" in type "${text}"` : `${what} at the end of type "${text}"`;
  };
  const expect = (s: string): string | null => (peek()?.text === s ? (i++, null) : fail(`expected "${s}"`));
  const int = (): number | string => {
    const t = peek();
    if (!t || !/^\d+$/.test(t.text)) return fail('expected a number');
    i++;
    return Number(t.text);
  };
  const type = (): ColumnType | string => {
    if (++depth > MAX_TYPE_DEPTH) return fail(`types nest at most ${MAX_TYPE_DEPTH} levels deep`);
    try {
      return typeAt();
    } finally {
      depth--;
    }
  };
  const typeAt = (): ColumnType | string => {
    const t = peek();
    if (!t || t.quoted || !isValidIdentifier(t.text)) return fail('expected a type');
    i++;
    const name = t.text.toLowerCase();
    if (name === 'decimal' || name === 'numeric' || name === 'dec') {
      let e = expect('(');
      if (e) return e;
      const p = int();
      if (typeof p === 'string') return p;
      if ((e = expect(','))) return e;
      const s = int();
      if (typeof s === 'string') return s;
      if ((e = expect(')'))) return e;
      if (p < 1 || p > 38) return `decimal precision must be 1 to 38, got ${p} in type "${text}"`;
      if (s > p) return `decimal scale must be 0 to the precision ${p}, got ${s} in type "${text}"`;
      return { kind: 'decimal', precision: p, scale: s };
    }
    if (name === 'array') {
      const e = expect('<');
      if (e) return e;
      const element = type();
      if (typeof element === 'string') return element;
      return expect('>') ?? { kind: 'array', element };
    }
    if (name === 'map') {
      let e = expect('<');
      if (e) return e;
      const key = type();
      if (typeof key === 'string') return key;
      if ((e = expect(','))) return e;
      const value = type();
      if (typeof value === 'string') return value;
      return expect('>') ?? { kind: 'map', key, value };
    }
    if (name === 'struct') {
      const e = expect('<');
      if (e) return e;
      const fields: { name: string; type: ColumnType }[] = [];
      const names = new Set<string>();
      for (;;) {
        const f = peek();
        if (!f || !isValidIdentifier(f.text)) return fail('expected a struct field name');
        if (names.has(f.text.toLowerCase())) return fail('duplicate struct field');
        names.add(f.text.toLowerCase());
        i++;
        if (peek()?.text === ':') i++;
        const ft = type();
        if (typeof ft === 'string') return ft;
        fields.push({ name: f.text, type: ft });
        if (peek()?.text !== ',') break;
        i++;
      }
      return expect('>') ?? { kind: 'struct', fields };
    }
    const primitive = ALIASES.get(name) ?? PRIMITIVE_TYPES.find((p) => p === name);
    if (primitive === undefined) {
      i--;
      return fail(`unknown type (expected one of ${PRIMITIVE_TYPES.join(', ')}, decimal(p,s), array<…>, map<…,…>, struct<…>)`);
    }
    return { kind: 'primitive', name: primitive };
  };
  const result = type();
  if (typeof result === 'string') return result;
  return i < tokens.length ? fail('unexpected text after the type') : result;
}

/**
 * An error message for an invalid column type, or null.
 * See https://iceberg.apache.org/docs/latest/spark-getting-started/#spark-type-to-iceberg-type
 */
export function validateColumnType(text: string): string | null {
  const t = parseColumnType(text);
  return typeof t === 'string' ? t : null;
}

/** Canonical lower-case DDL text of a type (struct field names quoted). */
export function renderColumnType(t: ColumnType): string {
  switch (t.kind) {
    case 'primitive':
      return t.name;
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    case 'array':
      return `array<${renderColumnType(t.element)}>`;
    case 'map':
      return `map<${renderColumnType(t.key)},${renderColumnType(t.value)}>`;
    case 'struct':
      return `struct<${t.fields.map((f) => `${quoteIdent(f.name)}:${renderColumnType(f.type)}`).join(',')}>`;
  }
}

/** Canonical DDL text of a type given as text; throws on an invalid type (validated earlier). */
export function normalizeColumnType(text: string): string {
  const t = parseColumnType(text);
  if (typeof t === 'string') throw new Error(t);
  return renderColumnType(t);
}

/** True when a column of this type can carry a watermark (timestamp, timestamp_ntz, date). */
export function isWatermarkType(text: string): boolean {
  const t = parseColumnType(text);
  return typeof t !== 'string' && t.kind === 'primitive' && WATERMARK_TYPES.includes(t.name);
}
