import { describe, expect, it } from 'vitest';
import { applyInputTransformer, readPath, targetInput } from '../../src/events/transform.ts';

const event = { time: '2026-11-26T06:00:00Z', detail: { id: 'i-1', n: 3, items: [{ k: 'a' }, { k: 'b' }], gone: null } };

describe('applyInputTransformer', () => {
  type Row = [name: string, paths: Record<string, string>, template: string, want: string];
  const rows: Row[] = [
    ['JSON value outside strings', { t: '$.time' }, '{"at":<t>}', '{"at":"2026-11-26T06:00:00Z"}'],
    ['number outside strings', { n: '$.detail.n' }, '{"n":<n>}', '{"n":3}'],
    ['object outside strings', { d: '$.detail.items[1]' }, '{"d":<d>}', '{"d":{"k":"b"}}'],
    ['raw text inside a string', { i: '$.detail.id', n: '$.detail.n' }, '"instance <i> has <n>"', '"instance i-1 has 3"'],
    ['escaped quotes stay in the string', { i: '$.detail.id' }, '"id \\"<i>\\" x <i>"', '"id \\"i-1\\" x i-1"'],
    ['missing path inside a string', { x: '$.detail.nope' }, '"x=<x>."', '"x=."'],
    ['missing path outside a string', { x: '$.detail.nope' }, '{"x":<x>}', '{"x":null}'],
    ['unknown variable kept', {}, '"<aws.events.rule-name>"', '"<aws.events.rule-name>"'],
  ];
  it.each(rows)('%s', (_n, paths, template, want) => {
    expect(applyInputTransformer({ InputPathsMap: paths, InputTemplate: template }, event)).toBe(want);
  });
});

describe('readPath and targetInput', () => {
  it('reads dotted paths and indexes', () => {
    expect(readPath(event, '$')).toBe(event);
    expect(readPath(event, '$.detail.items[0].k')).toBe('a');
    expect(readPath(event, '$.detail.gone')).toBeNull();
    expect(readPath(event, '$.detail.id.deeper')).toBeUndefined();
  });

  it('delivers Input, a transformed input, or the whole event', () => {
    expect(targetInput({ Id: 't', Arn: 'a', Input: '{"x":1}' }, event)).toBe('{"x":1}');
    expect(targetInput({ Id: 't', Arn: 'a', InputTransformer: { InputPathsMap: { t: '$.time' }, InputTemplate: '<t>' } }, event)).toBe(
      '"2026-11-26T06:00:00Z"',
    );
    expect(JSON.parse(targetInput({ Id: 't', Arn: 'a' }, event))).toEqual(event);
  });
});
