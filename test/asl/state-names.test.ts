/** State names of at most 80 characters that stay unique, and every transition renamed with its state. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedStateName, boundStateNames, STATE_NAME_MAX } from '../../src/asl/state-names.ts';
import type { StateMachineDefinition } from '../../src/asl/types.ts';
import { graphProblems, stateNameProblems } from '../property/invariants.ts';

const size = (s: string) => Math.max(s.length, [...s].length);

describe('boundedStateName', () => {
  it('keeps names that fit, bounds the others, and never maps two names to one', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 120 }), fc.constant('x'.repeat(79) + 'é😀')), { maxLength: 30 }), (names) => {
        const bounded = names.map(boundedStateName);
        for (const [i, b] of bounded.entries()) {
          expect(size(b)).toBeLessThanOrEqual(STATE_NAME_MAX);
          if (size(names[i]!) <= STATE_NAME_MAX) expect(b).toBe(names[i]);
        }
        expect(new Set(bounded).size).toBe(names.length);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('keeps the start of a long name readable', () => {
    expect(boundedStateName(`Maintain ${'cron(0,5,10 '.repeat(10)}`)).toMatch(/^Maintain cron\(0,5,10 .*… [0-9a-f]{8}$/);
  });
});

describe('boundStateNames', () => {
  it('renames states in nested graphs with every Next, Default, Choice and Catch pointing at them', () => {
    const long = (s: string) => `${s} ${'x'.repeat(90)}`;
    const def = {
      StartAt: long('a'),
      States: {
        [long('a')]: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: long('b') }], Default: long('c') },
        [long('b')]: {
          Type: 'Map',
          ItemProcessor: { StartAt: long('m'), States: { [long('m')]: { Type: 'Pass', Next: long('n') }, [long('n')]: { Type: 'Succeed' } } },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: long('c') }],
          Next: long('c'),
        },
        [long('c')]: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    const out = boundStateNames(def) as unknown as Parameters<typeof graphProblems>[0];
    expect(graphProblems(out)).toEqual([]);
    expect(stateNameProblems(out)).toEqual([]);
    expect(stateNameProblems(def as unknown as Parameters<typeof graphProblems>[0])).toHaveLength(5);
  });

  it('returns a definition whose names fit unchanged', () => {
    const def = { StartAt: 'a', States: { a: { Type: 'Succeed' } } } as unknown as StateMachineDefinition;
    expect(boundStateNames(def)).toBe(def);
  });
});
