/**
 * Phase compilers, dispatched on the workflow body's kind: adding a kind to
 * `WorkflowBody` fails to compile until it has an entry here. Every phase's states
 * start behind the migration guard of the tables it waits for (migration-guard.ts).
 */
import type { WorkflowBody } from '../ir/types.ts';
import { compileIngestion } from './ingestion.ts';
import { compileMaintenance } from './maintenance.ts';
import { compileMigration } from './migration.ts';
import { migrationGuard } from './migration-guard.ts';
import { compileProcessing } from './processing.ts';
import { compileSpark } from './spark.ts';
import type { PhaseCompiler, PhaseInput, PhaseOutput } from './types.ts';

type Bodies = { [K in WorkflowBody['kind']]: Extract<WorkflowBody, { kind: K }> };
type Compilers = { [K in WorkflowBody['kind']]: PhaseCompiler<Bodies[K]> };

export const PHASE_COMPILERS: Compilers = {
  spark: (b, i) => compileSpark(b.spark, i),
  migration: (b, i) => compileMigration(b.migration, i),
  ingestion: (b, i) => compileIngestion(b.ingestion, i),
  processing: (b, i) => compileProcessing(b.processing, i),
  maintenance: (b, i) => compileMaintenance(b.maintenance, i),
};

export function compilePhase(input: PhaseInput): PhaseOutput {
  const body = input.workflow.body;
  const out = (PHASE_COMPILERS[body.kind] as PhaseCompiler<WorkflowBody>)(body, input);
  if (!input.waits?.length) return out;
  const guard = migrationGuard(input.waits, out.startAt);
  for (const name of Object.keys(guard.states)) if (name in out.states) throw new Error(`state name '${name}' is used twice in ${input.workflow.stateMachineName}`);
  return { ...out, startAt: guard.startAt, states: { ...guard.states, ...out.states } };
}
