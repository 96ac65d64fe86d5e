/** The one adapter from an execution to its logical date, table-driven over every form executions carry. */
import { describe, expect, it } from 'vitest';
import { runIdentity, type ExecutionFacts, type RunIdentity } from '../../src/ui/identity.ts';

const START = '2026-11-25T06:00:07.123Z';

const CASES: { given: string; facts: ExecutionFacts; want: RunIdentity }[] = [
  {
    given: 'the run context of the output, over the input',
    facts: { name: 'x', start: START, input: { logical_date: '2026-01-01T00:00:00Z' }, output: { run: { logical_date: '2026-11-24T02:00:00Z', trigger: 'dependency' } } },
    want: { logicalDate: '2026-11-24T02:00:00Z', dateFrom: 'run', trigger: 'dependency' },
  },
  {
    given: 'the input of an operator start',
    facts: { name: '2026-11-20T000000Z', start: START, input: { trigger: 'backfill', logical_date: '2026-11-21T00:00:00Z' } },
    want: { logicalDate: '2026-11-21T00:00:00Z', dateFrom: 'input', trigger: 'backfill' },
  },
  {
    given: 'an input date with an offset, canonicalized to UTC',
    facts: { name: 'x', start: START, input: { logical_date: '2026-11-25T08:00:00+02:00' } },
    want: { logicalDate: '2026-11-25T06:00:00Z', dateFrom: 'input' },
  },
  { given: 'a dated name (ListExecutions gives no input)', facts: { name: '2026-11-26T060000Z', start: START }, want: { logicalDate: '2026-11-26T06:00:00Z', dateFrom: 'name' } },
  { given: 'a rerun name', facts: { name: '2026-11-26T060000Z-r2', start: START }, want: { logicalDate: '2026-11-26T06:00:00Z', dateFrom: 'name' } },
  { given: 'an undated name: the start, to the minute', facts: { name: 'c0ffee00-1111-4222-8333-444455556666', start: START }, want: { logicalDate: '2026-11-25T06:00:00Z', dateFrom: 'start' } },
  { given: 'a hashed name (a non-canonical date) is not dated', facts: { name: `2026-11-25-${'a'.repeat(40)}`, start: START }, want: { logicalDate: '2026-11-25T06:00:00Z', dateFrom: 'start' } },
  { given: 'an impossible dated name', facts: { name: '2026-13-45T990000Z', start: START }, want: { logicalDate: '2026-11-25T06:00:00Z', dateFrom: 'start' } },
  {
    given: 'values that are not dates are ignored',
    facts: { name: 'x', start: START, input: { logical_date: 'yesterday', trigger: 42 }, output: { run: { logical_date: ['2026-01-01'] } } },
    want: { logicalDate: '2026-11-25T06:00:00Z', dateFrom: 'start' },
  },
  { given: 'a console start `{}`', facts: { name: 'x', start: START, input: {}, output: null }, want: { logicalDate: '2026-11-25T06:00:00Z', dateFrom: 'start' } },
];

describe('runIdentity', () => {
  for (const c of CASES) it(c.given, () => expect(runIdentity(c.facts)).toEqual(c.want));
});
