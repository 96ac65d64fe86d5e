/**
 * Every compiled state machine of specs/ and of the golden cases deployed into moto,
 * and each scenario run on moto and in the simulator: both must agree on final status,
 * error, the task resources entered, the number of states entered (outside polling loops) and
 * the DynamoDB items written, and each case's
 * expectation must hold. Prints the comparison table.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StateMachineDefinition } from '../../src/index.ts';
import { compileBuilds, type CompiledBuild } from './builds.ts';
import { caseId, type Case, type Observation } from './cases.ts';
import { deploy } from './deploy.ts';
import { MotoRunner } from './moto-run.ts';
import { differences } from './normalize.ts';
import { isolatedCases, migrationGuardCases, overlapCases, routedCases } from './scenarios.ts';
import { timeCases } from './time-cases.ts';
import { runInSimulator } from './sim-run.ts';

interface Outcome {
  moto?: Observation;
  sim?: Observation;
  motoError?: string;
  simError?: string;
}

const builds: CompiledBuild[] = await compileBuilds();
// AWS_LOCAL_CASES=<regex> narrows the run to matching case ids (while working on one).
const only = process.env.AWS_LOCAL_CASES ? new RegExp(process.env.AWS_LOCAL_CASES) : undefined;
const specs = builds.find((b) => b.name === 'specs') as CompiledBuild;
const cases: Case[] = [...builds.flatMap((b) => isolatedCases(b.name, b.dir)), ...routedCases(specs.dir), ...migrationGuardCases(specs.dir), ...overlapCases(), ...timeCases()].filter((c) => !only || only.test(caseId(c)));
const outcomes = new Map<Case, Outcome>();
const runners = new Map<string, MotoRunner>();
const definitions = new Map<string, Map<string, StateMachineDefinition>>();

const status = (o: Observation | undefined, ref: string): string => {
  const e = o?.executions.find((x) => x.ref === ref);
  return e ? `${e.status}${e.error ? ` ${e.error}` : ''}` : '-';
};

beforeAll(async () => {
  const endpoint = inject('motoEndpoint');
  const t0 = Date.now();
  for (const b of builds) {
    const d = await deploy(endpoint, b.dir, b.name);
    runners.set(b.name, new MotoRunner(d));
    definitions.set(b.name, new Map(d.machines.map((m) => [m.ref, m.definition])));
  }
  const deployed = Date.now();
  for (const c of cases) {
    const o: Outcome = {};
    outcomes.set(c, o);
    const build = builds.find((b) => b.name === c.build) as CompiledBuild;
    try {
      o.sim = await runInSimulator(build.dir, c, definitions.get(c.build) as Map<string, StateMachineDefinition>);
    } catch (e) {
      o.simError = String(e);
    }
  }
  const simulated = Date.now();
  const runCase = async (c: Case): Promise<void> => {
    const o = outcomes.get(c) as Outcome;
    const t = Date.now();
    try {
      o.moto = await (runners.get(c.build) as MotoRunner).run(c);
    } catch (e) {
      o.motoError = String(e);
    }
    process.stderr.write(`moto ${caseId(c)}: ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  };
  // One case at a time: concurrent executions on moto failed at random with States.Runtime (README.md).
  for (const c of cases) await runCase(c);
  console.log(`moto: deployed ${[...definitions.values()].reduce((n, m) => n + m.size, 0)} state machines of ${builds.length} builds in ${((deployed - t0) / 1000).toFixed(1)} s; simulator ${((simulated - deployed) / 1000).toFixed(1)} s; moto cases ${((Date.now() - simulated) / 1000).toFixed(1)} s`);
}, 1_500_000);

afterAll(async () => {
  for (const r of runners.values()) await r.stop();
  const rows = [['scenario', 'workflow', 'moto', 'simulator', 'agree']];
  for (const c of cases) {
    const o = outcomes.get(c);
    const diff = o?.moto && o.sim ? differences(o.moto, o.sim) : ['not run'];
    const verdict = diff.length === 0 ? (c.knownGap ? `yes (known gap: ${c.knownGap})` : 'yes') : c.motoGap ? `moto gap: ${c.motoGap}` : 'NO';
    rows.push([c.scenario, c.build === 'specs' ? c.workflow : `${c.build}:${c.workflow}`, o?.motoError ? 'error' : status(o?.moto, c.workflow), o?.simError ? 'error' : status(o?.sim, c.workflow), verdict]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  console.log(rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n'));
});

describe.each(cases.map((c) => [caseId(c), c] as const))('%s', (_, c) => {
  it('runs on both interpreters', () => {
    const o = outcomes.get(c);
    expect(o?.motoError ?? null).toBeNull();
    expect(o?.simError ?? null).toBeNull();
  });
  // A moto gap makes this one disagree; when moto is fixed the test fails and the gap goes.
  (c.motoGap ? it.fails : it)(c.motoGap ? `moto disagrees (moto gap: ${c.motoGap})` : 'moto and the simulator agree', () => {
    const o = outcomes.get(c);
    expect(o?.moto && o.sim ? differences(o.moto, o.sim) : ['not run']).toEqual([]);
  });
  (c.knownGap ? it.fails : it)(c.knownGap ? `expectation (known gap: ${c.knownGap})` : 'meets its expectation', () => {
    const o = outcomes.get(c);
    if (!c.motoGap) expect(o?.moto && c.expect ? c.expect(o.moto) : undefined).toBeUndefined();
    expect(o?.sim && c.expect ? c.expect(o.sim) : undefined).toBeUndefined();
  });
});
