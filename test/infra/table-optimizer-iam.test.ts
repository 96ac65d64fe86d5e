/**
 * A use case with a `managed: true` table (golden case maintenance-managed), synthesized:
 * its table optimizer role is trusted by glue.amazonaws.com of this account and reaches
 * only that table's S3 prefix and Glue ARNs; the maintenance state machine may create its
 * optimizers and pass that role, to Glue only — and nothing of another table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/build/types.ts';
import { readSpecs } from '../../src/cli/io.ts';
import { GOLDEN_DIR } from '../golden/cases.ts';
import { compileToBuild } from './compiled.ts';
import { ACCOUNT, allows, REGION, Resolver, type ResolvedStatement } from './iam-eval.ts';
import { resourcesOfType, roleStatements, stateMachineResource, synthesize, type Synthesized } from './synth.ts';
import { readManifestDir } from '../../src/build/manifest-files.ts';

let s: Synthesized;
let manifest: Manifest;
let optimizerRole: { name: string; trust: string; statements: ResolvedStatement[] };
let machine: ResolvedStatement[];

beforeAll(() => {
  const { buildDir } = compileToBuild(readSpecs(join(GOLDEN_DIR, 'maintenance-managed', 'specs')));
  manifest = readManifestDir(buildDir);
  s = synthesize(buildDir);
  const resolver = new Resolver(s.json);
  const roles = resourcesOfType(s, 'AWS::IAM::Role').filter((r) => JSON.stringify(r.props.AssumeRolePolicyDocument).includes('glue.amazonaws.com'));
  expect(roles).toHaveLength(1);
  const role = roles[0]!;
  const docs = resolver.resolve(role.props.Policies, s.json.get(role.stack)!) as { PolicyDocument: { Statement: ResolvedStatement[] } }[];
  optimizerRole = { name: role.props.RoleName, trust: JSON.stringify(role.props.AssumeRolePolicyDocument), statements: docs.flatMap((d) => d.PolicyDocument.Statement) };
  const m = stateMachineResource(s, manifest.useCases.find((u) => u.name === 'orders')!.workflows.find((w) => w.type === 'maintenance')!.stateMachineName);
  machine = resolver.resolve(roleStatements(s, m.props.StateMachineName), s.json.get(m.stack)!) as ResolvedStatement[];
}, 240_000);

const glue = (r: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:${r}`;
const object = (fqn: string, key: string) => `arn:aws:s3:::${manifest.tables[fqn]!.location.slice('s3://'.length)}${key}`;

describe('Glue table optimizers of a managed table', () => {
  it('run as a role Glue of this account assumes, confined to the managed table', async () => {
    expect(optimizerRole.name).toBe(`${manifest.platform.prefix}-orders-optimizer`);
    expect(optimizerRole.trust).toContain('glue.amazonaws.com');
    expect(optimizerRole.trust).toContain('aws:SourceAccount');
    for (const a of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) expect(await allows(optimizerRole.statements, a, object('raw_orders.orders', 'data/f.parquet'))).toBe(true);
    expect(await allows(optimizerRole.statements, 'glue:UpdateTable', glue('table/raw_orders/orders'))).toBe(true);
    expect(await allows(optimizerRole.statements, 'glue:UpdateTable', glue('table/raw_orders/other'))).toBe(false);
    const sibling = object('raw_orders.orders', 'data/f.parquet').replace(/\/orders\/data\//, '/other/data/');
    expect(sibling).not.toBe(object('raw_orders.orders', 'data/f.parquet'));
    expect(await allows(optimizerRole.statements, 's3:DeleteObject', sibling)).toBe(false);
    expect(await allows(optimizerRole.statements, 'logs:PutLogEvents', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws-glue/iceberg-compaction/logs:log-stream:x`)).toBe(true);
  });

  it('are created by the maintenance machine, which passes only that role, to Glue only', async () => {
    for (const a of ['glue:CreateTableOptimizer', 'glue:UpdateTableOptimizer']) {
      expect(await allows(machine, a, glue('table/raw_orders/orders'))).toBe(true);
      expect(await allows(machine, a, glue('table/raw_orders/other'))).toBe(false);
    }
    const pass = machine.filter((st) => [st.Action].flat().includes('iam:PassRole'));
    const optimizerPass = pass.filter((st) => JSON.stringify(st.Resource).includes(optimizerRole.name));
    expect(optimizerPass).toHaveLength(1);
    expect(optimizerPass[0]!.Resource).toBe(`arn:aws:iam::${ACCOUNT}:role/${optimizerRole.name}`);
    expect(optimizerPass[0]!.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } });
    const optimizerArn = `arn:aws:iam::${ACCOUNT}:role/${optimizerRole.name}`;
    expect(await allows(machine, 'iam:PassRole', optimizerArn, { 'iam:PassedToService': 'glue.amazonaws.com' })).toBe(true);
    for (const service of ['emr-serverless.amazonaws.com', 'lambda.amazonaws.com', 'ec2.amazonaws.com']) {
      expect(await allows(machine, 'iam:PassRole', optimizerArn, { 'iam:PassedToService': service }), service).toBe(false);
    }
    expect(await allows(machine, 'iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/${manifest.platform.prefix}-payments-optimizer`, { 'iam:PassedToService': 'glue.amazonaws.com' })).toBe(false);
  });
});
