/**
 * Stands in for EMR Serverless (and S3 getObject) behind the rewritten tasks: polls the SQS queue the
 * `sqs:sendMessage.waitForTaskToken` tasks write to and answers each task token with
 * `SendTaskSuccess` / `SendTaskFailure`, shaped as the Step Functions EMR Serverless
 * integration answers. A lakestep runtime job run reads its job document from S3 and
 * writes the result file (watermarks, row counts) the ASL reads back, as the runtime
 * does after its commits.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr-serverless.html
 * @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_ListJobRuns.html
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, type ExecutionStatus, ListExecutionsCommand, ListTagsForResourceCommand, SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { JobDocument } from '../../src/index.ts';
import { failingChecksOf, jobResult, type JobRun } from '../../src/simulator/services/emr-serverless.ts';
import { STATES_START_EXECUTION } from './rewrite.ts';
import type { Clients } from './clients.ts';

interface Message {
  resource: string;
  token: string;
  execution: string;
  state: string;
  input: Record<string, unknown>;
}

/** Stands for `States.TaskFailed`, which moto does not accept in `SendTaskFailure`. */
export const MOTO_TASK_FAILED = 'EMRServerless.JobRunFailed';

/** A job run the worker answered: the fields of the simulator's job run it needs. */
export type WorkerRun = Pick<JobRun, 'id' | 'applicationId' | 'name' | 'mode' | 'state' | 'stateDetails' | 'executionArn' | 'createdAt' | 'jobRef'>;

export interface JobBehaviour {
  /** Job runs of these `<use-case>/<workflow>/<job>` end FAILED. */
  failedJobs: Set<string>;
  /** Watermark values by `<use-case>/<workflow>/<job>/<name>` or `<name>` (default: the run's `ts`). */
  watermarks: Record<string, string>;
  /** Jobs whose checks of this severity fail, by `<use-case>/<workflow>/<job>`. */
  checks: Record<string, 'error' | 'warn'>;
}

/**
 * Sends a task answer, again while moto fails it with an HTTP 500 page: moto looks the token
 * up in every RUNNING execution, and one started a moment ago has no interpreter yet
 * (`AttributeError` on its `exec_worker`), so an answer racing a start fails (README.md).
 */
async function raceFree<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const page = String((e as Error).message).includes('Deserialization error');
      if (attempt >= 50 || !(page || (status !== undefined && status >= 500))) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The parameters of a `states:startExecution` task, as the ASL passes them. */
export interface StartRequest {
  StateMachineArn: string;
  Name?: string;
  /** An object (serialized by the integration) or a JSON string. */
  Input?: unknown;
}

export class Worker {
  readonly runs: WorkerRun[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;

  /**
   * @param group Which runs see each other in `listJobRuns` (the case an execution belongs to).
   * @param behaviour What the job runs of an execution do.
   */
  constructor(
    private readonly clients: Clients,
    private readonly queueUrl: string,
    private readonly artifactsBucket: string,
    private readonly group: (executionArn: string) => string,
    private readonly behaviour: (executionArn: string) => JobBehaviour,
    private readonly startExecution: (caller: string, request: StartRequest) => Promise<string>,
  ) {}

  start(): void {
    this.loop = this.poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async poll(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.once();
      } catch (e) {
        // An answer moto refused (e.g. for a token of an execution that already ended) must not stop the others.
        this.errors.push(String(e));
      }
    }
  }

  /** Answers refused by moto, kept for the report. */
  readonly errors: string[] = [];

  private async once(): Promise<void> {
    {
      const res = await this.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of res.Messages ?? []) {
        await this.clients.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: m.ReceiptHandle }));
        const msg = JSON.parse(m.Body ?? '{}') as Message;
        try {
          const output = await this.answer(msg);
          await raceFree(() => this.clients.sfn.send(new SendTaskSuccessCommand({ taskToken: msg.token, output: JSON.stringify(output) })));
        } catch (e) {
          const err = e as { error?: string; cause?: string; message: string };
          await raceFree(() => this.clients.sfn.send(new SendTaskFailureCommand({ taskToken: msg.token, error: err.error ?? 'States.TaskFailed', cause: err.cause ?? err.message })));
        }
      }
    }
  }

  private arn(run: WorkerRun): string {
    return `arn:aws:emr-serverless:${this.clients.region}:123456789012:/applications/${run.applicationId}/jobruns/${run.id}`;
  }

  private async answer(msg: Message): Promise<unknown> {
    const p = msg.input;
    if (msg.resource === 'arn:aws:states:::aws-sdk:s3:getObject') return this.getObject(String(p.Bucket), String(p.Key));
    if (msg.resource === STATES_START_EXECUTION) return this.startOne(msg.execution, p as unknown as StartRequest);
    if (msg.resource.startsWith('arn:aws:states:::aws-sdk:sfn:') || msg.resource.startsWith('arn:aws:states:::aws-sdk:ssm:')) return this.sdkCall(msg.resource, p);
    if (msg.resource === 'arn:aws:states:::aws-sdk:emrserverless:listJobRuns') {
      const states = Array.isArray(p.States) ? p.States.map(String) : undefined;
      const group = this.group(msg.execution);
      const runs = this.runs
        .filter((r) => this.group(r.executionArn) === group && r.applicationId === p.ApplicationId)
        .filter((r) => !states || states.includes(r.state))
        .filter((r) => !p.Mode || r.mode === p.Mode)
        .reverse();
      return {
        JobRuns: runs.map((r) => ({
          ApplicationId: r.applicationId, Id: r.id, Name: r.name, Mode: r.mode, Arn: this.arn(r), State: r.state, StateDetails: '',
          CreatedAt: r.createdAt, UpdatedAt: r.createdAt, Type: 'Spark', ReleaseLabel: 'emr-7.5.0',
        })),
      };
    }
    const sync = msg.resource.endsWith('.sync');
    const mode = sync || p.Mode === 'BATCH' ? 'BATCH' : 'STREAMING';
    const run = await this.run(msg, mode);
    if (!sync) return { ApplicationId: run.applicationId, JobRunId: run.id, Arn: this.arn(run) };
    const now = new Date().toISOString();
    const description = {
      ApplicationId: run.applicationId, JobRunId: run.id, Arn: this.arn(run), Name: run.name, Mode: run.mode, State: run.state,
      StateDetails: run.stateDetails, CreatedAt: run.createdAt, UpdatedAt: now, ReleaseLabel: 'emr-7.5.0',
      JobDriver: p.JobDriver ?? {},
    };
    // The .sync integration fails the task with States.TaskFailed when the job run ends FAILED;
    // moto refuses that name from SendTaskFailure (README.md), so the harness maps this one back.
    if (run.state === 'FAILED') throw Object.assign(new Error('job failed'), { error: MOTO_TASK_FAILED, cause: JSON.stringify(description) });
    return description;
  }

  private async run(msg: Message, mode: WorkerRun['mode']): Promise<WorkerRun> {
    const p = msg.input;
    const submit = ((p.JobDriver as Record<string, unknown> | undefined)?.SparkSubmit ?? {}) as Record<string, unknown>;
    const args = Array.isArray(submit.EntryPointArguments) ? submit.EntryPointArguments.map(String) : [];
    const runtime = /\/lakestep\/runtime\/[^/]+$/.test(String(submit.EntryPoint ?? ''));
    const { job: jobUri, result: resultUri, params } = runtime ? parseArguments(args) : { job: undefined, result: undefined, params: {} as Record<string, string> };
    const run: WorkerRun = {
      id: `00moto${String(this.runs.length + 1).padStart(10, '0')}`,
      applicationId: String(p.ApplicationId ?? ''),
      name: String(p.Name ?? ''),
      mode,
      state: mode === 'BATCH' ? 'SUCCESS' : 'RUNNING',
      stateDetails: '',
      executionArn: msg.execution,
      createdAt: new Date().toISOString(),
    };
    this.runs.push(run);
    const doc = jobUri ? await this.readJob(jobUri) : undefined;
    if (jobUri && !doc) {
      run.state = 'FAILED';
      run.stateDetails = `Job failed: the runtime cannot read its job document ${jobUri}`;
      return run;
    }
    if (doc) run.jobRef = `${doc.useCase}/${doc.workflow}/${doc.job}`;
    const behaviour = this.behaviour(msg.execution);
    if (run.jobRef && behaviour.failedJobs.has(run.jobRef)) {
      run.state = 'FAILED';
      run.stateDetails = `Job failed (simulated): ${run.jobRef}`;
    } else if (resultUri && mode === 'BATCH') {
      const result = jobResult(doc, behaviour.watermarks, params.ts, run.jobRef ? failingChecksOf(behaviour.checks, run.jobRef) : undefined, params.run_id);
      const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(resultUri);
      if (m) await this.clients.s3.send(new PutObjectCommand({ Bucket: m[1], Key: m[2], Body: JSON.stringify(result) }));
    }
    return run;
  }

  /**
   * What `states:startExecution` does: starts the execution on moto (through the runner, which
   * tracks it) and returns `ExecutionArn` and `StartDate`; a name in use fails the task with
   * `StepFunctions.ExecutionAlreadyExistsException`, the integration's error name.
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
   */
  private async startOne(caller: string, request: StartRequest): Promise<unknown> {
    try {
      const arn = await this.startExecution(caller, request);
      return { ExecutionArn: arn, StartDate: new Date().toISOString() };
    } catch (e) {
      const name = (e as { name?: string }).name ?? '';
      if (name !== 'ExecutionAlreadyExists') throw e;
      throw Object.assign(new Error((e as Error).message), { error: 'StepFunctions.ExecutionAlreadyExistsException', cause: (e as Error).message });
    }
  }

  /**
   * The dispatcher's and the frame's AWS SDK calls, made on moto's own API: moto's interpreter
   * hands their PascalCase parameters to botocore as they are (`States.Runtime`, KeyError
   * 'ExecutionArn'; moto-gaps.moto.ts) and returns datetimes it cannot serialize. The answer
   * has the integration's shape (PascalCase members, dates as ISO text, Input/Output as JSON
   * text); the errors are named `Sfn.<Shape>` and `Ssm.<Shape>` as Step Functions names them.
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
   */
  private async sdkCall(resource: string, p: Record<string, unknown>): Promise<unknown> {
    const named = (prefix: string) => (e: unknown): never => {
      const shape = (e as { name?: string }).name ?? 'ServiceException';
      throw Object.assign(new Error((e as Error).message), { error: `${prefix}.${shape.endsWith('Exception') ? shape : `${shape}Exception`}`, cause: (e as Error).message });
    };
    if (resource === 'arn:aws:states:::aws-sdk:sfn:describeExecution') {
      const e = await this.clients.sfn.send(new DescribeExecutionCommand({ executionArn: String(p.ExecutionArn) })).catch(named('Sfn'));
      return {
        ExecutionArn: e.executionArn, StateMachineArn: e.stateMachineArn, Name: e.name, Status: e.status,
        StartDate: e.startDate?.toISOString(), ...(e.stopDate ? { StopDate: e.stopDate.toISOString() } : {}),
        Input: e.input, ...(e.status === 'SUCCEEDED' && e.output !== undefined ? { Output: awsOutput(e.output) } : {}),
        ...(e.error ? { Error: e.error } : {}), ...(e.cause ? { Cause: e.cause } : {}),
      };
    }
    if (resource === 'arn:aws:states:::aws-sdk:sfn:listExecutions') {
      // moto's own ListExecutions (status filter, newest first), in the integration's PascalCase.
      const r = await this.clients.sfn
        .send(new ListExecutionsCommand({ stateMachineArn: String(p.StateMachineArn), ...(p.StatusFilter !== undefined ? { statusFilter: p.StatusFilter as ExecutionStatus } : {}), ...(p.MaxResults !== undefined ? { maxResults: Number(p.MaxResults) } : {}) }))
        .catch(named('Sfn'));
      return {
        Executions: (r.executions ?? []).map((e) => ({
          ExecutionArn: e.executionArn, StateMachineArn: e.stateMachineArn, Name: e.name, Status: e.status,
          StartDate: e.startDate?.toISOString(), ...(e.stopDate ? { StopDate: e.stopDate.toISOString() } : {}),
        })),
        ...(r.nextToken ? { NextToken: r.nextToken } : {}),
      };
    }
    if (resource === 'arn:aws:states:::aws-sdk:sfn:listTagsForResource') {
      const r = await this.clients.sfn.send(new ListTagsForResourceCommand({ resourceArn: String(p.ResourceArn) })).catch(named('Sfn'));
      return { Tags: (r.tags ?? []).map((t) => ({ Key: t.key, Value: t.value })) };
    }
    if (resource === 'arn:aws:states:::aws-sdk:ssm:getParametersByPath') {
      const r = await this.clients.ssm
        .send(new GetParametersByPathCommand({ Path: String(p.Path), Recursive: p.Recursive === true, ...(p.MaxResults !== undefined ? { MaxResults: Number(p.MaxResults) } : {}), ...(p.NextToken !== undefined ? { NextToken: String(p.NextToken) } : {}) }))
        .catch(named('Ssm'));
      return {
        Parameters: (r.Parameters ?? []).map((x) => ({ Name: x.Name, Type: x.Type, Value: x.Value, Version: x.Version, ARN: x.ARN, DataType: x.DataType })),
        ...(r.NextToken ? { NextToken: r.NextToken } : {}),
      };
    }
    throw Object.assign(new Error(`the moto worker does not answer ${resource}`), { error: 'States.Runtime' });
  }

  /** What the `aws-sdk:s3:getObject` integration returns: the response with `Body` as text. */
  private async getObject(bucket: string, key: string): Promise<unknown> {
    try {
      const res = await this.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = await (res.Body as { transformToString(): Promise<string> }).transformToString();
      return { Body: body, ContentLength: res.ContentLength, ContentType: res.ContentType, ETag: res.ETag, LastModified: res.LastModified?.toISOString() };
    } catch (e) {
      const name = (e as Error).name;
      throw Object.assign(new Error(name), { error: `S3.${name.endsWith('Exception') ? name : `${name}Exception`}`, cause: (e as Error).message });
    }
  }

  private async readJob(uri: string): Promise<JobDocument | undefined> {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (!m || m[1] !== this.artifactsBucket) return undefined;
    try {
      const res = await this.clients.s3.send(new GetObjectCommand({ Bucket: m[1], Key: m[2] }));
      return JSON.parse(await (res.Body as { transformToString(): Promise<string> }).transformToString()) as JobDocument;
    } catch {
      return undefined;
    }
  }
}

/** `--job X --result Y --param k=v …`: the lakestep runtime's command line (infra/spark/). */
function parseArguments(args: string[]): { job?: string; result?: string; params: Record<string, string> } {
  const out: { job?: string; result?: string; params: Record<string, string> } = { params: {} };
  for (let i = 0; i + 1 < args.length; i++) {
    const [flag, value] = [args[i], args[i + 1] as string];
    if (flag === '--job') out.job = value;
    else if (flag === '--result') out.result = value;
    else if (flag === '--param' && value.indexOf('=') > 0) out.params[value.slice(0, value.indexOf('='))] = value.slice(value.indexOf('=') + 1);
    else continue;
    i++;
  }
  return out;
}

/**
 * An execution's output as AWS gives it: JSON text. moto gives a string result bare
 * (moto-gaps.moto.ts), which the dispatcher's StringToJson cannot read.
 */
export function awsOutput(output: string | undefined): string | null {
  if (output === undefined) return null;
  try {
    JSON.parse(output);
    return output;
  } catch {
    return JSON.stringify(output);
  }
}
