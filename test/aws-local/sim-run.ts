/**
 * Runs a case in the simulator through its public API: a fresh `Simulator` per case,
 * the case's starts, `runUntilIdle()`, then `result()`.
 */
import { Simulator, type Scenario } from '../../src/simulator/index.ts';
import type { StateMachineDefinition } from '../../src/index.ts';
import { firstEntries, type Case, type ObservedExecution, type Observation } from './cases.ts';
import { caseTimes, normalizeExecutions, normalizeItems } from './normalize.ts';
import { taskResources } from './rewrite.ts';

/** Runs `c` against the artifacts in `buildDir` and returns what the simulator did (normalized). */
export async function runInSimulator(buildDir: string, c: Case, definitions: Map<string, StateMachineDefinition>): Promise<Observation> {
  // Task calls take a simulated second, about what they take on moto: a failing job then
  // fails within the workflow's timeout on both (the simulator's default job run is 300 s).
  const delays: NonNullable<Scenario['delays']> = {};
  for (const [ref, definition] of definitions) {
    delays[ref] = Object.fromEntries([...taskResources(definition).keys()].map((state) => [state, 1]));
  }
  const scenario: Scenario = {
    delays,
    ...(c.seed ? { dynamodb: c.seed as Scenario['dynamodb'] } : {}),
    ...(c.failedJobs ? { jobs: Object.fromEntries(c.failedJobs.map((j) => [j, { state: 'FAILED' as const }])) } : {}),
    ...(c.failedChecks ? { checks: c.failedChecks } : {}),
    ...(c.datasyncErrors ? { datasync: Object.fromEntries(c.datasyncErrors.map((t) => [t, { status: 'ERROR' as const, error_code: 'OpNotSupp' }])) } : {}),
  };
  const sim = new Simulator(buildDir, scenario, { now: '2026-11-25T12:00:00Z' });
  try {
    return await observe(sim, c, definitions);
  } finally {
    await sim.close();
  }
}

async function observe(sim: Simulator, c: Case, definitions: Map<string, StateMachineDefinition>): Promise<Observation> {
  const started: string[] = [];
  for (const phase of c.phases) {
    if ('start' in phase) {
      for (const s of phase.start) started.push(sim.start(s.ref, s.input, { name: s.name, ...(s.at ? { at: s.at } : {}) }));
    } else {
      const first = (await sim.result()).executions.find((e) => e.workflow === phase.redeliver);
      if (!first) throw new Error(`${phase.redeliver} never started, nothing to deliver again`);
      started.push(sim.start(phase.redeliver, first.input));
    }
    await sim.runUntilIdle();
  }
  const result = await sim.result();
  const runs = c.route ? result.executions : result.executions.filter((e) => started.includes(e.executionArn));
  const executions: ObservedExecution[] = runs.map((e) => {
    const index = taskResources(definitions.get(e.workflow) as StateMachineDefinition);
    const entered = result.timeline.filter((t) => t.workflow === e.workflow && t.execution === e.name && t.kind === 'entered' && t.state !== undefined && index.has(t.state));
    return { ref: e.workflow, name: e.name, status: e.status, error: e.error, cause: e.cause, resources: firstEntries(entered.map((t) => ({ state: t.state as string, resource: index.get(t.state as string) as string }))) };
  });
  const arns = runs.map((e) => e.executionArn);
  const seeded = new Set(Object.values(c.seed ?? {}).flat().map((i) => JSON.stringify([i.pk, i.sk])));
  const known = caseTimes(c);
  const items: Record<string, unknown[]> = {};
  for (const [table, rows] of Object.entries(result.dynamodb)) {
    const mine = (rows as Record<string, unknown>[]).filter((i) => c.route || seeded.has(JSON.stringify([i.pk, i.sk])) || arns.some((a) => JSON.stringify(i).includes(a)));
    if (mine.length > 0) items[table] = normalizeItems(mine, known);
  }
  const notifications = result.notifications.filter((n) => n.via === 'state' && arns.some((a) => n.origin.startsWith(`${a}#`))).map((n) => ({ subject: n.subject ?? '', message: n.message }));
  return { executions: normalizeExecutions(executions, known), items, notifications };
}
