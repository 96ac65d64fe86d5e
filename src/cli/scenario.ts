/**
 * The scenario `lakestep start` runs when none is given, and the checks that a
 * scenario only names workflows the build has.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TABLE_KEYS, type TableKind } from '../build/platform-tables.ts';
import type { Manifest } from '../build/types.ts';
import { typeOf } from '../simulator/attribute-values.ts';
import { BACKFILL_REF, DISPATCHER_REF, parseScenario, parseScenarioLocated, ScenarioError, unknownMigratedTables, type Scenario } from '../simulator/index.ts';

/** Logical date of the migrations and start of the schedule window of the default scenario. */
export const DEFAULT_DAY = { start: '2026-11-25T00:00:00Z', end: '2026-11-26T00:00:00Z' } as const;

/** A scenario shipped beside the simulator, used instead of the built-in one when it fits the build. */
const DEMO_SCENARIO = new URL('../simulator/scenarios/demo.yaml', import.meta.url);

/**
 * One simulated day: every enabled workflow with no upstream and no schedule (the
 * migrations, manual dags) starts at the window start, and every schedule rule
 * fires over the day; dependency rules start the rest.
 */
export function defaultScenario(manifest: Manifest): Scenario {
  const start = manifest.useCases.flatMap((uc) =>
    uc.workflows
      .filter((w) => w.enabled && w.dependsOn.length === 0 && !w.schedule && !w.scheduleGroups?.length)
      .map((w) => ({ workflow: `${uc.name}/${w.name}`, logical_date: DEFAULT_DAY.start })),
  );
  return { start, window: { start: DEFAULT_DAY.start, end: DEFAULT_DAY.end } };
}

/**
 * `src/simulator/scenarios/demo.yaml` (written for the example specs) merged with
 * {@link defaultScenario}: its starts of workflows this build has, plus a start of
 * every root workflow it does not name — so a use case added to the specs has its
 * migration run too. Without a usable demo file: {@link defaultScenario}.
 */
export function startScenario(manifest: Manifest): { scenario: Scenario; source: string } {
  const fallback = defaultScenario(manifest);
  let demo: Scenario | undefined;
  if (existsSync(DEMO_SCENARIO)) {
    try {
      demo = parseScenario(readFileSync(DEMO_SCENARIO, 'utf8'));
    } catch {
      // A demo file that does not parse is not this build's concern: fall back to the built-in day.
    }
  }
  if (!demo) return { scenario: fallback, source: `built-in: migrations at ${DEFAULT_DAY.start}, schedules over one day` };
  const refs = workflowRefs(manifest);
  const known = (demo.start ?? []).filter((s) => refs.has(s.workflow));
  const started = new Set(known.map((s) => s.workflow));
  const day = demo.window?.start ?? DEFAULT_DAY.start;
  const added = (fallback.start ?? []).filter((s) => !started.has(s.workflow)).map((s) => ({ ...s, logical_date: day }));
  const only = <T>(m: Record<string, T> | undefined) => (m ? Object.fromEntries(Object.entries(m).filter(([ref]) => refs.has(ref))) : undefined);
  const faults = only(demo.faults);
  const delays = only(demo.delays);
  const scenario: Scenario = {
    ...demo,
    start: [...known, ...added],
    window: demo.window ?? fallback.window!,
    ...(faults ? { faults } : {}),
    ...(delays ? { delays } : {}),
  };
  return { scenario, source: `src/simulator/scenarios/demo.yaml${added.length ? ` + ${added.length} more root(s)` : ''}` };
}

/** Every name the simulator accepts for a machine of the build: `<uc>/<dag>`, state machine names, the dispatcher, the backfill machine. */
export function workflowRefs(manifest: Manifest): Set<string> {
  const refs = new Set<string>();
  for (const uc of manifest.useCases) {
    for (const w of uc.workflows) {
      refs.add(`${uc.name}/${w.name}`).add(w.stateMachineName);
      if (w.watch) refs.add(`${uc.name}/${w.name}#watch`).add(w.watch.stateMachineName);
    }
  }
  const dispatcher = manifest.machines?.dispatcher;
  if (dispatcher) refs.add(DISPATCHER_REF).add(dispatcher.stateMachineName);
  const backfill = manifest.machines?.backfill;
  if (backfill) refs.add(BACKFILL_REF).add(backfill.stateMachineName);
  return refs;
}

/**
 * Workflow references of the scenario (starts, faults, delays) and migrated tables that the build does not have, as
 * `path: ref`, and items seeded into a table of the platform without its key.
 */
export function unknownWorkflows(manifest: Manifest, scenario: Scenario): string[] {
  const refs = workflowRefs(manifest);
  const named = [
    ...(scenario.start ?? []).map((s, i) => [`start[${i}].workflow`, s.workflow] as const),
    ...Object.keys(scenario.faults ?? {}).map((ref) => [`faults.${ref}`, ref] as const),
    ...Object.keys(scenario.delays ?? {}).map((ref) => [`delays.${ref}`, ref] as const),
  ];
  return located(scenario, [
    ...named.filter(([, ref]) => !refs.has(ref)).map(([path, ref]) => `${path}: unknown workflow "${ref}"`),
    ...unknownMigratedTables(manifest, scenario.migrated),
    ...seedsWithoutKey(manifest, scenario.dynamodb),
  ]);
}

type Position = { line: number; column: number };
/** Where each scenario read from a file came from, to place the problems found later against a build. */
const sources = new WeakMap<Scenario, { path: string; locate: (problem: string) => Position | undefined }>();

/** `problem` (`path: message`) led by `file:line:col` when its place in the file is known. */
const at = (file: string, position: Position | undefined, problem: string): string => (position ? `${file}:${position.line}:${position.column} ${problem}` : problem);

/** Problems of `scenario` (`path: message` each), each at its line and column when the scenario was read from a file. */
export function located(scenario: Scenario, problems: string[]): string[] {
  const source = sources.get(scenario);
  return source ? problems.map((p) => at(source.path, source.locate(p), p)) : problems;
}

/** Items of `dynamodb` for a table of the platform that lack one of its key attributes, or give it as other than a string (the type the machines key them by). */
function seedsWithoutKey(manifest: Manifest, dynamodb: Scenario['dynamodb']): string[] {
  const problems: string[] = [];
  for (const [kind, table] of Object.entries(manifest.platform.dynamodb) as [TableKind, string][]) {
    (dynamodb?.[table] ?? []).forEach((item, i) => {
      for (const key of TABLE_KEYS[kind]) {
        if (typeOf(item[key]) !== 'S') problems.push(`dynamodb.${table}[${i}]: lacks the key attribute "${key}" of the platform's ${kind} table (keys: ${TABLE_KEYS[kind].join(', ')}), as {S: "..."}`);
      }
    });
  }
  return problems;
}

/** Reads and validates a scenario file; a missing or invalid file is a usage error (exit 2). */
export function readScenarioFile(cwd: string, path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch {
    throw Object.assign(new Error(`cannot read scenario file ${path}`), { exitCode: 2 });
  }
  try {
    const { scenario, locate } = parseScenarioLocated(text);
    sources.set(scenario, { path, locate });
    return scenario;
  } catch (e) {
    // ScenarioError lists every problem, each at its line and column; YAML syntax errors carry theirs.
    const message =
      e instanceof ScenarioError ? `Invalid scenario:\n  ${e.problems.map((p, i) => at(path, e.positions[i], p)).join('\n  ')}` : `invalid YAML: ${(e as Error).message}`;
    throw Object.assign(new Error(`${path}: ${message}`), { exitCode: 2 });
  }
}
