/**
 * One call from a build/ directory and a scenario to a result.
 */
import { performance } from 'node:perf_hooks';
import { Simulator, type SimulatorOptions } from './simulator.ts';
import type { Scenario, SimulationResult } from './types.ts';

/**
 * Runs a scenario against the artifacts in `buildDir`: manual starts, schedules over
 * the window, and everything their events start, until nothing is left to run.
 */
export async function simulate(opts: { buildDir: string; scenario: Scenario } & SimulatorOptions): Promise<SimulationResult> {
  const { buildDir, scenario, ...options } = opts;
  const sim = new Simulator(buildDir, scenario, options);
  try {
    const t0 = performance.now();
    sim.applyScenario();
    await sim.runUntilIdle();
    const realMs = performance.now() - t0;
    return await sim.result(realMs);
  } finally {
    await sim.close();
  }
}
