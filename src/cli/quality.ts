/**
 * `lakestep checks` and the quality part of `lakestep status`, over `src/ops`: the run
 * records and publish times come from the platform's DynamoDB tables, or with
 * `--simulation` from the tables a local simulation of the build left behind.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Manifest } from '../build/types.ts';
import { formatJson, loadManifest, resolveWorkflow } from '../ops/index.ts';
import { checksResult } from '../ops/checks.ts';
import { dynamoPublishes, itemPublishes, type PublishSource } from '../ops/freshness.ts';
import { dagQuality, formatChecks, formatDagQuality, type DagQuality } from '../ops/quality-status.ts';
import { dynamoRecords, itemRecords, pickRecord, type RunRecordSource } from '../ops/run-records.ts';
import { plainUsage, workflowRef } from './args.ts';
import type { Io } from './io.ts';
import { aws } from './operate.ts';
import { readScenarioFile, startScenario, unknownWorkflows } from './scenario.ts';
import { simulateKnown } from './simulation.ts';

export interface QualitySources {
  runs: RunRecordSource;
  published: PublishSource;
}

const dynamoClient = (io: Io, region: string): DynamoDBClient => (io.dynamodb ?? ((r: string) => new DynamoDBClient({ region: r })))(region);

/** The platform's runs and watermarks tables in its region. */
export function awsSources(io: Io, manifest: Manifest): QualitySources {
  const client = dynamoClient(io, manifest.platform.region);
  return { runs: dynamoRecords(client, manifest.platform.dynamodb.runs), published: dynamoPublishes(client, manifest.platform.dynamodb.watermarks) };
}

/** The runs and watermarks tables after simulating the build (`--scenario`, or the scenario of `lakestep start`). */
export async function simulatedSources(io: Io, buildDir: string, manifest: Manifest, scenarioPath?: string): Promise<QualitySources> {
  const { scenario, source } = scenarioPath === undefined ? startScenario(manifest) : { scenario: readScenarioFile(io.cwd, scenarioPath), source: scenarioPath };
  const unknown = unknownWorkflows(manifest, scenario);
  if (unknown.length) throw plainUsage(`invalid scenario ${source}:\n  ${unknown.join('\n  ')}`);
  const result = await simulateKnown({ buildDir, scenario });
  return {
    runs: itemRecords(result.dynamodb[manifest.platform.dynamodb.runs] ?? []),
    published: itemPublishes(result.dynamodb[manifest.platform.dynamodb.watermarks] ?? []),
  };
}

export interface ChecksOptions {
  ref: string;
  buildDir: string;
  execution?: string;
  simulation: boolean;
  scenario?: string;
  json: boolean;
}

/**
 * `lakestep checks <use-case>/<dag>`: the check results of its newest run (or `--execution`).
 * Exit 1 when an `error` check of that run failed, 0 otherwise (also when it has no checks).
 */
export async function checksCommand(io: Io, opts: ChecksOptions): Promise<number> {
  if (opts.scenario !== undefined && !opts.simulation) throw plainUsage('--scenario goes with --simulation');
  const buildDir = resolve(io.cwd, opts.buildDir);
  const manifest = await loadManifest(buildDir);
  const wf = resolveWorkflow(manifest, opts.ref);
  const sources = opts.simulation ? await simulatedSources(io, buildDir, manifest, opts.scenario) : awsSources(io, manifest);
  const result = await aws(async () => checksResult(wf.ref, await pickRecord(sources.runs, wf.ref, opts.execution)));
  io.out(opts.json ? formatJson(result) : formatChecks(result));
  return result.quality?.checks.some((c) => c.severity === 'error' && c.status !== 'passed') ? 1 : 0;
}

/**
 * The quality part of `status`; a failed read (no access to the tables) is shown, not fatal,
 * as the trigger states are.
 */
export async function statusQuality(io: Io, manifest: Manifest, ref: string): Promise<DagQuality | string> {
  try {
    const s = awsSources(io, manifest);
    return await dagQuality(manifest, ref, s.runs, s.published, (io.now ?? (() => new Date()))());
  } catch (err) {
    return `checks and freshness: unknown (${(err as Error).name}: ${(err as Error).message})`;
  }
}

export function formatStatusQuality(q: DagQuality | string): string {
  return typeof q === 'string' ? q : formatDagQuality(q);
}

/** `lakestep checks` argv → {@link checksCommand}. */
export function checksCli(args: string[], io: Io): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { build: { type: 'string', default: 'build' }, json: { type: 'boolean', default: false }, execution: { type: 'string' }, simulation: { type: 'boolean', default: false }, scenario: { type: 'string' } },
  });
  return checksCommand(io, {
    ref: workflowRef(positionals, 'checks'),
    buildDir: values.build,
    json: values.json,
    simulation: values.simulation,
    ...(values.execution === undefined ? {} : { execution: values.execution }),
    ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
  });
}
