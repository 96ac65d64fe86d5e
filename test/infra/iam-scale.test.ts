/**
 * IAM of a generated 50-use-case platform (bench/generate.ts), compiled for real
 * and synthesized into real templates: one Spark job role per use case, no
 * inline policy written by two stacks, every role and policy under IAM's size
 * quotas (sizes counted on the policies as IAM stores them, intrinsics
 * resolved), and each role able to read its own entry points and nothing of
 * any other use case.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSpecs } from '../../bench/generate.ts';
import type { Manifest, ManifestUseCase } from '../../src/build/types.ts';
import { sparkJobRoleName } from '../../src/naming.ts';
import { collectTaskStates } from '../../infra/iam/task-states.ts';
import { compileToBuild } from './compiled.ts';
import { ACCOUNT, allows, policySize, REGION, Resolver, sparkRoles as spark } from './iam-eval.ts';
import { resourcesOfType, type Synthesized, synthesize } from './synth.ts';
import { readManifestDir } from '../../src/build/manifest-files.ts';

const USE_CASES = 50;
/** IAM quotas (non-white-space characters): inline policies per role, one managed policy, a trust policy. */
const ROLE_INLINE_MAX = 10_240;
const MANAGED_POLICY_MAX = 6_144;
const TRUST_POLICY_MAX = 2_048;

let s: Synthesized;
let manifest: Manifest;
let buildDir: string;
let resolver: Resolver;
/** Use case → resolved statements of its Spark job role. */
let sparkRoles: ReturnType<typeof spark>;

beforeAll(() => {
  ({ buildDir } = compileToBuild(generateSpecs({ useCases: USE_CASES }).sources));
  manifest = readManifestDir(buildDir);
  s = synthesize(buildDir, { nagChecks: false, lean: true });
  resolver = new Resolver(s.json);
  sparkRoles = spark(s, resolver);
}, 240_000);

const s3 = (uri: string) => `arn:aws:s3:::${uri.replace(/^s3:\/\//, '')}`;
const secretsOf = (u: ManifestUseCase) => new Set(u.workflows.flatMap((w) => w.resources.secrets));
/** Every table a use case's workflows touch, with the union of what they do to it. */
function tablesOf(u: ManifestUseCase): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const w of u.workflows) for (const [t, kinds] of Object.entries(w.access)) out.set(t, new Set([...(out.get(t) ?? []), ...kinds]));
  return out;
}
const tableArn = (t: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:table/${t.replace('.', '/')}`;
const dataFile = (t: string) => s3(`${manifest.tables[t]!.location}data/00000-0.parquet`);

const entryPointCache = new Map<ManifestUseCase, string[]>();

/** Static `EntryPoint`s of every EMR job run of a use case's definitions, placeholders filled. */
function entryPoints(u: ManifestUseCase): string[] {
  const cached = entryPointCache.get(u);
  if (cached) return cached;
  const out = new Set<string>();
  for (const w of u.workflows) {
    const asl = JSON.parse(readFileSync(join(buildDir, w.definition), 'utf8'));
    for (const task of collectTaskStates(asl)) {
      const entry = (task.parameters as any)?.JobDriver?.SparkSubmit?.EntryPoint as string | undefined;
      if (entry) out.add(entry.replace('${ArtifactsBucket}', manifest.platform.buckets.artifacts));
    }
  }
  entryPointCache.set(u, [...out].sort());
  return entryPointCache.get(u)!;
}

describe(`IAM of a ${USE_CASES}-use-case platform`, () => {
  it('compiles every generated use case', async () => {
    expect(manifest.quarantined).toEqual([]);
    expect(manifest.useCases).toHaveLength(USE_CASES);
  });

  it('creates one Spark job role per use case, in that use case stack, and none in the platform stack', async () => {
    expect([...sparkRoles.keys()].sort()).toEqual(manifest.useCases.map((u) => u.name).sort());
    for (const [uc, role] of sparkRoles) {
      expect(role.stack).toBe(`acme-${uc}`);
      expect(role.name).toBe(sparkJobRoleName('acme', uc));
    }
  });

  it('writes every (role, inline policy name) pair from one stack only, and never to a role of another stack', async () => {
    const writers = new Map<string, Set<string>>();
    const note = (role: string, policy: string, stack: string) => {
      const key = `${role} ${policy}`;
      writers.set(key, (writers.get(key) ?? new Set()).add(stack));
    };
    for (const r of resourcesOfType(s, 'AWS::IAM::Role')) {
      const name = r.props.RoleName ?? `${r.stack}/${r.id}`;
      for (const p of r.props.Policies ?? []) note(name, p.PolicyName, r.stack);
    }
    for (const p of resourcesOfType(s, 'AWS::IAM::Policy')) {
      for (const role of p.props.Roles as unknown[]) {
        // A role of another stack comes in as Fn::ImportValue or a literal name; both would be shared.
        expect(role, `${p.stack}/${p.id} attaches to a role it does not own`).toMatchObject({ Ref: expect.any(String) });
        const own = s.json.get(p.stack)!.Resources[(role as { Ref: string }).Ref]!;
        note(own.Properties?.RoleName ?? `${p.stack}/${(role as { Ref: string }).Ref}`, p.props.PolicyName, p.stack);
      }
    }
    expect(writers.size).toBeGreaterThan(USE_CASES * 5);
    const shared = [...writers].filter(([, stacks]) => stacks.size > 1).map(([k, stacks]) => `${k}: ${[...stacks].join(', ')}`);
    expect(shared).toEqual([]);
  });

  it('keeps every role, inline policy total and managed policy under the IAM quotas', async () => {
    const inline = new Map<string, number>();
    const add = (role: string, doc: unknown, t: Synthesized['json'] extends Map<string, infer T> ? T : never) =>
      inline.set(role, (inline.get(role) ?? 0) + policySize(resolver.resolve(doc, t)));
    let largest = 0;
    for (const r of resourcesOfType(s, 'AWS::IAM::Role')) {
      const t = s.json.get(r.stack)!;
      const key = `${r.stack}/${r.id}`;
      inline.set(key, inline.get(key) ?? 0);
      for (const p of r.props.Policies ?? []) add(key, p.PolicyDocument, t);
      expect(policySize(resolver.resolve(r.props.AssumeRolePolicyDocument, t)), `${key} trust policy`).toBeLessThanOrEqual(TRUST_POLICY_MAX);
      expect((r.props.RoleName ?? '').length).toBeLessThanOrEqual(64);
    }
    for (const p of resourcesOfType(s, 'AWS::IAM::Policy')) {
      for (const role of p.props.Roles as Array<{ Ref: string }>) add(`${p.stack}/${role.Ref}`, p.props.PolicyDocument, s.json.get(p.stack)!);
    }
    for (const p of resourcesOfType(s, 'AWS::IAM::ManagedPolicy')) {
      expect(policySize(resolver.resolve(p.props.PolicyDocument, s.json.get(p.stack)!)), `${p.stack}/${p.id}`).toBeLessThanOrEqual(MANAGED_POLICY_MAX);
    }
    for (const [role, size] of inline) {
      expect(size, role).toBeLessThanOrEqual(ROLE_INLINE_MAX);
      largest = Math.max(largest, size);
    }
    expect(inline.size).toBeGreaterThan(USE_CASES * 5);
    console.log(`IAM: ${inline.size} roles, largest inline policy total ${largest} of ${ROLE_INLINE_MAX} characters`);
  });

  it('lets every Spark job role read the entry points of its own job runs (custom spark: entry points included)', async () => {
    let custom = 0;
    for (const u of manifest.useCases) {
      const role = sparkRoles.get(u.name)!;
      for (const entry of entryPoints(u)) {
        if (entry.includes('/jobs/')) custom++;
        expect(await allows(role.statements, 's3:GetObject', s3(entry)), `${u.name} reads ${entry}`).toBe(true);
      }
    }
    expect(custom).toBe(USE_CASES);
  });

  // Read-only tables of another use case are covered on the example (table-access-iam.test.ts): the
  // generated platform reads only tables its own use cases write.
  it('lets each role use its own secrets, read the tables its jobs read and write only those they write', async () => {
    for (const u of manifest.useCases) {
      const role = sparkRoles.get(u.name)!.statements;
      for (const secret of secretsOf(u)) expect(await allows(role, 'secretsmanager:GetSecretValue', secret), secret).toBe(true);
      for (const [t, kinds] of tablesOf(u)) {
        const writes = [...kinds].some((k) => k !== 'read');
        expect(await allows(role, 'glue:GetTable', tableArn(t)), `${u.name} reads ${t}`).toBe(true);
        expect(await allows(role, 's3:GetObject', dataFile(t)), `${u.name} reads ${t}`).toBe(true);
        expect(await allows(role, 'glue:UpdateTable', tableArn(t)), `${u.name} commits to ${t}`).toBe(writes);
        expect(await allows(role, 's3:PutObject', dataFile(t)), `${u.name} writes ${t}`).toBe(writes);
        expect(await allows(role, 'glue:CreateTable', tableArn(t)), `${u.name} creates ${t}`).toBe(kinds.has('create'));
      }
    }
  });

  it("grants no role anything of another use case: its prefixes, databases, secrets, entry points", async () => {
    const { buckets } = manifest.platform;
    for (const u of manifest.useCases) {
      const role = sparkRoles.get(u.name)!.statements;
      const mySecrets = secretsOf(u);
      const myTables = tablesOf(u);
      for (const v of manifest.useCases) {
        if (v === u) continue;
        const probes = [
          ...entryPoints(v).filter((e) => !entryPoints(u).includes(e)),
          `s3://${buckets.artifacts}/lakestep/${v.name}/jobs/x/job.json`,
          `s3://${buckets.artifacts}/lakestep/results/${v.name}/x/1/result.json`,
          `s3://${buckets.artifacts}/lakestep/checkpoints/${v.name}/x/offsets/0`,
          `s3://${buckets.landing}/${v.name}/t/part-0.parquet`,
          ...v.workflows.flatMap((w) => [...(w.resources.storage?.read ?? []), ...(w.resources.storage?.readWrite ?? [])]).map((p) => `${p}x`),
        ];
        for (const uri of probes) expect(await allows(role, 's3:GetObject', s3(uri)), `${u.name} reads ${uri}`).toBe(false);
        for (const t of [...tablesOf(v).keys()].filter((x) => !myTables.has(x))) {
          expect(await allows(role, 'glue:GetTable', tableArn(t)), `${u.name} → ${t}`).toBe(false);
          expect(await allows(role, 's3:GetObject', dataFile(t)), `${u.name} → ${t}`).toBe(false);
        }
        for (const secret of [...secretsOf(v)].filter((x) => !mySecrets.has(x))) {
          expect(await allows(role, 'secretsmanager:GetSecretValue', secret), `${u.name} → ${secret}`).toBe(false);
        }
      }
    }
  });
});
