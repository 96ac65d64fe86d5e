/**
 * `emr.network` in platform.yaml: validated ids, required as soon as a use case
 * has a JDBC or Kafka source (reported at that source, quarantining only that
 * use case), and carried into the manifest for the EMR Serverless application.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import type { SourceFile } from '../../src/spec/files.ts';

const FEEDS: SourceFile[] = [
  { path: 'feeds/orchestration.yaml', text: 'owner: feeds@example.com\ndags:\n  - name: feeds-ingestion\n    type: ingestion\n' },
  {
    path: 'feeds/ingestion.yaml',
    text: [
      'batch:',
      '  - name: customers',
      '    source: {engine: postgresql, secret_arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:crm-AbCdEf", table: public.customers}',
      '    target: raw_feeds.customers',
      '    mode: overwrite',
      '    columns: [{name: id, type: bigint}]',
      '',
    ].join('\n'),
  },
];
const REPORTS: SourceFile[] = [
  {
    path: 'reports/orchestration.yaml',
    text: 'owner: r@example.com\ndags:\n  - name: reports-daily\n    type: transformation\n    spark: {entrypoint: "s3://demo-artifacts/reports/jobs/daily.py"}\n',
  },
];
const NETWORK = 'emr:\n  network: {subnet_ids: [subnet-0123456789abcdef0, subnet-01234567], security_group_ids: [sg-0123456789abcdef0]}\n';

const run = (platform: string | undefined, ...useCases: SourceFile[][]) =>
  compile([...(platform === undefined ? [] : [{ path: 'platform.yaml', text: platform }]), ...useCases.flat()], { lakestepVersion: '0.0.0-test' });

describe('emr.network', () => {
  it('is required by a JDBC source, reported at the source, and quarantines only that use case', () => {
    const r = run('prefix: demo\n', FEEDS, REPORTS);
    const d = r.diagnostics.filter((x) => x.severity === 'error');
    expect(d.map((x) => [x.code, x.file, x.line, x.column, x.pointer])).toEqual([
      ['PLATFORM_NETWORK_REQUIRED', 'feeds/ingestion.yaml', 3, 13, '/batch/0/source'],
    ]);
    expect(r.quarantined.map((q) => q.useCase)).toEqual(['feeds']);
    expect(r.manifest.useCases.map((u) => u.name)).toEqual(['reports']);
  });

  it('is not required without VPC sources, and a disabled source does not count', () => {
    expect(run('prefix: demo\n', REPORTS).diagnostics).toEqual([]);
    const disabled = FEEDS.map((f) => (f.path.endsWith('ingestion.yaml') ? { ...f, text: f.text + '    enabled: false\n  - name: other\n    source: {engine: postgresql, secret_arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:crm-AbCdEf", table: public.other}\n    target: raw_feeds.other\n    mode: overwrite\n    columns: [{name: id, type: bigint}]\n' } : f));
    const codes = run('prefix: demo\n', disabled).diagnostics.map((x) => [x.code, x.pointer]);
    expect(codes).toEqual([['PLATFORM_NETWORK_REQUIRED', '/batch/1/source']]);
  });

  it('compiles with a network and carries it into the manifest', () => {
    const r = run(`prefix: demo\n${NETWORK}`, FEEDS);
    expect(r.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(r.manifest.platform.emr.network).toEqual({
      subnetIds: ['subnet-0123456789abcdef0', 'subnet-01234567'],
      securityGroupIds: ['sg-0123456789abcdef0'],
    });
  });

  it.each([
    ['a subnet id without the subnet- prefix', 'emr:\n  network: {subnet_ids: [0123456789abcdef0], security_group_ids: [sg-0123456789abcdef0]}\n', 'SCHEMA_PATTERN', '/emr/network/subnet_ids/0'],
    ['a security group name instead of its id', 'emr:\n  network: {subnet_ids: [subnet-0123456789abcdef0], security_group_ids: [default]}\n', 'SCHEMA_PATTERN', '/emr/network/security_group_ids/0'],
    ['subnets without security groups', 'emr:\n  network: {subnet_ids: [subnet-0123456789abcdef0]}\n', 'SCHEMA_REQUIRED', '/emr/network'],
    ['an empty subnet list', 'emr:\n  network: {subnet_ids: [], security_group_ids: [sg-0123456789abcdef0]}\n', undefined, '/emr/network/subnet_ids'],
  ])('rejects %s', (_name, yaml, code, pointer) => {
    const d = run(yaml, REPORTS).diagnostics.filter((x) => x.file === 'platform.yaml');
    expect(d.length).toBeGreaterThan(0);
    expect(d[0]!.pointer).toBe(pointer);
    if (code) expect(d[0]!.code).toBe(code);
  });
});

describe('lifecycle', () => {
  it('defaults noncurrent versions to 7 days and takes platform.yaml', () => {
    expect(run(undefined, REPORTS).manifest.platform.lifecycle).toEqual({ noncurrentVersionDays: 7 });
    expect(run('lifecycle: {noncurrent_version_days: 30}\n', REPORTS).manifest.platform.lifecycle).toEqual({ noncurrentVersionDays: 30 });
    expect(run('lifecycle: {noncurrent_version_days: 0}\n', REPORTS).diagnostics[0]!.pointer).toBe('/lifecycle/noncurrent_version_days');
  });
});
