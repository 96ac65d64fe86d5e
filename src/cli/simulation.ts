/**
 * Running a build in the local simulator and printing what happened: the
 * timeline, then a summary of executions, notifications, watermarks and speed.
 */
import { resolve } from 'node:path';
import type { Manifest } from '../build/types.ts';
import { loadManifest } from '../ops/index.ts';
import { formatTimeline, itemToPlain, migratedTablesOf, ScenarioError, simulate, type ExecutionResult, type Scenario, type SimulationResult, type SimulatorOptions, type Trigger } from '../simulator/index.ts';
import type { Io } from './io.ts';
import { aslVerdicts } from './asl-verdicts.ts';
import { limited, messageText, table } from './print.ts';
import { skippedFor } from './report.ts';
import { located, startScenario, unknownWorkflows } from './scenario.ts';
import { simulationCostLine } from './transitions-cost.ts';
import { checkUseCases } from './use-cases.ts';

/** Statuses that make a simulation (and so `start` / `simulate`) exit 1. */
export const FAILED = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

const LIST_MAX = 20;
/** Names a message lists at most (a build of 1,000 use cases has 5,000 workflows). */
const NAMES_SHOWN = 20;

/** `--use-case` (only these use cases' starts and schedules; what they start runs too) and `--max-executions` (the loop guard). */
export type SimulationScope = Pick<SimulatorOptions, 'useCases' | 'maxExecutions'>;

export interface SimulationOutput extends SimulationScope {
  /** What to print: `timeline` and `summary` (or `json`). */
  quiet: boolean;
  json: boolean;
}


/**
 * Simulates `given` (default: the scenario of `start`) against the build in `buildDir` and prints the result.
 * Returns 0 when no execution failed, 1 otherwise; 2 when the scenario names
 * workflows the build does not have.
 */
export async function runSimulation(io: Io, buildDir: string, given: Scenario | undefined, output: SimulationOutput, manifest?: Manifest): Promise<number> {
  const dir = resolve(io.cwd, buildDir);
  const m = manifest ?? (await loadManifest(dir));
  const scenario = given ?? startScenario(m).scenario;
  const unknown = unknownWorkflows(m, scenario);
  if (unknown.length) {
    const known = [
      ...(unknown.some((u) => u.includes('unknown workflow')) ? [`known workflows: ${some(m.useCases.flatMap((u) => u.workflows.map((w) => `${u.name}/${w.name}`)), 'lakestep graph --build lists them')}`] : []),
      ...(unknown.some((u) => u.includes('no migration of this build converts')) ? [`migrated tables: ${some(migratedTablesOf(m), 'lakestep graph --tables --build lists the tables')}`] : []),
    ];
    io.err(`invalid scenario for ${buildDir}:\n  ${unknown.join('\n  ')}\n${known.join('\n')}`);
    return 2;
  }
  checkUseCases(m, output.useCases);
  const result = await simulateKnown({ buildDir: dir, scenario, useCases: output.useCases, maxExecutions: output.maxExecutions });
  if (output.json) io.out(JSON.stringify(result, null, 2));
  else {
    if (!output.quiet && result.timeline.length) io.out(formatTimeline(result.timeline) + '\n');
    io.out(simulationSummary(result, m, scenario.window));
  }
  return result.executions.some((e) => FAILED.has(e.status)) ? 1 : 0;
}

/**
 * `simulate --start <ref> --input <json>`: one execution of `ref` with that input (default `{}`),
 * keeping the rest of `base` (faults, delays, …) but none of its starts or schedules.
 * Throws a usage error (exit 2) when the input is not JSON.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
export function singleStart(base: Scenario | undefined, ref: string, inputText: string | undefined): Scenario {
  let input: unknown = {};
  if (inputText !== undefined) {
    try {
      input = JSON.parse(inputText);
    } catch (error) {
      throw Object.assign(new Error(`--input must be JSON: ${(error as Error).message}`), { code: 'ERR_PARSE_ARGS_USAGE' });
    }
  }
  const { start: _start, window: _window, ...rest } = base ?? {};
  return { ...rest, start: [{ workflow: ref, input }] };
}

/** Names in a message: the first {@link NAMES_SHOWN}, then how many more and where all are. */
function some(names: readonly string[], where: string): string {
  return names.length > NAMES_SHOWN ? `${names.slice(0, NAMES_SHOWN).join(', ')} … and ${names.length - NAMES_SHOWN} more (${where})` : names.join(', ');
}

/** {@link simulate} with the definitions validated by earlier runs (src/cli/asl-verdicts.ts), and those of this one kept. */
export async function simulateKnown(opts: Parameters<typeof simulate>[0]): Promise<SimulationResult> {
  const validDefinitions = aslVerdicts();
  try {
    return await simulate({ ...opts, validDefinitions });
  } catch (e) {
    // A problem the simulation meets in the scenario (a seed DynamoDB refuses), at its line and column.
    throw e instanceof ScenarioError ? new ScenarioError(located(opts.scenario, e.problems)) : e;
  } finally {
    validDefinitions.save();
  }
}

/** Executions by workflow and trigger, failures, notifications, watermarks, throughput. */
export function simulationSummary(result: SimulationResult, manifest: Manifest, window?: { start: string; end: string }): string {
  const workflowOf = new Map(result.executions.map((e) => [e.executionArn, e.workflow]));
  const groups = new Map<string, { workflow: string; trigger: string; statuses: Map<string, number> }>();
  for (const e of [...result.executions].sort((a, b) => a.startTime.localeCompare(b.startTime))) {
    const trigger = triggerLabel(e.trigger, workflowOf);
    const key = `${e.workflow}\0${trigger}`;
    const g = groups.get(key) ?? { workflow: e.workflow, trigger, statuses: new Map<string, number>() };
    g.statuses.set(e.status, (g.statuses.get(e.status) ?? 0) + 1);
    groups.set(key, g);
  }
  const rows = [['workflow', 'trigger', 'executions', 'status']];
  for (const g of [...groups.values()].sort((a, b) => a.workflow.localeCompare(b.workflow) || a.trigger.localeCompare(b.trigger))) {
    const total = [...g.statuses.values()].reduce((a, b) => a + b, 0);
    const statuses = [...g.statuses].sort(([a], [b]) => Number(!FAILED.has(a)) - Number(!FAILED.has(b)) || a.localeCompare(b));
    rows.push([g.workflow, g.trigger, String(total), statuses.map(([s, n]) => `${n} ${s}`).join(', ')]);
  }
  const failed = result.executions.filter((e) => FAILED.has(e.status));
  const lines: string[] = [
    `Executions (${result.executions.length}):`,
    result.executions.length ? indent(table(rows)) : '  none: the scenario started nothing and no schedule fired',
  ];
  if (failed.length) {
    lines.push('', `Failed executions (${failed.length}):`, ...limited(failed.map(failureLine), LIST_MAX));
  }
  const skipped = result.executions.flatMap((e) => {
    const why = skippedFor(e);
    return why ? [`  ${e.workflow} ${e.name}: ${why.table} is not migrated yet (${why.migration})`] : [];
  });
  if (skipped.length) {
    lines.push('', `Skipped, nothing written (${skipped.length}); run the migration first, or give the scenario \`migrated: all\`:`, ...limited(skipped, LIST_MAX));
  }
  lines.push('', `Notifications sent (${result.notifications.length}):`);
  lines.push(...limited(result.notifications.map((n) => `  ${n.time.replace(/\.000Z$/, 'Z')}  ${oneLine(messageText(n.message), 140)}`), LIST_MAX));
  const watermarks = (result.dynamodb[manifest.platform.dynamodb.watermarks] ?? []).map((item) => itemToPlain(item) as Record<string, unknown>);
  lines.push('', `Watermarks recorded (${watermarks.length}):`);
  if (watermarks.length) {
    const wrows = [['key', 'value'], ...watermarks.map((w) => [String(w.pk ?? JSON.stringify(w)), watermarkValue(w)])];
    lines.push(indent(table(wrows)));
  }
  const s = result.stats;
  const ok = result.executions.filter((e) => e.status === 'SUCCEEDED').length;
  lines.push('', simulationCostLine(result, manifest, window));
  lines.push(
    '',
    `Simulated ${s.executions} execution(s) in ${(s.realMs / 1000).toFixed(1)} s (${s.executionsPerSecond} executions/s): ${ok} succeeded, ${failed.length} failed` +
      (result.executions.length - ok - failed.length ? `, ${result.executions.length - ok - failed.length} still running` : ''),
  );
  return lines.join('\n');
}

/** The compiled ASL writes `value`; older hand-made machines `watermark`. */
function watermarkValue(item: Record<string, unknown>): string {
  const v = item.value ?? item.watermark;
  return v === undefined || v === '' ? '(empty)' : typeof v === 'string' ? v : JSON.stringify(v);
}

function triggerLabel(t: Trigger, workflowOf: Map<string, string>): string {
  switch (t.kind) {
    case 'manual':
      return 'manual';
    case 'schedule':
      return 'schedule';
    case 'event':
      return `after ${workflowOf.get(t.source) ?? t.source}`;
    case 'startExecution':
      return `started by ${workflowOf.get(t.parent) ?? t.parent}`;
  }
}

function failureLine(e: ExecutionResult): string {
  return `  ${e.workflow} ${e.name} ${e.status}${e.failedState ? ` in "${e.failedState}"` : ''}${e.error ? `: ${e.error}` : ''}${e.cause ? ` — ${oneLine(e.cause, 160)}` : ''}`;
}


function oneLine(text: string, max: number): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
