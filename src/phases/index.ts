/**
 * Phase compilers, dispatched on the workflow body's kind: adding a kind to
 * `WorkflowBody` fails to compile until it has an entry here.
 */
import type { WorkflowBody } from '../ir/types.ts';
import { compileIngestion } from './ingestion.ts';
import { compileMaintenance } from './maintenance.ts';
import { compileMigration } from './migration.ts';
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
  return (PHASE_COMPILERS[body.kind] as PhaseCompiler<WorkflowBody>)(body, input);
}
