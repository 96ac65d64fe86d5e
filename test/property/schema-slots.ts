/**
 * Every scalar position of every spec schema, found by walking the JSON Schemas
 * themselves (properties, items, additionalProperties, $ref, oneOf/anyOf/allOf),
 * and a way to put a value at one of them in a parsed spec document.
 */
import { schemaOf } from '../../src/spec/schema.ts';
import { SPEC_KINDS, type SpecKind } from '../../src/spec/types.ts';

/** A path segment: a property name, `[]` (an item of a list), `*` (any key of a map). */
export type Segment = string;

export interface Slot {
  kind: SpecKind;
  path: Segment[];
  /** JSON Schema `type` of the leaf (`string`, `integer`, `number`, `boolean`). */
  type: string;
}

type Schema = Record<string, unknown>;

/** All scalar slots of every schema. */
export function scalarSlots(): Slot[] {
  const slots: Slot[] = [];
  for (const kind of SPEC_KINDS) {
    const root = schemaOf(kind);
    const defs = (root.definitions ?? {}) as Record<string, Schema>;
    const seen = new Set<string>();
    const walk = (s: Schema, path: Segment[], refs: string[]): void => {
      if (typeof s.$ref === 'string') {
        const name = s.$ref.replace('#/definitions/', '');
        if (refs.includes(name) || !defs[name]) return;
        walk(defs[name]!, path, [...refs, name]);
        return;
      }
      for (const k of ['oneOf', 'anyOf', 'allOf'] as const) for (const b of (s[k] as Schema[] | undefined) ?? []) walk(b, path, refs);
      const types = ([] as string[]).concat((s.type as string | string[] | undefined) ?? []);
      for (const t of types) {
        if (t === 'string' || t === 'integer' || t === 'number' || t === 'boolean') {
          const key = `${path.join('/')}|${t}`;
          if (!seen.has(key)) {
            seen.add(key);
            slots.push({ kind, path, type: t });
          }
        }
      }
      for (const [name, sub] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) walk(sub, [...path, name], refs);
      if (s.items && typeof s.items === 'object') walk(s.items as Schema, [...path, '[]'], refs);
      if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties as Schema, [...path, '*'], refs);
    };
    walk(root, [], []);
  }
  return slots;
}

function own(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Puts `value` at `path` in `doc` (a parsed YAML document), creating what is
 * missing: lists get one item, maps get the key `mapKey`. Returns the new document.
 */
export function setAt(doc: unknown, path: readonly Segment[], value: unknown, mapKey: string): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [Segment, ...Segment[]];
  if (head === '[]') {
    const list = Array.isArray(doc) && doc.length > 0 ? [...doc] : [{}];
    list[0] = setAt(list[0], rest, value, mapKey);
    return list;
  }
  const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) for (const [k, v] of Object.entries(doc)) own(obj, k, v);
  const key = head === '*' ? mapKey : head;
  own(obj, key, setAt(Object.hasOwn(obj, key) ? obj[key] : undefined, rest, value, mapKey));
  return obj;
}
