/**
 * Phase normalizers, dispatched on the spec kind a dag reads. Each turns a
 * schema-valid phase file into a {@link WorkflowBody}, reporting semantic errors.
 */
import type { DagSpec, SpecKinds } from '../spec/types.ts';
import { fail, type PhaseContext } from './context.ts';
import type { WorkflowBody } from './types.ts';

export type PhaseNormalizer<K extends keyof SpecKinds> = (ctx: PhaseContext, spec: SpecKinds[K], dag: DagSpec) => WorkflowBody | undefined;

const notYet = (ctx: PhaseContext, _spec: unknown, dag: DagSpec): undefined => {
  fail(ctx, 'PHASE_NOT_COMPILED', `dag '${dag.name}': ${dag.type} workflows are not compiled yet; give it a \`spark:\` block`, '');
  return undefined;
};

export const PHASES: { [K in 'migration' | 'ingestion' | 'processing' | 'maintenance']: PhaseNormalizer<K> } = {
  migration: notYet,
  ingestion: notYet,
  processing: notYet,
  maintenance: notYet,
};
