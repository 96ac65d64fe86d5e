/**
 * A whole data lake at scale: a generated platform of 300 use cases (bench/generate.ts,
 * 5 dags each) whose first use case migrates 2,000 tables through one DataSync task,
 * and the others through the platform's few shared tasks, compiled for real and synthesized into real templates. It must stay inside every
 * quota that no retry can rescue: Step Functions payload and history (no
 * WORKFLOW_PAYLOAD_LIMIT / WORKFLOW_HISTORY_LIMIT), DataSync's 100 tasks per region,
 * CloudFormation's 500 resources and 1 MB per stack, 50 tags per resource, and IAM's 10,240 characters of
 * inline policy per role, 6,144 per managed policy and 10 managed policies per role.
 * The figures are printed. cdk-nag and CloudFormation's schema validation are off here
 * to fit the budget; `npm run test:cfn-lint` lints a generated platform's templates.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/datasync-limits.html
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSpecs, SHARED_TASKS } from '../../bench/generate.ts';
import { DATASYNC_TASKS_PER_REGION } from '../../src/build/datasync-quota.ts';
import type { Manifest } from '../../src/build/types.ts';
import { HISTORY_EVENTS_MAX, PAYLOAD_BYTES_MAX } from '../../src/asl/limits.ts';
import type { CompileResult } from '../../src/compile.ts';
import { compileToBuild } from './compiled.ts';
import { policySize, Resolver } from './iam-eval.ts';
import { resourcesOfType, stateMachineResource, type Synthesized, synthesize } from './synth.ts';
import { readManifestDir } from '../../src/build/manifest-files.ts';
import { IAM_ROLES_DEFAULT_QUOTA, manifestRoles } from '../../src/build/iam-quota.ts';

const USE_CASES = 300;
const TABLES = 2_000;
const ROLE_INLINE_MAX = 10_240;
const MANAGED_POLICY_MAX = 6_144;
const MANAGED_PER_ROLE_MAX = 10;
/** User tags per resource: S3 buckets, IAM, Lambda, Step Functions… (https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html). */
const TAGS_PER_RESOURCE_MAX = 50;
const fmt = (n: number) => n.toLocaleString('en-US');

let s: Synthesized;
let manifest: Manifest;
let result: CompileResult;
let buildDir: string;
/** Role (`<stack>/<logical id>`) → its inline policy characters, and whether it is a Spark job role. */
const roles = new Map<string, { inline: number; managed: number; spark: boolean }>();
const managedSizes: number[] = [];

beforeAll(() => {
  const t0 = Date.now();
  ({ buildDir, result } = compileToBuild(generateSpecs({ useCases: USE_CASES, bigMigration: TABLES }).sources));
  const compiled = Date.now();
  manifest = readManifestDir(buildDir);
  s = synthesize(buildDir, { nagChecks: false, lean: true });
  const resolver = new Resolver(s.json);
  for (const r of resourcesOfType(s, 'AWS::IAM::Role')) {
    const t = s.json.get(r.stack)!;
    const inline = (r.props.Policies ?? []).reduce((n: number, p: { PolicyDocument: unknown }) => n + policySize(resolver.resolve(p.PolicyDocument, t)), 0);
    roles.set(`${r.stack}/${r.id}`, { inline, managed: (r.props.ManagedPolicyArns ?? []).length, spark: JSON.stringify(r.props.AssumeRolePolicyDocument).includes('emr-serverless.amazonaws.com') });
  }
  for (const p of resourcesOfType(s, 'AWS::IAM::Policy')) {
    for (const role of p.props.Roles as Array<{ Ref: string }>) {
      const key = `${p.stack}/${role.Ref}`;
      const entry = roles.get(key)!;
      entry.inline += policySize(resolver.resolve(p.props.PolicyDocument, s.json.get(p.stack)!));
    }
  }
  for (const p of resourcesOfType(s, 'AWS::IAM::ManagedPolicy')) {
    managedSizes.push(policySize(resolver.resolve(p.props.PolicyDocument, s.json.get(p.stack)!)));
    for (const role of (p.props.Roles ?? []) as Array<{ Ref: string }>) roles.get(`${p.stack}/${role.Ref}`)!.managed++;
  }
  console.log(`scale: ${USE_CASES} use cases, ${fmt(manifest.useCases.reduce((n, u) => n + u.workflows.length, 0))} workflows, one migration of ${fmt(TABLES)} tables — compiled in ${((compiled - t0) / 1000).toFixed(1)} s, synthesized ${s.json.size} stacks in ${((Date.now() - compiled) / 1000).toFixed(1)} s`);
}, 1_200_000);

/** Resources of the DataSync statements of a role's inline policies and attached policies. */
function datasyncResources(stack: string, roleId: string): string[] {
  const resolver = new Resolver(s.json);
  const t = s.json.get(stack)!;
  const role = resourcesOfType(s, 'AWS::IAM::Role').find((r) => r.stack === stack && r.id === roleId)!;
  const docs = [
    ...(role.props.Policies ?? []).map((p: { PolicyDocument: unknown }) => p.PolicyDocument),
    ...resourcesOfType(s, 'AWS::IAM::Policy').filter((p) => p.stack === stack && (p.props.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId)).map((p) => p.props.PolicyDocument),
  ].map((d) => resolver.resolve(d, t) as { Statement: Array<{ Action: string | string[]; Resource: string | string[] }> });
  const out = new Set<string>();
  for (const d of docs) {
    for (const st of d.Statement) {
      if (![st.Action].flat().some((a) => a.startsWith('datasync:'))) continue;
      for (const r of [st.Resource].flat()) out.add(r);
    }
  }
  return [...out];
}

const bigMigration = () => manifest.useCases.flatMap((u) => u.workflows.map((w) => ({ u, w }))).find(({ w }) => w.kind === 'migration' && Object.keys(w.access).length === TABLES)!;

describe(`a ${USE_CASES}-use-case platform with a ${fmt(TABLES)}-table migration`, () => {
  it('compiles every generated use case without an error or a Step Functions quota warning', () => {
    expect(result.quarantined.map((q) => q.useCase)).toEqual([]);
    expect(manifest.useCases).toHaveLength(USE_CASES);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const quota = result.diagnostics.filter((d) => ['WORKFLOW_PAYLOAD_LIMIT', 'WORKFLOW_HISTORY_LIMIT'].includes(d.code));
    expect(quota).toEqual([]);
  });

  // A platform that does cross the quota is warned about: test/compile/datasync.test.ts.
  it('does not warn about the DataSync task quota', () => {
    expect(result.diagnostics.filter((d) => d.code === 'DATASYNC_TASK_QUOTA')).toEqual([]);
  });

  it('keeps the 2,000-table migration inside the payload and history quotas, in a Distributed Map over one DataSync task', () => {
    const { w } = bigMigration();
    const { worstCasePayloadBytes: bytes = 0, worstCaseHistoryEvents: events = 0 } = w.stats;
    const definition = readFileSync(join(buildDir, w.definition), 'utf8');
    const def = JSON.parse(definition);
    console.log(`scale: ${w.stateMachineName}: worst-case payload ${fmt(bytes)} of ${fmt(PAYLOAD_BYTES_MAX)} bytes (${Math.round((100 * bytes) / PAYLOAD_BYTES_MAX)}%), history ${fmt(events)} of ${fmt(HISTORY_EVENTS_MAX)} events, definition ${fmt(definition.length)} bytes, ${new Set(w.resources.datasync.map((d) => ('taskArn' in d ? d.taskArn : d.placeholder))).size} DataSync task`);
    expect(bytes).toBeLessThan(0.8 * PAYLOAD_BYTES_MAX);
    expect(events).toBeLessThan(0.8 * HISTORY_EVENTS_MAX);
    expect(def.States['Migrate tables'].ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(new Set(w.resources.datasync.map((d) => ('taskArn' in d ? d.taskArn : d.placeholder))).size).toBe(1);
    // The items in state are the compact ones: within the estimate, and far from the quota.
    expect(Buffer.byteLength(JSON.stringify(def.States['List tables'].Result))).toBeLessThan(bytes);
  });

  // 299 use cases migrate through the platform's few shared tasks (each from its own folder into
  // its own landing folder), the 2,000-table migration through a task of its own.
  it(`references at most ${DATASYNC_TASKS_PER_REGION} DataSync tasks in its region, each migration role one task`, () => {
    const tasks = new Set(manifest.useCases.flatMap((u) => u.workflows.flatMap((w) => w.resources.datasync.map((d) => ('taskArn' in d ? d.taskArn : `${u.name}/${d.placeholder}`)))));
    const migrating = manifest.useCases.filter((u) => u.workflows.some((w) => w.resources.datasync.length > 0)).length;
    console.log(`scale: ${tasks.size} DataSync tasks of ${DATASYNC_TASKS_PER_REGION} per region for ${migrating} migrating use cases and ${fmt(manifest.useCases.reduce((n, u) => n + u.workflows.reduce((m, w) => m + w.resources.datasync.length, 0), 0))} migrated tables`);
    expect(migrating).toBe(USE_CASES);
    expect(tasks.size).toBe(SHARED_TASKS + 1);
    expect(tasks.size).toBeLessThanOrEqual(DATASYNC_TASKS_PER_REGION);
    // Each migration's state machine role may start (and poll) its one task, named, and no other.
    for (const u of manifest.useCases) {
      const w = u.workflows.find((x) => x.kind === 'migration')!;
      const [task] = new Set(w.resources.datasync.map((d) => ('taskArn' in d ? d.taskArn : '')));
      const machine = stateMachineResource(s, w.stateMachineName);
      const resources = datasyncResources(machine.stack, machine.props.RoleArn['Fn::GetAtt'][0]);
      expect(resources, w.stateMachineName).toEqual([`${task}*`]);
    }
  });

  it('keeps every stack under 500 resources and 1 MB of template', () => {
    let most = { name: '', resources: 0 };
    let largest = { name: '', bytes: 0 };
    for (const [name, t] of s.json) {
      const resources = Object.keys(t.Resources).length;
      // The template file as cdk writes and uploads it (indented): what CloudFormation's 1 MB is about.
      const bytes = statSync(join(s.assembly.directory, s.assembly.getStackByName(name).templateFile)).size;
      if (resources > most.resources) most = { name, resources };
      if (bytes > largest.bytes) largest = { name, bytes };
      expect(resources, name).toBeLessThan(500);
      expect(bytes, name).toBeLessThan(1_000_000);
    }
    console.log(`scale: ${s.json.size} stacks; most resources ${most.resources} (${most.name}); largest template ${fmt(largest.bytes)} bytes (${largest.name})`);
  });

  it('changes no other stack when a use case goes: every template but its own is byte for byte the same', () => {
    // A use case no other depends on (its dags are nobody's upstream, its tables nobody else's to read or write), compiled away.
    // Upstreams are `<use case>/<dag>`: the use cases another use case waits for.
    const upstream = new Set(manifest.useCases.flatMap((u) => u.workflows.flatMap((w) => w.dependsOn.map((d) => d.split('/')[0]!).filter((uc) => uc !== u.name))));
    const shared = (uc: string) => Object.values(manifest.tables ?? {}).some((t) => t.owner === uc && [...t.readers, ...t.writers].some((x) => !x.startsWith(`${uc}/`)));
    const gone = [...manifest.useCases].reverse().find((u) => !upstream.has(u.name) && !shared(u.name) && !(u.shares ?? []).length)!;
    expect(gone).toBeDefined();
    const sources = generateSpecs({ useCases: USE_CASES, bigMigration: TABLES }).sources.filter((f) => !f.path.startsWith(`${gone.name}/`));
    const smaller = compileToBuild(sources);
    expect(smaller.result.quarantined).toEqual([]);
    const after = synthesize(smaller.buildDir, { nagChecks: false, lean: true });
    const text = (x: Synthesized, stack: string) => JSON.stringify(x.json.get(stack));
    const goneStacks = [...s.json.keys()].filter((n) => n === `acme-${gone.name}` || n.startsWith(`acme-${gone.name}-`));
    expect(goneStacks.length).toBeGreaterThan(0);
    expect([...after.json.keys()].sort()).toEqual([...s.json.keys()].filter((n) => !goneStacks.includes(n)).sort());
    const differ = [...after.json.keys()].filter((n) => text(after, n) !== text(s, n));
    expect(differ).toEqual([]);
    console.log(`scale: without ${gone.name}, ${after.json.size} templates, none changed`);
  }, 600_000);

  it(`tags no resource more than ${TAGS_PER_RESOURCE_MAX} times, and no platform resource per use case`, () => {
    let most = { name: '', tags: 0 };
    for (const [stack, t] of s.json) {
      for (const [id, r] of Object.entries(t.Resources)) {
        const tags = r.Properties?.Tags;
        // A list of {Key, Value} (most types) or a map (SSM parameters, EMR Serverless…).
        const n = Array.isArray(tags) ? tags.length : tags && typeof tags === 'object' ? Object.keys(tags).length : 0;
        if (n > most.tags) most = { name: `${stack}/${id}`, tags: n };
        expect(n, `${stack}/${id}`).toBeLessThanOrEqual(TAGS_PER_RESOURCE_MAX);
      }
    }
    // The platform stack does not grow with the use cases: nothing in it names one.
    const platform = JSON.stringify(s.json.get(`${manifest.platform.prefix}-platform`));
    for (const u of manifest.useCases) expect(platform).not.toContain(`/${u.name}/`);
    console.log(`scale: at most ${most.tags} tags on a resource (${most.name})`);
  });

  it('creates exactly the IAM roles the compiler counts, and the compiler warns of the default quota', () => {
    const roles = resourcesOfType(s, 'AWS::IAM::Role').length;
    expect(roles).toBe(manifestRoles(manifest));
    expect(roles).toBeGreaterThan(IAM_ROLES_DEFAULT_QUOTA);
    expect(result.diagnostics.filter((d) => d.code === 'IAM_ROLE_QUOTA').map((d) => /more than ([\d,]+)/.exec(d.message)?.[1])).toEqual(['1,000']);
    console.log(`scale: IAM ${result.iamSummary}`);
  });

  it('keeps every state machine role, every managed policy and the managed policies per role inside the IAM quotas', () => {
    const machines = [...roles].filter(([, r]) => !r.spark);
    const largest = machines.reduce((a, b) => (b[1].inline > a[1].inline ? b : a));
    console.log(`scale: ${machines.length} state machine and service roles, largest inline total ${fmt(largest[1].inline)} of ${fmt(ROLE_INLINE_MAX)} characters (${largest[0]}); ${managedSizes.length} managed policies, largest ${fmt(Math.max(0, ...managedSizes))} of ${fmt(MANAGED_POLICY_MAX)}`);
    for (const [name, r] of machines) {
      expect(r.inline, name).toBeLessThanOrEqual(ROLE_INLINE_MAX);
      expect(r.managed, name).toBeLessThanOrEqual(MANAGED_PER_ROLE_MAX);
    }
    for (const size of managedSizes) expect(size).toBeLessThanOrEqual(MANAGED_POLICY_MAX);
    // The 2,000-table migration's role names its one DataSync task once, not every table's task twice.
    const machine = stateMachineResource(s, bigMigration().w.stateMachineName);
    const role = roles.get(`${machine.stack}/${machine.props.RoleArn['Fn::GetAtt'][0]}`)!;
    console.log(`scale: the ${fmt(TABLES)}-table migration's role: ${fmt(role.inline)} characters`);
    expect(role.inline).toBeLessThan(ROLE_INLINE_MAX / 3);
  });

  // A migration's Spark jobs read its landing as one prefix and its tables under their databases'
  // prefixes, so the role of the use case that migrates 2,000 tables stays small (3,054
  // characters measured; 189,743 when it listed every table's landing path).
  it('keeps every Spark job role inside the inline policy quota', () => {
    const spark = [...roles].filter(([, r]) => r.spark);
    const largest = spark.reduce((a, b) => (b[1].inline > a[1].inline ? b : a));
    console.log(`scale: ${spark.length} Spark job roles, largest inline total ${fmt(largest[1].inline)} of ${fmt(ROLE_INLINE_MAX)} characters (${largest[0]})`);
    expect(spark).toHaveLength(USE_CASES);
    for (const [name, r] of spark) expect(r.inline, name).toBeLessThanOrEqual(ROLE_INLINE_MAX);
  });

  it("synthesizes every workflow's machine exactly once, and no join machine", () => {
    const expected = [...manifest.useCases.flatMap((u) => u.workflows.map((w) => w.stateMachineName)), 'acme-lakestep-backfill', 'acme-lakestep-dispatcher'];
    const names = resourcesOfType(s, 'AWS::StepFunctions::StateMachine').map((m) => m.props.StateMachineName as string);
    expect(names.sort()).toEqual(expected.sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it("deploys one EventBridge rule, the platform's, and every route in its downstream's stack", () => {
    expect(resourcesOfType(s, 'AWS::Events::Rule').map((r) => [r.stack, r.props.Name])).toEqual([['acme-platform', manifest.machines!.dispatcher!.rule.Name]]);
    const routes = resourcesOfType(s, 'AWS::SSM::Parameter');
    const expected = manifest.useCases.flatMap((u) => u.workflows.flatMap((w) => (w.routes ?? []).map((r) => [u.name, r.Name] as const)));
    expect(routes).toHaveLength(expected.length);
    for (const [uc, name] of expected) expect(routes.find((r) => r.props.Name === name)?.stack, name).toMatch(new RegExp(`^acme-${uc}(-\\d+)?$`));
  });
});

describe('a 1,000-use-case (5,000-workflow) platform', () => {
  it('compiles with at most 50 EventBridge rules, warned of no quota but the IAM roles per account', () => {
    const { result } = compileToBuild(generateSpecs({ useCases: 1000 }).sources);
    expect(result.quarantined).toEqual([]);
    expect(result.manifest.useCases.flatMap((u) => u.workflows)).toHaveLength(5000);
    expect(result.manifest.useCases.flatMap((u) => u.workflows).filter((w) => w.dependsOn.length).length).toBeGreaterThan(1000);
    expect(result.diagnostics.filter((d) => d.code.startsWith('EVENTS_'))).toEqual([]);
    // A role per state machine: past what one account can hold (src/build/iam-quota.ts), said twice.
    expect(result.diagnostics.filter((d) => d.code === 'IAM_ROLE_QUOTA').map((d) => /more than ([\d,]+)/.exec(d.message)?.[1])).toEqual(['1,000', '5,000']);
    // The rules infra deploys are the manifest's (the 200-use-case synth above checks that one to one).
    const rules = Number(/^(\d+) of \d+ rules/.exec(result.rulesSummary)?.[1]);
    expect(rules).toBe(1);
    expect(rules).toBeLessThanOrEqual(50);
    expect(result.manifest.machines?.dispatcher?.rule).toBeDefined();
    expect([...result.files.keys()].filter((p) => p.endsWith('.join.asl.json'))).toEqual([]);
  }, 600_000);
});
