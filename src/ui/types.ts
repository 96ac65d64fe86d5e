/**
 * The data of the platform page (`lakestep ui`): what the HTML embeds as JSON
 * and the page's script draws. Built in Node from the manifest and the runs
 * (page-data.ts); read in the browser by src/ui/client/. Plain JSON only.
 */
import type { DependencyGraph } from '../graph/types.ts';

/**
 * What the grid shows of a run, beside its colour: `quality` is an execution that failed with
 * {@link QUALITY_CHECK_ERROR}; `skipped` one that ended without writing (a migration not finished).
 */
export type RunState = 'succeeded' | 'failed' | 'quality' | 'skipped' | 'running';

/** The error a run fails with when a quality check of type `error` fails (write-audit-publish). */
export const QUALITY_CHECK_ERROR = 'Lakestep.QualityCheckFailed';

/** Where a run's logical date was read from (identity.ts): the less direct, the less sure. */
export type DateSource = 'run' | 'input' | 'name' | 'start';

export interface UiRun {
  /** `<use-case>/<dag>`. */
  dag: string;
  /** Execution name. */
  name: string;
  executionArn: string;
  /** ISO-8601 UTC: the grid's column. */
  logicalDate: string;
  dateFrom: DateSource;
  state: RunState;
  /** Step Functions status as AWS reports it (`SUCCEEDED`, `TIMED_OUT`, …). */
  status: string;
  start: string;
  stop?: string;
  /** What started it (`schedule`, `dependency`, `manual`, …), when known. */
  trigger?: string;
  error?: string;
  cause?: string;
  /** The state that raised the error. */
  failedState?: string;
  /** Why a run that succeeded wrote nothing. */
  skipped?: string;
  /** States in the order entered, when known (all of a simulated run; a failed AWS run's history). */
  states?: UiState[];
  jobRuns?: UiJobRun[];
  /** Quality check results the run reported (see health.ts for the shape read). */
  checks?: UiCheck[];
}

export interface UiState {
  name: string;
  /** When it was first entered. */
  at: string;
  outcome: 'succeeded' | 'failed' | 'caught' | 'running';
  /** Retries before the outcome. */
  retries?: number;
  error?: string;
}

export interface UiJobRun {
  /** The Task state that started it. */
  state: string;
  id: string;
  /** `SUCCESS`, `FAILED`, … */
  runState?: string;
  details?: string;
}

/** One quality check result of one table in one run. */
export interface UiCheck {
  table: string;
  check: string;
  severity: 'error' | 'warn';
  passed: boolean;
  failingRows?: number;
  message?: string;
}

/** The table panel: the table-access model plus what the runs tell. */
export interface UiTable {
  /** `<database>.<table>`. */
  name: string;
  owner?: string;
  location: string;
  writers: string[];
  readers: string[];
  /** Stop time of the newest run that succeeded and wrote rows into it. */
  lastPublish?: { at: string; dag: string; run: string };
  /** Age of the last publish against the table's SLA, when it has one. */
  freshness?: { warnAfterSeconds?: number; errorAfterSeconds?: number; ageSeconds?: number; state: 'fresh' | 'warn' | 'error' | 'unknown' };
  /** The checks of the newest run that reported any for this table; absent: no checks. */
  checks?: { run: string; dag: string; at: string; results: UiCheck[] };
}

export interface UiDag {
  ref: string;
  useCase: string;
  name: string;
  /** `migration`, `ingestion`, `transformation`, `maintenance`, `spark`; absent when quarantined. */
  kind?: string;
  schedules: string[];
  dependsOn: string[];
  enabled: boolean;
  quarantined: boolean;
}

export interface UiUseCase {
  name: string;
  owner?: string;
  /** The first error of a quarantined use case, as `file:line:col CODE message`. */
  quarantine?: { errors: number; first: string };
}

export interface UiData {
  version: 1;
  title: string;
  /** Where the runs come from and as of when. */
  source: {
    kind: 'simulation' | 'aws' | 'none';
    label: string;
    /** The clock freshness is measured against. */
    now: string;
    /** Things the reader should know (state machines not deployed, runs not read, …). */
    notes: string[];
    /** Runs read from AWS: an execution's page in the Step Functions console is this followed by its ARN. */
    console?: string;
  };
  useCases: UiUseCase[];
  dags: UiDag[];
  graphs: { dependencies: DependencyGraph; tables: DependencyGraph };
  runs: UiRun[];
  tables: UiTable[];
}
