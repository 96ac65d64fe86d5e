/**
 * The simulator reads a build's definitions and job documents as the simulation runs them
 * (src/simulator/build.ts), so trying one workflow of a large build reads that workflow and
 * what it starts, not every file; and the platform's DynamoDB tables have the keys the
 * platform stack gives them (src/build/platform-tables.ts), not whatever a definition's `Key`
 * says, so a request with another key is refused as DynamoDB refuses it.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_KEYS } from '../../src/build/platform-tables.ts';
import { simulate } from '../../src/simulator/index.ts';
import { makeBuild } from './fixture.ts';
import { compileExamplePlatform, type PlatformBuild } from './platform.ts';

describe('a build read as the simulation runs it', () => {
  let build: PlatformBuild;
  beforeAll(() => {
    build = compileExamplePlatform();
    // Every use case but orders loses its definitions and job documents; the manifest stays whole.
    for (const uc of build.manifest.useCases.filter((u) => u.name !== 'orders')) {
      const dir = join(build.dir, uc.name);
      for (const f of readdirSync(dir)) if (f.endsWith('.asl.json') || f === 'jobs') rmSync(join(dir, f), { recursive: true });
    }
  });

  it('runs a workflow whose files are there, without reading the others', async () => {
    const result = await simulate({ buildDir: build.dir, scenario: { start: [{ workflow: 'orders/orders-maintenance', input: { logical_date: '2026-11-25' }, at: '2026-11-25T07:30:00Z' }] } });
    // The console-named start restarts itself under its date's name; the dispatcher sees each end.
    expect(new Set(result.executions.map((e) => e.workflow))).toEqual(new Set(['orders/orders-maintenance', 'lakestep/dispatch']));
    expect(result.executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
    expect(result.jobRuns).toHaveLength(1);
  });

  it('reads a workflow when it runs it: one whose definition is gone fails then, naming the file', async () => {
    await expect(simulate({ buildDir: build.dir, scenario: { start: [{ workflow: 'payments/payments-maintenance', input: {}, at: '2026-11-25T07:30:00Z' }] } })).rejects.toThrow(
      /payments\/payments-maintenance\.asl\.json/,
    );
  });
});

describe("the platform's tables keep the platform stack's keys", () => {
  const get = (table: string, key: object) => ({
    StartAt: 'Read',
    States: { Read: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: table, Key: key }, End: true } },
  });
  const run = async (key: object) => {
    const result = await simulate({
      buildDir: makeBuild([{ useCase: 'uc', name: 'reader', definition: get('ls-watermarks', key) }]),
      scenario: { start: [{ workflow: 'uc/reader', input: {}, at: '2026-11-25T07:30:00Z' }] },
    });
    return result.executions[0]!;
  };

  it('reads the watermarks table by its partition key alone', async () => {
    expect(TABLE_KEYS.watermarks).toEqual(['pk']);
    expect((await run({ pk: { S: 'orders' } })).status).toBe('SUCCEEDED');
  });

  it('refuses a Key with a sort key the table does not have, as DynamoDB does', async () => {
    const exec = await run({ pk: { S: 'orders' }, sk: { S: 'daily' } });
    expect(exec.status).toBe('FAILED');
    expect(exec.error).toBe('DynamoDB.AmazonDynamoDBException');
    expect(exec.cause).toMatch(/The provided key element does not match the schema/);
  });
});
