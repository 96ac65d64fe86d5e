import { describe, expect, it } from 'vitest';
import { applyUpdate, evaluateCondition } from '../../src/simulator/dynamodb/evaluate.ts';
import { parseCondition, parseUpdate } from '../../src/simulator/dynamodb/parser.ts';
import type { Item } from '../../src/simulator/dynamodb/values.ts';

const item: Item = {
  pk: { S: 'orders' },
  watermark: { S: '2026-01-02T00:00:00Z' },
  count: { N: '5' },
  done: { SS: ['a', 'b'] },
  meta: { M: { tags: { L: [{ S: 'x' }, { S: 'y' }] } } },
  ok: { BOOL: true },
};

const cond = (text: string, values: Item = {}, names: Record<string, string> = {}): boolean =>
  evaluateCondition(parseCondition(text, names), item, values);

describe('condition expressions', () => {
  it.each([
    ['attribute_exists(watermark)', true],
    ['attribute_not_exists(watermark)', false],
    ['attribute_not_exists(missing)', true],
    ['watermark < :newer', true],
    ['watermark < :older', false],
    ['watermark >= :same AND count = :five', true],
    ['watermark > :newer OR count <> :five', false],
    ['NOT (watermark > :newer) AND attribute_exists(pk)', true],
    ['size(done) = :two', true],
    ['size(meta.tags) > :five', false],
    ['count BETWEEN :two AND :five', true],
    ['count IN (:two, :five)', true],
    ['begins_with(watermark, :prefix)', true],
    ['contains(done, :b)', true],
    ['meta.tags[1] = :y', true],
    ['attribute_type(ok, :bool)', true],
    ['missing <> :five', true],
    ['missing = :five', false],
  ])('%s → %s', (text, expected) => {
    const values: Item = {
      ':newer': { S: '2026-01-03T00:00:00Z' },
      ':older': { S: '2026-01-01T00:00:00Z' },
      ':same': { S: '2026-01-02T00:00:00Z' },
      ':five': { N: '5' },
      ':two': { N: '2' },
      ':prefix': { S: '2026-' },
      ':b': { S: 'b' },
      ':y': { S: 'y' },
      ':bool': { S: 'BOOL' },
    };
    expect(cond(text, values)).toBe(expected);
  });

  it('resolves attribute name placeholders and keywords case-insensitively', () => {
    expect(cond('#w < :v and attribute_exists(#c)', { ':v': { S: '2027' } }, { '#w': 'watermark', '#c': 'count' })).toBe(true);
  });

  it('rejects malformed expressions and undefined placeholders', () => {
    expect(() => parseCondition('watermark <')).toThrow(/Invalid expression/);
    expect(() => parseCondition('#nope = :v')).toThrow(/#nope/);
    expect(() => cond('watermark = :undefined')).toThrow(/:undefined/);
  });

  it('compares numbers numerically, not as text', () => {
    expect(cond('count < :ten', { ':ten': { N: '10' } })).toBe(true);
  });
});

describe('update expressions', () => {
  const update = (text: string, values: Item = {}, base: Item = item) => applyUpdate(parseUpdate(text), base, values);

  it('SETs with if_not_exists and arithmetic, reading the old item', () => {
    const { item: next, updated } = update('SET count = count + :one, first = if_not_exists(first, :now), total = if_not_exists(count, :one) - :one', {
      ':one': { N: '1' },
      ':now': { S: 'T0' },
    });
    expect(next.count).toEqual({ N: '6' });
    expect(next.first).toEqual({ S: 'T0' });
    expect(next.total).toEqual({ N: '4' });
    expect(updated.sort()).toEqual(['count', 'first', 'total']);
  });

  it('ADDs numbers and string-set members, creating absent attributes', () => {
    const { item: next } = update('ADD done :c, count :two, fresh :one', { ':c': { SS: ['b', 'c'] }, ':two': { N: '2' }, ':one': { N: '1' } });
    expect(next.done).toEqual({ SS: ['a', 'b', 'c'] });
    expect(next.count).toEqual({ N: '7' });
    expect(next.fresh).toEqual({ N: '1' });
  });

  it('REMOVEs and DELETEs, and combines clauses', () => {
    const { item: next } = update('REMOVE ok, meta.tags[0] SET note = :n DELETE done :a', { ':n': { S: 'hi' }, ':a': { SS: ['a'] } });
    expect(next.ok).toBeUndefined();
    expect(next.meta).toEqual({ M: { tags: { L: [{ S: 'y' }] } } });
    expect(next.done).toEqual({ SS: ['b'] });
    expect(next.note).toEqual({ S: 'hi' });
  });

  it('leaves the original item untouched and refuses type errors', () => {
    update('SET count = :n', { ':n': { N: '9' } });
    expect(item.count).toEqual({ N: '5' });
    expect(() => update('SET watermark = watermark + :one', { ':one': { N: '1' } })).toThrow(/incorrect data type/);
    expect(() => update('ADD watermark :one', { ':one': { N: '1' } })).toThrow(/incorrect data type/);
  });
});
