import { describe, expect, it } from 'vitest';
import { matchEventPattern } from '../../src/events/pattern.ts';

type Row = [name: string, pattern: unknown, event: unknown, want: boolean];

const rows: Row[] = [
  // exact values
  ['string equals', { a: ['x'] }, { a: 'x' }, true],
  ['string differs', { a: ['x'] }, { a: 'y' }, false],
  ['number equals whatever its spelling', { a: [300] }, JSON.parse('{"a": 3.0e2}'), true],
  ['number is not its string', { a: [5] }, { a: '5' }, false],
  ['boolean', { a: [true] }, { a: true }, true],
  ['boolean is not its string', { a: ['true'] }, { a: true }, false],
  ['null', { a: [null] }, { a: null }, true],
  ['null does not match a missing field', { a: [null] }, {}, false],
  ['any of the listed values', { a: ['x', 'y'] }, { a: 'y' }, true],
  ['missing field', { a: ['x'] }, { b: 'x' }, false],
  ['event array: any element', { a: ['x'] }, { a: ['w', 'x'] }, true],
  ['event array of arrays', { a: ['x'] }, { a: [['w'], ['x']] }, true],
  ['leaf list against an object', { a: ['x'] }, { a: { b: 'x' } }, false],
  ['nested object', { d: { s: ['ok'] } }, { d: { s: 'ok' } }, true],
  ['nested object against a scalar', { d: { s: ['ok'] } }, { d: 'ok' }, false],
  ['inherited properties are not fields', { toString: [{ exists: true }] }, {}, false],
  // prefix / suffix
  ['prefix', { a: [{ prefix: 'ab' }] }, { a: 'abc' }, true],
  ['prefix on a number', { a: [{ prefix: '1' }] }, { a: 12 }, false],
  ['prefix ignoring case', { a: [{ prefix: { 'equals-ignore-case': 'AB' } }] }, { a: 'aBc' }, true],
  ['suffix', { a: [{ suffix: '.csv' }] }, { a: 'x.csv' }, true],
  ['suffix differs', { a: [{ suffix: '.csv' }] }, { a: 'x.CSV' }, false],
  ['suffix ignoring case', { a: [{ suffix: { 'equals-ignore-case': '.csv' } }] }, { a: 'x.CSV' }, true],
  // equals-ignore-case
  ['equals-ignore-case', { a: [{ 'equals-ignore-case': 'FAILED' }] }, { a: 'failed' }, true],
  ['equals-ignore-case needs the whole value', { a: [{ 'equals-ignore-case': 'fail' }] }, { a: 'failed' }, false],
  // wildcard
  ['wildcard', { a: [{ wildcard: 'arn:*:stateMachine:*' }] }, { a: 'arn:aws:states:x:stateMachine:m' }, true],
  ['wildcard escaped star', { a: [{ wildcard: 'a\\*b' }] }, { a: 'a*b' }, true],
  ['wildcard escaped star is literal', { a: [{ wildcard: 'a\\*b' }] }, { a: 'axb' }, false],
  ['wildcard escaped backslash', { a: [{ wildcard: 'a\\\\*' }] }, { a: 'a\\zz' }, true],
  ['wildcard regex characters are literal', { a: [{ wildcard: 'a.c*' }] }, { a: 'abc' }, false],
  ['wildcard spans newlines', { a: [{ wildcard: 'a*z' }] }, { a: 'a\nz' }, true],
  // anything-but
  ['anything-but string', { a: [{ 'anything-but': 'x' }] }, { a: 'y' }, true],
  ['anything-but string excluded', { a: [{ 'anything-but': 'x' }] }, { a: 'x' }, false],
  ['anything-but needs the field', { a: [{ 'anything-but': 'x' }] }, {}, false],
  ['anything-but null value', { a: [{ 'anything-but': 'x' }] }, { a: null }, false],
  ['anything-but number list', { a: [{ 'anything-but': [1, 2] }] }, { a: 3 }, true],
  ['anything-but number list excluded', { a: [{ 'anything-but': [1, 2] }] }, { a: 2 }, false],
  ['anything-but any array element differs', { a: [{ 'anything-but': 'x' }] }, { a: ['x', 'y'] }, true],
  ['anything-but prefix', { a: [{ 'anything-but': { prefix: 'us-' } }] }, { a: 'eu-west-1' }, true],
  ['anything-but prefix excluded', { a: [{ 'anything-but': { prefix: 'us-' } }] }, { a: 'us-east-1' }, false],
  ['anything-but prefix, number value', { a: [{ 'anything-but': { prefix: 'us-' } }] }, { a: 7 }, true],
  ['anything-but suffix list', { a: [{ 'anything-but': { suffix: ['.png', '.gif'] } }] }, { a: 'a.gif' }, false],
  ['anything-but ignore case', { a: [{ 'anything-but': { 'equals-ignore-case': 'ok' } }] }, { a: 'OK' }, false],
  ['anything-but ignore case, number value', { a: [{ 'anything-but': { 'equals-ignore-case': 'ok' } }] }, { a: 1 }, false],
  ['anything-but wildcard', { a: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { a: '/usr/bin/x' }, true],
  // numeric
  ['numeric =', { a: [{ numeric: ['=', 301.8] }] }, { a: 3.018e2 }, true],
  ['numeric closed range, upper bound', { a: [{ numeric: ['>=', 0, '<=', 5] }] }, { a: 5 }, true],
  ['numeric open range, upper bound', { a: [{ numeric: ['>', 0, '<', 5] }] }, { a: 5 }, false],
  ['numeric below', { a: [{ numeric: ['<', 0] }] }, { a: -1e-6 }, true],
  ['numeric on a numeric string', { a: [{ numeric: ['>', 0] }] }, { a: '5' }, false],
  ['numeric on any array element', { a: [{ numeric: ['>', 10] }] }, { a: [1, 20] }, true],
  // exists
  ['exists true on null', { a: [{ exists: true }] }, { a: null }, true],
  ['exists true on an empty array', { a: [{ exists: true }] }, { a: [] }, false],
  ['exists false on an empty array', { a: [{ exists: false }] }, { a: [] }, true],
  ['exists false under a missing parent', { d: { a: [{ exists: false }] } }, {}, true],
  ['exists true on an object', { a: [{ exists: true }] }, { a: { b: 1 } }, false],
  // cidr
  ['cidr IPv4', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: '10.255.0.1' }, true],
  ['cidr IPv4 outside', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: '11.0.0.1' }, false],
  ['cidr /32', { ip: [{ cidr: '192.168.1.7/32' }] }, { ip: '192.168.1.7' }, true],
  ['cidr /0 takes every IPv4 address', { ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '8.8.8.8' }, true],
  ['cidr IPv6 compressed', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:0db8:ffff::1' }, true],
  ['cidr family must agree', { ip: [{ cidr: '::/0' }] }, { ip: '10.0.0.1' }, false],
  ['cidr on a non-address', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: '10.0.0.x' }, false],
  // $or
  ['$or, second alternative', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { b: '2' }, true],
  ['$or, none', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { a: '2' }, false],
  ['$or nested in an object', { d: { $or: [{ a: ['1'] }, { b: ['2'] }] } }, { d: { a: '1' } }, true],
  ['$or with a single object is a field name', { $or: [{ a: ['1'] }] }, { a: '1' }, false],
  // array consistency
  [
    'fields from one array element',
    { xs: { k: ['a'], v: [1] } },
    { xs: [{ k: 'a', v: 2 }, { k: 'b', v: 1 }] },
    false,
  ],
  ['fields from the same element', { xs: { k: ['b'], v: [1] } }, { xs: [{ k: 'a', v: 2 }, { k: 'b', v: 1 }] }, true],
  [
    '$or inside one array element',
    { xs: { k: ['a'], $or: [{ v: [1] }, { w: [1] }] } },
    { xs: [{ k: 'a', v: 2 }, { k: 'b', w: 1 }] },
    false,
  ],
  // malformed input never throws
  ['pattern not an object', ['a'], { a: 'a' }, false],
  ['unknown operator', { a: [{ contains: 'b' }] }, { a: 'abc' }, false],
  ['event not an object', { a: [{ exists: false }] }, 'text', true],
];

describe('matchEventPattern', () => {
  it.each(rows)('%s', (_name, pattern, event, want) => {
    expect(matchEventPattern(pattern, event)).toBe(want);
  });
});
