/**
 * The schedule starter on both interpreters: the request a schedule sends at a fire time
 * (the compiled rule's target input), and the deployed Lambda code — the bundle infra
 * uploads (infra/platform/schedule-starter.ts), imported and called with its SDK client
 * aimed at moto.
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ScheduleDefinition } from '../../src/build/types.ts';
import { schedulerInput } from '../../src/simulator/schedule-starter.ts';
import type { ScheduledStart, ScheduledStartResult } from '../../src/starter/scheduled.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** What a workflow's (first) schedule sends the starter for the invocation due at `at`: its target input, the scheduled time filled. */
export function starterRequest(schedules: readonly ScheduleDefinition[], at: string): ScheduledStart {
  const [schedule] = schedules;
  if (!schedule) throw new Error('the workflow has no schedule');
  return JSON.parse(schedulerInput(schedule.Target.Input, at)) as ScheduledStart;
}

let handler: ((event: ScheduledStart) => Promise<ScheduledStartResult>) | undefined;

/** The bundled handler, its Step Functions client on moto at `endpoint` (one per test process). */
export async function bundledStarter(endpoint: string, region: string): Promise<(event: ScheduledStart) => Promise<ScheduledStartResult>> {
  if (handler) return handler;
  const { starterBundle } = await import('../../infra/platform/schedule-starter.ts');
  // Inside node_modules, so the bundle's `@aws-sdk/client-sfn` import resolves as in the Lambda runtime.
  const dir = join(repo, 'node_modules/.cache/lakestep-starter');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.mjs');
  copyFileSync(join(starterBundle(), 'index.mjs'), file);
  Object.assign(process.env, { AWS_ENDPOINT_URL_SFN: endpoint, AWS_REGION: region, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
  const mod = (await import(pathToFileURL(file).href)) as { handler: typeof handler };
  handler = mod.handler;
  return handler!;
}
