import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchEventPattern, validateEventPattern } from '../../src/events/pattern.ts';

interface Case {
  source: string;
  description: string;
  pattern: unknown;
  event: unknown;
  matches: boolean;
}

const cases = JSON.parse(
  readFileSync(new URL('../fixtures/eventbridge-cases.json', import.meta.url), 'utf8'),
) as Case[];

describe('EventBridge cases from the User Guide, Step Functions events and Event Ruler', () => {
  it('holds all 118 cases, 7 of them on array consistency', () => {
    expect(cases).toHaveLength(118);
    expect(cases.filter((c) => /^\[[^\]]*array-consistency/.test(c.description))).toHaveLength(7);
  });

  it.each(cases.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    expect(validateEventPattern(c.pattern), c.description).toEqual([]);
    expect(matchEventPattern(c.pattern, c.event), c.description).toBe(c.matches);
  });
});
