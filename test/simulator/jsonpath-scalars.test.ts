/**
 * jsonpath-plus returns scalar results through an Error it throws and catches; the simulator
 * stops that Error from capturing a stack trace (src/simulator/jsonpath-scalars.ts). Queries
 * give the same results, the Error is still an Error with its value and message, and the
 * setting can be turned back (the bench's baseline does).
 */
import { JSONPath } from 'jsonpath-plus';
import { afterEach, describe, expect, it } from 'vitest';
import { scalarStackTraces } from '../../src/simulator/jsonpath-scalars.ts';

const json = { a: { n: 1, s: 'x', t: true, z: null, list: [1, 2] } };
const query = (path: string): unknown => JSONPath({ path, json, wrap: false });
/** The Error jsonpath-plus throws for a scalar when called with `new`. */
function scalarError(): Error & { avoidNew?: boolean; value?: unknown } {
  try {
    new (JSONPath as unknown as new (opts: object) => unknown)({ path: '$.a.n', json, wrap: false });
  } catch (e) {
    return e as Error;
  }
  throw new Error('no Error thrown');
}

describe('jsonpath-plus scalar results', () => {
  afterEach(() => void scalarStackTraces(false));

  it('are the same values, objects and arrays included', () => {
    expect([query('$.a.n'), query('$.a.s'), query('$.a.t'), query('$.a.z'), query('$.a.missing')]).toEqual([1, 'x', true, null, undefined]);
    expect(query('$.a.list')).toEqual([1, 2]);
    expect(query('$.a.list[1]')).toBe(2);
  });

  it('come in an Error without a stack trace, with its value, message and name', () => {
    const e = scalarError();
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.avoidNew, e.value, e.stack]).toEqual(['NewError', true, 1, undefined]);
    expect(e.message).toMatch(/should not be called with "new"/);
  });

  it('capture a stack trace again when the setting is turned back', () => {
    expect(scalarStackTraces(true)).toBe(true);
    expect(scalarError().stack).toMatch(/NewError/);
    expect(scalarStackTraces(false)).toBe(true);
    expect(scalarError().stack).toBeUndefined();
  });
});
