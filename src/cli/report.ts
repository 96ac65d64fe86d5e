/**
 * The report `lakestep start` prints after a simulation: what ran (one row per
 * workflow), the conditions the workflows handle by design, notifications,
 * watermarks and what to try next — at most 100 columns wide.
 */
import type { Manifest, ManifestWorkflow } from '../build/types.ts';
// From its own module, not the simulator's index: commands.ts (validate, compile) imports this file without needing the simulator.
import { itemToPlain } from '../simulator/attribute-values.ts';
import type { ExecutionResult, SimulationResult, TimelineEntry } from '../simulator/index.ts';
import { limited, messageText, table } from './print.ts';

/** Widest line the report prints. */
export const REPORT_WIDTH = 100;
const LIST_MAX = 12;
const FAILED = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/**
 * A DynamoDB condition that fails on purpose and is caught by the state itself,
 * keyed on the state's name as the compiler writes it. Why each one is expected:
 * the watermark's `ConditionExpression` only ever moves it forward; the join
 * machine's gate entries are created, claimed and reopened at most once.
 */
const EXPECTED_CONDITIONS: { state: RegExp; label?: string; meaning: string }[] = [
  { state: /^Advance watermark /, label: 'Advance watermark …', meaning: 'watermark kept: the run read nothing newer (it never moves back)' },
  { state: /^Open gate$/, meaning: 'join gate of that date already open: the upstream is added to it' },
  { state: /^Claim the run$/, meaning: 'join already started the downstream of that date' },
  { state: /^Record upstream success$/, meaning: 'join window expired: a new one is opened' },
];
const CONDITION_ERROR = 'DynamoDB.ConditionalCheckFailedException';

/** Display name of a workflow's kind: the spec's words (`transformation`), `spark` for custom jobs. */
export function kindLabel(w: Pick<ManifestWorkflow, 'type' | 'kind'>): string {
  return w.kind === 'spark' ? 'spark' : w.type;
}

export interface ReportOptions {
  /** Where the full timeline was written, shown as a hint. */
  timelineFile?: string;
  scenario: string;
}

/** The lines of the report (without the compile line, which the caller prints first). */
export function simulationReport(result: SimulationResult, manifest: Manifest, opts: ReportOptions): string[] {
  const failed = result.executions.filter((e) => FAILED.has(e.status));
  const ok = result.executions.filter((e) => e.status === 'SUCCEEDED').length;
  const skipped = result.executions.filter(isSkipped).length;
  const running = result.executions.length - ok - failed.length;
  const s = result.stats;
  const lines = [
    fit(`Simulated ${result.executions.length} executions: ${ok} succeeded${skipped ? ` (${skipped} skipped: a migration not finished)` : ''}, ${failed.length} failed` +
      `${running ? `, ${running} still running` : ''} (${(s.realMs / 1000).toFixed(1)} s, scenario ${opts.scenario})`),
    '',
    ...runsTable(result, manifest),
  ];
  if (failed.length) lines.push('', `Failed executions (${failed.length}):`, ...limited(failed.map(failureLine), LIST_MAX));
  const conditions = expectedConditions(result.timeline);
  if (conditions.length) {
    const total = conditions.reduce((n, c) => n + c.count, 0);
    lines.push('', `Conditions handled by design (${total}, caught by the state itself; not failures):`);
    lines.push(...indent(table([['count', 'state', 'meaning'], ...conditions.map((c) => [`${c.count}×`, c.state, c.meaning])])).map(fit));
  }
  lines.push('', `Notifications sent (${result.notifications.length}):`);
  lines.push(...limited(result.notifications.map((n) => fit(`  ${n.time.replace(/:00\.000Z$/, 'Z')}  ${notificationText(n.message)}`)), LIST_MAX));
  const watermarks = (result.dynamodb[manifest.platform.dynamodb.watermarks] ?? []).map((item) => itemToPlain(item) as Record<string, unknown>);
  lines.push('', `Watermarks recorded (${watermarks.length}):`);
  if (watermarks.length) lines.push(...indent(table(watermarks.map((w) => [String(w.pk ?? JSON.stringify(w)), watermarkValue(w)]))).map(fit));
  // Migrated tables' items: whether the conversion is done (the mark their writers wait for).
  const marks = watermarks.filter((w) => w.migrated_at !== undefined);
  const pending = marks.filter((w) => w.migrated_at === '').map((w) => String(w.pk).replace(/^migration\//, ''));
  if (marks.length) {
    lines.push(fit(`  ${marks.length - pending.length} table(s) marked migrated${pending.length ? `; not migrated yet, so their writers skipped: ${pending.join(', ')}` : ''}`));
  }
  return lines;
}

/** One row per workflow (join machines included) that ran: kind, runs, outcome, what started them. */
function runsTable(result: SimulationResult, manifest: Manifest): string[] {
  const workflowOf = new Map(result.executions.map((e) => [e.executionArn, e.workflow]));
  const kinds = new Map<string, string>();
  for (const uc of manifest.useCases) {
    for (const w of uc.workflows) {
      kinds.set(`${uc.name}/${w.name}`, kindLabel(w));
      if (w.gate) kinds.set(`${uc.name}/${w.name}#join`, 'join');
      if (w.watch) kinds.set(`${uc.name}/${w.name}#watch`, 'watch');
    }
  }
  const rows = new Map<string, { runs: number; ok: number; failed: number; skipped: number; triggers: Map<string, number> }>();
  for (const e of result.executions) {
    const row = rows.get(e.workflow) ?? { runs: 0, ok: 0, failed: 0, skipped: 0, triggers: new Map<string, number>() };
    row.runs++;
    if (e.status === 'SUCCEEDED') row.ok++;
    if (FAILED.has(e.status)) row.failed++;
    if (isSkipped(e)) row.skipped++;
    const t = triggerLabel(e, workflowOf);
    row.triggers.set(t, (row.triggers.get(t) ?? 0) + 1);
    rows.set(e.workflow, row);
  }
  if (!rows.size) return ['  nothing ran: the scenario started nothing and no schedule fired'];
  const body: string[][] = [['workflow', 'kind', 'runs', 'failed', 'skipped', 'started by']];
  let useCase = '';
  for (const [wf, r] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
    const [uc] = wf.split('/');
    if (uc !== useCase) body.push([`${(useCase = uc!)}/`, '', '', '', '', '']);
    const triggers = [...r.triggers].sort(([, a], [, b]) => b - a);
    const by = triggers.length === 1 ? [triggers[0]![0]] : triggers.map(([t, n]) => `${t} ${n}`);
    const count = (n: number) => (n ? String(n) : '-');
    body.push([`  ${wf.slice(uc!.length + 1)}`, kinds.get(wf) ?? '', String(r.runs), count(r.failed), count(r.skipped), by.join(', ')]);
  }
  return wrapLast(indent(table(body, [2, 3, 4])));
}

/** Why a run ended without writing: a table it touches is not migrated yet (src/phases/migration-guard.ts). */
export function skippedFor(e: ExecutionResult): { table: string; migration: string } | undefined {
  const skipped = (e.output as { summary?: { skipped?: { table: string; migration: string } } } | null)?.summary?.skipped;
  return e.status === 'SUCCEEDED' ? skipped : undefined;
}

function isSkipped(e: ExecutionResult): boolean {
  return skippedFor(e) !== undefined;
}

/** Wraps the last column of table lines that are too wide onto aligned continuation lines. */
function wrapLast(lines: string[]): string[] {
  const header = lines[0]!;
  const at = header.lastIndexOf('  ') + 2;
  return lines.flatMap((line) => {
    if ([...line].length <= REPORT_WIDTH || line.length <= at) return [line];
    const out: string[] = [];
    let current = line.slice(0, at);
    for (const part of line.slice(at).split(', ')) {
      const next = current.length > at ? `${current}, ${part}` : current + part;
      if (next.length > REPORT_WIDTH && current.length > at) {
        out.push(`${current},`);
        current = ' '.repeat(at) + part;
      } else current = next;
    }
    return [...out, current].map(fit);
  });
}

/** How an execution started, relative to its own use case (`orders-ingestion`, `customers/customers-ingestion`). */
function triggerLabel(e: ExecutionResult, workflowOf: Map<string, string>): string {
  // The dag alone: names are unique within a use case and usually carry it; a join machine is "join".
  const near = (other: string): string => (other.endsWith('#join') ? 'join' : other.endsWith('#watch') ? 'watch' : other.slice(other.indexOf('/') + 1));
  switch (e.trigger.kind) {
    case 'manual':
      return 'scenario';
    // Schedules and upstream events.
    case 'schedule':
      return 'schedule';
    case 'event':
      return near(workflowOf.get(e.trigger.source) ?? e.trigger.source);
    case 'startExecution':
      return near(workflowOf.get(e.trigger.parent) ?? e.trigger.parent);
  }
}

/** Caught conditional-check failures of the states above, counted per state name. */
export function expectedConditions(timeline: readonly TimelineEntry[]): { state: string; meaning: string; count: number }[] {
  const counts = new Map<string, { state: string; meaning: string; count: number }>();
  for (const e of timeline) {
    if (e.kind !== 'caught' || e.details?.error !== CONDITION_ERROR || !e.state) continue;
    const known = EXPECTED_CONDITIONS.find((c) => c.state.test(e.state!));
    const state = known?.label ?? e.state;
    const key = known ? known.meaning : e.state;
    const c = counts.get(key) ?? { state, meaning: known?.meaning ?? 'condition not met (caught)', count: 0 };
    c.count++;
    counts.set(key, c);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count);
}

/** The hints that close the report; the platform page first, when one was written. */
export function nextSteps(outDir: string, timelineFile: string | undefined, page?: string): string[] {
  const steps = [
    ...(page ? [[page, 'in a browser: graphs, runs, tables']] : []),
    ['npm start -- --scenario src/simulator/scenarios/failure.yaml', 'a job that fails'],
    [`ls ${outDir}/`, 'the compiled ASL, rules, manifest'],
    ['npx lakestep compile specs', 'compile table of every dag'],
    ['npm run deploy', 'deploy to AWS with the CDK'],
  ];
  return [
    ...(timelineFile ? [`Full timeline: ${timelineFile} (or npm start -- --verbose)`] : []),
    '',
    'Next:',
    ...indent(table(steps)).map(fit),
  ];
}

function failureLine(e: ExecutionResult): string {
  return fit(`  ${e.workflow} ${e.name} ${e.status}${e.error ? `: ${e.error}` : ''}${e.cause ? ` — ${oneLine(e.cause)}` : ''}`);
}

/** The compiled ASL writes `value`; older hand-made machines `watermark`. */
function watermarkValue(item: Record<string, unknown>): string {
  const v = item.value ?? item.watermark;
  return v === undefined || v === '' ? '(empty)' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** `orders/orders-migration: execution … ended SUCCEEDED`: the message without its product prefix and trailing details. */
function notificationText(message: string): string {
  return oneLine(messageText(message))
    .replace(/^lakestep /, '')
    .replace(/ at \d{4}-\d\d-\d\dT[^ ]*\. .*$/, '')
    .replace(/: execution (\S+) ended (\S+)$/, '  $1  $2');
}


function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Cuts a line to {@link REPORT_WIDTH} columns with an ellipsis. */
export function fit(line: string): string {
  const chars = [...line];
  return chars.length > REPORT_WIDTH ? `${chars.slice(0, REPORT_WIDTH - 1).join('')}…` : line;
}

function indent(text: string): string[] {
  return text.split('\n').map((l) => `  ${l}`);
}
