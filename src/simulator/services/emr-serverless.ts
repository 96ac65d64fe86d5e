/**
 * EMR Serverless behind `arn:aws:states:::emr-serverless:startJobRun[.sync]` and the SDK
 * integration `arn:aws:states:::aws-sdk:emrserverless:listJobRuns`. A job run of the
 * lakestep runtime (`--job <document> --result <uri> --param k=v…`) records which steps
 * of its job document ran and writes the result file the runtime would write.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr-serverless.html
 * @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_JobRun.html
 * @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_ListJobRuns.html
 */
import { DEFAULT_RELEASE_LABEL } from '../../ir/engine-versions.ts';
import { auditBranchName } from '../../naming.ts';
import type { JobDocument } from '../../build/types.ts';
import type { JobDocuments } from '../build.ts';
import { taskError } from '../errors.ts';
import { machineOf, type Problems } from '../problems.ts';
import { parseS3Uri, type S3Store } from './s3.ts';
import { record, str, type TaskCall, type TaskHandler } from './types.ts';

export interface JobRun {
  id: string;
  applicationId: string;
  name: string;
  mode: 'BATCH' | 'STREAMING';
  state: 'RUNNING' | 'SUCCESS' | 'FAILED';
  stateDetails: string;
  executionArn: string;
  stateName: string;
  entryPoint: string;
  arguments: string[];
  /** Job document path relative to build/, when the run names one. */
  job?: string;
  /** `<use-case>/<workflow>/<job>` of the job document, when the run names one. */
  jobRef?: string;
  /** Step names of the job document, in order. */
  steps: string[];
  params: Record<string, string>;
  resultUri?: string;
  result?: JobResult;
  createdAt: string;
}

export interface EmrOptions {
  region: string;
  account: string;
  /** Artifacts bucket: `s3://<bucket>/lakestep/<path>` names `build/<path>`. */
  artifactsBucket: string;
  jobs: JobDocuments;
  s3: S3Store;
  /**
   * Watermark values the jobs report: by `<use-case>/<workflow>/<job>/<name>` or by the
   * bare name of the job document's watermark step (default: the run's `ts`).
   */
  watermarks: Record<string, string>;
  /** Job runs that end FAILED, by `<use-case>/<workflow>/<job>`. */
  failures?: Record<string, JobFailure>;
  /** Jobs whose checks of this severity fail, by `<use-case>/<workflow>/<job>` (or `…/<job>/<database>.<table>`). */
  checks?: Record<string, 'error' | 'warn'>;
  problems?: Problems;
}

/** A job that fails (scenario `jobs`). */
export interface JobFailure {
  /** `StateDetails` of the failed run. */
  details?: string;
  /** Runs that fail per execution, then runs succeed; `always` never succeeds. Default `always`. */
  times?: number | 'always';
}

export class EmrServerless {
  readonly runs: JobRun[] = [];
  private readonly failedRuns = new Map<string, number>();

  constructor(private readonly options: EmrOptions) {}

  readonly handlers: Record<string, TaskHandler> = {
    'arn:aws:states:::emr-serverless:startJobRun.sync': (call) => {
      const run = this.start(call, 'BATCH');
      const description = {
        ApplicationId: run.applicationId,
        JobRunId: run.id,
        Arn: this.arn(run),
        Name: run.name,
        Mode: run.mode,
        State: run.state,
        StateDetails: run.stateDetails,
        CreatedAt: run.createdAt,
        UpdatedAt: new Date(call.now).toISOString(),
        ReleaseLabel: DEFAULT_RELEASE_LABEL,
        JobDriver: record(call.input).JobDriver ?? {},
      };
      // The .sync integration fails the task when the job run ends FAILED.
      if (run.state === 'FAILED') throw taskError('States.TaskFailed', JSON.stringify(description));
      return description;
    },
    'arn:aws:states:::emr-serverless:startJobRun': (call) => this.startOnly(call),
    'arn:aws:states:::aws-sdk:emrserverless:startJobRun': (call) => this.startOnly(call),
    'arn:aws:states:::aws-sdk:emrserverless:listJobRuns': ({ input }) => {
      const p = record(input);
      const states = Array.isArray(p.States) ? p.States.map(String) : undefined;
      const mode = str(p.Mode);
      const runs = this.runs
        .filter((r) => r.applicationId === str(p.ApplicationId))
        .filter((r) => !states || states.includes(r.state))
        .filter((r) => !mode || r.mode === mode)
        .reverse();
      // Pages of MaxResults (default 50); the token is the offset of the next page.
      const size = Number(p.MaxResults ?? 50);
      const offset = Number(str(p.NextToken) || 0);
      const page = runs.slice(offset, offset + size);
      return {
        ...(offset + size < runs.length ? { NextToken: String(offset + size) } : {}),
        JobRuns: page.map((r) => ({
          ApplicationId: r.applicationId,
          Id: r.id,
          Name: r.name,
          Mode: r.mode,
          Arn: this.arn(r),
          State: r.state,
          StateDetails: '',
          CreatedAt: r.createdAt,
          UpdatedAt: r.createdAt,
          Type: 'Spark',
          ReleaseLabel: DEFAULT_RELEASE_LABEL,
        })),
      };
    },
  };

  private arn(run: JobRun): string {
    return `arn:aws:emr-serverless:${this.options.region}:${this.options.account}:/applications/${run.applicationId}/jobruns/${run.id}`;
  }

  /** StartJobRun without waiting: the run keeps its `Mode` (STREAMING unless BATCH). */
  private startOnly(call: TaskCall): Record<string, unknown> {
    const run = this.start(call, str(record(call.input).Mode) === 'BATCH' ? 'BATCH' : 'STREAMING');
    return { ApplicationId: run.applicationId, JobRunId: run.id, Arn: this.arn(run) };
  }

  private start(call: TaskCall, mode: JobRun['mode']): JobRun {
    const p = record(call.input);
    const submit = record(record(p.JobDriver).SparkSubmit);
    const args = Array.isArray(submit.EntryPointArguments) ? submit.EntryPointArguments.map(String) : [];
    // Only the lakestep runtime reads `--job`/`--result`; a user's own Spark job may take any arguments.
    const runtime = /\/lakestep\/runtime\/[^/]+$/.test(str(submit.EntryPoint) ?? '');
    const { job: jobUri, result: resultUri, params } = runtime ? parseArguments(args) : { params: {} as Record<string, string> };
    const jobPath = jobUri ? this.buildPath(jobUri, call) : undefined;
    const doc = jobPath ? this.options.jobs.get(jobPath) : undefined;
    const jobRef = doc ? `${doc.useCase}/${doc.workflow}/${doc.job}` : undefined;
    const run: JobRun = {
      id: `00sim${String(this.runs.length + 1).padStart(11, '0')}`,
      applicationId: str(p.ApplicationId) ?? '',
      name: str(p.Name) ?? '',
      mode,
      state: mode === 'BATCH' ? 'SUCCESS' : 'RUNNING',
      stateDetails: '',
      executionArn: call.executionArn,
      stateName: call.stateName,
      entryPoint: str(submit.EntryPoint) ?? '',
      arguments: args,
      steps: doc ? doc.steps.map((s) => s.name) : [],
      params,
      createdAt: new Date(call.now).toISOString(),
      ...(jobPath && doc ? { job: jobPath } : {}),
      ...(jobRef ? { jobRef } : {}),
      ...(resultUri ? { resultUri } : {}),
    };
    const failure = this.failure(jobRef, call.executionArn);
    if (jobUri && !doc) {
      run.state = 'FAILED';
      run.stateDetails = `Job failed: the runtime cannot read its job document ${jobUri}`;
    } else if (failure) {
      run.state = 'FAILED';
      run.stateDetails = failure.details ?? `Job failed (simulated): ${jobRef}`;
    } else if (resultUri && mode === 'BATCH') {
      // The runtime writes its result file only after the job's commits.
      run.result = jobResult(doc, this.options.watermarks, params.ts, jobRef ? failingChecksOf(this.options.checks, jobRef) : undefined, params.run_id);
      this.options.s3.put(resultUri, JSON.stringify(run.result));
    }
    this.runs.push(run);
    return run;
  }

  private failure(jobRef: string | undefined, executionArn: string): JobFailure | undefined {
    const failure = jobRef ? this.options.failures?.[jobRef] : undefined;
    if (!failure) return undefined;
    const key = `${executionArn}|${jobRef}`;
    const used = this.failedRuns.get(key) ?? 0;
    const times = failure.times ?? 'always';
    if (times !== 'always' && used >= times) return undefined;
    this.failedRuns.set(key, used + 1);
    return failure;
  }

  /**
   * `s3://<artifacts>/lakestep/<path>` → `<path>` (relative to build/). A URI that still
   * holds `${ArtifactsBucket}` (the placeholder was not substituted, e.g. because it was
   * escaped as `$\\{…\\}` inside an intrinsic literal) names no bucket on AWS: reported, and
   * read as the artifacts bucket unless strict.
   */
  private buildPath(uri: string, call: TaskCall): string | undefined {
    let parsed = parseS3Uri(uri);
    if (parsed && /\$\\?\{|\\\}/.test(parsed.bucket)) {
      this.options.problems?.report(
        `${machineOf(call.executionArn)}: state "${call.stateName}" passes --job ${uri}: the \${ArtifactsBucket} placeholder is not substituted (CloudFormation DefinitionSubstitutions replace only an unescaped \${Name}), so the job cannot read its job document on AWS`,
      );
      if (!this.options.problems || this.options.problems.strict) return undefined;
      parsed = { bucket: this.options.artifactsBucket, key: parsed.key };
    }
    if (!parsed || parsed.bucket !== this.options.artifactsBucket || !parsed.key.startsWith('lakestep/')) return undefined;
    return parsed.key.slice('lakestep/'.length);
  }
}

/** What a lakestep runtime run writes to its `--result` file. */
export interface JobResult {
  watermarks: Record<string, string>;
  rows: Record<string, number>;
  /** A job that audits tables: its checks (infra/spark/lakestep/quality.py `to_result`). */
  quality?: QualityResult;
}

/** One check's outcome as the result reports a failing one. */
export interface CheckOutcome {
  table: string;
  check: string;
  severity: 'error' | 'warn';
  failing: number;
  /** Sample keys of failing rows; masked columns read `***`. */
  samples: Record<string, string>[];
}

export interface QualityResult {
  status: 'passed' | 'warned' | 'failed';
  failed: CheckOutcome[];
  warned: CheckOutcome[];
  summary: {
    status: QualityResult['status'];
    attempts: number;
    published: string[];
    kept: { table: string; branch: string }[];
    checks: { table: string; check: string; kind: string; severity: string; status: 'passed' | 'failed'; failing: number }[];
  };
}

/**
 * Which checks a simulated run fails: those of this severity (scenario `checks` of the job), or
 * per table, by `database.table` (scenario `checks` keys `<use-case>/<workflow>/<job>/<database>.<table>`).
 */
export type FailingChecks = 'error' | 'warn' | { job?: 'error' | 'warn'; tables: Record<string, 'error' | 'warn'> };

/** The failing checks of job `jobRef` in the scenario's `checks`. */
export function failingChecksOf(checks: Record<string, 'error' | 'warn'> | undefined, jobRef: string): FailingChecks | undefined {
  if (!checks) return undefined;
  const tables = Object.fromEntries(Object.entries(checks).filter(([k]) => k.startsWith(`${jobRef}/`)).map(([k, v]) => [k.slice(jobRef.length + 1), v]));
  if (Object.keys(tables).length === 0) return checks[jobRef];
  return { ...(checks[jobRef] ? { job: checks[jobRef] } : {}), tables };
}

/**
 * The `quality` of a result, as the runtime (infra/spark/lakestep/job.py, gated.py) makes it: the
 * steps in order; the checks of the tables audited since the last `publish` decide that publish —
 * an `error` check failed: nothing of them is published, their branches are kept and the job
 * stops (later steps and their checks do not run); else they are published. A gated Kafka step
 * is checked and published on its own, so a batch failing after an earlier publish leaves the
 * run `failed` with the tables published before it in `published`. The checks of severity
 * `failing` (of the job, or of their table) fail, each with one failing row; the others pass.
 */
function qualityResult(doc: JobDocument, failing: FailingChecks | undefined, runId: string): QualityResult | undefined {
  const all = doc.steps.flatMap((s) => (s.kind === 'check' ? [s] : s.kind === 'kafka' ? (s.audit?.checks ?? []) : []));
  if (all.length === 0) return undefined;
  const severityFailing = (table: string): 'error' | 'warn' | undefined => (failing === undefined || typeof failing === 'string' ? failing : (failing.tables[table] ?? failing.job));
  const fails = (c: (typeof all)[number]) => severityFailing(c.table) === c.severity;
  const outcome = (c: (typeof all)[number]): CheckOutcome => ({
    table: c.table,
    check: c.check,
    severity: c.severity,
    failing: 1,
    // As the runtime: no sample without columns that identify a row.
    samples: c.sampleColumns.length ? [Object.fromEntries(c.sampleColumns.map((col) => [col, c.maskedColumns.includes(col) ? '***' : 'sample']))] : [],
  });
  // Branches as the runtime names them (attempt 1); a gated Kafka source keeps the branch of its failing
  // micro-batch, here the first one of a fresh checkpoint.
  const branch = auditBranchName(doc, runId, 1);
  const ran: (typeof all)[number][] = [];
  const published: string[] = [];
  const kept: { table: string; branch: string }[] = [];
  let stopped = false;
  let group: string[] = [];
  let pending: (typeof all)[number][] = [];
  for (const step of doc.steps) {
    if (step.kind === 'audit') group.push(step.key);
    else if (step.kind === 'check') pending.push(step);
    else if (step.kind === 'publish') {
      ran.push(...pending);
      const tables = group.length ? group : [...new Set(pending.map((c) => c.table))];
      if (pending.some((c) => c.severity === 'error' && fails(c))) {
        kept.push(...tables.map((table) => ({ table, branch })));
        stopped = true;
        break;
      }
      for (const t of tables) if (!published.includes(t)) published.push(t);
      group = [];
      pending = [];
    } else if (step.kind === 'kafka' && step.audit && step.audit.checks.length) {
      ran.push(...step.audit.checks);
      if (step.audit.gated && step.audit.checks.some((c) => c.severity === 'error' && fails(c))) {
        kept.push({ table: step.audit.key, branch: auditBranchName(doc, runId, 1, 0) });
        stopped = true;
        break;
      }
      if (step.audit.gated && !published.includes(step.audit.key)) published.push(step.audit.key);
    }
  }
  if (!stopped) ran.push(...pending);
  const failed = ran.filter((c) => c.severity === 'error' && fails(c)).map(outcome);
  const warned = ran.filter((c) => c.severity === 'warn' && fails(c)).map(outcome);
  const status = failed.length ? 'failed' : warned.length ? 'warned' : 'passed';
  return {
    status,
    failed,
    warned,
    summary: {
      status,
      attempts: 1,
      published,
      kept,
      checks: ran.map((c) => ({ table: c.table, check: c.check, kind: c.checkKind, severity: c.severity, status: fails(c) ? 'failed' : 'passed', failing: fails(c) ? 1 : 0 })),
    },
  };
}

/**
 * The result file of a successful run of job document `doc`, as the runtime writes it:
 * each watermark step and each JDBC extract (under its parameter name) reports a
 * watermark, each other step a row count. A watermark is `watermarks[<ref>/<name>]`,
 * else `watermarks[<name>]`, else the run's `ts` in the runtime's timestamp format.
 * @see ../../../infra/spark/lakestep_runtime.py (`WATERMARK_FORMAT`)
 */
export function jobResult(doc: JobDocument | undefined, watermarks: Record<string, string>, ts: string | undefined, failing?: FailingChecks, runId = 'run'): JobResult {
  const out: JobResult = { watermarks: {}, rows: {} };
  const quality = doc ? qualityResult(doc, failing, runId) : undefined;
  if (quality) out.quality = quality;
  const ref = doc ? `${doc.useCase}/${doc.workflow}/${doc.job}` : '';
  for (const step of doc?.steps ?? []) {
    const key = step.kind === 'watermark' ? step.key : step.kind === 'jdbc_extract' ? step.watermarkParameter : undefined;
    if (key !== undefined) out.watermarks[key] = watermarks[`${ref}/${key}`] ?? watermarks[key] ?? (ts === undefined ? '' : runtimeTimestamp(ts));
    if (step.kind !== 'watermark') out.rows[step.name] = 0;
  }
  return out;
}

/**
 * An ISO 8601 date or timestamp (`Z` or a numeric offset, any fraction) in the runtime's
 * watermark format `YYYY-MM-DDTHH:MM:SS.ffffffZ`, whose string order is time order
 * (AWS writes `…:00.123Z`, moto `…:00.123456+00:00`). Anything else is returned as given.
 */
export function runtimeTimestamp(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2}))?$/.exec(value);
  if (!m) return value;
  const whole = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${m[4] ?? 'Z'}`);
  if (Number.isNaN(whole)) return value;
  return `${new Date(whole).toISOString().slice(0, 19)}.${(m[3] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
}

/** `--job X --result Y --param k=v …` (the lakestep runtime's command line). */
export function parseArguments(args: string[]): { job?: string; result?: string; params: Record<string, string> } {
  const out: { job?: string; result?: string; params: Record<string, string> } = { params: {} };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    if (value === undefined) break;
    if (flag === '--job') out.job = value;
    else if (flag === '--result') out.result = value;
    else if (flag === '--param') {
      const eq = value.indexOf('=');
      if (eq > 0) out.params[value.slice(0, eq)] = value.slice(eq + 1);
    } else continue;
    i++;
  }
  return out;
}
