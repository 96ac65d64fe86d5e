import { describe, expect, it } from 'vitest';
import {
  isWatermarkType,
  normalizeColumnType,
  parsePartitionField,
  parseSortField,
  renderPartitionField,
  validateColumnType,
} from '../../src/sql/index.ts';

describe('validateColumnType', () => {
  it.each([
    'bigint', 'INT', 'string', 'timestamp', 'timestamp_ntz', 'date', 'boolean', 'double', 'float', 'binary', 'long', 'integer',
    'decimal(12,2)', 'decimal(1,0)', 'decimal(38, 38)', 'array<string>', 'map<string, array<int>>',
    'struct<id: bigint, tags: array<string>, nested: struct<a int>>',
  ])('accepts %s', (given) => expect(validateColumnType(given)).toBeNull());

  it.each([
    ['varchar', 'unknown type (expected one of bigint, int, string, timestamp, timestamp_ntz, date, boolean, double, float, binary, decimal(p,s), array<…>, map<…,…>, struct<…>) at offset 0, found "varchar" in type "varchar"'],
    ['decimal(0,0)', 'decimal precision must be 1 to 38, got 0 in type "decimal(0,0)"'],
    ['decimal(39,2)', 'decimal precision must be 1 to 38, got 39 in type "decimal(39,2)"'],
    ['decimal(5,6)', 'decimal scale must be 0 to the precision 5, got 6 in type "decimal(5,6)"'],
    ['decimal', 'expected "(" at the end of type "decimal"'],
    ['array<int', 'expected ">" at the end of type "array<int"'],
    ['map<string>', 'expected "," at offset 10, found ">" in type "map<string>"'],
    ['struct<a: int, a: string>', 'duplicate struct field at offset 15, found "a" in type "struct<a: int, a: string>"'],
    ['struct<`a b`: int>', 'expected a struct field name at offset 7, found "`" in type "struct<`a b`: int>"'],
    ['int; DROP TABLE x', 'unexpected text after the type at offset 3, found ";" in type "int; DROP TABLE x"'],
    ['', 'expected a type at the end of type ""'],
  ])('rejects %j', (given, want) => expect(validateColumnType(given)).toBe(want));

  it('normalizes to canonical lower-case text', () => {
    expect(normalizeColumnType('Decimal( 12 , 2 )')).toBe('decimal(12,2)');
    expect(normalizeColumnType('MAP<LONG, Struct<a: Integer>>')).toBe('map<bigint,struct<`a`:int>>');
    expect(() => normalizeColumnType('text')).toThrow(/unknown type/);
  });

  it('knows which types carry a watermark', () => {
    expect(['timestamp', 'TIMESTAMP_NTZ', 'date'].map(isWatermarkType)).toEqual([true, true, true]);
    expect(['bigint', 'string', 'array<timestamp>', 'nope'].map(isWatermarkType)).toEqual([false, false, false, false]);
  });
});

describe('parsePartitionField', () => {
  it.each([
    ['region', { transform: 'identity', column: 'region' }],
    ['identity(region)', { transform: 'identity', column: 'region' }],
    ['days(updated_at)', { transform: 'days', column: 'updated_at' }],
    ['day(updated_at)', { transform: 'days', column: 'updated_at' }],
    [' YEARS( ts ) ', { transform: 'years', column: 'ts' }],
    ['months(ts)', { transform: 'months', column: 'ts' }],
    ['hours(ts)', { transform: 'hours', column: 'ts' }],
    ['bucket(16, order_id)', { transform: 'bucket', width: 16, column: 'order_id' }],
    ['truncate(10,name)', { transform: 'truncate', width: 10, column: 'name' }],
  ])('%s', (given, want) => expect(parsePartitionField(given)).toEqual(want));

  it.each([
    ['bucket(order_id)', 'bucket needs a width: bucket(N, order_id)'],
    ['bucket(0, id)', 'bucket width must be 1 to 2147483647, got 0'],
    ['days(3, ts)', 'days takes only a column, got "days(3, ts)"'],
    ['weeks(ts)', 'unknown partition transform "weeks" (expected identity, years, months, days, hours, bucket, truncate)'],
    ['days(1ts)', '"1ts" is not a valid column name in "days(1ts)"'],
    ['days(ts); DROP', 'expected a column or a transform like days(col), bucket(16, col), truncate(10, col); got "days(ts); DROP"'],
  ])('rejects %j', (given, want) => expect(parsePartitionField(given)).toBe(want));

  it.each([
    [{ transform: 'identity', column: 'region' } as const, '`region`'],
    [{ transform: 'hours', column: 'ts' } as const, 'hours(`ts`)'],
    [{ transform: 'truncate', width: 4, column: 'name' } as const, 'truncate(4, `name`)'],
  ])('renders %j', (given, want) => expect(renderPartitionField(given)).toBe(want));
});

describe('parseSortField', () => {
  it.each([
    ['id', { column: 'id', direction: 'ASC', nulls: 'FIRST' }],
    ['id desc', { column: 'id', direction: 'DESC', nulls: 'LAST' }],
    ['id DESC NULLS FIRST', { column: 'id', direction: 'DESC', nulls: 'FIRST' }],
    ['id nulls last', { column: 'id', direction: 'ASC', nulls: 'LAST' }],
    ['id sideways', 'expected "<column> [ASC|DESC] [NULLS FIRST|NULLS LAST]", got "id sideways"'],
    ['9id', '"9id" is not a valid column name'],
  ])('%j', (given, want) => expect(parseSortField(given)).toEqual(want));
});
