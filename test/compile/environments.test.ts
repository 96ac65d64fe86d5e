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
import { stateMachineName } from '../../src/naming.ts';
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

describe('environments whose prefixes nest (src/ir/environment-names.ts)', () => {
  // Job code in a bucket every environment shares, so only the names differ between them.
  const shared = 'external_locations:\n  - {prefix: "s3://shared-code/", use_cases: [dev, x], access: read}\n';
  // Use case 'dev' of 'acme' names its dag 'x-y' acme-dev-x-y: the name of dag 'y' of use case 'x' in 'acme-dev'.
  const files = (platform: string, overlay: string) => ({
    'platform.yaml': platform,
    'platform.dev.yaml': overlay,
    'dev/orchestration.yaml': sparkUseCase('dev@example.com', [{ name: 'x-y' }], 'shared-code'),
    'x/orchestration.yaml': sparkUseCase('x@example.com', [{ name: 'y' }], 'shared-code'),
  });
  const machines = (r: ReturnType<typeof compile>) => r.manifest.useCases.flatMap((u) => u.workflows.map((w) => w.stateMachineName));

  it('quarantines the use case named after the rest of the longer prefix, in every environment; the others compile', () => {
    expect(stateMachineName('acme', 'dev', 'x-y')).toBe(stateMachineName('acme-dev', 'x', 'y'));
    const both = [undefined, 'dev'].map((env) => compile(tree(files(`prefix: acme\n${shared}`, 'prefix: acme-dev\n')), { ...VERSION, ...(env ? { env } : {}) }));
    for (const r of both) {
      expect(errors(r)).toEqual(['USE_CASE_RESERVED dev/orchestration.yaml:1:1']);
      expect(r.quarantined.map((q) => q.useCase)).toEqual(['dev']);
      expect(r.diagnostics[0]!.message).toBe(
        "use case 'dev' names its dags' state machines 'acme-dev-<dag>' under platform.yaml ('acme'), which are names of environment 'dev' (platform.dev.yaml: 'acme-dev'), in an account they may share: its dag 'x-y' would take the name of dag 'y' of a use case 'x' there. Rename the use-case folder, or give platform.dev.yaml a prefix that does not begin with 'acme-'",
      );
    }
    expect(machines(both[0]!)).toEqual(['acme-x-y']);
    expect(machines(both[1]!)).toEqual(['acme-dev-x-y']);
  });

  it('reserves the first part of the rest only, and between two overlays as between an overlay and platform.yaml', () => {
    const r = compile(tree({ ...files(`prefix: acme\n${shared}`, 'prefix: acme-x-eu\n'), 'platform.stage.yaml': 'prefix: acme-dev\n' }), VERSION);
    // acme-x-eu nests under acme (use case x) and under nothing else; acme-dev nests under acme (use case dev).
    expect(errors(r)).toEqual(['USE_CASE_RESERVED dev/orchestration.yaml:1:1', 'USE_CASE_RESERVED x/orchestration.yaml:1:1']);
    const overlays = compile(tree({ ...files(`prefix: acme-d\n${shared}`, 'prefix: acme-dev\n'), 'platform.eu.yaml': 'prefix: acme-dev-x\n' }), VERSION);
    expect(errors(overlays)).toEqual(['USE_CASE_RESERVED x/orchestration.yaml:1:1']);
    expect(overlays.diagnostics[0]!.message).toContain("under environment 'dev' (platform.dev.yaml: 'acme-dev'), which are names of environment 'eu' (platform.eu.yaml: 'acme-dev-x')");
  });

  it('lets environments of two known, different accounts nest: their names never meet', () => {
    const r = compile(tree(files(`prefix: acme\naccount: "111111111111"\n${shared}`, 'prefix: acme-dev\naccount: "222222222222"\n')), VERSION);
    expect(errors(r)).toEqual([]);
    expect(machines(r).sort()).toEqual(['acme-dev-x-y', 'acme-x-y']);
    const oneKnown = compile(tree(files(`prefix: acme\n${shared}`, 'prefix: acme-dev\naccount: "222222222222"\n')), VERSION);
    expect(errors(oneKnown)).toEqual(['USE_CASE_RESERVED dev/orchestration.yaml:1:1']);
  });

  it('reads another overlay only for a valid prefix and account: a broken or hostile one reserves nothing and breaks nothing', () => {
    for (const overlay of ['prefix: [acme-dev]\n', 'prefix: ACME-DEV\n', 'prefix: acme-dev-with-a-long-tail\n', 'prefix: acme-dev\n  oops: [\n', '- prefix: acme-dev\n', '&a [*a]\n', 'prefix: !!js/function "f() {}"\n']) {
      const r = compile(tree(files(`prefix: acme\n${shared}`, overlay)), VERSION);
      expect(errors(r), overlay).toEqual([]);
      expect(machines(r).sort(), overlay).toEqual(['acme-dev-x-y', 'acme-x-y']);
    }
  });

  it('warns when an environment keeps the prefix of another overlay, or of platform.yaml in another region (roles are account-wide)', () => {
    const test = (platform: string, overlays: Record<string, string>, artifacts: string) =>
      compile(tree({ 'platform.yaml': platform, ...overlays, 'a/orchestration.yaml': sparkUseCase('a@example.com', [{ name: 'job' }], artifacts) }), { ...VERSION, env: 'test' });
    const twin = test('prefix: acme\n', { 'platform.test.yaml': 'prefix: acme-t\n', 'platform.stage.yaml': 'prefix: acme-t\n' }, 'acme-t-artifacts');
    expect(twin.diagnostics.map((d) => `${d.code} ${d.file}`)).toEqual(['ENV_SAME_NAMES platform.test.yaml']);
    expect(twin.diagnostics[0]!.message).toContain("environment 'test' keeps the prefix 'acme-t' of environment 'stage' (platform.stage.yaml), in the same account: its stacks, state machines, tables and roles have the same names");
    const region = test('prefix: acme\n', { 'platform.test.yaml': 'region: eu-west-1\n' }, 'acme-artifacts');
    expect(region.diagnostics.map((d) => `${d.code} ${d.file}`)).toEqual(['ENV_SAME_NAMES platform.test.yaml']);
    expect(region.diagnostics[0]!.message).toContain('its roles have the same names (IAM names are account-wide, whatever the region): whichever deploys second fails');
    // Another account, or the base deployment pinned to an account (the example's platform.prod.yaml): no warning.
    for (const [platform, overlay] of [['prefix: acme\naccount: "111111111111"\n', 'account: "222222222222"\n'], ['prefix: acme\n', 'account: "222222222222"\n']] as const) {
      expect(test(platform, { 'platform.test.yaml': overlay }, 'acme-artifacts').diagnostics.filter((d) => d.code === 'ENV_SAME_NAMES')).toEqual([]);
    }
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
