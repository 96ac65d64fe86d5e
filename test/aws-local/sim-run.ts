/**
 * Runs a case in the simulator through its public API: a fresh `Simulator` per case,
 * the case's starts, `runUntilIdle()`, then `result()`.
 */
import { Simulator, type Scenario } from '../../src/simulator/index.ts';
import type { StateMachineDefinition } from '../../src/index.ts';
import { firstEntries, type Case, type ObservedExecution, type Observation } from './cases.ts';
import { caseTimes, normalizeExecutions, normalizeItems } from './normalize.ts';
import { pollingStates, taskResources } from './rewrite.ts';
import { simulatorExecutions } from '../../src/simulator/index.ts';
import { startScheduledRun } from '../../src/starter/scheduled.ts';
import { backfill } from '../../src/ops/backfill.ts';
import { runWorkflow } from '../../src/ops/run.ts';
import type { OperatorStep } from './cases.ts';
import { operatorTarget } from './operator-target.ts';
import { starterRequest } from './starter.ts';
import { GATE_WAIT_STATE } from '../../src/asl/gate.ts';

/** An operator command through `src/ops` against the simulator; a backfill's waits let the simulator run. */
async function operate(sim: Simulator, step: OperatorStep, started: string[]): Promise<void> {
  const at = '2026-12-15T00:00:00Z';
  const base = simulatorExecutions(sim, at);
  const api = { ...base, start: async (req: Parameters<typeof base.start>[0]) => {
    const out = await base.start(req);
    if (out !== 'taken') started.push(out.executionArn);
    return out;
  } };
  const target = operatorTarget(sim.build.manifest, step.ref, sim.build.machines.find((m) => m.ref === step.ref)!.arn);
  const now = new Date(at);
  if (step.command === 'run') await runWorkflow(api, target, { date: step.date, now, ...(step.rerun ? { rerun: true } : {}) });
  else await backfill(api, target, { from: step.from, to: step.to, now, maxConcurrency: step.maxConcurrency ?? 40, sleep: () => sim.runUntilIdle(), pollSeconds: 0 });
}

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
    } else if ('fire' in phase) {
      const request = starterRequest(sim.build.schedules.filter((s) => s.ref === phase.fire.ref).map((s) => s.schedule), phase.fire.at);
      const out = await startScheduledRun(simulatorExecutions(sim, phase.fire.at), request);
      if (out.outcome === 'started') started.push(out.executionArn);
    } else if ('operator' in phase) {
      await operate(sim, phase.operator, started);
    } else {
      const first = (await sim.result()).executions.find((e) => e.workflow === phase.redeliver);
      if (!first) throw new Error(`${phase.redeliver} never started, nothing to deliver again`);
      started.push(sim.start(phase.redeliver, first.input));
    }
    await sim.runUntilIdle();
  }
  const result = await sim.result();
  // The executions the case started, and those they started (a dated start under its canonical name).
  const byCase = (e: (typeof result.executions)[number]): boolean => started.includes(e.executionArn) || (e.trigger.kind === 'startExecution' && started.includes(e.trigger.parent));
  const runs = c.route ? result.executions : result.executions.filter(byCase);
  const executions: ObservedExecution[] = runs.map((e) => {
    const index = taskResources(definitions.get(e.workflow) as StateMachineDefinition);
    const mine = result.timeline.filter((t) => t.workflow === e.workflow && t.execution === e.name && t.kind === 'entered' && t.state !== undefined);
    const entered = mine.filter((t) => index.has(t.state!));
    const polling = pollingStates(definitions.get(e.workflow) as StateMachineDefinition);
    // Every state the simulator entered is on the timeline: its count is the billed one's, stateTransitions.
    if (mine.length !== e.stateTransitions) throw new Error(`${e.workflow} ${e.name}: ${mine.length} states on the timeline, ${e.stateTransitions} transitions counted`);
    return {
      ref: e.workflow,
      name: e.name,
      status: e.status,
      error: e.error,
      cause: e.cause,
      resources: firstEntries(entered.map((t) => ({ state: t.state as string, resource: index.get(t.state as string) as string }))),
      entered: mine.filter((t) => !polling.has(t.state!)).length,
      gateWaits: mine.filter((t) => t.state === GATE_WAIT_STATE).length,
    };
  });
  const arns = runs.map((e) => e.executionArn);
  const seeded = new Set(Object.values(c.seed ?? {}).flat().map((i) => JSON.stringify([i.pk, i.sk])));
  const known = caseTimes(c);
  const items: Record<string, unknown[]> = {};
  // Without routing moto runs no dispatcher: the entry the simulator's dispatcher writes when it notifies an end (it names the execution) is left out too.
  const dispatched = (i: Record<string, unknown>): boolean => ((i.sk as { S?: string } | undefined)?.S ?? '').startsWith('notified/');
  for (const [table, rows] of Object.entries(result.dynamodb)) {
    const mine = (rows as Record<string, unknown>[]).filter((i) => c.route || seeded.has(JSON.stringify([i.pk, i.sk])) || (arns.some((a) => JSON.stringify(i).includes(a)) && !dispatched(i)));
    if (mine.length > 0) items[table] = normalizeItems(mine, known);
  }
  // On moto an SQS queue subscribed to the platform topic is what is read: not the dags' own topics.
  const platformTopic = sim.build.placeholders.NotificationTopicArn;
  const notifications = result.notifications
    .filter((n) => n.via === 'state' && n.topicArn === platformTopic && arns.some((a) => n.origin.startsWith(`${a}#`)))
    .map((n) => ({ subject: n.subject ?? '', message: n.message }));
  return { executions: normalizeExecutions(executions, known), items, notifications };
}
