/** What a phase compiler receives and returns. */
import type { PhaseStates } from '../asl/frame.ts';
import type { DataSyncResource, JobDocument } from '../build/types.ts';
import type { MigrationWait } from '../ir/migration-order.ts';
import type { Platform, Workflow } from '../ir/types.ts';

export interface PhaseInput {
  workflow: Workflow;
  platform: Platform;
  /** Migrated tables the workflow touches: its states start behind their marks. */
  waits?: readonly MigrationWait[];
}

export interface PhaseOutput extends PhaseStates {
  /** Job documents of the lakestep runtime, written under build/<use-case>/jobs/<workflow>/. */
  jobs: JobDocument[];
  resources: { emr: boolean; datasync: DataSyncResource[]; secrets: string[]; secretKeys?: string[] };
  /** Spark job runs on the success path. */
  sparkJobs: number;
  /** Worst-case execution size, where the phase knows better than the generic count (src/asl/limits.ts). */
  limits?: { historyEvents: number; payloadBytes: number };
  /** Maintenance only: schedule groups and their tasks. */
  scheduleGroups?: { schedule: string; group: string; tasks: { table: string; kind: string }[] }[];
  /** Maintenance only: `database.table` of the tables Glue's table optimizers maintain. */
  managedTables?: string[];
}

export type PhaseCompiler<B> = (body: B, input: PhaseInput) => PhaseOutput;
