import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic, evaluateTemplate, queryPath, StatesRuntimeError, type EvalContext } from '../../src/simulator/payload.ts';

let n = 0;
const ctx: EvalContext = {
  context: { Execution: { Name: 'run-1', Id: 'arn:x' }, State: { EnteredTime: '2026-11-25T00:05:00.000Z' } },
  next: () => ++n,
};
const run = (text: string, input: unknown = {}): unknown => evaluateIntrinsic(text, input, ctx);

describe('JSONPath', () => {
  it('wildcard paths always give arrays, empty when nothing matches', () => {
    const input = { tables: [{ status: 'FAILED' }], none: [] as unknown[] };
    expect(queryPath('$.tables[*].status', input, null)).toEqual(['FAILED']);
    expect(queryPath('$.none[*].status', input, null)).toEqual([]);
    expect(queryPath('$.tables[0].status', input, null)).toBe('FAILED');
    expect(queryPath('$.missing', input, null)).toBeUndefined();
  });
});

describe('intrinsic functions', () => {
  it('ArrayContains over [*] paths, including one item and an empty array', () => {
    expect(run("States.ArrayContains($.t[*].status, 'FAILED')", { t: [{ status: 'FAILED' }] })).toBe(true);
    expect(run("States.ArrayContains($.t[*].status, 'FAILED')", { t: [{ status: 'SUCCEEDED' }] })).toBe(false);
    expect(run("States.ArrayContains($.t[*].status, 'FAILED')", { t: [] })).toBe(false);
    expect(run("States.ArrayContains($.JobRuns[*].Name, 'x')", { JobRuns: [] })).toBe(false);
  });

  it('Format: numbers, escapes, nested calls and backslashes kept', () => {
    expect(run("States.Format('{}', $.stop)", { stop: 1764033000000 })).toBe('1764033000000');
    expect(run("States.Format('a\\{b\\}{}\\'', $.x)", { x: 'c' })).toBe("a{b}c'");
    expect(run("States.Format('{}{}', States.ArrayGetItem(States.StringSplit($.d, ':'), 0), $$.Execution.Name)", { d: '2026-11-25T00:00:00Z' })).toBe('2026-11-25T00run-1');
    expect(run('States.JsonToString($.o)', { o: { cause: '{"a":"b\\\\c"}' } })).toBe(JSON.stringify({ cause: '{"a":"b\\\\c"}' }));
    expect(JSON.parse(run('States.JsonToString($.o)', { o: { cause: 'say "hi"' } }) as string)).toEqual({ cause: 'say "hi"' });
  });

  it('literals in States.Array are unescaped', () => {
    expect(run("States.Array('s3://$\\{Bucket\\}/x', $.n)", { n: 1 })).toEqual(['s3://${Bucket}/x', 1]);
  });

  it('MathAdd, ArrayLength, StringToJson, UUID', () => {
    expect(run('States.MathAdd($.s, $.s)', { s: 30 })).toBe(60);
    expect(run('States.ArrayLength($.a)', { a: ['x', 'y'] })).toBe(2);
    expect(run('States.StringToJson($.b)', { b: '{"run":{"ds":"2026-11-25"}}' })).toEqual({ run: { ds: '2026-11-25' } });
    expect(run('States.UUID()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('a missing path is a States.Runtime error that no Catch sees', () => {
    expect(() => run('States.Format($.nope)')).toThrow(StatesRuntimeError);
    try {
      evaluateTemplate({ 'x.$': '$.nope' }, {}, ctx);
    } catch (e) {
      expect(e).toMatchObject({ name: 'States.Runtime', isCatchable: false, isRetryable: false });
    }
  });
});

describe('payload templates', () => {
  it('resolve .$ keys against input and context, keep other values', () => {
    expect(evaluateTemplate({ a: 1, 'b.$': '$.x', c: { 'd.$': '$$.State.EnteredTime' }, 'States.$': "States.Array('RUNNING')" }, { x: 'y' }, ctx)).toEqual({
      a: 1,
      b: 'y',
      c: { d: '2026-11-25T00:05:00.000Z' },
      States: ['RUNNING'],
    });
  });
});
