/** Pacing Step Functions calls: token buckets after the quotas, backoff with jitter on throttling. */
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { paced, retryable, stepFunctionsQuotas, TokenBucket } from '../../src/ui/throttle.ts';
import { fakeClock } from './clock.ts';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

describe('stepFunctionsQuotas', () => {
  it('takes half the bucket and 80% of the refill of the quota of the region', () => {
    expect(stepFunctionsQuotas('eu-west-1').ListExecutions).toEqual({ bucket: 100, refill: 4 });
    expect(stepFunctionsQuotas('eu-central-1').ListExecutions).toEqual({ bucket: 50, refill: 1.6 });
    expect(stepFunctionsQuotas('eu-central-1').GetExecutionHistory).toEqual({ bucket: 200, refill: 16 });
  });
});

describe('TokenBucket', () => {
  it('allows the burst at once, then the refill rate', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ bucket: 10, refill: 2 }, clock);
    for (let i = 0; i < 10; i++) await bucket.take();
    expect(clock.now()).toBe(0);
    for (let i = 0; i < 20; i++) await bucket.take();
    expect(clock.now()).toBeGreaterThanOrEqual(10_000);
    expect(clock.now()).toBeLessThan(10_600);
  });

  it('starts again from empty after a throttle', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ bucket: 10, refill: 5 }, clock);
    await bucket.take();
    bucket.drain();
    await bucket.take();
    expect(clock.now()).toBe(200);
  });
});

describe('paced', () => {
  const sfn = mockClient(SFNClient);
  beforeEach(() => sfn.reset());

  it('retries a throttled call after growing jittered waits, and counts it', async () => {
    sfn.on(ListExecutionsCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ executions: [] });
    const clock = fakeClock();
    const { client, stats } = paced(new SFNClient({}), { quotas: stepFunctionsQuotas('eu-west-1'), clock, random: () => 0.999, baseMs: 100 });
    await client.send(new ListExecutionsCommand({ stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:a' }));
    // Up to 100, 200, 400 ms (random 0.999); between them the emptied bucket refills at 4 tokens/s.
    expect(stats).toEqual({ calls: { ListStateMachines: 0, ListExecutions: 4, GetExecutionHistory: 0 }, retried: 3, backoffMs: 99 + 199 + 399 });
    expect(clock.slept).toEqual([99, 151, 199, 51, 399]);
  });

  it('gives up after its attempts and rethrows the throttling error', async () => {
    sfn.on(ListStateMachinesCommand).rejects(throttled());
    const { client, stats } = paced(new SFNClient({}), { quotas: stepFunctionsQuotas('eu-west-1'), clock: fakeClock(), attempts: 3 });
    await expect(client.send(new ListStateMachinesCommand({}))).rejects.toThrow('Rate exceeded');
    expect(stats.calls.ListStateMachines).toBe(3);
  });

  it('does not retry an error that is not transient', async () => {
    sfn.on(ListExecutionsCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    const { client, stats } = paced(new SFNClient({}), { quotas: stepFunctionsQuotas('eu-west-1'), clock: fakeClock() });
    await expect(client.send(new ListExecutionsCommand({ stateMachineArn: 'a' }))).rejects.toThrow('no');
    expect(stats.calls.ListExecutions).toBe(1);
  });

  it('is still an SFNClient for the paginators', () => {
    const { client } = paced(new SFNClient({}), { quotas: stepFunctionsQuotas('eu-west-1') });
    expect(client).toBeInstanceOf(SFNClient);
  });
});

describe('retryable', () => {
  it.each([
    [{ name: 'ThrottlingException' }, true],
    [{ name: 'X', $retryable: { throttling: true } }, true],
    [{ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }, true],
    [{ name: 'X', $metadata: { httpStatusCode: 429 } }, true],
    [{ name: 'ExecutionDoesNotExist', $metadata: { httpStatusCode: 400 } }, false],
    [undefined, false],
  ])('%j → %s', (err, want) => expect(retryable(err)).toBe(want));
});
