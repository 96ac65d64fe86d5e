/**
 * Which S3 locations a use case may name (src/ir/locations.ts): its own prefix
 * in each platform bucket, the artifacts bucket's shared/ for reading, declared
 * external prefixes; never the runtime's lakestep/, table data or another use
 * case's prefix.
 */
import { describe, expect, it } from 'vitest';
import { locationProblem, s3UrisIn, type LocationUse } from '../../src/ir/locations.ts';
import { normalizePlatform } from '../../src/ir/platform.ts';
import { compileTree } from '../compile/support.ts';

const platform = normalizePlatform({
  prefix: 'acme',
  external_locations: [
    { prefix: 's3://partner-drop/orders/', use_cases: ['orders'] },
    { prefix: 's3://shared-exports/', use_cases: ['orders', 'crm'], access: 'write' },
  ],
});
const scope = { platform, useCase: 'orders', databases: new Set(['raw_orders', 'raw_crm', 'crm']) };

describe('locationProblem', () => {
  it.each<[string, LocationUse, boolean]>([
    ['s3://acme-artifacts/orders/jobs/report.py', 'read', true],
    ['s3://acme-analytics/orders/reports/', 'write', true],
    ['s3://acme-landing/orders/', 'write', true],
    ['s3://acme-artifacts/shared/lib.zip', 'read', true],
    ['s3://acme-artifacts/shared/', 'write', false],
    ['s3://acme-artifacts/shared/', 'any', true],
    ['s3://acme-artifacts/lakestep/runtime/', 'any', false],
    ['s3://acme-artifacts/lakestep/orders/jobs/', 'read', false],
    ['s3://acme-raw/raw_orders/orders/', 'read', false],
    ['s3://acme-raw/raw_crm.db/', 'any', false],
    ['s3://acme-analytics/crm/', 'any', false],
    ['s3://acme-landing/crm/', 'read', false],
    ['s3://acme-landing/orders', 'any', false],
    ['s3://acme-analytics/orders/../crm/', 'any', false],
    ['s3://acme-analytics/orders//x', 'any', false],
    ['S3A://acme-analytics/orders/x/', 'write', true],
    ['s3n://acme-artifacts/lakestep/', 'any', false],
    ['s3://partner-drop/orders/2026/', 'read', true],
    ['s3://partner-drop/orders/2026/', 'write', false],
    ['s3://partner-drop/crm/', 'read', false],
    ['s3://shared-exports/any/thing', 'write', true],
    ['s3://elsewhere/orders/', 'read', false],
    ['s3:///orders/', 'any', false],
  ])('%s for %s: allowed %s', (uri, use, allowed) => expect(locationProblem(uri, use, scope) === undefined).toBe(allowed));

  it('checks nothing when platform.yaml had errors (its buckets are unknown; everything is quarantined)', () => {
    expect(locationProblem('s3://elsewhere/x', 'write', { ...scope, platform: { ...platform, grants: { ...platform.grants, checked: false } } })).toBeUndefined();
  });
});

describe('s3UrisIn', () => {
  it('finds s3, s3a and s3n URIs with offsets, resolving {{ dag }} and {{ use_case }} and stopping at other templates', () => {
    expect(s3UrisIn('--out=s3://b/{{ use_case }}/{{dag}}/dt={{ ds }}/x,S3A://c/k "s3n://d/e"', { dag: 'report', useCase: 'orders' })).toEqual([
      { uri: 's3://b/orders/report/dt=', offset: 6 },
      { uri: 'S3A://c/k', offset: 50 },
      { uri: 's3n://d/e', offset: 61 },
    ]);
  });
});

describe('platform.yaml', () => {
  it('refuses an external location in a platform bucket and default Spark files outside shared/, and warns of an unknown use case', () => {
    const r = compileTree({
      'platform.yaml': [
        'prefix: acme',
        'external_locations:',
        '  - {prefix: "s3://acme-raw/", use_cases: [a, b]}',
        'defaults:',
        '  spark_submit_parameters: --py-files s3://acme-artifacts/shared/lib.zip,s3://acme-artifacts/a/own.zip',
        '',
      ].join('\n'),
      'a/orchestration.yaml': 'owner: a@example.com\ndags:\n  - {name: j, type: transformation, spark: {entrypoint: s3://acme-artifacts/a/j.py}}\n',
    });
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(['platform.yaml:3:14 PLATFORM_EXTERNAL_LOCATION', 'platform.yaml:3:47 PLATFORM_UNKNOWN_USE_CASE', 'platform.yaml:5:74 SPARK_LOCATION']);
  });
});
