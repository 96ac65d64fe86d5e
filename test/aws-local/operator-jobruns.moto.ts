/**
 * `lakestep logs` and `lakestep cancel` against moto's EMR Serverless
 * (GetJobRun, CancelJobRun) and Step Functions (DescribeExecution,
 * GetExecutionHistory, StopExecution), on the moto server of global-setup.ts.
 *
 * moto runs no EMR Serverless integration in its state machines, so the
 * execution here is a Wait state and the two history events that the
 * `emr-serverless:startJobRun` task would have written are appended to moto's
 * own history by a client middleware; they name job runs really started on
 * moto's EMR Serverless. Two moto gaps are pinned below: it has no
 * GetDashboardForJobRun (`logs` reports the missing Spark UI on the run's row and
 * still exits 0), and its job runs are SUCCESS from the start, so `cancel` finds
 * none active; CancelJobRun itself is exercised through `cancelJobRuns`.
 */
import { CreateApplicationCommand, EMRServerlessClient, GetJobRunCommand, StartJobRunCommand } from '@aws-sdk/client-emr-serverless';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Io } from '../../src/cli/io.ts';
import { cancelJobRuns, describeJobRuns } from '../../src/ops/jobruns.ts';
import { folderWithBuild, runCli } from '../cli/support.ts';
import { manifestWith, manifestWorkflow } from '../helpers/manifest.ts';

// A region and prefix of its own: the other moto files share this server.
const REGION = 'ap-southeast-2';
const PREFIX = 'jobruns';
const MACHINE = `${PREFIX}-orders-orders-ingestion`;
const LOG_URI = 's3://jobruns-logs/emr/';

const config = () => ({ region: REGION, endpoint: inject('motoEndpoint'), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });
const emr = () => new EMRServerlessClient(config());

/** Job runs an execution "started", by execution ARN: the events moto's history lacks. */
const started = new Map<string, { state: string; applicationId: string; jobRunId: string }[]>();

/** A moto SFN client whose GetExecutionHistory also returns the EMR task events of `started`. */
function sfn(): SFNClient {
  const client = new SFNClient(config());
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const arn = (args.input as { executionArn?: string }).executionArn;
      if (context.commandName !== 'GetExecutionHistoryCommand' || !arn || (args.input as { nextToken?: string }).nextToken) return result;
      const output = result.output as { events?: HistoryEvent[] };
      let id = Math.max(0, ...(output.events ?? []).map((e) => e.id ?? 0));
      for (const run of started.get(arn) ?? []) {
        const entered = ++id;
        output.events = [
          ...(output.events ?? []),
          { id: entered, previousEventId: entered - 1, type: 'TaskStateEntered', timestamp: new Date(), stateEnteredEventDetails: { name: run.state } },
          {
            id: ++id,
            previousEventId: entered,
            type: 'TaskSubmitted',
            timestamp: new Date(),
            taskSubmittedEventDetails: { resourceType: 'emr-serverless', resource: 'startJobRun.sync', output: JSON.stringify({ ApplicationId: run.applicationId, JobRunId: run.jobRunId }) },
          },
        ];
      }
      return result;
    },
    { step: 'initialize', name: 'emrTaskEvents' },
  );
  return client;
}

const io = (): Partial<Io> => ({ sfn, emr });

function buildFolder(): string {
  return folderWithBuild(manifestWith([{ name: 'orders', owner: 'o@example.com', specHash: 'h', files: [], workflows: [manifestWorkflow('orders', 'orders-ingestion', {}, PREFIX)] }], { region: REGION, prefix: PREFIX }));
}

let applicationId = '';
let stateMachineArn = '';

/** A RUNNING execution named `name` and one job run on moto's EMR Serverless that it "started" in state `state`. */
async function executionWithJobRun(name: string, state: string): Promise<{ executionArn: string; jobRunId: string }> {
  const { executionArn } = await sfn().send(new StartExecutionCommand({ stateMachineArn, name }));
  const { jobRunId } = await emr().send(
    new StartJobRunCommand({
      applicationId,
      name: `orders-ingestion-${name}`,
      clientToken: name,
      executionRoleArn: 'arn:aws:iam::123456789012:role/spark',
      jobDriver: { sparkSubmit: { entryPoint: 's3://jobruns-artifacts/lakestep/runtime/main.py' } },
      configurationOverrides: { monitoringConfiguration: { s3MonitoringConfiguration: { logUri: LOG_URI } } },
    }),
  );
  started.set(executionArn!, [{ state, applicationId, jobRunId: jobRunId! }]);
  return { executionArn: executionArn!, jobRunId: jobRunId! };
}

beforeAll(async () => {
  ({ applicationId = '' } = await emr().send(new CreateApplicationCommand({ name: 'jobruns', releaseLabel: 'emr-7.5.0', type: 'SPARK', clientToken: 'jobruns' })));
  ({ stateMachineArn = '' } = await sfn().send(
    new CreateStateMachineCommand({ name: MACHINE, roleArn: 'arn:aws:iam::123456789012:role/sfn', definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }) }),
  ));
});

describe('logs and cancel with job runs on moto', () => {
  it('logs shows the job run of the execution with its state and driver log locations from GetJobRun', async () => {
    const { jobRunId } = await executionWithJobRun('2026-11-25T000000Z', 'Ingest 2 source(s)');
    const r = await runCli(['logs', 'orders/orders-ingestion', '--execution', '2026-11-25T000000Z'], buildFolder(), io());
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('orders/orders-ingestion execution 2026-11-25T000000Z: RUNNING');
    // moto gap: a job run is SUCCESS as soon as it is started.
    expect(lines).toContain(`Ingest 2 source(s)  SUCCESS  ${jobRunId}  0s`);
    const driver = `${LOG_URI}applications/${applicationId}/jobs/${jobRunId}/SPARK_DRIVER`;
    expect(lines).toContain(`  driver log: ${driver}/stderr.gz`);
    expect(lines).toContain(`  driver log: ${driver}/stdout.gz`);
    // moto gap: GetDashboardForJobRun is not implemented, so the Spark UI link is an error on the row.
    expect(lines.at(-1)).toMatch(/^  error: Spark UI: \w+: /);
    expect(lines).toHaveLength(6);
  });

  it('cancel stops the execution with StopExecution and leaves its finished job run alone', async () => {
    const { executionArn, jobRunId } = await executionWithJobRun('2026-11-26T000000Z', 'Stream page-views');
    const r = await runCli(['cancel', 'orders/orders-ingestion', '--execution', '2026-11-26T000000Z'], buildFolder(), io());
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe('orders/orders-ingestion: stopped execution 2026-11-26T000000Z\n  no job run of it is still active');
    expect((await sfn().send(new DescribeExecutionCommand({ executionArn }))).status).toBe('ABORTED');
    expect((await emr().send(new GetJobRunCommand({ applicationId, jobRunId }))).jobRun?.state).toBe('SUCCESS');

    // Again: the execution has ended, so nothing is stopped.
    const twice = await runCli(['cancel', 'orders/orders-ingestion', '--execution', '2026-11-26T000000Z'], buildFolder(), io());
    expect(twice.code).toBe(0);
    expect(twice.out.split('\n')[0]).toBe('orders/orders-ingestion: execution 2026-11-26T000000Z was not running (ABORTED): nothing to stop');
  });

  it('CancelJobRun of an active run, as cancel sends it, cancels the run on moto', async () => {
    const { jobRunId } = await executionWithJobRun('2026-11-28T000000Z', 'Stream page-views');
    const [info] = await describeJobRuns(emr(), [{ state: 'Stream page-views', applicationId, jobRunId }]);
    expect(info).toMatchObject({ runState: 'SUCCESS', name: 'orders-ingestion-2026-11-28T000000Z' });
    // Seen while it ran (moto's runs never do): cancel sends CancelJobRun for it.
    const { cancelled, failed } = await cancelJobRuns(emr(), [{ ...info!, runState: 'RUNNING' }]);
    expect(failed).toEqual([]);
    expect(cancelled.map((c) => c.jobRunId)).toEqual([jobRunId]);
    expect((await emr().send(new GetJobRunCommand({ applicationId, jobRunId }))).jobRun?.state).toBe('CANCELLED');
  });

  it('a job run moto does not know is reported on its row by the real ResourceNotFoundException', async () => {
    const { executionArn } = await sfn().send(new StartExecutionCommand({ stateMachineArn, name: '2026-11-27T000000Z' }));
    started.set(executionArn!, [{ state: 'Ingest 2 source(s)', applicationId, jobRunId: '00000000000000000' }]);
    const r = await runCli(['logs', 'orders/orders-ingestion', '--execution', '2026-11-27T000000Z'], buildFolder(), io());
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ResourceNotFoundException: /);
  });
});
