/**
 * `state_machine_roles: per_use_case`: the state machines of a use-case stack share one role.
 * The oracle is the default (`per_workflow`) synth of the same specs: the shared role must
 * allow exactly the union of what the machines' own roles allow there — no permission lost
 * (a machine would fail at run time), none added (least privilege per use case, never
 * beyond it) — with every (action, resource, condition) resolved as IAM stores it. A use
 * case whose machines' statements pass IAM's 10,240 characters of inline policy per role
 * gets its overflow in managed policies, each under IAM's quota, and each machine waits for
 * the policies that hold its statements. cdk-nag runs on the shared synths.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifestRoles, manifestUseCaseRoles, platformRoles } from '../../src/build/iam-quota.ts';
import { ROLES_OUTPUT } from '../../infra/inputs-hash.ts';
import { readManifestDir } from '../../src/build/manifest-files.ts';
import type { Manifest } from '../../src/build/types.ts';
import type { SourceFile } from '../../src/spec/files.ts';
import { type LoadedBuild, loadBuild } from '../../infra/manifest.ts';
import { useCaseShards } from '../../infra/usecase/shards.ts';
import { lakeFormationGrants, sharesWith } from '../../infra/lakeformation/grants.ts';
import type { CompileResult } from '../../src/compile.ts';
import { rolesAdded } from '../../src/ops/role-quota.ts';
import { sparkUseCase } from '../compile/support.ts';
import { compileToBuild, exampleSources } from './compiled.ts';
import { policySize, Resolver, type ResolvedStatement } from './iam-eval.ts';
import { policiesOfRole, resourcesOfType, type Synthesized, synthesize } from './synth.ts';

const SHARED = 'state_machine_roles: per_use_case\n';
/** IAM quotas, in characters without white space: a role's inline policies together, one managed policy. */
const ROLE_INLINE_MAX = 10_240;
const MANAGED_POLICY_MAX = 6_144;

const withSetting = (sources: readonly SourceFile[], line: string): SourceFile[] => sources.map((f) => (f.path === 'platform.yaml' ? { ...f, text: `${f.text}\n${line}` } : f));

interface Synth {
  s: Synthesized;
  manifest: Manifest;
  resolver: Resolver;
}

function synth(sources: readonly SourceFile[], nagChecks: boolean): Synth {
  const { buildDir, result } = compileToBuild(sources);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const s = synthesize(buildDir, { nagChecks, lean: true });
  return { s, manifest: readManifestDir(buildDir), resolver: new Resolver(s.json) };
}

/** `action resource condition` of every statement, lower-cased action, one per pair: comparable however statements are merged. */
function grants(statements: readonly ResolvedStatement[]): Set<string> {
  const out = new Set<string>();
  for (const st of statements) {
    expect(st.Effect).toBe('Allow');
    for (const a of [st.Action].flat()) for (const r of [st.Resource].flat()) out.add(`${a.toLowerCase()} ${r} ${JSON.stringify(st.Condition ?? null)}`);
  }
  return out;
}

/** Resolved statements of the policies attached to a role of a stack. */
function roleGrants(x: Synth, stack: string, roleId: string): Set<string> {
  const t = x.s.json.get(stack)!;
  return grants(policiesOfRole(x.s, stack, roleId).flatMap((p) => x.resolver.resolve(p.props.PolicyDocument, t) as { Statement: ResolvedStatement[] }).flatMap((d) => d.Statement));
}

const machines = (x: Synth, stack: string) => resourcesOfType(x.s, 'AWS::StepFunctions::StateMachine').filter((m) => m.stack === stack);
const roleOf = (m: { props: Record<string, any> }): string => m.props.RoleArn['Fn::GetAtt'][0];
const stateMachineRoles = (x: Synth, stack: string) => resourcesOfType(x.s, 'AWS::IAM::Role').filter((r) => r.stack === stack && r.props.AssumeRolePolicyDocument.Statement.some((st: any) => st.Principal?.Service === 'states.amazonaws.com'));

describe('state_machine_roles: per_use_case on the example platform', () => {
  let own: Synth;
  let shared: Synth;

  beforeAll(() => {
    own = synth(exampleSources(), false);
    shared = synth(withSetting(exampleSources(), SHARED), true);
  }, 240_000);

  it('the manifest carries the setting, only when set (a default build deploys as before)', () => {
    expect(shared.manifest.platform.stateMachineRoles).toBe('per_use_case');
    expect(own.manifest.platform).not.toHaveProperty('stateMachineRoles');
  });

  it('runs every machine of a use-case stack, watch machines included, under one role of that stack', () => {
    for (const u of shared.manifest.useCases) {
      const stack = `acme-${u.name}`;
      const ms = machines(shared, stack);
      expect(ms.length).toBe(u.workflows.length + u.workflows.filter((w) => w.watch).length);
      const roles = new Set(ms.map(roleOf));
      expect([...roles], stack).toHaveLength(1);
      expect(stateMachineRoles(shared, stack).map((r) => r.id)).toEqual([...roles]);
      expect(shared.s.json.get(stack)!.Resources[[...roles][0]!]!.Properties!.Description).toBe(`Runs the state machines of use case ${u.name}`);
    }
    // Nothing else changes: the DataSync, Spark job and table optimizer roles stay those of the default build.
    const others = (x: Synth) => resourcesOfType(x.s, 'AWS::IAM::Role').filter((r) => !r.props.AssumeRolePolicyDocument.Statement.some((st: any) => st.Principal?.Service === 'states.amazonaws.com')).map((r) => `${r.stack}/${r.id}`).sort();
    expect(others(shared)).toEqual(others(own));
  });

  it('creates exactly the roles the compiler counts against the account quota, fewer than one per machine', () => {
    const roles = resourcesOfType(shared.s, 'AWS::IAM::Role').length;
    expect(roles).toBe(manifestRoles(shared.manifest));
    // Each use-case stack says so in its LakestepRoles output, as the compile counts it (what deploy compares).
    for (const u of shared.manifest.useCases) {
      const t = shared.s.json.get(`acme-${u.name}`)!;
      expect(t.Outputs?.[ROLES_OUTPUT]?.Value).toBe(String(manifestUseCaseRoles(u, shared.manifest.platform)));
    }
    expect(resourcesOfType(own.s, 'AWS::IAM::Role').length).toBe(manifestRoles(own.manifest));
    const machineCount = resourcesOfType(own.s, 'AWS::StepFunctions::StateMachine').filter((m) => m.stack !== 'acme-platform').length;
    expect(resourcesOfType(own.s, 'AWS::IAM::Role').length - roles).toBe(machineCount - shared.manifest.useCases.length);
  });

  it('allows exactly the union of what the machines of the stack are allowed with a role each: nothing lost, nothing added', () => {
    for (const u of shared.manifest.useCases) {
      const stack = `acme-${u.name}`;
      const union = new Set([...new Set(machines(own, stack).map(roleOf))].flatMap((role) => [...roleGrants(own, stack, role)]));
      const got = roleGrants(shared, stack, roleOf(machines(shared, stack)[0]!));
      expect(union.size, stack).toBeGreaterThan(10);
      expect([...got].filter((g) => !union.has(g)), `${stack}: added`).toEqual([]);
      expect([...union].filter((g) => !got.has(g)), `${stack}: lost`).toEqual([]);
    }
  });

  it('never names another use case: its machines, job documents or DataSync transfers', () => {
    for (const u of shared.manifest.useCases) {
      const stack = `acme-${u.name}`;
      const mine = new Set(u.workflows.flatMap((w) => [w.stateMachineName, ...(w.watch ? [w.watch.stateMachineName] : [])]));
      for (const g of roleGrants(shared, stack, roleOf(machines(shared, stack)[0]!))) {
        // A machine it may start, or whose executions it may describe or stop.
        const named = /:(?:stateMachine|execution):([^:/* ]+)/.exec(g)?.[1];
        if (named) expect(mine.has(named), `${stack}: ${g}`).toBe(true);
        for (const other of shared.manifest.useCases.filter((o) => o.name !== u.name)) expect(g, stack).not.toMatch(new RegExp(`acme-${other.name}-|lakestep/${other.name}/`));
      }
    }
  });

  it('trusts Step Functions of this account only, like a machine role of its own', () => {
    const trust = (x: Synth, stack: string) => x.s.json.get(stack)!.Resources[roleOf(machines(x, stack)[0]!)]!.Properties!.AssumeRolePolicyDocument;
    for (const u of shared.manifest.useCases) expect(trust(shared, `acme-${u.name}`)).toEqual(trust(own, `acme-${u.name}`));
  });

  it('creates each machine after its role can write its logs and after every policy holding a statement of its own', () => {
    let spread = 0;
    for (const u of shared.manifest.useCases) {
      const stack = `acme-${u.name}`;
      const policies = policiesOfRole(shared.s, stack, roleOf(machines(shared, stack)[0]!));
      const holding = (text: string) => policies.filter((p) => JSON.stringify(p.props.PolicyDocument).includes(text)).map((p) => p.id);
      spread = Math.max(spread, policies.length);
      for (const w of u.workflows) {
        const m = machines(shared, stack).find((x) => x.props.StateMachineName === w.stateMachineName)!;
        const deps = new Set<string>([(shared.s.json.get(stack)!.Resources[m.id] as { DependsOn?: string | string[] }).DependsOn ?? []].flat());
        expect([...deps].filter((d) => !policies.some((p) => p.id === d)), `${w.stateMachineName} waits for nothing else`).toEqual([]);
        // The log delivery statement (what Step Functions checks when it creates a machine), its own run records, its results.
        for (const text of ['"logs:CreateLogDelivery"', `"${u.name}/${w.name}"`, `/lakestep/results/${u.name}/${w.name}/*`]) {
          const where = holding(text);
          if (text.includes('/lakestep/results/') && where.length === 0) continue; // a workflow that reads no result
          expect(where, `${w.stateMachineName}: ${text}`).toHaveLength(1);
          expect(deps.has(where[0]!), `${w.stateMachineName} waits for ${where[0]} (${text})`).toBe(true);
        }
      }
    }
    // One use case's statements pass a role's inline quota: the overflow is in a managed policy.
    expect(spread).toBeGreaterThan(1);
  });

  it('passes cdk-nag with no unacknowledged finding', () => {
    const report = JSON.parse(readFileSync(join(shared.s.assembly.directory, 'validation-report.json'), 'utf8'));
    expect((report.pluginReports as any[]).flatMap((r) => r.violations ?? r.conclusion?.violations ?? [])).toEqual([]);
    expect(shared.s.assembly.stacks.flatMap((st) => st.messages).filter((m) => m.level === 'error')).toEqual([]);
  });
});

/** One use case of `dags` migrations of 20 tables each, every table through a DataSync task of its own (listed by ARN: 20 is the most listed). */
function wideUseCase(dags: number): SourceFile[] {
  const platform = exampleSources().find((f) => f.path === 'platform.yaml')!;
  const files: SourceFile[] = [{ ...platform, text: `${platform.text}\n${SHARED}` }];
  const list = Array.from({ length: dags }, (_, d) => `  - name: wide-migration-${d}\n    type: migration\n    config: migration-${d}.yaml\n    timeout: 2d\n`).join('');
  files.push({ path: 'wide/orchestration.yaml', text: `owner: wide@example.com\ndags:\n${list}` });
  for (let d = 0; d < dags; d++) {
    const tables = Array.from({ length: 20 }, (_, i) => {
      const n = d * 20 + i;
      return `  - name: t${n}\n    source: {hdfs_path: /warehouse/wide.db/t${n}, format: parquet}\n    datasync: {task_arn: arn:aws:datasync:eu-west-1:123456789012:task/task-0a1b2c3d4e5f${String(n).padStart(5, '0')}}\n    columns:\n      - {name: id, type: bigint, nullable: false}\n      - {name: updated_at, type: timestamp}\n    watermark_column: updated_at\n`;
    }).join('');
    files.push({ path: `wide/migration-${d}.yaml`, text: `database: raw_wide\ntables:\n${tables}` });
  }
  return files;
}

describe('state_machine_roles: per_use_case past the inline policy quota of a role', () => {
  const DAGS = 8;
  let x: Synth;
  const stack = 'acme-wide';

  beforeAll(() => {
    x = synth(wideUseCase(DAGS), true);
  }, 240_000);

  it('moves what passes the inline quota to managed policies of the role, each under the quotas', () => {
    const ms = machines(x, stack);
    expect(ms).toHaveLength(DAGS);
    const role = roleOf(ms[0]!);
    const t = x.s.json.get(stack)!;
    const policies = policiesOfRole(x.s, stack, role);
    const inlineIds = new Set(resourcesOfType(x.s, 'AWS::IAM::Policy').filter((p) => p.stack === stack).map((p) => p.id));
    const inline = policies.filter((p) => inlineIds.has(p.id));
    const managed = policies.filter((p) => !inlineIds.has(p.id));
    expect(managed.length).toBeGreaterThan(0);
    const size = (p: { props: Record<string, any> }) => policySize(x.resolver.resolve(p.props.PolicyDocument, t));
    expect(inline.reduce((n, p) => n + size(p), 0)).toBeLessThanOrEqual(ROLE_INLINE_MAX);
    for (const p of managed) expect(size(p), p.id).toBeLessThanOrEqual(MANAGED_POLICY_MAX);
    // Every task of every migration is still granted, to the one role.
    const got = roleGrants(x, stack, role);
    for (let n = 0; n < DAGS * 20; n++) {
      expect(got.has(`datasync:starttaskexecution arn:aws:datasync:eu-west-1:123456789012:task/task-0a1b2c3d4e5f${String(n).padStart(5, '0')}* null`), `task ${n}`).toBe(true);
    }
  });

  it('creates each machine after every policy that holds one of its statements', () => {
    const t = x.s.json.get(stack)!;
    const policies = policiesOfRole(x.s, stack, roleOf(machines(x, stack)[0]!));
    const holding = (text: string) => policies.filter((p) => JSON.stringify(p.props.PolicyDocument).includes(text)).map((p) => p.id);
    const spread = new Set<string>();
    for (const m of machines(x, stack)) {
      const d = Number(/-(\d+)$/.exec(m.props.StateMachineName)![1]);
      const deps = new Set<string>([(t.Resources[m.id] as { DependsOn?: string | string[] }).DependsOn ?? []].flat());
      // The log delivery statement (what Step Functions checks when it creates a machine), its own start, its DataSync tasks.
      const texts = ['"logs:CreateLogDelivery"', `:stateMachine:${m.props.StateMachineName}"`, ...Array.from({ length: 20 }, (_, i) => `task-0a1b2c3d4e5f${String(d * 20 + i).padStart(5, '0')}*`)];
      for (const text of texts) {
        const where = holding(text);
        expect(where, `${m.props.StateMachineName}: ${text}`).toHaveLength(1);
        expect(deps.has(where[0]!), `${m.props.StateMachineName} waits for ${where[0]} (${text})`).toBe(true);
        spread.add(where[0]!);
      }
    }
    // The statements of the machines are spread over more than one policy.
    expect(spread.size).toBeGreaterThan(1);
  });

  it('passes cdk-nag with no unacknowledged finding', () => {
    const report = JSON.parse(readFileSync(join(x.s.assembly.directory, 'validation-report.json'), 'utf8'));
    expect((report.pluginReports as any[]).flatMap((r) => r.violations ?? r.conclusion?.violations ?? [])).toEqual([]);
  });
});

describe('state_machine_roles: per_use_case on a use case split over stacks', () => {
  const DAGS = 40;
  let x: Synth;
  let build: LoadedBuild;
  let shards: number;
  let compiled: CompileResult;

  beforeAll(() => {
    const platform = exampleSources().find((f) => f.path === 'platform.yaml')!;
    const dags = Array.from({ length: DAGS }, (_, i) => ({ name: `step-${i}`, schedule: 'rate(1 day)' }));
    const sources = [{ ...platform, text: `${platform.text}\n${SHARED}` }, { path: 'many/orchestration.yaml', text: sparkUseCase('many@example.com', dags, 'acme-lake-artifacts') }];
    const { buildDir, result } = compileToBuild(sources);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    compiled = result;
    build = loadBuild(buildDir);
    shards = useCaseShards(build, build.manifest.useCases[0]!).length;
    const s = synthesize(buildDir, { nagChecks: false, lean: true });
    x = { s, manifest: build.manifest, resolver: new Resolver(s.json) };
  }, 240_000);

  it('has a shared role in each of its stacks, which its LakestepRoles outputs, the compile and the deploy count', () => {
    expect(shards).toBeGreaterThan(1);
    const u = build.manifest.useCases[0]!;
    const stacks = [...x.s.json.keys()].filter((name) => name === 'acme-many' || /^acme-many-\d+$/.test(name));
    expect(stacks).toHaveLength(shards);
    let reported = 0;
    for (const stack of stacks) {
      expect(stateMachineRoles(x, stack), stack).toHaveLength(1);
      expect(new Set(machines(x, stack).map(roleOf)), stack).toEqual(new Set(stateMachineRoles(x, stack).map((r) => r.id)));
      reported += Number(x.s.json.get(stack)!.Outputs?.[ROLES_OUTPUT]?.Value);
    }
    const created = resourcesOfType(x.s, 'AWS::IAM::Role').filter((r) => stacks.includes(r.stack)).length;
    expect(reported).toBe(created);
    expect(manifestUseCaseRoles(u, build.manifest.platform, shards)).toBe(created);
    expect(manifestUseCaseRoles(u, build.manifest.platform)).toBe(created - (shards - 1));
    // The compile counts them from what it keeps of each use case, without the build's files.
    expect(compiled.iamRoles).toBe(resourcesOfType(x.s, 'AWS::IAM::Role').length);
    // What a first deploy of this use case adds, as `lakestep deploy` counts it before synthesizing.
    expect(rolesAdded(build.manifest, { useCases: [u] }, [], (v) => useCaseShards(build, v).length)).toEqual({ roles: created, useCases: ['many'] });
  });
});

describe('state_machine_roles: per_use_case with Lake Formation and a use case split over stacks', () => {
  it('compiles to the roles of every stack as the app splits the use cases, the grants of the first stack included', () => {
    // 40 more dags for orders, which owns two databases (its grants go to its first stack) and is named by a share.
    const more = sparkUseCase('orders@example.com', Array.from({ length: 40 }, (_, i) => ({ name: `step-${i}`, schedule: 'rate(1 day)' })), 'acme-lake-artifacts');
    const sources = exampleSources().map((f) => {
      if (f.path === 'platform.yaml') return { ...f, text: `${f.text.replace(/^governance: iam$/m, 'governance: lake_formation')}\n${SHARED}` };
      if (f.path === 'orders/orchestration.yaml') return { ...f, text: `${f.text.trimEnd()}\n${more.split('\n').slice(2).join('\n')}` };
      return f;
    });
    const { buildDir, result } = compileToBuild(sources);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const b = loadBuild(buildDir);
    const m = b.manifest;
    expect(m.platform.governance).toBe('lake_formation');
    const orders = m.useCases.find((u) => u.name === 'orders')!;
    expect(lakeFormationGrants(m.platform, orders, m.tables ?? {}, m.useCases).length).toBeGreaterThan(0);
    expect(sharesWith('orders', m.useCases).length + sharesWith('payments', m.useCases).length).toBeGreaterThan(0);
    const stacks = new Map(m.useCases.map((u) => [u.name, useCaseShards(b, u).length]));
    expect(stacks.get('orders')).toBeGreaterThan(1);
    expect(result.iamRoles).toBe(platformRoles(m.platform, m.machines) + m.useCases.reduce((n, u) => n + manifestUseCaseRoles(u, m.platform, stacks.get(u.name)), 0));
    expect(result.iamRoles).toBeGreaterThan(manifestRoles(m));
  });
});
