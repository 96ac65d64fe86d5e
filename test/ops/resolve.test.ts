import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { OpsError } from '../../src/ops/errors.ts';
import { locateStateMachine, partitionOf, resolveWorkflow, stateMachineArn } from '../../src/ops/resolve.ts';
import { manifest } from './fixtures.ts';

describe('resolveWorkflow', () => {
  it('finds the state machine name of <use-case>/<dag>', () => {
    const wf = resolveWorkflow(manifest(), 'orders/orders-ingestion');
    expect(wf).toMatchObject({ useCase: 'orders', dag: 'orders-ingestion', stateMachineName: 'acme-orders-orders-ingestion', region: 'eu-west-1' });
  });

  it('suggests close use case names', () => {
    expect(() => resolveWorkflow(manifest(), 'order/orders-ingestion')).toThrow('unknown use case "order"; did you mean "orders"?');
  });

  it('suggests close dag names, also in other use cases', () => {
    expect(() => resolveWorkflow(manifest(), 'orders/orders-ingest')).toThrow('use case "orders" has no dag "orders-ingest"; did you mean "orders/orders-ingestion"?');
    expect(() => resolveWorkflow(manifest(), 'orders/customers-ingestion')).toThrow('has no dag "customers-ingestion"; did you mean "customers/customers-ingestion" or "orders/orders-ingestion"?');
  });

  it('asks for <use-case>/<dag> and finds the dag when only its name is given', () => {
    const err = catchOps(() => resolveWorkflow(manifest(), 'customers-ingestion'));
    expect(err.code).toBe('USAGE');
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('workflow must be given as <use-case>/<dag>, got "customers-ingestion"; did you mean "customers/customers-ingestion"?');
  });

  it('says a quarantined use case is quarantined and that its last good deployment runs', () => {
    const err = catchOps(() => resolveWorkflow(manifest(), 'payments/payments-ingestion'));
    expect(err.code).toBe('QUARANTINED');
    expect(err.exitCode).toBe(1);
    expect(err.message).toContain('use case "payments" is quarantined: its specs have 1 error(s)');
    expect(err.message).toContain('payments/orchestration.yaml:4:5 SCHEMA_UNKNOWN_FIELD');
    expect(err.message).toContain('its last good deployment, if any, is what runs in AWS');
  });
});

describe('ARNs', () => {
  it('derives the partition from the region', () => {
    expect(partitionOf('eu-west-1')).toBe('aws');
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(stateMachineArn('acme-a-b', { region: 'cn-north-1', account: '123456789012' })).toBe(
      'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:acme-a-b',
    );
  });
});

describe('locateStateMachine', () => {
  const sfn = mockClient(SFNClient);
  beforeEach(() => sfn.reset());
  const wf = () => resolveWorkflow(manifest(), 'orders/orders-ingestion');

  it('builds the ARN from --account without calling AWS', async () => {
    const t = await locateStateMachine(new SFNClient({ region: 'eu-west-1' }), wf(), { account: '123456789012' });
    expect(t.stateMachineArn).toBe('arn:aws:states:eu-west-1:123456789012:stateMachine:acme-orders-orders-ingestion');
    expect(sfn.calls()).toHaveLength(0);
  });

  it('rejects a malformed account', async () => {
    await expect(locateStateMachine(new SFNClient({}), wf(), { account: '1234' })).rejects.toThrow('--account must be a 12-digit AWS account id');
  });

  it('finds the ARN by exact name across ListStateMachines pages', async () => {
    const arn = 'arn:aws:states:eu-west-1:210987654321:stateMachine:acme-orders-orders-ingestion';
    sfn
      .on(ListStateMachinesCommand)
      .resolvesOnce({ stateMachines: [sm('acme-orders-orders-ingestion-join')], nextToken: 't1' })
      .resolvesOnce({ stateMachines: [sm('acme-orders-orders-ingestion', arn)] });
    const t = await locateStateMachine(new SFNClient({ region: 'eu-west-1' }), wf());
    expect(t.stateMachineArn).toBe(arn);
    // The paginator reuses one input object, so only the count and the last token are observable.
    const calls = sfn.commandCalls(ListStateMachinesCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input).toMatchObject({ nextToken: 't1', maxResults: 1000 });
  });

  it('says when the machine is not deployed', async () => {
    sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [] });
    await expect(locateStateMachine(new SFNClient({ region: 'eu-west-1' }), wf())).rejects.toThrow(
      'state machine "acme-orders-orders-ingestion" of orders/orders-ingestion is not deployed in region eu-west-1',
    );
  });
});

function sm(name: string, arn = `arn:aws:states:eu-west-1:1:stateMachine:${name}`) {
  return { name, stateMachineArn: arn, type: 'STANDARD' as const, creationDate: new Date(0) };
}

function catchOps(fn: () => unknown): OpsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof OpsError) return err;
    throw err;
  }
  throw new Error('expected an OpsError');
}
