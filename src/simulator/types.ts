/**
 * Scenario (input) and result (output) of a simulation. The scenario file format is
 * documented in README.md beside this file.
 */
import type { Item } from './attribute-values.ts';
import type { DataSyncBehaviour } from './services/datasync.ts';
import type { JobRun } from './services/emr-serverless.ts';
import type { Notification } from './services/sns.ts';
import type { DataPoint } from './services/cloudwatch.ts';

export interface Scenario {
  /** Executions started by hand. */
  start?: ManualStart[];
  /** Time window in which schedule rules fire (`[start, end)`, ISO 8601). */
  window?: { start: string; end: string };
  /** Per workflow ref (`<use-case>/<dag>`, `lakestep/dispatch`) and Task state name. */
  faults?: Record<string, Record<string, Fault>>;
  /** Per workflow ref and Task state name: simulated seconds each call takes. */
  delays?: Record<string, Record<string, number>>;
  /** Per table name or DataSync task ARN. */
  datasync?: Record<string, DataSyncScenario>;
  /** Values jobs report for watermarks, by `<use-case>/<workflow>/<job>/<name>` or `<name>` (default: the run's `ts`). */
  watermarks?: Record<string, string>;
  /** Spark jobs whose runs end FAILED, by `<use-case>/<workflow>/<job>`. */
  jobs?: Record<string, JobScenario>;
  /**
   * Jobs whose quality checks of this severity fail (one failing row each), by
   * `<use-case>/<workflow>/<job>`, or only a table's, by `<use-case>/<workflow>/<job>/<database>.<table>`:
   * `error` fails the run with `Lakestep.QualityCheckFailed` (what the job published before
   * the failing checks stays published, as in the runtime), `warn` publishes and notifies.
   * Other checks pass.
   */
  checks?: Record<string, 'error' | 'warn'>;
  /** Items present in DynamoDB tables before the simulation, by table name. */
  dynamodb?: Record<string, Item[]>;
  /**
   * Tables (`<db>.<table>`) whose migration already finished, or `all` migrated tables:
   * their marks are set before the simulation, so ingestion and merges touching them run
   * rather than skip (src/phases/migration-guard.ts).
   */
  migrated?: 'all' | string[];
  /**
   * Simulated seconds before ListExecutions lists an execution that started (default 0): Step
   * Functions' listing is eventually consistent, which the `max_active_runs` gate allows for.
   */
  listing_lag?: number;
}

export interface ManualStart {
  /** `<use-case>/<dag>` (or `lakestep/dispatch`, or a state machine name). */
  workflow: string;
  /** `YYYY-MM-DD` or an ISO timestamp; default: the window start. */
  logical_date?: string;
  /** Simulated start time; default: the logical date. */
  at?: string;
  /** Execution name; default: from the logical date (`2026-01-01T000000Z`). */
  name?: string;
  /** Execution input; default `{"trigger":"manual","logical_date":<iso>}`. */
  input?: unknown;
  /** Simulated seconds before ListExecutions lists this execution (default: the scenario's `listing_lag`). */
  listing_lag?: number;
}

export interface Fault {
  /** Error name raised to the state (`EMRServerless.InternalServerException`). */
  error: string;
  cause?: string;
  /** Calls that fail (per execution), then calls succeed; `always` never succeeds. Default 1. */
  times?: number | 'always';
}

export interface JobScenario {
  /** Only `FAILED` for now. */
  state: 'FAILED';
  /** `StateDetails` of the failed run. */
  details?: string;
  /** Runs that fail per execution; default `always`. */
  times?: number | 'always';
}

export interface DataSyncScenario {
  status?: 'SUCCESS' | 'ERROR';
  error_code?: string;
  error_detail?: string;
  extra_polls?: number;
}

export function dataSyncBehaviour(s: DataSyncScenario | undefined): DataSyncBehaviour {
  if (!s) return {};
  const out: DataSyncBehaviour = {};
  if (s.status) out.status = s.status;
  if (s.error_code) out.errorCode = s.error_code;
  if (s.error_detail) out.errorDetail = s.error_detail;
  if (s.extra_polls) out.extraPolls = s.extra_polls;
  return out;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export type Trigger =
  | { kind: 'manual' }
  | { kind: 'schedule'; rule: string; time: string }
  | { kind: 'event'; rule: string; source: string }
  | { kind: 'startExecution'; parent: string };

export interface ExecutionResult {
  workflow: string;
  stateMachine: string;
  name: string;
  executionArn: string;
  status: ExecutionStatus;
  input: unknown;
  output: unknown;
  error: string | null;
  cause: string | null;
  /** The state that raised `error` first (for a caught error re-raised by a Fail state, the state it was caught from). */
  failedState: string | null;
  trigger: Trigger;
  startTime: string;
  stopTime: string | null;
  /** States entered, Map iterations and Parallel branches included. */
  stateTransitions: number;
}

export type TimelineKind = 'started' | 'entered' | 'succeeded' | 'failed' | 'retried' | 'caught' | 'event-routed' | 'notification';

export interface TimelineEntry {
  /** Simulated time, ISO 8601. */
  time: string;
  workflow: string;
  execution: string;
  /** Absent for execution-level entries, except a failed execution's end, which names the state that failed. */
  state?: string;
  stateType?: string;
  kind: TimelineKind;
  details?: Record<string, unknown>;
}

export interface SimulationResult {
  executions: ExecutionResult[];
  notifications: Notification[];
  /** CloudWatch data points the workflows put (the freshness metric). */
  metrics: DataPoint[];
  dynamodb: Record<string, Item[]>;
  s3: Record<string, string>;
  jobRuns: JobRun[];
  timeline: TimelineEntry[];
  /** Placeholders without a fake value (filled with `sim-<Name>`). */
  unknownPlaceholders: string[];
  /** Defects of the compiled artifacts that would fail on AWS (worked around unless `strict`). */
  problems: string[];
  stats: { executions: number; transitions: number; realMs: number; executionsPerSecond: number; transitionsPerSecond: number };
}
