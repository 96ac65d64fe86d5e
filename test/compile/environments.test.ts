/**
 * One specs tree, several environments: `--env <env>` compiles platform.yaml with
 * `platform.<env>.yaml` on top. Names are resolved at compile time, so job
 * documents, table locations and the manifest hold absolute names; the use cases
 * are not edited.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { mergePlatform, overlayEnvironment } from '../../src/spec/environment.ts';
import { folder, runCli } from '../cli/support.ts';
import { SPECS_DIR } from '../infra/compiled.ts';
import { compileTree, sparkUseCase, tree, VERSION } from './support.ts';

const example = readSpecs('specs');
const base = compile(example, VERSION);
const dev = compile(example, { ...VERSION, env: 'dev' });
const prod = compile(example, { ...VERSION, env: 'prod' });
const errors = (r: ReturnType<typeof compile>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`);

describe('the example environments (specs/platform.dev.yaml, specs/platform.prod.yaml)', () => {
  it('compile every use case, without errors, and leave overlays alone when no --env is given', () => {
    for (const r of [base, dev, prod]) {
      expect(errors(r)).toEqual([]);
      expect(r.quarantined).toEqual([]);
      expect(r.manifest.useCases).toHaveLength(4);
    }
    expect(base.manifest.platform).not.toHaveProperty('environment');
    expect(base.diagnostics.filter((d) => d.file.startsWith('platform.'))).toEqual([]);
  });

  it('resolve every name token into absolute names, in the manifest, the job documents and the definitions', () => {
    const p = dev.manifest.platform;
    expect(p).toMatchObject({ environment: 'dev', prefix: 'acme-dev', account: '123456789012', region: 'eu-west-1' });
    expect(p.buckets.raw).toBe('acme-dev-123456789012-eu-west-1-raw');
    expect(p.dynamodb.watermarks).toBe('acme-dev-lakestep-watermarks');
    expect(p.notifications).toEqual({ topicName: 'acme-dev-lakestep-notifications', emails: ['data-platform-dev@acme.example'] });
    for (const [path, text] of dev.files) expect(text, path).not.toMatch(/\{(account|region|env|prefix)\}/);
    const ddl = dev.files.get('orders/jobs/orders-migration/ddl.json')!;
    expect(ddl).toContain('s3://acme-dev-123456789012-eu-west-1-raw/raw_orders/orders');
    expect(ddl).not.toContain('acme-lake-raw');
  });

  it('rename the state machines with the prefix, disable the schedules, keep dependency and notification rules', () => {
    const names = dev.manifest.useCases.flatMap((u) => u.workflows.map((w) => w.stateMachineName));
    expect(names.every((n) => n.startsWith('acme-dev-'))).toBe(true);
    // Schedules are EventBridge Scheduler schedules: the overlay's schedules_enabled: false deploys them DISABLED.
    const schedules = dev.manifest.useCases.flatMap((u) => u.workflows.flatMap((w) => w.schedules ?? []));
    expect(schedules.length).toBeGreaterThan(10);
    expect(new Set(schedules.map((s) => s.State))).toEqual(new Set(['DISABLED']));
    expect(base.manifest.useCases.flatMap((u) => u.workflows.flatMap((w) => w.schedules ?? [])).some((s) => s.State === 'ENABLED')).toBe(true);
    // Dependencies and notifications go through the platform's one rule and its dispatcher: enabled, as in the base build.
    expect(dev.manifest.machines?.dispatcher?.rule.State).toBe('ENABLED');
    expect(dev.manifest.machines?.dispatcher?.rule.ScheduleExpression).toBeUndefined();
    expect(dev.manifest.useCases.flatMap((u) => u.workflows.flatMap((w) => w.routes ?? [])).length).toBeGreaterThan(0);
  });

  it('merge mappings key by key and replace lists: network and emails replaced, the base tags kept', () => {
    const p = dev.manifest.platform;
    expect(p.emr).toMatchObject({ maxVcpu: 16, maxMemoryGb: 64, releaseLabel: base.manifest.platform.emr.releaseLabel, network: { subnetIds: ['subnet-0e5f60718293a4b5c', 'subnet-0f60718293a4b5c6d'], securityGroupIds: ['sg-0a4b5c6d7e8f90a1b'] } });
    expect(p.tags).toEqual({ 'cost-center': 'data-platform', environment: 'development' });
    expect(prod.manifest.platform).toMatchObject({ prefix: 'acme', account: '123456789012', buckets: base.manifest.platform.buckets, tags: { 'cost-center': 'data-platform', environment: 'production' } });
  });

  it('keep the use cases identical: same spec hashes, same workflows', () => {
    const shape = (r: typeof base) => r.manifest.useCases.map((u) => [u.name, u.specHash, u.workflows.map((w) => w.name)]);
    expect(shape(dev)).toEqual(shape(base));
    expect(shape(prod)).toEqual(shape(base));
  });

  it("warn where a use case names a bucket the environment renamed (the other environment's data)", () => {
    const warned = dev.diagnostics.filter((d) => d.code === 'ENV_BASE_BUCKET');
    // At orders-daily-report, the dag whose arguments name the bucket.
    const line = readFileSync(join(SPECS_DIR, 'orders/orchestration.yaml'), 'utf8').split('\n').findIndex((l) => l.includes('- name: orders-daily-report')) + 1;
    expect(line).toBeGreaterThan(0);
    expect(warned.map((d) => `${d.file}:${d.line}`)).toContain(`orders/orchestration.yaml:${line}`);
    expect(warned.find((d) => d.file === 'orders/orchestration.yaml' && d.line === line)!.message).toContain("names s3://acme-lake-analytics/, a bucket of platform.yaml that environment 'dev' renames to acme-dev-123456789012-eu-west-1-analytics");
    expect(prod.diagnostics.filter((d) => d.code.startsWith('ENV_'))).toEqual([]);
  });
});

describe('overlays', () => {
  // The job's code is in the artifacts bucket of the environment's prefix (acme-t), as locations must be.
  const useCase = (artifacts = 'acme-t-artifacts') => ({ 'a/orchestration.yaml': sparkUseCase('a@example.com', [{ name: 'job', schedule: 'rate(1 day)' }], artifacts) });
  const uc = useCase();
  const build = (platform: string, overlay: string, env = 'test', artifacts?: string) => compile(tree({ 'platform.yaml': platform, [`platform.${env}.yaml`]: overlay, ...useCase(artifacts) }), { ...VERSION, env });

  it('reports errors of the overlay in the overlay, and quarantines every use case', () => {
    const r = build('prefix: acme\n', 'prefix: acme-t\nbuckets:\n  raw: Not_A_Bucket\n');
    expect(errors(r)).toEqual(['SCHEMA_PATTERN platform.test.yaml:3:8']);
    expect(r.quarantined.map((q) => q.useCase)).toEqual(['a']);
    expect(r.quarantined[0]!.diagnostics.map((d) => d.file)).toEqual(['platform.test.yaml']);
  });

  it('needs a value for every token: {account} without an account is an error at the name, in the file that holds it', () => {
    const r = build('prefix: acme\nbuckets:\n  raw: acme-{account}-raw\n', 'prefix: acme-t\n');
    expect(errors(r)).toEqual(['PLATFORM_NAME_TOKEN platform.yaml:3:8']);
    expect(r.diagnostics[0]!.message).toBe("'acme-{account}-raw' uses {account}, which has no value here: set `account` (quoted) in platform.yaml or the environment overlay");
    const noEnv = compileTree({ 'platform.yaml': 'buckets:\n  raw: acme-{env}-raw\n', ...uc });
    expect(errors(noEnv)).toEqual(['PLATFORM_NAME_TOKEN platform.yaml:2:8']);
  });

  it('checks the resolved name: a bucket name that grows past 63 characters is an error', () => {
    const r = build('prefix: acme\naccount: "123456789012"\n', 'prefix: acme-t\nbuckets:\n  raw: acme-{env}-{account}-{region}-{prefix}-raw-data-of-the-platform\n');
    expect(errors(r)).toEqual(['PLATFORM_NAME_INVALID platform.test.yaml:3:8']);
    expect(r.diagnostics[0]!.message).toContain("becomes 'acme-test-123456789012-us-east-1-acme-t-raw-data-of-the-platform', which is not an S3 bucket name");
  });

  it('says an unknown environment has no overlay (and which environments exist)', () => {
    const r = build('prefix: acme\n', 'prefix: acme-t\n', 'test');
    expect(errors(r)).toEqual([]);
    const unknown = compile(tree({ 'platform.yaml': 'prefix: acme\n', 'platform.test.yaml': 'prefix: acme-t\n', ...uc }), { ...VERSION, env: 'prod' });
    expect(errors(unknown)).toEqual(['ENV_UNKNOWN platform.yaml:1:1']);
    expect(unknown.diagnostics[0]!.message).toBe("environment 'prod' has no platform.prod.yaml next to platform.yaml (environments here: test)");
  });

  it('warns when an environment keeps the names of the base settings (it would replace them)', () => {
    const r = build('prefix: acme\n', 'tags: {environment: test}\n', 'test', 'acme-artifacts');
    expect(r.diagnostics.map((d) => `${d.code} ${d.file}`)).toEqual(['ENV_SAME_NAMES platform.test.yaml']);
  });

  it("warns at a dag that names an ARN of another account than the environment's", () => {
    const r = compile(
      tree({
        'platform.yaml': 'prefix: acme\nregion: eu-west-1\n',
        'platform.test.yaml': 'prefix: acme-t\naccount: "210987654321"\n',
        'm/orchestration.yaml': 'owner: m@example.com\ndags:\n  - {name: mig, type: migration}\n',
        'm/migration.yaml': 'database: raw_m\ntables:\n  - name: t\n    source: {hdfs_path: /w/t, format: parquet}\n    datasync: {task_arn: arn:aws:datasync:eu-west-1:123456789012:task/task-0a1b2c3d4e5f60718}\n    columns: [{name: id, type: bigint}]\n',
      }),
      { ...VERSION, env: 'test' },
    );
    expect(r.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}`)).toEqual(['ENV_FOREIGN_ACCOUNT m/orchestration.yaml:3']);
    expect(r.diagnostics[0]!.message).toContain("of another account than environment 'test''s 210987654321 (arn:aws:datasync:eu-west-1:123456789012:task/task-0a1b2c3d4e5f60718)");
  });

  it('merges without touching its inputs and without prototype keys taking effect', () => {
    const b = { emr: { max_vcpu: 8, network: { subnet_ids: ['subnet-1'], security_group_ids: ['sg-1'] } }, tags: { a: '1' } };
    const o = JSON.parse('{"emr": {"network": {"subnet_ids": ["subnet-2"], "security_group_ids": ["sg-2"]}}, "tags": {"__proto__": "x", "b": "2"}}');
    const m = mergePlatform(b, o) as Record<string, any>;
    expect(m.emr).toEqual({ max_vcpu: 8, network: { subnet_ids: ['subnet-2'], security_group_ids: ['sg-2'] } });
    expect(Object.keys(m.tags)).toEqual(['a', '__proto__', 'b']);
    expect(b).toEqual({ emr: { max_vcpu: 8, network: { subnet_ids: ['subnet-1'], security_group_ids: ['sg-1'] } }, tags: { a: '1' } });
    expect(['platform.dev.yaml', 'platform.prod.yml', 'platform.yaml', 'platform.x.y.yaml', 'platform.Dev.yaml'].map(overlayEnvironment)).toEqual(['dev', 'prod', undefined, undefined, undefined]);
  });
});

describe('lakestep --env', () => {
  it('compile --env dev writes the environment build and names it', async () => {
    const r = await runCli(['compile', 'specs', '--env', 'dev', '--out', 'build-dev'], folder({ 'specs/platform.yaml': 'prefix: acme\n', 'specs/platform.dev.yaml': 'prefix: acme-dev\naccount: "123456789012"\n', 'specs/a/orchestration.yaml': sparkUseCase('a@example.com', [{ name: 'job' }], 'acme-dev-artifacts') }));
    expect(r.code).toBe(0);
    expect(r.out).toContain('Environment dev: prefix acme-dev, region us-east-1, account 123456789012\n1 use case(s) compiled');
  });

  it('refuses an environment without overlay, or a bad name, as a usage error (exit 2) listing the environments', async () => {
    const dir = folder({ 'specs/platform.yaml': 'prefix: acme\n', 'specs/platform.dev.yaml': 'prefix: acme-dev\n', 'specs/a/orchestration.yaml': sparkUseCase('a@example.com', [{ name: 'job' }]) });
    const missing = await runCli(['compile', 'specs', '--env', 'prod'], dir);
    expect(missing).toMatchObject({ code: 2, err: 'lakestep compile: --env prod: specs/platform.prod.yaml does not exist (environments in specs: dev)' });
    const bad = await runCli(['validate', 'specs', '--env', '../x'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('is not an environment name');
  });
});
