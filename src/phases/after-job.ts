/**
 * What follows a job of the lakestep runtime once it succeeded: its result read, the
 * quality gate when it audits tables (src/phases/quality-gate.ts), the watermarks it
 * reports advanced, then the publish records of tables with a freshness SLA — so a run
 * whose checks fail moves no watermark and records no publish.
 */
import type { Platform, Workflow } from '../ir/types.ts';
import { qualityGate, recordPublishes } from './quality-gate.ts';
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
  const gate = a.audited ? qualityGate(a.workflow, advances.startAt, ON_FAILURE) : { startAt: advances.startAt, states: {} };
  const needsResult = a.audited || a.advances.length > 0;
  const read = needsResult ? readResult(a.workflow, a.job, gate.startAt) : { startAt: gate.startAt, states: {} };
  return { startAt: read.startAt, states: { ...read.states, ...gate.states, ...advances.states, ...publishes.states } };
}
