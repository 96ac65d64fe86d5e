import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchEventPattern, validateEventPattern } from '../../src/events/pattern.ts';

const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.constant(null));
const key = fc.constantFrom('a', 'b', 'c', 'detail', 'status');
const event = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 3 })),
})).node;

/** A pattern requiring every scalar leaf of a (non-array) object to equal its value. */
function selfPattern(node: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const sub = selfPattern(v as Record<string, unknown>);
      if (sub) out[k] = sub;
    } else if (!Array.isArray(v)) {
      out[k] = [v];
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

describe('matchEventPattern properties', () => {
  it('never throws on arbitrary patterns and events', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4 }), (pattern, ev) => {
        expect(typeof matchEventPattern(pattern, ev)).toBe('boolean');
        expect(Array.isArray(validateEventPattern(pattern))).toBe(true);
      }),
    );
  });

  it('matches an event against a pattern made of its own leaves, and not after a change', () => {
    fc.assert(
      fc.property(fc.dictionary(key, event, { minKeys: 1, maxKeys: 4 }), (ev) => {
        const pattern = selfPattern(ev);
        fc.pre(pattern !== undefined);
        expect(validateEventPattern(pattern)).toEqual([]);
        expect(matchEventPattern(pattern, ev)).toBe(true);
        expect(matchEventPattern({ ...pattern, zz: [{ exists: true }] }, ev)).toBe(false);
        expect(matchEventPattern({ ...pattern, zz: [{ exists: false }] }, ev)).toBe(true);
      }),
    );
  });
});
