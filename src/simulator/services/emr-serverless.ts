/**
 * EMR Serverless behind `arn:aws:states:::emr-serverless:startJobRun[.sync]` and the SDK
 * integration `arn:aws:states:::aws-sdk:emrserverless:listJobRuns`. A job run of the
 * lakestep runtime (`--job <document> --result <uri> --param k=v…`) records which steps
 * of its job document ran and writes the result file the runtime would write.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr-serverless.html
 * @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_JobRun.html
 * @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_ListJobRuns.html
 */
import type { JobDocument } from '../../build/types.ts';
import { parseS3Uri, type S3Store } from './s3.ts';
import { record, str, type TaskCall, type TaskHandler } from './types.ts';

export interface JobRun {
  id: string;
  applicationId: string;
  name: string;
  mode: 'BATCH' | 'STREAMING';
  state: 'RUNNING' | 'SUCCESS';
  executionArn: string;
  stateName: string;
  entryPoint: string;
  arguments: string[];
  /** Job document path relative to build/, when the run names one. */
  job?: string;
  /** Step names of the job document, in order. */
  steps: string[];
  params: Record<string, string>;
  resultUri?: string;
  result?: { watermarks: Record<string, string>; rows: Record<string, number> };
  createdAt: string;
}

export interface EmrOptions {
  region: string;
  account: string;
  /** Artifacts bucket: `s3://<bucket>/lakestep/<path>` names `build/<path>`. */
  artifactsBucket: string;
  jobs: Map<string, JobDocument>;
  s3: S3Store;
  /** Watermark values the jobs report, by watermark key (default: the run's `ts`). */
  watermarks: Record<string, string>;
}

export class EmrServerless {
  readonly runs: JobRun[] = [];

  constructor(private readonly options: EmrOptions) {}

  readonly handlers: Record<string, TaskHandler> = {
    'arn:aws:states:::emr-serverless:startJobRun.sync': (call) => {
      const run = this.start(call, 'BATCH');
      run.state = 'SUCCESS';
      return {
        ApplicationId: run.applicationId,
        JobRunId: run.id,
        Arn: this.arn(run),
        Name: run.name,
        Mode: run.mode,
        State: 'SUCCESS',
        StateDetails: '',
        CreatedAt: run.createdAt,
        UpdatedAt: new Date(call.now).toISOString(),
        ReleaseLabel: 'emr-7.5.0',
        JobDriver: record(call.input).JobDriver ?? {},
      };
    },
    'arn:aws:states:::emr-serverless:startJobRun': (call) => {
      const run = this.start(call, str(record(call.input).Mode) === 'BATCH' ? 'BATCH' : 'STREAMING');
      return { ApplicationId: run.applicationId, JobRunId: run.id, Arn: this.arn(run) };
    },
    'arn:aws:states:::aws-sdk:emrserverless:listJobRuns': ({ input }) => {
      const p = record(input);
      const states = Array.isArray(p.States) ? p.States.map(String) : undefined;
      const mode = str(p.Mode);
      const runs = this.runs
        .filter((r) => r.applicationId === str(p.ApplicationId))
        .filter((r) => !states || states.includes(r.state))
        .filter((r) => !mode || r.mode === mode)
        .reverse();
      return {
        JobRuns: runs.map((r) => ({
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
          ReleaseLabel: 'emr-7.5.0',
        })),
      };
    },
  };

  private arn(run: JobRun): string {
    return `arn:aws:emr-serverless:${this.options.region}:${this.options.account}:/applications/${run.applicationId}/jobruns/${run.id}`;
  }

  private start(call: TaskCall, mode: JobRun['mode']): JobRun {
    const p = record(call.input);
    const submit = record(record(p.JobDriver).SparkSubmit);
    const args = Array.isArray(submit.EntryPointArguments) ? submit.EntryPointArguments.map(String) : [];
    const { job: jobUri, result: resultUri, params } = parseArguments(args);
    const jobPath = jobUri ? this.buildPath(jobUri) : undefined;
    const doc = jobPath ? this.options.jobs.get(jobPath) : undefined;
    const run: JobRun = {
      id: `00sim${String(this.runs.length + 1).padStart(11, '0')}`,
      applicationId: str(p.ApplicationId) ?? '',
      name: str(p.Name) ?? '',
      mode,
      state: 'RUNNING',
      executionArn: call.executionArn,
      stateName: call.stateName,
      entryPoint: str(submit.EntryPoint) ?? '',
      arguments: args,
      steps: doc ? doc.steps.map((s) => s.name) : [],
      params,
      createdAt: new Date(call.now).toISOString(),
      ...(jobPath && doc ? { job: jobPath } : {}),
      ...(resultUri ? { resultUri } : {}),
    };
    if (resultUri && mode === 'BATCH') {
      run.result = this.result(doc, params);
      this.options.s3.put(resultUri, JSON.stringify(run.result));
    }
    this.runs.push(run);
    return run;
  }

  /** `s3://<artifacts>/lakestep/<path>` → `<path>` (relative to build/). */
  private buildPath(uri: string): string | undefined {
    const parsed = parseS3Uri(uri);
    if (!parsed || parsed.bucket !== this.options.artifactsBucket || !parsed.key.startsWith('lakestep/')) return undefined;
    return parsed.key.slice('lakestep/'.length);
  }

  private result(doc: JobDocument | undefined, params: Record<string, string>): NonNullable<JobRun['result']> {
    const watermarks: Record<string, string> = {};
    const rows: Record<string, number> = {};
    for (const step of doc?.steps ?? []) {
      if (step.kind === 'watermark') watermarks[step.key] = this.options.watermarks[step.key] ?? params.ts ?? '';
      else rows[step.name] = 0;
    }
    return { watermarks, rows };
  }
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
