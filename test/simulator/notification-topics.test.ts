/**
 * The simulator's SNS knows which topics the build's stacks create (src/simulator/build.ts
 * buildTopics): a publish to another topic of the account fails as on AWS, and the dispatcher
 * ends that run failed (`Lakestep.NotificationFailed`) after publishing what it could.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Simulator, type SimulationResult } from '../../src/simulator/index.ts';
import { buildTopics } from '../../src/simulator/build.ts';
import { compileExamplePlatform, type PlatformBuild } from './platform.ts';

const UPSERTS = 'orders/orders-upserts';
const MACHINE = 'acme-orders-orders-upserts';
const TOPIC = `arn:aws:sns:eu-west-1:123456789012:${MACHINE}-notifications`;

let build: PlatformBuild;
beforeAll(() => {
  build = compileExamplePlatform();
});

/** orders-upserts started with a logical date that is none: it fails, which it notifies (on_failure_callback, with emails). */
async function failUpserts(): Promise<SimulationResult> {
  const sim = new Simulator(build.dir);
  sim.start(UPSERTS, { logical_date: 'yesterday' }, { at: '2026-11-25T03:00:00Z', name: 'not-a-date' });
  await sim.runUntilIdle();
  try {
    return await sim.result();
  } finally {
    await sim.close();
  }
}

const dispatches = (r: SimulationResult) => r.executions.filter((e) => e.workflow === 'lakestep/dispatch');

describe('the topics a build creates', () => {
  it('are the platform topic and the topic of each dag with emails', () => {
    const topics = buildTopics({ manifest: build.manifest, region: 'eu-west-1', account: '123456789012' });
    expect([...topics.arns].sort()).toEqual([
      `arn:aws:sns:eu-west-1:123456789012:${build.manifest.platform.notifications.topicName}`,
      'arn:aws:sns:eu-west-1:123456789012:acme-customers-customers-maintenance-notifications',
      TOPIC,
    ].sort());
  });

  it("a dag's failure reaches the platform topic and its own", async () => {
    const result = await failUpserts();
    expect(dispatches(result).map((e) => e.status)).toEqual(['SUCCEEDED']);
    const ended = result.notifications.filter((n) => n.message.includes(`${MACHINE} ended FAILED`));
    expect(ended.map((n) => n.topicArn.split(':').at(-1)).sort()).toEqual([build.manifest.platform.notifications.topicName, `${MACHINE}-notifications`].sort());
  });

  it('a topic the build does not create fails the publish; the dispatcher run ends failed after the platform topic had the message', async () => {
    // A build whose dag keeps the dag-topic tag but lost its emails (so its stack creates no topic).
    const path = join(build.dir, 'orders', 'manifest.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { workflows: { name: string; notificationEmails?: string[] }[] };
    for (const w of manifest.workflows) if (w.name === 'orders-upserts') delete w.notificationEmails;
    writeFileSync(path, JSON.stringify(manifest));
    const result = await failUpserts();
    expect(dispatches(result).map((e) => [e.status, e.error, e.failedState])).toEqual([['FAILED', 'Lakestep.NotificationFailed', 'Notification failed']]);
    expect(dispatches(result)[0]!.cause).toContain('Topic does not exist');
    const ended = result.notifications.filter((n) => n.message.includes(`${MACHINE} ended FAILED`));
    expect(ended.map((n) => n.topicArn.split(':').at(-1))).toEqual([build.manifest.platform.notifications.topicName]);
  });
});
