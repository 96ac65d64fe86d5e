/**
 * The CDK app on a generated 1,000-workflow platform (bench/generate.ts: 200 use
 * cases × 5 dags), compiled for real and synthesized into real templates.
 * cdk-nag and CloudFormation's schema validation are off here to fit the test
 * budget (about 2 minutes with both); `npx tsx bench/run.ts synth` measures the
 * full synth, and example.test.ts runs cdk-nag on the same constructs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSpecs } from '../../bench/generate.ts';
import type { Manifest } from '../../src/build/types.ts';
import { compileToBuild } from './compiled.ts';
import { resourcesOfType, type Synthesized, synthesize } from './synth.ts';

const USE_CASES = 200;

let s: Synthesized;
let manifest: Manifest;

beforeAll(() => {
  const { buildDir } = compileToBuild(generateSpecs({ useCases: USE_CASES }).sources);
  manifest = JSON.parse(readFileSync(join(buildDir, 'manifest.json'), 'utf8')) as Manifest;
  s = synthesize(buildDir, { nagChecks: false, lean: true });
}, 180_000);

describe('a 1,000-workflow platform', () => {
  it('compiles every generated use case', () => {
    expect(manifest.quarantined.map((q) => q.useCase)).toEqual([]);
    expect(manifest.useCases).toHaveLength(USE_CASES);
    expect(manifest.useCases.flatMap((u) => u.workflows)).toHaveLength(USE_CASES * 5);
  });

  it('keeps every stack under 500 resources and 1 MB of template', () => {
    expect(s.json.size).toBeGreaterThan(USE_CASES);
    for (const [name, t] of s.json) {
      expect(Object.keys(t.Resources).length, name).toBeLessThan(500);
      expect(JSON.stringify(t).length, name).toBeLessThan(1_000_000);
    }
  });

  it("synthesizes every workflow's machine exactly once, and no join machine", () => {
    const expected = [...manifest.useCases.flatMap((u) => u.workflows.map((w) => w.stateMachineName)), 'acme-lakestep-backfill', 'acme-lakestep-dispatch'];
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
  it('compiles with at most 50 EventBridge rules and no quota warning', () => {
    const { result } = compileToBuild(generateSpecs({ useCases: 1000 }).sources);
    expect(result.quarantined).toEqual([]);
    expect(result.manifest.useCases.flatMap((u) => u.workflows)).toHaveLength(5000);
    expect(result.manifest.useCases.flatMap((u) => u.workflows).filter((w) => w.dependsOn.length).length).toBeGreaterThan(1000);
    expect(result.diagnostics.filter((d) => d.code.startsWith('EVENTS_'))).toEqual([]);
    // The rules infra deploys are the manifest's (the 200-use-case synth above checks that one to one).
    const rules = Number(/^(\d+) of \d+ rules/.exec(result.rulesSummary)?.[1]);
    expect(rules).toBe(1);
    expect(rules).toBeLessThanOrEqual(50);
    expect(result.manifest.machines?.dispatcher?.rule).toBeDefined();
    expect([...result.files.keys()].filter((p) => p.endsWith('.join.asl.json'))).toEqual([]);
  }, 600_000);
});
