/**
 * `lakestep ui --from-aws` against moto's Step Functions (an independent
 * implementation that runs the state machines), on the moto server of
 * global-setup.ts: the machines found over pages of ListStateMachines or named by
 * ARN, executions paged newest first, a missing machine noted, and a failed run's
 * error, cause and Fail state read from its real GetExecutionHistory.
 */
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Manifest } from '../../src/build/types.ts';
import { readAwsRuns } from '../../src/ui/aws.ts';
import { manifestPlatform, manifestWorkflow } from '../helpers/manifest.ts';
import { stoppedStatus } from './stopped.ts';

// A region and prefix of its own: the other moto files share this server.
const REGION = 'ca-central-1';
const PREFIX = 'uipage';
const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/sfn`;
const DATES = ['2026-11-25T000000Z', '2026-11-25T060000Z', '2026-11-25T120000Z', '2026-11-25T180000Z', '2026-11-26T000000Z'];

const sfn = () => new SFNClient({ region: REGION, endpoint: inject('motoEndpoint'), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });

const manifest: Manifest = {
  version: 1,
  lakestepVersion: '0.1.0',
  platform: manifestPlatform({ region: REGION, prefix: PREFIX }),
  useCases: [{ name: 'orders', owner: 'o@example.com', specHash: 'h', files: [], workflows: ['orders-report', 'orders-audit', 'orders-new'].map((d) => manifestWorkflow('orders', d, {}, PREFIX)) }],
  tables: {},
  quarantined: [],
};

beforeAll(async () => {
  const client = sfn();
  // Unrelated machines first, so finding ours takes more than one page of ListStateMachines.
  for (let i = 0; i < 3; i++) {
    await client.send(new CreateStateMachineCommand({ name: `${PREFIX}-other-${i}`, roleArn: ROLE, definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }) }));
  }
  const report = await client.send(
    new CreateStateMachineCommand({ name: `${PREFIX}-orders-orders-report`, roleArn: ROLE, definition: JSON.stringify({ StartAt: 'Report', States: { Report: { Type: 'Pass', End: true } } }) }),
  );
  const audit = await client.send(
    new CreateStateMachineCommand({
      name: `${PREFIX}-orders-orders-audit`,
      roleArn: ROLE,
      definition: JSON.stringify({ StartAt: 'Check', States: { Check: { Type: 'Pass', Next: 'Failed' }, Failed: { Type: 'Fail', Error: 'Lakestep.QualityCheckFailed', Cause: 'not_null(order_id): 3 rows' } } }),
    }),
  );
  for (const name of DATES) {
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: report.stateMachineArn, name, input: '{}' }));
    expect(await stoppedStatus(client, executionArn!)).toBe('SUCCEEDED');
  }
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn: audit.stateMachineArn, name: 'manual-check', input: JSON.stringify({ trigger: 'manual', logical_date: '2026-11-24T00:00:00Z' }) }),
  );
  expect(await stoppedStatus(client, executionArn!)).toBe('FAILED');
}, 120_000);

describe('ui --from-aws on moto', () => {
  const since = () => new Date(Date.now() - 3600_000);

  it('finds the machines over pages of ListStateMachines, reads executions over pages, newest first, and notes the missing one', async () => {
    const read = await readAwsRuns(sfn(), manifest, { since: since(), now: new Date(), quarantined: [], pageSize: 2 });
    const report = read.runs.filter((r) => r.dag === 'orders/orders-report');
    expect(report.map((r) => [r.name, r.state, r.logicalDate, r.dateFrom])).toEqual(
      [...DATES].reverse().map((d) => [d, 'succeeded', `${d.slice(0, 13)}:${d.slice(13, 15)}:${d.slice(15, 17)}Z`, 'name']),
    );
    expect(read.stats.calls.ListExecutions).toBe(3 + 1); // five executions in pages of two, and the audit's one
    expect(read.stats.calls.ListStateMachines).toBeGreaterThan(1);
    expect(read.notes).toEqual([`1 state machine(s) not deployed in ${REGION}: orders/orders-new`]);
  });

  it("shows a failed run's error, cause, date and Fail state from its history; with --account, a machine AWS lacks is a note", async () => {
    const read = await readAwsRuns(sfn(), manifest, { since: since(), now: new Date(), account: ACCOUNT, quarantined: [] });
    expect(read.stats.calls.ListStateMachines).toBe(0);
    expect(read.runs.find((r) => r.dag === 'orders/orders-audit')).toMatchObject({
      name: 'manual-check',
      status: 'FAILED',
      state: 'quality',
      error: 'Lakestep.QualityCheckFailed',
      cause: 'not_null(order_id): 3 rows',
      logicalDate: '2026-11-24T00:00:00Z',
      dateFrom: 'input',
      trigger: 'manual',
      states: [
        { name: 'Check', outcome: 'succeeded', at: expect.any(String) },
        { name: 'Failed', outcome: 'failed', at: expect.any(String) },
      ],
    });
    expect(read.notes).toEqual([`1 state machine(s) not deployed in ${REGION}: orders/orders-new`]);
  });
});
