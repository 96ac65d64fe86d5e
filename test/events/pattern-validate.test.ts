import { describe, expect, it } from 'vitest';
import { eventPatternLength, validateEventPattern } from '../../src/events/pattern.ts';

type Row = [name: string, pattern: unknown, problem: string];

const invalid: Row[] = [
  ['not an object', [], 'pattern must be a JSON object'],
  ['empty pattern', {}, 'pattern: must name at least one field'],
  ['empty nested object', { detail: {} }, 'detail: must name at least one field'],
  ['scalar instead of a list', { source: 'aws.states' }, 'source: must be an array of values or a nested object'],
  ['empty leaf list', { detail: { status: [] } }, 'detail.status: value list must not be empty'],
  ['nested list', { a: [['x']] }, 'a: ["x"] is not a value or an operator object'],
  ['unknown operator', { a: [{ contains: 'x' }] }, 'a: unknown operator "contains"'],
  ['two operators in one object', { a: [{ prefix: 'x', suffix: 'y' }] }, 'exactly one key'],
  ['prefix needs a string', { a: [{ prefix: 1 }] }, 'prefix needs a string'],
  ['suffix with a wrong option', { a: [{ suffix: { wildcard: 'x' } }] }, 'suffix needs a string'],
  ['equals-ignore-case needs a string', { a: [{ 'equals-ignore-case': ['x'] }] }, 'equals-ignore-case needs a string'],
  ['exists needs a boolean', { a: [{ exists: 'yes' }] }, 'exists needs true or false'],
  ['cidr invalid', { a: [{ cidr: '10.0.0.300/8' }] }, 'cidr needs an address/bits block'],
  ['cidr too many bits', { a: [{ cidr: '10.0.0.0/33' }] }, 'cidr needs an address/bits block'],
  ['wildcard with consecutive stars', { a: [{ wildcard: 'a**' }] }, 'consecutive wildcard characters'],
  ['wildcard with a bad escape', { a: [{ wildcard: 'a\\b' }] }, 'must escape'],
  ['numeric odd length', { a: [{ numeric: ['>', 0, '<'] }] }, 'numeric needs'],
  ['numeric unknown operator', { a: [{ numeric: ['!=', 0] }] }, 'numeric operator "!=" is unknown'],
  ['numeric string bound', { a: [{ numeric: ['>', '0'] }] }, 'must be a number'],
  ['numeric range reversed', { a: [{ numeric: ['<', 5, '>', 0] }] }, 'numeric range must be'],
  ['numeric empty range', { a: [{ numeric: ['>', 5, '<', 5] }] }, 'numeric range is empty'],
  ['numeric out of range', { a: [{ numeric: ['<', 6e9] }] }, 'outside'],
  ['anything-but empty list', { a: [{ 'anything-but': [] }] }, 'anything-but list must not be empty'],
  ['anything-but mixed list', { a: [{ 'anything-but': ['x', 1] }] }, 'only strings or only numbers'],
  ['anything-but numeric', { a: [{ 'anything-but': { numeric: ['>', 1] } }] }, 'anything-but supports'],
  ['anything-but prefix number', { a: [{ 'anything-but': { prefix: 1 } }] }, 'anything-but prefix needs a string'],
  ['anything-but wildcard', { a: [{ 'anything-but': { wildcard: ['x**'] } }] }, 'consecutive wildcard'],
  ['$or with one alternative', { $or: [{ a: ['x'] }] }, '$or: needs at least 2 alternatives'],
  ['$or alternative not an object', { $or: [{ a: ['x'] }, 'b'] }, '$or[1]: each alternative must be an object'],
  ['$or alternative invalid', { $or: [{ a: ['x'] }, { b: [] }] }, '$or[1].b: value list must not be empty'],
  ['too long', { a: ['x'.repeat(2100)] }, 'EventBridge allows 2048'],
];

describe('validateEventPattern', () => {
  it.each(invalid)('rejects: %s', (_name, pattern, problem) => {
    const problems = validateEventPattern(pattern);
    expect(problems.some((p) => p.includes(problem)), problems.join('\n')).toBe(true);
  });

  it('accepts every operator in a valid shape', () => {
    const pattern = {
      source: ['aws.states', null, 3, true],
      detail: {
        a: [{ prefix: 'x' }, { prefix: { 'equals-ignore-case': 'X' } }, { suffix: 'y' }],
        b: [{ 'equals-ignore-case': 'z' }, { wildcard: 'a*b\\*' }, { exists: false }],
        c: [{ numeric: ['=', 1] }, { numeric: ['>=', 0, '<', 10] }, { cidr: '2001:db8::/32' }],
        d: [{ 'anything-but': 'x' }, { 'anything-but': [1, 2] }, { 'anything-but': { suffix: ['.a', '.b'] } }],
        $or: [{ e: ['1'] }, { f: { g: ['2'] } }],
      },
    };
    expect(validateEventPattern(pattern)).toEqual([]);
  });

  it('counts the JSON text', () => {
    expect(eventPatternLength({ a: ['b'] })).toBe('{"a":["b"]}'.length);
  });
});
