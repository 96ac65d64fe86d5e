/**
 * The report `lakestep start` prints after a simulation: what ran (one row per
 * workflow) and what the day's state transitions cost, the conditions the workflows handle by design, notifications,
 * watermarks and what to try next — 100 columns wide. Long lines are wrapped, never
 * cut: a status, an error or a name is always whole; ARNs are shortened to the
 * name they end with.
 */
import type { Manifest, ManifestWorkflow } from '../build/types.ts';
// From their own modules, not the simulator's index: commands.ts (validate, compile) imports this file without needing the simulator.
import { itemToPlain } from '../simulator/attribute-values.ts';
import { DISPATCHER_REF } from '../simulator/refs.ts';
import type { ExecutionResult, SimulationResult, TimelineEntry } from '../simulator/index.ts';
import { limited, messageText, table } from './print.ts';
import { simulationCostLine } from './transitions-cost.ts';

/** Widest line the report prints. */
export const REPORT_WIDTH = 100;
const LIST_MAX = 12;
const FAILED = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/**
 * A DynamoDB condition that fails on purpose and is caught by the state itself,
 * keyed on the state's name as the compiler writes it. Why each one is expected:
 * the watermark's `ConditionExpression` only ever moves it forward; the dispatcher's
 * join entries are created, widened and reopened at most once.
 */
const EXPECTED_CONDITIONS: { state: RegExp; label?: string; meaning: string }[] = [
  { state: /^Advance watermark /, label: 'Advance watermark …', meaning: 'watermark kept: the run read nothing newer (it never moves back)' },
  { state: /^Open gate$/, meaning: 'join gate of that date already open: the upstream is added to it' },
  { state: /^Record upstream success$/, meaning: 'join window expired: a new one is opened' },
  { state: /^Widen interval (start|end)$/, label: 'Widen interval …', meaning: "join's data interval already spans this upstream's" },
];
/** Lines of a failure cause shown; the timeline file has the whole of it. */
const CAUSE_LINES = 4;
const CONDITION_ERROR = 'DynamoDB.ConditionalCheckFailedException';

/** Display name of a workflow's kind: the spec's words (`transformation`), `spark` for custom jobs. */
export function kindLabel(w: Pick<ManifestWorkflow, 'type' | 'kind'>): string {
  return w.kind === 'spark' ? 'spark' : w.type;
}

export interface ReportOptions {
  /** Where the full timeline was written, shown as a hint. */
  timelineFile?: string;
  scenario: string;
  /** The scenario's window: the transitions are priced per day when it spans whole days. */
  window?: { start: string; end: string };
}

/** The lines of the report (without the compile line, which the caller prints first). */
export function simulationReport(result: SimulationResult, manifest: Manifest, opts: ReportOptions): string[] {
  const failed = result.executions.filter((e) => FAILED.has(e.status));
  const ok = result.executions.filter((e) => e.status === 'SUCCEEDED').length;
  const skipped = result.executions.filter(isSkipped).length;
  const running = result.executions.length - ok - failed.length;
  const s = result.stats;
  const lines = [
    ...wrap(`Simulated ${result.executions.length} executions: ${ok} succeeded${skipped ? ` (${skipped} skipped: a migration not finished)` : ''}, ${failed.length} failed` +
      `${running ? `, ${running} still running` : ''} (${(s.realMs / 1000).toFixed(1)} s, scenario ${opts.scenario})`),
    '',
    ...runsTable(result, manifest),
    '',
    ...wrap(simulationCostLine(result, manifest, opts.window)),
  ];
  if (failed.length) lines.push('', `Failed executions (${failed.length}):`, ...limitedGroups(failed.map((e) => failureLines(e, opts.timelineFile)), LIST_MAX));
  const conditions = expectedConditions(result.timeline);
  if (conditions.length) {
    const total = conditions.reduce((n, c) => n + c.count, 0);
    lines.push('', `Conditions handled by design (${total}, caught by the state itself; not failures):`);
    lines.push(...indent(table([['count', 'state', 'meaning'], ...conditions.map((c) => [`${c.count}×`, c.state, c.meaning])])).flatMap((l) => wrap(l)));
  }
  lines.push('', `Notifications sent (${result.notifications.length}):`);
  if (result.notifications.length) {
    // The dispatcher names the state machine; the report names the dag.
    const refOf = new Map(manifest.useCases.flatMap((u) => u.workflows.map((w) => [w.stateMachineName, `${u.name}/${w.name}`] as const)));
    const parts = (message: string): string[] => {
      const [who, ...rest] = notificationParts(message);
      return [refOf.get(who!) ?? who!, ...rest];
    };
    const notices = indent(table(result.notifications.map((n) => [n.time.replace(/:00\.000Z$/, 'Z'), ...parts(n.message)])));
    lines.push(...limitedGroups(notices.map((l) => wrap(l)), LIST_MAX));
  }
  const watermarks = (result.dynamodb[manifest.platform.dynamodb.watermarks] ?? []).map((item) => itemToPlain(item) as Record<string, unknown>);
  lines.push('', `Watermarks recorded (${watermarks.length}):`);
  if (watermarks.length) lines.push(...indent(table(watermarks.map((w) => [String(w.pk ?? JSON.stringify(w)), watermarkValue(w)]))).flatMap((l) => wrap(l)));
  // Migrated tables' items: whether the conversion is done (the mark their writers wait for).
  const marks = watermarks.filter((w) => w.migrated_at !== undefined);
  const pending = marks.filter((w) => w.migrated_at === '').map((w) => String(w.pk).replace(/^migration\//, ''));
  if (marks.length) {
    lines.push(...wrap(`  ${marks.length - pending.length} table(s) marked migrated${pending.length ? `; not migrated yet, so their writers skipped: ${pending.join(', ')}` : ''}`));
  }
  return lines;
}

/** One row per workflow (and the platform's dispatcher) that ran: kind, runs, outcome, what started them. */
function runsTable(result: SimulationResult, manifest: Manifest): string[] {
  const byArn = new Map(result.executions.map((e) => [e.executionArn, e]));
  const kinds = new Map<string, string>([[DISPATCHER_REF, 'dispatcher']]);
  for (const uc of manifest.useCases) {
    for (const w of uc.workflows) {
      kinds.set(`${uc.name}/${w.name}`, kindLabel(w));
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
    const t = triggerLabel(e, byArn);
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
    return [...out, current].flatMap((l) => wrap(l));
  });
}

/** How an execution started, relative to its own use case (`orders-ingestion`, `customers/customers-ingestion`). */
function triggerLabel(e: ExecutionResult, byArn: Map<string, ExecutionResult>): string {
  // The dag alone: names are unique within a use case and usually carry it.
  const near = (arn: string): string => {
    const ref = byArn.get(arn)?.workflow ?? arn;
    return ref.endsWith('#watch') ? 'watch' : ref.slice(ref.indexOf('/') + 1);
  };
  switch (e.trigger.kind) {
    case 'manual':
      return 'scenario';
    case 'schedule':
      return 'schedule';
    // The dispatcher, fed the end of every execution by the platform's rule.
    case 'event':
      return 'status rule';
    case 'startExecution': {
      // Started by the dispatcher: after the upstream whose end it handled.
      const parent = byArn.get(e.trigger.parent);
      if (parent?.workflow === DISPATCHER_REF && parent.trigger.kind === 'event') return `after ${near(parent.trigger.source)}`;
      return near(e.trigger.parent);
    }
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
    ...indent(table(steps)).flatMap((l) => wrap(l)),
  ];
}

/** `workflow execution STATUS: error — cause`, wrapped; a long cause shows its first lines and where the rest is. */
function failureLines(e: ExecutionResult, timelineFile: string | undefined): string[] {
  const head = wrap(`  ${e.workflow} ${e.name} ${e.status}${e.error ? `: ${e.error}` : ''}`);
  if (!e.cause) return head;
  const cause = wrap(`    ${oneLine(shortenArns(e.cause))}`);
  if (cause.length <= CAUSE_LINES) return [...head, ...cause];
  return [...head, ...cause.slice(0, CAUSE_LINES), `    … the whole cause is in ${timelineFile ?? 'the timeline'}`];
}

/** The compiled ASL writes `value`; older hand-made machines `watermark`. */
function watermarkValue(item: Record<string, unknown>): string {
  const v = item.value ?? item.watermark;
  return v === undefined || v === '' ? '(empty)' : typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * `[workflow, execution, STATUS, error]` of a notification (`lakestep orders/x: execution N
 * of <arn> ended FAILED at …`, with `error` beside the message for failures); its text,
 * ARNs shortened, when it has another form.
 */
export function notificationParts(message: string): string[] {
  let text = messageText(message);
  let error = '';
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
    if (parsed && typeof parsed.message === 'string') {
      text = parsed.message;
      error = typeof parsed.error === 'string' ? parsed.error : '';
    }
  } catch {
    // plain text
  }
  const m = /^lakestep (\S+): execution (\S+) of \S+ ended (\S+)/.exec(oneLine(text));
  if (!m) return [oneLine(shortenArns(text))];
  return [m[1]!, m[2]!, m[3]!, ...(error ? [error] : [])];
}

/** `arn:aws:states:eu-west-1:123456789012:stateMachine:acme-orders-x` → `acme-orders-x`: ARNs end with the name that matters. */
export function shortenArns(text: string): string {
  return text.replace(/arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:[A-Za-z0-9_.\-/:]*?([A-Za-z0-9_.\-]+)(?=[\s"',)\\]|$)/g, '$1');
}


function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A line within {@link REPORT_WIDTH} columns: wrapped at spaces onto continuation lines
 * indented past the line's own indent. Nothing is dropped: a word too long for a line
 * (a JSON cause) continues on the next ones, broken after a `,` where it can be.
 */
export function wrap(line: string): string[] {
  if ([...line].length <= REPORT_WIDTH) return [line];
  const lead = /^ */.exec(line)![0];
  const pad = `${lead}    `;
  const room = REPORT_WIDTH - pad.length;
  const out: string[] = [];
  let current = lead;
  for (const word of line.slice(lead.length).split(/ +/).flatMap((w) => pieces(w, room))) {
    const fresh = current.trim() === '';
    const next = fresh ? `${current}${word}` : `${current} ${word}`;
    if (!fresh && [...next].length > REPORT_WIDTH) {
      out.push(current);
      current = `${pad}${word}`;
    } else current = next;
  }
  return [...out, current];
}

/** A word in pieces of at most `room` characters, cut after a `,` when one is near the end. */
function pieces(word: string, room: number): string[] {
  const out: string[] = [];
  let rest = word;
  while ([...rest].length > room) {
    const comma = rest.lastIndexOf(',', room - 1);
    const at = comma > room / 2 ? comma + 1 : room;
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  return [...out, rest];
}

/** The first `max` groups of lines, then one line saying how many groups more there are. */
function limitedGroups(groups: string[][], max: number): string[] {
  return limited(groups.map((_, i) => String(i)), max).flatMap((k) => (/^\d+$/.test(k) ? groups[Number(k)]! : [k]));
}

function indent(text: string): string[] {
  return text.split('\n').map((l) => `  ${l}`);
}
