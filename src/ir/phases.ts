/**
 * Phase normalizers, dispatched on the spec kind a dag reads. Each turns a
 * schema-valid phase file into a {@link WorkflowBody}, reporting semantic errors.
 */
import type { DagSpec, SpecKinds } from '../spec/types.ts';
import type { PhaseContext } from './context.ts';
import { normalizeIngestion } from './ingestion.ts';
import { normalizeMaintenance } from './maintenance.ts';
import { normalizeMigration } from './migration.ts';
import { normalizeProcessing } from './processing.ts';
import type { WorkflowBody } from './types.ts';

export type PhaseNormalizer<K extends keyof SpecKinds> = (ctx: PhaseContext, spec: SpecKinds[K], dag: DagSpec) => WorkflowBody | undefined;

/** The lists of each phase file whose items are checked one by one: a schema error in one item leaves the others checked. */
export const PHASE_LISTS: { [K in keyof typeof PHASES]: readonly string[] } = {
  migration: ['/tables'],
  ingestion: ['/batch', '/micro_batch'],
  processing: ['/merges', '/sql'],
  maintenance: ['/tables'],
};

export const PHASES: { [K in 'migration' | 'ingestion' | 'processing' | 'maintenance']: PhaseNormalizer<K> } = {
  migration: normalizeMigration,
  ingestion: normalizeIngestion,
  processing: normalizeProcessing,
  maintenance: normalizeMaintenance,
};
