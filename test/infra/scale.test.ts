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

  it("synthesizes every workflow and join machine, and the platform's backfill machine, exactly once", () => {
    const expected = [
      ...manifest.useCases.flatMap((u) => u.workflows.flatMap((w) => [w.stateMachineName, ...(w.gate ? [w.gate.stateMachineName] : [])])),
      ...(manifest.machines ? [manifest.machines.backfill.stateMachineName] : []),
    ];
    const names = resourcesOfType(s, 'AWS::StepFunctions::StateMachine').map((m) => m.props.StateMachineName as string);
    expect(names.sort()).toEqual(expected.sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it('maps every rule of the manifest', () => {
    const expected = manifest.useCases.flatMap((u) => u.workflows.flatMap((w) => w.rules.map((r) => r.Name)));
    expect(resourcesOfType(s, 'AWS::Events::Rule').map((r) => r.props.Name).sort()).toEqual(expected.sort());
  });
});
