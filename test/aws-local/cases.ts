/**
 * A case: one scenario applied to one workflow, run the same way on moto and in the
 * simulator, and what each interpreter is observed to do.
 */
export interface StartStep {
  /** `<use-case>/<dag>`, or `lakestep/dispatch` (the dispatcher). */
  ref: string;
  input: unknown;
  /** Execution name (the same on both interpreters). */
  name: string;
  /** Start time for the simulator (moto starts now). */
  at?: string;
}

/** An operator command of `src/ops` run against the interpreter's Step Functions. */
export type OperatorStep =
  | { command: 'run'; ref: string; date: string; rerun?: boolean }
  | { command: 'backfill'; ref: string; from: string; to: string; maxConcurrency?: number };

/** Phases run one after the other; each runs until nothing is left running. */
export type Phase =
  | { start: StartStep[] }
  /** Delivers again the event that started the first execution of `ref` in this case (a duplicate delivery). */
  | { redeliver: string }
  /** The workflow's (first) schedule fires at `at`: the schedule starter starts its run (moto: the bundled Lambda handler). */
  | { fire: { ref: string; at: string } }
  | { operator: OperatorStep };

export interface Case {
  scenario: string;
  /** Workflow shown in the table (`<use-case>/<dag>`). */
  workflow: string;
  /** Which deployment (build) the workflow belongs to. */
  build: string;
  /** Route execution status events through the compiled rules (dependency starts, joins). */
  route: boolean;
  phases: Phase[];
  /** DynamoDB items present before the case, low-level format, by table name. */
  seed?: Record<string, Record<string, unknown>[]>;
  /** Job runs of these `<use-case>/<workflow>/<job>` end FAILED. */
  failedJobs?: string[];
  /** Jobs (`<use-case>/<workflow>/<job>`) whose quality checks of this severity fail. */
  failedChecks?: Record<string, 'error' | 'warn'>;
  /** DataSync executions of these tables (`raw_orders.orders`) end in ERROR. */
  datasyncErrors?: string[];
  /** Expected outcome beyond agreement; returns a message when it does not hold. */
  expect?: (o: Observation) => string | undefined;
  /** The case pins a known gap: the expectation is known not to hold yet (see README.md). */
  knownGap?: string;
  /** A moto gap (pinned in moto-gaps.moto.ts) makes moto disagree here: named in the table. */
  motoGap?: string;
  /** Times and dates the case derives (runs' logical dates, intervals): compared unmasked. */
  known?: string[];
}

export interface ObservedExecution {
  ref: string;
  name: string;
  status: string;
  error: string | null;
  /** Shown when the interpreters disagree; not compared (messages differ between implementations). */
  cause?: string | null;
  /** Resources of the Task states entered (`firstEntries`). */
  resources: string[];
  /**
   * States entered, Map iterations and Parallel branches included — what Step Functions bills, retries aside —
   * without those of polling loops (`pollingStates`), whose rounds follow the polled service's timing.
   */
  entered: number;
  /** Times it entered the wait of the max_active_runs gate (src/asl/gate.ts): for expectations, not compared (its rounds follow timing). */
  gateWaits: number;
}

export interface Observation {
  executions: ObservedExecution[];
  /** Messages Task states published to the platform topic (compared by expectations only: their JSON text is the interpreters'). */
  notifications: { subject: string; message: string }[];
  /** Items written by the case's executions (and the seeded keys), normalized, by table. */
  items: Record<string, unknown[]>;
}

/** `Case` id used in logs and test names. */
export function caseId(c: Case): string {
  return `${c.scenario} × ${c.workflow}`;
}

/**
 * Resources of the Task states entered, each state counted once, in order of first entry:
 * polling loops and retries repeat states, and the simulator interleaves Map iterations
 * that moto (MaxConcurrency 1) runs one after the other.
 */
export function firstEntries(entered: { state: string; resource: string }[]): string[] {
  const seen = new Set<string>();
  return entered.filter((e) => !seen.has(e.state) && seen.add(e.state)).map((e) => e.resource);
}
