import { describe, expect, it } from 'vitest';
import { readPath, targetInput } from '../../src/simulator/input-transformer.ts';

const event = {
  time: '2026-01-01T03:00:00Z',
  detail: { name: 'run-1', status: 'FAILED', cause: 'boom "quoted"', startDate: 5, tags: ['a', 'b'] },
};
const ctx = { ruleName: 'r', ruleArn: 'arn:aws:events:eu-west-1:123456789012:rule/r' };
const transform = (InputPathsMap: Record<string, string>, InputTemplate: string): string =>
  targetInput({ Id: 't', Arn: 'x', InputTransformer: { InputPathsMap, InputTemplate } }, event, ctx);

describe('InputTransformer', () => {
  it('quotes strings placed outside quotes in a JSON template', () => {
    expect(JSON.parse(transform({ time: '$.time' }, '{"trigger":"schedule","logical_date":<time>}'))).toEqual({
      trigger: 'schedule',
      logical_date: '2026-01-01T03:00:00Z',
    });
  });

  it('inserts strings raw inside quoted template strings', () => {
    expect(transform({ n: '$.detail.name', s: '$.detail.status' }, '"Execution <n> is <s>"')).toBe('"Execution run-1 is FAILED"');
    // EventBridge does not escape: a quote in the value breaks the JSON.
    expect(transform({ c: '$.detail.cause' }, '{"cause":"<c>"}')).toBe('{"cause":"boom "quoted""}');
  });

  it('inserts numbers, arrays and missing paths as JSON values', () => {
    expect(JSON.parse(transform({ d: '$.detail.startDate', t: '$.detail.tags', m: '$.detail.missing' }, '{"d":<d>,"t":<t>,"m":<m>}'))).toEqual({
      d: 5,
      t: ['a', 'b'],
      m: null,
    });
  });

  it('offers the predefined variables and passes Input or the whole event', () => {
    expect(transform({}, '"<aws.events.rule-name>"')).toBe('"r"');
    expect(targetInput({ Id: 't', Arn: 'x', Input: '{"a":1}' }, event, ctx)).toBe('{"a":1}');
    expect(JSON.parse(targetInput({ Id: 't', Arn: 'x' }, event, ctx))).toEqual(event);
  });

  it('reads dot paths with indexes', () => {
    expect(readPath(event, '$.detail.tags[1]')).toBe('b');
    expect(readPath(event, '$.nope.x')).toBeUndefined();
  });
});
