/**
 * Where `aws-local-stepfunctions` 3.0.0 is not AWS, the simulator follows AWS. Each test
 * runs a small state machine in the simulator and expects what the Amazon States
 * Language (states-language.net/spec.html) and the Step Functions developer guide say.
 */
import { describe, expect, it } from 'vitest';
import { simulate, Simulator } from '../../src/simulator/index.ts';
import { globOfStringMatches, OpenEscapeError } from '../../src/simulator/choice.ts';
import { indexDefinition } from '../../src/simulator/definition.ts';
import { compileMachine, runExecution, type Execution } from '../../src/simulator/execution.ts';
import { makeBuild } from './fixture.ts';

const newExecution = (): Execution => ({
  ref: 'asl/machine',
  stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:m',
  stateMachineName: 'm',
  name: 'run-1',
  arn: 'arn:aws:states:eu-west-1:123456789012:execution:m:run-1',
  input: {},
  trigger: { kind: 'manual' },
  status: 'PENDING',
  output: null,
  error: null,
  cause: null,
  startTime: 0,
  stopTime: null,
  clock: 0,
  transitions: 0,
  faultCalls: new Map(),
});

const choiceMachine = (rule: object) => ({
  StartAt: 'Test',
  States: {
    Test: { Type: 'Choice', Choices: [{ ...rule, Next: 'Matched' }], Default: 'Not matched' },
    Matched: { Type: 'Pass', Result: 'matched', End: true },
    'Not matched': { Type: 'Pass', Result: 'not matched', End: true },
  },
});

/** Runs `definition` once with `input`; returns the execution. */
async function runOne(definition: object, input: unknown, scenario: object = {}) {
  const result = await simulate({
    buildDir: makeBuild([{ useCase: 'asl', name: 'machine', definition }]),
    scenario: { start: [{ workflow: 'asl/machine', input, name: 'run-1', at: '2026-11-25T06:00:00Z' }], ...scenario },
    validate: false,
  });
  return { exec: result.executions[0]!, result };
}

const choose = async (rule: object, input: unknown) => (await runOne(choiceMachine(rule), input)).exec.output;

describe('Choice: Is… tests with false (spec: IsPresent "just returns false" when the path matches nothing)', () => {
  it.each([
    ['IsPresent: false matches an absent field', { Variable: '$.d', IsPresent: false }, {}, 'matched'],
    ['IsPresent: false does not match a present field', { Variable: '$.d', IsPresent: false }, { d: 1 }, 'not matched'],
    ['IsString: false matches a number', { Variable: '$.d', IsString: false }, { d: 1 }, 'matched'],
    ['IsNull: false matches a string', { Variable: '$.d', IsNull: false }, { d: 'x' }, 'matched'],
    ['IsNumeric: false matches a string', { Variable: '$.d', IsNumeric: false }, { d: 'x' }, 'matched'],
    ['IsBoolean: false matches null', { Variable: '$.d', IsBoolean: false }, { d: null }, 'matched'],
    ['IsTimestamp: false matches a date without a time', { Variable: '$.d', IsTimestamp: false }, { d: '2026-11-25' }, 'matched'],
    ['Not + IsPresent: false matches a present field', { Not: { Variable: '$.d', IsPresent: false } }, { d: 1 }, 'matched'],
  ])('%s', async (_what, rule, input, expected) => {
    expect(await choose(rule, input)).toBe(expected);
  });
});

describe('Choice: StringMatches (spec: "No characters other than * have any special meaning")', () => {
  it.each([
    ['? is a literal: ????-??-?? does not match a date', '????-??-??', '2026-11-25', 'not matched'],
    ['? is a literal: it matches a question mark', 'why?', 'why?', 'matched'],
    ['* matches zero or more characters', 'foo*.log', 'foo23.log', 'matched'],
    ['* matches the empty string', 'foo*.log', 'foo.log', 'matched'],
    ['\\* is a literal asterisk', 'a\\*b', 'a*b', 'matched'],
    ['\\* does not match other characters', 'a\\*b', 'axb', 'not matched'],
    ['\\\\ is a literal backslash', 'a\\\\b', 'a\\b', 'matched'],
    ['[ and { are literals', '[x]{y}*', '[x]{y}z', 'matched'],
  ])('%s', async (_what, pattern, value, expected) => {
    expect(await choose({ Variable: '$.v', StringMatches: pattern }, { v: value })).toBe(expected);
  });

  it('is false for a value that is not a string (spec: comparisons of other types return false)', async () => {
    expect(await choose({ Variable: '$.v', StringMatches: '*' }, { v: 5 })).toBe('not matched');
  });

  it('refuses an open escape (spec: "the interpreter will throw a runtime error")', () => {
    expect(() => globOfStringMatches('a\\b')).toThrow(OpenEscapeError);
    expect(() => globOfStringMatches('ab\\')).toThrow(OpenEscapeError);
  });
});

describe('Choice: comparisons of values of another type are false (spec: "if the values are not both of the appropriate type … false")', () => {
  it.each([
    ['StringLessThan on a number', { Variable: '$.v', StringLessThan: 'b' }, { v: 1 }],
    ['StringGreaterThanEquals on a number', { Variable: '$.v', StringGreaterThanEquals: '' }, { v: 1 }],
    ['NumericLessThan on a string', { Variable: '$.v', NumericLessThan: 10 }, { v: '5' }],
    ['NumericGreaterThanEquals on null', { Variable: '$.v', NumericGreaterThanEquals: 0 }, { v: null }],
    ['TimestampLessThan on a date without a time', { Variable: '$.v', TimestampLessThan: '2030-01-01T00:00:00Z' }, { v: '2026-11-25' }],
  ])('%s', async (_what, rule, input) => {
    expect(await choose(rule, input)).toBe('not matched');
  });

  it('still compares values of the right type', async () => {
    expect(await choose({ Variable: '$.v', NumericLessThan: 10 }, { v: 5 })).toBe('matched');
    expect(await choose({ Variable: '$.v', TimestampLessThan: '2030-01-01T00:00:00Z' }, { v: '2026-11-25T06:00:00Z' })).toBe('matched');
  });
});

describe('Pass state Result (spec: "Result … is treated as the output of a virtual task")', () => {
  it.each([[false], [0], [''], [null]])('a falsy Result %j is the result, not the input', async (value) => {
    const { exec } = await runOne({ StartAt: 'P', States: { P: { Type: 'Pass', Result: value, ResultPath: '$.r', End: true } } }, { keep: 1 });
    expect(exec.output).toEqual({ keep: 1, r: value });
  });
});

describe('context object (developer guide: "Context object")', () => {
  it('$$.Execution.Input inside a Map is the execution input, not the item', async () => {
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Read',
            States: { Read: { Type: 'Pass', Parameters: { 'tag.$': '$$.Execution.Input.tag' }, End: true } },
          },
          End: true,
        },
      },
    };
    const { exec } = await runOne(definition, { tag: 'outer', items: [{ tag: 'inner' }] });
    expect(exec.output).toEqual([{ tag: 'outer' }]);
  });

  it('$$.State.Name, EnteredTime and RetryCount are set, RetryCount counting the retries of a task', async () => {
    const definition = {
      StartAt: 'Notify',
      States: {
        Notify: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Parameters: {
            TopicArn: '${NotificationsTopicArn}',
            'Message.$': "States.Format('{} {} {}', $$.State.Name, $$.State.EnteredTime, $$.State.RetryCount)",
          },
          Retry: [{ ErrorEquals: ['SNS.ThrottledException'], IntervalSeconds: 1, MaxAttempts: 2 }],
          End: true,
        },
      },
    };
    const { result } = await runOne(definition, {}, { faults: { 'asl/machine': { Notify: { error: 'SNS.ThrottledException', times: 2 } } } });
    expect(result.notifications.map((n) => n.message)).toEqual(['Notify 2026-11-25T06:00:00.000Z 2']);
  });

  it('$$.Task.Token is set in .waitForTaskToken tasks, and only there', async () => {
    const definition = (resource: string) => ({
      StartAt: 'Ask',
      States: { Ask: { Type: 'Task', Resource: resource, Parameters: { 'token.$': '$$.Task.Token' }, End: true } },
    });
    const sent: unknown[] = [];
    const callback = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
    const run = async (resource: string) => {
      const def = definition(resource) as never;
      const machine = compileMachine('asl/machine', def, indexDefinition(def), false);
      const exec = { ...newExecution(), input: {} };
      const services = { [resource]: async (call: { input: unknown }) => (sent.push(call.input), { ok: true }) };
      await runExecution(machine, exec, { services, faults: {}, delays: {}, timeline: () => {}, next: () => 1, gate: async () => {} });
      return exec;
    };
    expect((await run(callback)).status).toBe('SUCCEEDED');
    expect(sent).toEqual([{ token: expect.stringMatching(/.+/) }]);
    expect(await run('arn:aws:states:::sqs:sendMessage')).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });
});

describe('JSONata (developer guide: "Transforming data with JSONata")', () => {
  // Definitions are read when first run: a build holding one loads, and running it is refused.
  it('is refused rather than run as JSONPath', async () => {
    const definition = { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% 1 + 1 %}', End: true } } };
    expect(() => new Simulator(makeBuild([{ useCase: 'asl', name: 'machine', definition }]))).not.toThrow();
    await expect(runOne(definition, {})).rejects.toThrow(/JSONata/);
  });

  it('is refused on a single state too', async () => {
    const definition = { StartAt: 'P', States: { P: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% 1 %}', End: true } } };
    await expect(runOne(definition, {})).rejects.toThrow(/JSONata/);
  });
});
