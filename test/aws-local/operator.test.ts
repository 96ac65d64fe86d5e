/**
 * pause / resume / status / cancel against moto's server (an independent
 * implementation of the EventBridge and Step Functions APIs), reached by the
 * ordinary SDK clients through a local endpoint. Run with `npm run test:aws-local`
 * (needs python3; the pinned moto virtualenv is created on first use).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeRuleCommand, EventBridgeClient, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest, RuleDefinition } from '../../src/build/types.ts';
import type { Io } from '../../src/cli/io.ts';
import { folder, runCli } from '../cli/support.ts';
import { manifestPlatform, manifestWorkflow } from '../helpers/manifest.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const REGION = 'eu-west-1';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

let moto: ChildProcess | undefined;
let endpoint = '';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  const venv = execFileSync('bash', [join(repo, 'test/setup/python-env.sh'), 'moto'], { encoding: 'utf8' }).trim();
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  moto = spawn(join(venv, 'bin/moto_server'), ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not start on ${endpoint}`);
}, 600_000);

afterAll(() => {
  moto?.kill();
});

const sfn = () => new SFNClient({ region: REGION, endpoint, credentials });
const events = () => new EventBridgeClient({ region: REGION, endpoint, credentials });
/** moto has no job runs of these executions: an EMR Serverless client that answers nothing. */
const noJobRuns = () => ({ send: async () => ({}) }) as never;
const dynamodb = () => new DynamoDBClient({ region: REGION, endpoint, credentials });
const io = (): Partial<Io> => ({ sfn, eventbridge: events, emr: noJobRuns, dynamodb, now: () => new Date('2026-11-25T09:00:00Z') });

const MACHINE = 'acme-orders-orders-ingestion';
const target = `arn:\${Partition}:states:\${Region}:\${Account}:stateMachine:${MACHINE}`;
const RULES: RuleDefinition[] = [
  { Name: `${MACHINE}-schedule`, Description: 's', ScheduleExpression: 'cron(0/30 * * * ? *)', State: 'ENABLED', Targets: [{ Id: 't', Arn: target }] },
  { Name: `${MACHINE}-after-orders-migration`, Description: 'd', EventPattern: { source: ['aws.states'] }, State: 'ENABLED', Targets: [{ Id: 't', Arn: target }] },
  { Name: `${MACHINE}-notify-failure`, Description: 'n', EventPattern: { source: ['aws.states'], detail: { status: ['FAILED'] } }, State: 'ENABLED', Targets: [{ Id: 't', Arn: '${NotificationTopicArn}' }] },
];

function buildFolder(over: Partial<Manifest> = {}): string {
  const manifest: Manifest = {
    version: 1,
    lakestepVersion: '0.1.0',
    platform: manifestPlatform({ region: REGION }),
    useCases: [{ name: 'orders', owner: 'o@example.com', specHash: 'h', files: [], workflows: [manifestWorkflow('orders', 'orders-ingestion', { rules: RULES })] }],
    tables: {},
    quarantined: [],
    ...over,
  };
  const dir = folder();
  mkdirSync(join(dir, 'build'));
  writeFileSync(join(dir, 'build/manifest.json'), JSON.stringify(manifest));
  return dir;
}

async function deployRules(): Promise<void> {
  for (const r of RULES) {
    await events().send(
      new PutRuleCommand({ Name: r.Name, State: 'ENABLED', ...(r.ScheduleExpression ? { ScheduleExpression: r.ScheduleExpression } : { EventPattern: JSON.stringify(r.EventPattern) }) }),
    );
  }
}

const ruleState = async (name: string) => (await events().send(new DescribeRuleCommand({ Name: name }))).State;

describe('operator commands on moto', () => {
  it('pause disables the trigger rules, status reports paused, resume enables them', async () => {
    await deployRules();
    await sfn().send(new CreateStateMachineCommand({ name: MACHINE, roleArn: 'arn:aws:iam::123456789012:role/sfn', definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }) }));
    const dir = buildFolder();

    const paused = await runCli(['pause', 'orders/orders-ingestion'], dir, io());
    expect(paused.err).toBe('');
    expect(paused.code).toBe(0);
    expect(await ruleState(`${MACHINE}-schedule`)).toBe('DISABLED');
    expect(await ruleState(`${MACHINE}-after-orders-migration`)).toBe('DISABLED');
    expect(await ruleState(`${MACHINE}-notify-failure`)).toBe('ENABLED');

    const status = await runCli(['status', 'orders/orders-ingestion'], dir, io());
    expect(status.code).toBe(0);
    expect(status.out).toContain(`triggers: paused (${MACHINE}-schedule DISABLED, ${MACHINE}-after-orders-migration DISABLED)`);

    const again = await runCli(['pause', 'orders/orders-ingestion'], dir, io());
    expect(again.out).toContain('orders/orders-ingestion paused: 0 of 2 rule(s) changed');

    const resumed = await runCli(['resume', 'orders/orders-ingestion'], dir, io());
    expect(resumed.code).toBe(0);
    expect(await ruleState(`${MACHINE}-schedule`)).toBe('ENABLED');
    expect(await ruleState(`${MACHINE}-after-orders-migration`)).toBe('ENABLED');
    expect((await runCli(['status', 'orders/orders-ingestion'], dir, io())).out).toMatch(/^triggers: active \(/m);
  });

  it('checks and status read the run record and the publish time from DynamoDB (Query, GetItem)', async () => {
    const ddb = dynamodb();
    const key = (names: string[]) => names.map((n, i) => ({ AttributeName: n, KeyType: i ? ('RANGE' as const) : ('HASH' as const) }));
    const attrs = (names: string[]) => names.map((n) => ({ AttributeName: n, AttributeType: 'S' as const }));
    await ddb.send(new CreateTableCommand({ TableName: 'runs', KeySchema: key(['pk', 'sk']), AttributeDefinitions: attrs(['pk', 'sk']), BillingMode: 'PAY_PER_REQUEST' }));
    await ddb.send(new CreateTableCommand({ TableName: 'w', KeySchema: key(['pk']), AttributeDefinitions: attrs(['pk']), BillingMode: 'PAY_PER_REQUEST' }));
    const quality = { status: 'failed', attempts: 1, published: [], kept: [{ table: 'raw_orders.orders', branch: 'audit_x' }], checks: [{ table: 'raw_orders.orders', check: 'not_null(order_id)', kind: 'not_null', severity: 'error', status: 'failed', failing: 2 }] };
    for (const [name, summary, status] of [
      ['2026-11-24T000000Z', { quality: { ...quality, status: 'passed', checks: [{ ...quality.checks[0], status: 'passed', failing: 0 }] } }, 'SUCCEEDED'],
      ['2026-11-25T000000Z', { quality }, 'FAILED'],
      ['2026-11-25T000000Z-r1', {}, 'SUCCEEDED'],
    ] as const) {
      const date = `${name.slice(0, 10)}T00:00:00Z`;
      await ddb.send(new PutItemCommand({ TableName: 'runs', Item: { pk: { S: 'orders/orders-ingestion' }, sk: { S: `${date}#${name}` }, status: { S: status }, logical_date: { S: date }, finished_at: { S: `${date.slice(0, 11)}0${name.endsWith('r1') ? 2 : 1}:00:00Z` }, summary: { S: JSON.stringify(summary) } } }));
    }
    await ddb.send(new PutItemCommand({ TableName: 'w', Item: { pk: { S: 'published/raw_orders.orders' }, published_at: { S: '2026-11-24T01:00:00Z' } } }));
    const alarm = { name: 'a', table: 'raw_orders.orders', workflow: 'orders/orders-ingestion', namespace: 'Lakestep', metric: 'TablePublished', dimensions: {}, period: 60, evaluationPeriods: 60 };
    const m = { name: 'orders', owner: 'o@example.com', specHash: 'h', files: [], workflows: [manifestWorkflow('orders', 'orders-ingestion', { rules: RULES })], freshness: [{ ...alarm, level: 'warn' as const, afterSeconds: 7200 }, { ...alarm, level: 'error' as const, afterSeconds: 86_400 }] };
    const dir = buildFolder({ useCases: [m] });

    const failed = await runCli(['checks', 'orders/orders-ingestion', '--execution', '2026-11-25T000000Z'], dir, io());
    expect(failed.err).toBe('');
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/raw_orders\.orders +not_null\(order_id\) +error +failed +2/);
    // Newest by finish time: the rerun, which audited nothing.
    const newest = await runCli(['checks', 'orders/orders-ingestion'], dir, io());
    expect(newest.out).toContain('execution 2026-11-25T000000Z-r1 (logical date 2026-11-25T00:00:00Z): SUCCEEDED\nno quality checks in this run');

    await sfn().send(new CreateStateMachineCommand({ name: MACHINE, roleArn: 'arn:aws:iam::123456789012:role/sfn', definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }) })).catch(() => undefined);
    const status = await runCli(['status', 'orders/orders-ingestion'], dir, io());
    expect(status.err).toBe('');
    expect(status.out).toContain('checks: none in the last run record');
    // 32 hours since the publish: past error_after 1 day.
    expect(status.out).toMatch(/raw_orders\.orders +error +1d 08h +2026-11-24T01:00:00Z +warn 2h 00m, error 1d 00h/);
  });

  it('cancel stops a running execution found through ListStateMachines', async () => {
    const dir = buildFolder();
    const machines = await runCli(['run', 'orders/orders-ingestion', '--date', '2026-11-25'], dir, io());
    expect(machines.code).toBe(0);
    const arn = machines.out.split('\n')[1]!.trim();
    expect((await sfn().send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');

    const r = await runCli(['cancel', 'orders/orders-ingestion', '--execution', '2026-11-25T000000Z'], dir, io());
    expect(r.err).toBe('');
    expect(r.out.split('\n')[0]).toBe('orders/orders-ingestion: stopped execution 2026-11-25T000000Z');
    expect((await sfn().send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('ABORTED');

    const twice = await runCli(['cancel', 'orders/orders-ingestion', '--execution', '2026-11-25T000000Z'], dir, io());
    expect(twice.out.split('\n')[0]).toBe('orders/orders-ingestion: execution 2026-11-25T000000Z was not running (ABORTED): nothing to stop');
  });

  it('reaches the endpoint AWS_ENDPOINT_URL names with its default clients (no test hook), as the README says', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
    delete process.env.AWS_PROFILE;
    try {
      const r = await runCli(['status', 'orders/orders-ingestion'], buildFolder());
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^triggers: active \(/m);
      expect(r.out).toContain('2026-11-25T000000Z');
    } finally {
      process.env = saved;
    }
  });

  it('an unknown execution is reported as such by the real API error', async () => {
    await sfn().send(new StartExecutionCommand({ stateMachineArn: `arn:aws:states:${REGION}:123456789012:stateMachine:${MACHINE}`, name: 'warm-up' }));
    const r = await runCli(['logs', 'orders/orders-ingestion', '--execution', 'nope'], buildFolder(), io());
    expect(r).toMatchObject({ code: 1, err: 'lakestep logs: orders/orders-ingestion has no execution "nope": `lakestep status orders/orders-ingestion` lists them' });
  });
});
