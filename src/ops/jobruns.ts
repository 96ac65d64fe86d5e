/**
 * The EMR Serverless job runs of one execution, found in its history (the task
 * events of `emr-serverless:startJobRun(.sync)` carry `ApplicationId` and
 * `JobRunId`), with their state, state details and where to read their logs.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
 * @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_GetJobRun.html
 * @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_GetDashboardForJobRun.html
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/logging.html
 */
import { CancelJobRunCommand, GetDashboardForJobRunCommand, GetJobRunCommand, type EMRServerlessClient } from '@aws-sdk/client-emr-serverless';
import { paginateGetExecutionHistory, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import { isoSeconds } from './dates.ts';
import { awsErrorName, errorMessage } from './errors.ts';

/** A job run an execution started, and the state that started it. */
export interface JobRunRef {
  state: string;
  applicationId: string;
  jobRunId: string;
}

export interface JobRunInfo extends JobRunRef {
  name?: string;
  /** `SUCCESS`, `FAILED`, `RUNNING`, … */
  runState?: string;
  stateDetails?: string;
  createdAt?: string;
  updatedAt?: string;
  durationSeconds?: number;
  /** Spark UI (live or persistent), valid for a short time. */
  sparkUi?: string;
  /** Driver logs: S3 URIs or a CloudWatch Logs stream prefix, when the job run configured them. */
  driverLogs: string[];
  /** Why a lookup failed. */
  error?: string;
}

/** Job run states in which a run can still be cancelled. */
export const ACTIVE_JOB_STATES = new Set(['SUBMITTED', 'PENDING', 'SCHEDULED', 'RUNNING', 'QUEUED']);

/** Every event of an execution's history, oldest first. */
export async function executionHistory(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  for await (const page of paginateGetExecutionHistory({ client, pageSize: 1000 }, { executionArn, includeExecutionData: true })) {
    events.push(...(page.events ?? []));
  }
  return events;
}

/** The job runs an execution started, in history order, each once. */
export function jobRunsFromHistory(events: readonly HistoryEvent[]): JobRunRef[] {
  const byId = new Map(events.map((e) => [e.id, e]));
  const seen = new Set<string>();
  const runs: JobRunRef[] = [];
  for (const e of events) {
    const d = e.taskSubmittedEventDetails ?? e.taskSucceededEventDetails;
    if (!d || d.resourceType !== 'emr-serverless' || !d.resource?.startsWith('startJobRun')) continue;
    const ids = jobRunIds(d.output);
    if (!ids || seen.has(`${ids.applicationId}/${ids.jobRunId}`)) continue;
    seen.add(`${ids.applicationId}/${ids.jobRunId}`);
    let at: HistoryEvent | undefined = e;
    for (let hops = 0; at && hops < 50 && !at.stateEnteredEventDetails; hops++) at = byId.get(at.previousEventId);
    runs.push({ state: at?.stateEnteredEventDetails?.name ?? '?', ...ids });
  }
  return runs;
}

function jobRunIds(output: string | undefined): { applicationId: string; jobRunId: string } | undefined {
  if (!output) return undefined;
  try {
    const o = JSON.parse(output) as Record<string, unknown>;
    const applicationId = o.ApplicationId ?? o.applicationId;
    const jobRunId = o.JobRunId ?? o.jobRunId;
    return typeof applicationId === 'string' && typeof jobRunId === 'string' ? { applicationId, jobRunId } : undefined;
  } catch {
    return undefined;
  }
}

/** `GetJobRun` and `GetDashboardForJobRun` of each run; a failed lookup is reported on its row. */
export async function describeJobRuns(client: EMRServerlessClient, runs: readonly JobRunRef[]): Promise<JobRunInfo[]> {
  const out: JobRunInfo[] = [];
  for (const run of runs) {
    const info: JobRunInfo = { ...run, driverLogs: [] };
    try {
      const { jobRun } = await client.send(new GetJobRunCommand({ applicationId: run.applicationId, jobRunId: run.jobRunId }));
      if (jobRun?.name) info.name = jobRun.name;
      if (jobRun?.state) info.runState = jobRun.state;
      if (jobRun?.stateDetails) info.stateDetails = jobRun.stateDetails;
      if (jobRun?.createdAt) info.createdAt = isoSeconds(jobRun.createdAt);
      if (jobRun?.updatedAt) info.updatedAt = isoSeconds(jobRun.updatedAt);
      if (jobRun?.totalExecutionDurationSeconds !== undefined) info.durationSeconds = jobRun.totalExecutionDurationSeconds;
      const monitoring = jobRun?.configurationOverrides?.monitoringConfiguration;
      const logUri = monitoring?.s3MonitoringConfiguration?.logUri;
      // Layout of EMR Serverless logs in S3 and CloudWatch Logs (see the logging guide above).
      const path = `applications/${run.applicationId}/jobs/${run.jobRunId}/SPARK_DRIVER`;
      if (logUri) info.driverLogs.push(`${logUri.replace(/\/+$/, '')}/${path}/stderr.gz`, `${logUri.replace(/\/+$/, '')}/${path}/stdout.gz`);
      const cw = monitoring?.cloudWatchLoggingConfiguration;
      if (cw?.enabled) info.driverLogs.push(`cloudwatch ${cw.logGroupName ?? '/aws/emr-serverless'} ${cw.logStreamNamePrefix ? `${cw.logStreamNamePrefix}/` : ''}${path}/stderr`);
    } catch (err) {
      info.error = failureText(err);
      out.push(info);
      continue;
    }
    try {
      const { url } = await client.send(new GetDashboardForJobRunCommand({ applicationId: run.applicationId, jobRunId: run.jobRunId }));
      if (url) info.sparkUi = url;
    } catch (err) {
      info.error = `Spark UI: ${failureText(err)}`;
    }
    out.push(info);
  }
  return out;
}

/** `CancelJobRun` for every run still active; returns the runs cancelled and the failures. */
export async function cancelJobRuns(client: EMRServerlessClient, runs: readonly JobRunInfo[]): Promise<{ cancelled: JobRunInfo[]; failed: (JobRunInfo & { error: string })[] }> {
  const cancelled: JobRunInfo[] = [];
  const failed: (JobRunInfo & { error: string })[] = [];
  for (const run of runs.filter((r) => r.runState && ACTIVE_JOB_STATES.has(r.runState))) {
    try {
      await client.send(new CancelJobRunCommand({ applicationId: run.applicationId, jobRunId: run.jobRunId }));
      cancelled.push(run);
    } catch (err) {
      failed.push({ ...run, error: failureText(err) });
    }
  }
  return { cancelled, failed };
}

/** An AWS error on one line, for a row of the listing (SDK messages may go on with hints on further lines). */
function failureText(err: unknown): string {
  return `${awsErrorName(err) ?? 'Error'}: ${errorMessage(err).split('\n')[0]}`;
}
