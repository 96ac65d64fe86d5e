/**
 * The simulator's Step Functions as an {@link ExecutionApi}, so the schedule starter and
 * the operator commands (`run`, `backfill`) start simulated runs with the same code they
 * use against AWS: a name is looked up, then started; a taken name is `taken`.
 */
import type { ExecutionApi } from '../starter/executions.ts';
import { info } from './schedule-starter.ts';
import type { Simulator } from './simulator.ts';

/** Starts go at simulated time `at` (ISO 8601 or epoch ms). */
export function simulatorExecutions(sim: Simulator, at: string | number): ExecutionApi {
  return {
    async describe(executionArn) {
      const e = sim.executionByArn(executionArn);
      return e ? info(e) : undefined;
    },
    async start(req) {
      const machine = sim.build.machines.find((m) => m.arn === req.stateMachineArn);
      if (!machine) throw Object.assign(new Error(`State Machine Does Not Exist: '${req.stateMachineArn}'`), { name: 'StateMachineDoesNotExist' });
      if (sim.execution(req.stateMachineArn, req.name)) return 'taken';
      const executionArn = sim.start(machine.ref, JSON.parse(req.input) as unknown, { name: req.name, at });
      return { executionArn, startDate: new Date(typeof at === 'number' ? at : Date.parse(at)) };
    },
  };
}
