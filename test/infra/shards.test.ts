import { App, CfnResource, type Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest, ManifestWorkflow } from '../../src/build/types.ts';
import { stateMachineName } from '../../src/naming.ts';
import { definitionSize, layoutStacks, planShards, shardStackName, type StackLayout, workflowResourceCount } from '../../infra/usecase/shards.ts';
import { lakeFormationGrants } from '../../infra/lakeformation/grants.ts';
import { fixtureManifest, PREFIX, route, SPARK_ASL, writeBuild } from './fixture.ts';
import { appContext, buildApp, type BuiltApp } from '../../infra/app.ts';

const WORKFLOWS = 1000;

function bulkManifest(): Manifest {
  const base = fixtureManifest();
  const workflows: ManifestWorkflow[] = Array.from({ length: WORKFLOWS }, (_, i) => {
    const dag = `report-${String(i).padStart(4, '0')}`;
    return {
      ...base.useCases[0]!.workflows[0]!,
      name: dag,
      stateMachineName: stateMachineName(PREFIX, 'bulk', dag),
      definition: 'bulk/report.asl.json',
      specFile: 'bulk/orchestration.yaml',
      routes: [route('bulk', dag, ['bulk', 'upstream'], 1)],
      jobs: [],
      placeholders: ['EmrApplicationId', 'SparkJobRoleArn', 'ArtifactsBucket', 'RunsTable', 'Partition', 'Region', 'Account', 'EventsRoleArn'],
    };
  });
  return { ...base, useCases: [{ name: 'bulk', owner: 'bulk@example.com', specHash: 'sha256-bulk', files: [], workflows }], quarantined: [] };
}

/** Resources a stack's template will hold: its CfnResources plus the CDKMetadata resource synth adds. */
function templateResources(stack: Stack): number {
  return stack.node.findAll().filter((c) => c instanceof CfnResource).length + 1;
}

describe('sharding', () => {
  // Counted on the construct tree: a full synth of ~5,000 resources takes ~20 s and adds
  // nothing here (app.test.ts synthesizes the fixture with cdk-nag).
  let built: BuiltApp;
  beforeAll(() => {
    const buildDir = writeBuild(bulkManifest(), { 'bulk/report.asl.json': SPARK_ASL });
    built = buildApp({ buildDir, app: new App({ context: appContext() }), nagChecks: false });
  });

  it('keeps every stack of a 1,000-workflow use case under 500 resources', () => {
    const stacks = built.useCaseStacks;
    expect(stacks.length).toBeGreaterThan(1);
    for (const st of stacks) expect(templateResources(st)).toBeLessThan(500);
    expect(stacks.map((st) => st.stackName).slice(0, 2)).toEqual(['acme-bulk', 'acme-bulk-2']);
  });

  it('places each workflow exactly once', () => {
    const names = built.useCaseStacks.flatMap((st) =>
      st.node.findAll().filter((c): c is sfn.CfnStateMachine => c instanceof sfn.CfnStateMachine).map((m) => m.stateMachineName),
    );
    expect(names).toHaveLength(WORKFLOWS);
    expect(new Set(names).size).toBe(WORKFLOWS);
  });

  it('fills shards close to the budget (the estimate matches what is created)', () => {
    const full = built.useCaseStacks.slice(0, -1);
    for (const st of full) expect(templateResources(st)).toBeGreaterThan(430);
  });
});

describe('planShards', () => {
  const wf = (n: number): ManifestWorkflow => ({ ...fixtureManifest().useCases[0]!.workflows[0]!, name: `w${n}` });

  it('splits on the definition byte budget too', () => {
    const shards = planShards([0, 1, 2].map((i) => ({ workflow: wf(i), definitionBytes: 400_000 })));
    expect(shards.map((x) => x.length)).toEqual([1, 1, 1]);
  });

  it('counts the first shard\'s extra resources (Lake Formation grants) against its budget only', () => {
    // Machine, role and policy, and one route: 4 resources each.
    const routed = (n: number): ManifestWorkflow => ({ ...wf(n), schedules: [], routes: [route('orders', `w${n}`, ['orders', 'upstream'], 1)], notificationEmails: [], resources: { ...wf(n).resources, datasync: [] } });
    const sizes = Array.from({ length: 40 }, (_, i) => ({ workflow: routed(i), definitionBytes: 10 }));
    const per = 4;
    expect(workflowResourceCount(routed(0))).toBe(per);
    const plain = planShards(sizes, { maxResources: 9 + 20 * per });
    expect(plain.map((x) => x.length)).toEqual([20, 20]);
    const withGrants = planShards(sizes, { maxResources: 9 + 20 * per, firstShardExtraResources: 5 * per });
    expect(withGrants.map((x) => x.length)).toEqual([15, 21, 4]);
  });

  it('measures a definition as its indented build file did, whether the file is compact or indented', () => {
    const definition = { Comment: 'Bestellungen → Rechnungen', StartAt: 'A', States: { A: { Type: 'Pass', Result: { list: [1, 2] }, End: true } } };
    const indented = `${JSON.stringify(definition, null, 2)}\n`;
    expect(definitionSize(`${JSON.stringify(definition)}\n`)).toBe(indented.length);
    expect(definitionSize(indented)).toBe(indented.length);
    expect(definitionSize(`${JSON.stringify(definition)}\n`)).toBeGreaterThan(JSON.stringify(definition).length + 1);
  });

  it('keeps one shard for a small use case, and names shards -2, -3', () => {
    expect(planShards([{ workflow: wf(0), definitionBytes: 10 }])).toHaveLength(1);
    expect(planShards([])).toEqual([[]]);
    expect([0, 1, 2].map((i) => shardStackName('acme', 'orders', i))).toEqual(['acme-orders', 'acme-orders-2', 'acme-orders-3']);
  });
});

describe('layoutStacks (the compile\'s count of a use case\'s stacks)', () => {
  // 110 workflows of 4 resources fill a first stack to 449 of 450 resources: one grant more moves the last one on.
  const weights = Array.from({ length: 110 }, () => ({ resources: 4, definitionBytes: 10 }));
  const a: StackLayout = { weights, access: { 'raw_a.events': ['read'] } };
  const b: StackLayout = { weights: [{ resources: 4, definitionBytes: 10 }], access: { 'raw_b.totals': ['create', 'write'] }, shares: [{ table: 'raw_b.totals', with: ['a'], access: ['write'] }] };
  const platform = (governance: 'iam' | 'lake_formation') => ({ ...fixtureManifest().platform, governance, databaseOwners: { raw_a: { owner: 'a' }, raw_b: { owner: 'b' } } });

  it('splits as planShards does, the Lake Formation grants of the first stack (shares naming the use case included) counted against it', () => {
    expect(layoutStacks(platform('iam'), {}, [{ name: 'a', layout: a }, { name: 'b', layout: b }])).toEqual(new Map([['a', 1], ['b', 1]]));
    const lf = platform('lake_formation');
    const stacks = layoutStacks(lf, {}, [{ name: 'a', layout: a }, { name: 'b', layout: b }]);
    expect(stacks.get('a')).toBe(2);
    // The same count as the app's planner with a's grants, which the share of b adds to.
    const grants = lakeFormationGrants(lf, { name: 'a', workflows: [{ access: a.access }] }, {}, [{ name: 'b', shares: b.shares }]).length;
    expect(grants).toBeGreaterThan(lakeFormationGrants(lf, { name: 'a', workflows: [{ access: a.access }] }, {}, []).length);
    const routed = (n: number): ManifestWorkflow => ({ ...fixtureManifest().useCases[0]!.workflows[0]!, name: `w${n}`, schedules: [], routes: [route('a', `w${n}`, ['a', 'upstream'], 1)], notificationEmails: [], resources: { ...fixtureManifest().useCases[0]!.workflows[0]!.resources, datasync: [] } });
    expect(workflowResourceCount(routed(0))).toBe(4);
    expect(planShards(weights.map((w, i) => ({ workflow: routed(i), definitionBytes: w.definitionBytes })), { firstShardExtraResources: grants })).toHaveLength(2);
  });

  it('counts a database platform.yaml does not declare as no grant, without failing (the compile reports it)', () => {
    const stray: StackLayout = { weights, access: { 'nowhere.t': ['read'] } };
    expect(layoutStacks(platform('lake_formation'), {}, [{ name: 'a', layout: stray }])).toEqual(new Map([['a', 1]]));
  });
});
