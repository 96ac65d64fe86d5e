/**
 * The platform's backfill state machine (`lakestep backfill --detach`): a Distributed
 * Map over the runs the command planned, `MaxConcurrency` from the input, each item
 * starting one run under its deterministic name with `startExecution.sync:2` and waiting
 * for it. The command decides every run first (skip, run, rerun); the machine only
 * starts, so closing the laptop does not stop a long backfill.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 */
import type { Platform } from '../ir/types.ts';
import { backfillMachineName } from '../naming.ts';
import { retryFor } from './policy.ts';
import { template } from './templates.ts';
import type { StateMachineDefinition } from './types.ts';

export interface BackfillMachine {
  stateMachineName: string;
  definition: StateMachineDefinition;
}

export function backfillMachine(platform: Platform): BackfillMachine {
  return {
    stateMachineName: backfillMachineName(platform.prefix),
    definition: template<StateMachineDefinition>('backfill', { prefix: platform.prefix, statesRetry: retryFor('states') }),
  };
}
