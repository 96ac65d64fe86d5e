/**
 * planDiff on hand-built builds: what the dispatcher wiring deploys per use case — routes
 * (SSM parameters) and the tags that say what a machine notifies — the platform's one rule,
 * and a build of the earlier wiring (per-workflow rules, join machines), whose rules and join
 * machines a deploy removes.
 */
import { describe, expect, it } from 'vitest';
import type { Manifest, ManifestWorkflow, RuleDefinition } from '../../src/build/types.ts';
import type { StateMachineDefinition } from '../../src/asl/types.ts';
import { planDiff, type BuildView } from '../../src/plan/diff.ts';
import { formatPlan } from '../../src/plan/format.ts';
import { manifestPlatform, manifestWorkflow } from '../helpers/manifest.ts';

const ASL: StateMachineDefinition = { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } };
const RULE: RuleDefinition = { Name: 'acme-lakestep-status', Description: 'd', EventPattern: { source: ['aws.states'] }, State: 'ENABLED', Targets: [{ Id: 'dispatcher', Arn: 'arn' }] };
const ROUTE = { Name: '/lakestep/acme/after/acme-sales-extract/acme-sales-clean', Type: 'String' as const, Value: '{"key":"sales/clean","downstream":"acme-sales-clean","upstreams":1}', Description: 'd' };

function view(workflows: ManifestWorkflow[], rule?: RuleDefinition, extra: Record<string, StateMachineDefinition> = {}): BuildView {
  const manifest: Manifest = {
    version: 1,
    lakestepVersion: '0',
    platform: manifestPlatform(),
    useCases: [{ name: 'sales', owner: 'o@example.com', specHash: 'h', files: [], workflows }],
    tables: {},
    quarantined: [],
    ...(rule ? { machines: { backfill: { stateMachineName: 'acme-lakestep-backfill', definition: 'lakestep/backfill.asl.json' }, dispatcher: { stateMachineName: 'acme-lakestep-dispatcher', definition: 'lakestep/dispatch.asl.json', rule } } } : {}),
  };
  return { manifest, definitions: new Map([...workflows.map((w) => [w.definition, ASL] as const), ...Object.entries(extra)]) };
}

describe('planDiff with the dispatcher', () => {
  it('reports a route added and a notification tag changed, with the same definition not called a comment change', () => {
    const before = view([manifestWorkflow('sales', 'extract'), manifestWorkflow('sales', 'clean')], RULE);
    const after = view([manifestWorkflow('sales', 'extract', { stateMachineTags: { 'lakestep:platform': 'acme', 'lakestep:notify-FAILED': 'yes' } }), manifestWorkflow('sales', 'clean', { dependsOn: ['sales/extract'], routes: [ROUTE] })], RULE);
    const plan = planDiff(before, after);
    const sales = plan.useCases[0]!;
    expect(sales.status).toBe('changed');
    expect(sales.routesAdded.map((r) => r.Name)).toEqual([ROUTE.Name]);
    expect(sales.machinesChanged).toEqual([expect.objectContaining({ name: 'acme-sales-extract', commentsOnly: false, tags: { 'lakestep:notify-FAILED': [undefined, 'yes'] } })]);
    expect(plan.platformRule).toBeUndefined();
    const text = formatPlan(plan, 'before');
    expect(text).toContain(`  + route ${ROUTE.Name}`);
    expect(text).toContain('      tags: lakestep:notify-FAILED (none) → yes');
  });

  it('against a build of per-workflow rules and join machines: those are removed, the platform rule added', () => {
    const legacy = { ...manifestWorkflow('sales', 'clean'), rules: [{ ...RULE, Name: 'acme-sales-clean.after.extract' }], gate: { stateMachineName: 'acme-sales-clean-join', definition: 'sales/clean.join.asl.json' } };
    const before = view([legacy as ManifestWorkflow], undefined, { 'sales/clean.join.asl.json': ASL });
    const after = view([manifestWorkflow('sales', 'clean', { routes: [ROUTE] })], RULE);
    const plan = planDiff(before, after);
    const sales = plan.useCases[0]!;
    expect(sales.rulesRemoved.map((r) => r.Name)).toEqual(['acme-sales-clean.after.extract']);
    expect(sales.machinesRemoved).toEqual([{ name: 'acme-sales-clean-join', workflow: 'clean' }]);
    expect(plan.platformRule).toEqual({ name: 'acme-lakestep-status', change: 'added' });
    expect(formatPlan(plan, 'before')).toContain('platform rule acme-lakestep-status: added');
  });

  it("replaces a platform machine whose name or type changed (an older build's Standard dispatcher), and names the states of one whose definition changed", () => {
    const after = view([manifestWorkflow('sales', 'clean')], RULE, { 'lakestep/dispatch.asl.json': ASL, 'lakestep/backfill.asl.json': ASL });
    after.manifest.machines!.dispatcher!.type = 'EXPRESS';
    const older = view([manifestWorkflow('sales', 'clean')], RULE, {
      'lakestep/dispatch.asl.json': ASL,
      'lakestep/backfill.asl.json': { StartAt: 'Done', States: { Done: { Type: 'Succeed', Comment: 'old' }, Gone: { Type: 'Succeed' } } },
    });
    older.manifest.machines!.dispatcher!.stateMachineName = 'acme-lakestep-dispatch';
    const plan = planDiff(older, after);
    expect(plan.platformMachines).toEqual([
      { role: 'dispatcher', name: 'acme-lakestep-dispatcher', type: 'EXPRESS', change: 'replaced', replaces: { name: 'acme-lakestep-dispatch', type: 'STANDARD' } },
      { role: 'backfill', name: 'acme-lakestep-backfill', type: 'STANDARD', change: 'changed', states: { statesAdded: [], statesRemoved: ['Gone'], statesChanged: [], commentsOnly: false } },
    ]);
    const text = formatPlan(plan, 'older');
    expect(text).toContain('platform dispatcher acme-lakestep-dispatcher (EXPRESS): replaces acme-lakestep-dispatch (STANDARD); CloudFormation creates it and deletes the other');
    expect(text).toContain('platform backfill acme-lakestep-backfill (STANDARD): definition changed (1 removed)');
    expect(text.split('\n').at(-1)).toBe('against older: 0 use case(s) changed, 0 added, 0 removed, 0 quarantined, 1 unchanged; 2 platform machine(s) changed');
    // A type change alone replaces it too; the same machines change nothing.
    const standard = view([manifestWorkflow('sales', 'clean')], RULE, { 'lakestep/dispatch.asl.json': ASL, 'lakestep/backfill.asl.json': ASL });
    expect(planDiff(standard, after).platformMachines).toEqual([expect.objectContaining({ role: 'dispatcher', change: 'replaced', replaces: { name: 'acme-lakestep-dispatcher', type: 'STANDARD' } })]);
    expect(planDiff(after, after).platformMachines).toBeUndefined();
  });

  it('knows equal definitions by their digests without reading them, and reads them when the digests differ or the tags changed', () => {
    const other: StateMachineDefinition = { StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 1, Next: 'Done' }, Done: { Type: 'Succeed' } } };
    const reads: string[] = [];
    /** The definitions of `v` behind digests; every read of one is noted. */
    const lazy = (v: BuildView, side: string, digests: Record<string, string>): BuildView => ({
      manifest: v.manifest,
      definitions: {
        get: (p) => (reads.push(`${side} ${p}`), v.definitions.get(p)),
        digest: (p) => digests[p],
      },
    });
    const [extract, clean] = [manifestWorkflow('sales', 'extract'), manifestWorkflow('sales', 'clean')];
    const paths = { [extract.definition]: 'a', [clean.definition]: 'b' };
    const before = lazy(view([extract, clean]), 'before', paths);
    // clean's definition differs (its digest too); extract's is the same: never read.
    const after = lazy(view([extract, clean], undefined, { [clean.definition]: other }), 'after', { ...paths, [clean.definition]: 'c' });
    const sales = planDiff(before, after).useCases[0]!;
    expect(sales.machinesChanged.map((m) => [m.workflow, m.statesAdded])).toEqual([['clean', ['Wait']]]);
    expect(reads.sort()).toEqual([`after ${clean.definition}`, `before ${clean.definition}`]);
    // The same digests with other tags: read, reported as a tag change only.
    reads.length = 0;
    const tagged = lazy(view([manifestWorkflow('sales', 'extract', { stateMachineTags: { 'lakestep:platform': 'acme', 'lakestep:notify-FAILED': 'yes' } }), clean]), 'after', paths);
    const retagged = planDiff(before, tagged).useCases[0]!;
    expect(retagged.machinesChanged).toEqual([expect.objectContaining({ workflow: 'extract', statesChanged: [], commentsOnly: false, tags: { 'lakestep:notify-FAILED': [undefined, 'yes'] } })]);
    expect(reads.sort()).toEqual([`after ${extract.definition}`, `before ${extract.definition}`]);
  });
});
