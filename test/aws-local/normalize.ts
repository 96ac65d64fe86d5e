/**
 * What may differ between two faithful runs is masked before comparing: times the
 * interpreters take from their clocks, generated execution names, DataSync ARNs (moto
 * names its own). Logical dates given by the case stay as they are.
 */
import type { Case, ObservedExecution, Observation } from './cases.ts';

const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;
const DATE = /\d{4}-\d{2}-\d{2}(?![\dT])/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const DATASYNC = /arn:aws:datasync:[a-z0-9-]+:\d{12}:task\/task-[0-9a-f]+(?:\/execution\/exec-[0-9a-f]+)?/g;
/** Epoch milliseconds (e.g. the gates' expires_ms, from the upstream's stop time). */
const EPOCH_MS = /^1\d{12}$/;
const EMR_RUN = /jobruns\/00[a-z]+\d+|"JobRunId":"[^"]*"/g;

/** Masks clock times and generated names in a string; `known` times and dates stay. */
export function maskText(text: string, known: Set<string>): string {
  return text
    .replace(TIMESTAMP, (t) => (known.has(t) ? t : '<time>'))
    .replace(DATE, (d) => (known.has(d) ? d : '<date>'))
    .replace(UUID, '<uuid>')
    .replace(DATASYNC, '<datasync-arn>')
    .replace(EMR_RUN, '<job-run>');
}

function maskValue(v: unknown, known: Set<string>): unknown {
  if (typeof v === 'string') return EPOCH_MS.test(v) ? '<epoch-ms>' : maskText(v, known);
  if (Array.isArray(v)) return v.map((x) => maskValue(x, known));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, maskValue(x, known)]));
  return v;
}

/** The gate window (48 h) and the TTL margin past the upstream event's hour (window + 1 day). */
const GATE_WINDOW_MS = 172_800_000;
const GATE_TTL_PAST_HOUR_S = 262_800;

/**
 * A gate's `expires_at` (epoch seconds) comes from the clock like `expires_ms`, so it is
 * masked, but only when it is what it must be: the hour of the upstream event (its stop
 * time, `expires_ms` minus the window) plus the TTL margin. Anything else stays, and shows.
 */
function maskGateExpiry(item: Record<string, unknown>): Record<string, unknown> {
  const ms = Number((item.expires_ms as { N?: string } | undefined)?.N);
  const at = Number((item.expires_at as { N?: string } | undefined)?.N);
  if (!Number.isFinite(ms) || !Number.isFinite(at)) return item;
  const hour = Math.floor((ms - GATE_WINDOW_MS) / 3_600_000) * 3600;
  return at === hour + GATE_TTL_PAST_HOUR_S ? { ...item, expires_at: { N: '<event hour + 73 h>' } } : item;
}

/** The TTL margin of a notified end past the event's hour (src/asl/dispatch.ts NOTIFIED_KEEP_SECONDS). */
const NOTIFIED_TTL_PAST_HOUR_S = 90_000;
const NOTIFIED = /^notified\/([A-Z_]+)\/(1\d{12})$/;

/**
 * The entry recording that an execution's end was notified (sk `notified/<STATUS>/<stopDate ms>`):
 * its stop time and `expires_at` come from the clock; both are masked when `expires_at` is the
 * stop's hour plus the TTL margin, as it must be. Anything else stays, and shows.
 */
function maskNotified(item: Record<string, unknown>): Record<string, unknown> {
  const m = NOTIFIED.exec((item.sk as { S?: string } | undefined)?.S ?? '');
  const at = Number((item.expires_at as { N?: string } | undefined)?.N);
  if (!m || !Number.isFinite(at)) return item;
  const hour = Math.floor(Number(m[2]) / 3_600_000) * 3600;
  return at === hour + NOTIFIED_TTL_PAST_HOUR_S ? { ...item, sk: { S: `notified/${m[1]}/<stop ms>` }, expires_at: { N: '<event hour + 25 h>' } } : item;
}

/** Low-level DynamoDB items, masked and sorted by key, as comparable JSON values. */
export function normalizeItems(items: Record<string, unknown>[], known: Set<string>): unknown[] {
  const key = (i: Record<string, unknown>): string => JSON.stringify([i.pk, i.sk]);
  return [...items].sort((a, b) => key(a).localeCompare(key(b))).map((i) => maskValue(maskNotified(maskGateExpiry(i)), known));
}

/** Executions sorted by workflow and masked name, so start order under concurrency does not matter. */
export function normalizeExecutions(executions: ObservedExecution[], known: Set<string>): ObservedExecution[] {
  return executions
    .map((e) => ({ ...e, name: maskText(e.name, known) }))
    .sort((a, b) => `${a.ref}|${a.name}|${a.status}`.localeCompare(`${b.ref}|${b.name}|${b.status}`));
}

/** The times a case names itself: its start inputs and the items it seeds. */
export function caseTimes(c: Case): Set<string> {
  const given = c.phases.flatMap((p) => ('start' in p ? p.start.map((s) => s.input) : 'fire' in p ? [p.fire.at] : 'operator' in p ? [p.operator] : []));
  return knownTimes([...given, c.seed ?? {}, c.known ?? []]);
}

/** Logical dates and times named by the case's inputs, with their `ds` and expanded forms. */
export function knownTimes(inputs: unknown[]): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const t of v.match(TIMESTAMP) ?? []) {
        out.add(t);
        out.add(t.slice(0, 10));
      }
      for (const d of v.match(DATE) ?? []) {
        out.add(d);
        out.add(`${d}T00:00:00Z`);
      }
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  inputs.forEach(walk);
  return out;
}

/**
 * Executions both interpreters are compared on: not watch machines (max_duration), whose outcome is timing
 * alone (moto's Waits take no time), nor the dispatcher's run at each watch's end — it calls nothing (a
 * watch machine has no route and no notification tag) and comes before or after the workflow's own
 * dispatch depending on that timing.
 */
function compared(o: Observation): Observation {
  let watches = o.executions.filter((e) => e.ref.endsWith('#watch')).length;
  const executions = o.executions.filter((e) => {
    if (e.ref.endsWith('#watch')) return false;
    if (watches > 0 && e.ref === 'lakestep/dispatch' && e.resources.length === 0) {
      watches -= 1;
      return false;
    }
    return true;
  });
  return { ...o, executions };
}

/** Differences between two observations, one line each (empty when they agree); watch.moto.ts runs the watch machine on its own. */
export function differences(motoRun: Observation, simRun: Observation): string[] {
  const moto = compared(motoRun);
  const sim = compared(simRun);
  const out: string[] = [];
  const a = JSON.stringify(moto.executions.map(({ ref, name, status, error }) => ({ ref, name, status, error })));
  const b = JSON.stringify(sim.executions.map(({ ref, name, status, error }) => ({ ref, name, status, error })));
  if (a !== b) {
    const causes = (o: Observation): string => o.executions.filter((e) => e.cause).map((e) => `${e.ref} ${e.name}: ${String(e.cause).slice(0, 400)}`).join('; ');
    out.push(`executions: moto ${a} / simulator ${b}${causes(moto) ? ` — moto causes: ${causes(moto)}` : ''}${causes(sim) ? ` — simulator causes: ${causes(sim)}` : ''}`);
  }
  else {
    moto.executions.forEach((e, i) => {
      const s = sim.executions[i];
      if (s && JSON.stringify(e.resources) !== JSON.stringify(s.resources)) {
        out.push(`task resources of ${e.ref} ${e.name}: moto ${e.resources.join(' > ')} / simulator ${s.resources.join(' > ')}`);
      }
      if (s && e.entered !== s.entered) out.push(`states entered by ${e.ref} ${e.name}: moto ${e.entered} / simulator ${s.entered}`);
    });
  }
  for (const table of new Set([...Object.keys(moto.items), ...Object.keys(sim.items)])) {
    const x = JSON.stringify(moto.items[table] ?? []);
    const y = JSON.stringify(sim.items[table] ?? []);
    if (x !== y) out.push(`items of ${table}: moto ${x} / simulator ${y}`);
  }
  return out;
}
