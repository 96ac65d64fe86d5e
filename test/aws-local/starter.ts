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
import type { RuleDefinition } from '../../src/build/types.ts';
import { targetInput } from '../../src/simulator/index.ts';
import type { ScheduledStart, ScheduledStartResult } from '../../src/starter/scheduled.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** What the first schedule rule of a workflow sends the starter when it fires at `at` (placeholders filled). */
export function starterRequest(rules: readonly RuleDefinition[], at: string, region: string, account: string): ScheduledStart {
  const rule = rules.find((r) => r.ScheduleExpression !== undefined);
  const target = rule?.Targets[0];
  if (!rule || !target) throw new Error('the workflow has no schedule rule');
  const ruleArn = `arn:aws:events:${region}:${account}:rule/${rule.Name}`;
  const event = { version: '0', id: '00000000-0000-4000-a000-000000000001', 'detail-type': 'Scheduled Event', source: 'aws.events', account, time: at, region, resources: [ruleArn], detail: {} };
  return JSON.parse(targetInput(target, event, { ruleName: rule.Name, ruleArn })) as ScheduledStart;
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
