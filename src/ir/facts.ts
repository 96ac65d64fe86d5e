/**
 * What the whole-platform stages read of a workflow: its place in the dag
 * graph (name, schedule, `depends_on`), its table-access entries
 * (src/ir/access.ts) and the tables a migration converts or a Kafka source
 * starts from. The checks across use cases (missing dependencies, the table
 * catalog, migration waits, Lake Formation databases, the DataSync quota) take
 * these facts rather than the whole IR, so the incremental compile keeps them
 * beside each cached use case and reads its IR only when that use case is
 * assembled again (src/compile/cache.ts).
 */
import { workflowAccess } from './access.ts';
import type { Origin } from '../diagnostics.ts';
import type { TableAccess, TableRef, UseCase, Workflow, WorkflowBody, WorkflowRef } from './types.ts';

export interface WorkflowFacts {
  useCase: string;
  name: string;
  kind: WorkflowBody['kind'];
  schedule?: string;
  dependsOn: WorkflowRef[];
  origin: Origin;
  /** Every table access, in spec order ({@link workflowAccess}). */
  access: TableAccess[];
  /** Positions ({@link originKey}) of its Kafka sources in `streaming` mode, which never finish. */
  streaming: string[];
  /** Tables a migration converts, in spec order. */
  migrates: TableRef[];
  /** Tables whose watermark starts one of its Kafka sources, with the source's name. */
  watermarks: { source: string; target: TableRef }[];
}

export interface UseCaseFacts {
  name: string;
  owner: string;
  specHash: string;
  workflows: WorkflowFacts[];
}

/** Where dag `workflow` of `useCase` is declared, from the use cases' IR or their facts (undefined when absent). */
export function workflowOrigin(useCases: readonly { name: string; workflows: readonly { name: string; origin: Origin }[] }[], useCase: string, workflow: string): Origin | undefined {
  return useCases.find((x) => x.name === useCase)?.workflows.find((x) => x.name === workflow)?.origin;
}

/** Where a spec item is, as one string: the key of {@link WorkflowFacts.streaming}. */
export function originKey(origin: Pick<Origin, 'file' | 'pointer'>): string {
  return `${origin.file}#${origin.pointer}`;
}

export function workflowFacts(w: Workflow): WorkflowFacts {
  const kafka = w.body.kind === 'ingestion' ? w.body.ingestion.kafka : [];
  return {
    useCase: w.useCase,
    name: w.name,
    kind: w.body.kind,
    ...(w.schedule === undefined ? {} : { schedule: w.schedule }),
    dependsOn: w.dependsOn,
    origin: w.origin,
    access: workflowAccess(w),
    streaming: kafka.filter((k) => k.mode === 'streaming').map((k) => originKey(k.origin)),
    migrates: w.body.kind === 'migration' ? w.body.migration.tables.map((t) => t.target) : [],
    watermarks: kafka.flatMap((k) => (k.startFromWatermark ? [{ source: k.name, target: k.startFromWatermark.target }] : [])),
  };
}

export function useCaseFacts(uc: UseCase): UseCaseFacts {
  return { name: uc.name, owner: uc.owner, specHash: uc.specHash, workflows: uc.workflows.map(workflowFacts) };
}
