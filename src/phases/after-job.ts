/**
 * What follows a job of the lakestep runtime once it succeeded: its result read, the
 * quality gate when it audits tables (src/phases/quality-gate.ts), the watermarks it
 * reports advanced, then the publish records of tables with a freshness SLA — so a run
 * whose checks fail moves no watermark and records no publish, except for the tables it
 * published before its checks stopped it (the result's `summary.published`).
 */
import type { Platform, Workflow } from '../ir/types.ts';
import { partlyPublished, qualityGate, recordPublishes } from './quality-gate.ts';
import { ON_FAILURE } from '../asl/frame.ts';
import { chainWatermarkAdvances, readResult, type Fragment, type WatermarkUse } from './watermarks.ts';

export interface AfterJob {
  workflow: Workflow;
  platform: Platform;
  job: string;
  /** The job audits tables: its result holds `quality`. */
  audited: boolean;
  /** Watermarks the result advances. */
  advances: readonly WatermarkUse[];
  /** `database.table` of the tables with a freshness SLA the job publishes. */
  freshness: readonly string[];
  next: string;
}

export function afterJob(a: AfterJob): Fragment {
  const publishes = recordPublishes(a.workflow, a.platform.prefix, a.freshness, a.next);
  const advances = chainWatermarkAdvances(a.workflow, a.job, a.advances, publishes.startAt, false);
  // A job stopped by its checks or a conflict may have published some tables first (an ingestion's JDBC
  // targets before its Kafka batches, a batch before the next): their watermarks and publishes are recorded.
  const watermarks = a.advances.flatMap((u) => (u.table ? [{ label: u.label, key: u.key, resultKey: u.resultKey ?? u.param, table: u.table }] : []));
  const partly = partlyPublished(a.workflow, a.platform.prefix, watermarks, a.freshness, ON_FAILURE);
  const gate = a.audited ? qualityGate(a.workflow, advances.startAt, ON_FAILURE, {}, partly) : { startAt: advances.startAt, states: {} };
  const needsResult = a.audited || a.advances.length > 0;
  const read = needsResult ? readResult(a.workflow, a.job, gate.startAt) : { startAt: gate.startAt, states: {} };
  return { startAt: read.startAt, states: { ...read.states, ...gate.states, ...advances.states, ...publishes.states } };
}
