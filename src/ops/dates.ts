/**
 * Logical dates of operator-started runs. The compiled state machines normalize
 * the start input `{"trigger", "logical_date"}` into `$.run` (DESIGN §4.1); here
 * we build that input and the canonical ISO-8601 UTC timestamp it carries.
 */
import { OpsError } from './errors.ts';

export type OperatorTrigger = 'manual' | 'backfill';

/** The start input every compiled state machine accepts from an operator. */
export interface StartInput {
  trigger: OperatorTrigger;
  logical_date: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Logical dates lie in years 0001–9999 once converted to UTC: what ISO-8601
 * timestamps without an expanded year, Spark timestamps and execution names can carry.
 */
const MIN_MS = utc(1, 1, 1);
const MAX_MS = utc(9999, 12, 31, 23, 59, 59);

/**
 * `YYYY-MM-DD` (midnight UTC) or an ISO-8601 timestamp with `Z` or an offset
 * from -23:59 to +23:59 → the canonical UTC timestamp to the second, or the
 * problem with the value. Never throws: the simulator's scenarios and the
 * operator commands share it.
 * @see https://www.rfc-editor.org/rfc/rfc3339#section-5.6
 */
export function logicalDateOf(value: string, flag = '--date'): { date: string } | { problem: string } {
  const v = value.trim();
  const day = DAY.exec(v);
  if (day) {
    const bad = calendarProblem(v, Number(day[1]), Number(day[2]), Number(day[3]), flag);
    return bad ? { problem: bad } : { date: `${v}T00:00:00Z` };
  }
  const ts = TIMESTAMP.exec(v);
  if (!ts) return { problem: badDate(v, flag) };
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(ts[i] ?? 0)) as [number, number, number, number, number, number];
  const bad = calendarProblem(v, y, mo, d, flag);
  if (bad) return { problem: bad };
  if (h > 23 || mi > 59 || sec > 59) return { problem: badDate(v, flag) };
  let offset = 0;
  if (ts[8] !== 'Z') {
    const [oh, om] = [Number(ts[10]), Number(ts[11])];
    if (oh > 23 || om > 59) return { problem: `${flag} "${v}" has the UTC offset ${ts[8]}; offsets run from -23:59 to +23:59` };
    offset = (ts[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const ms = utc(y, mo, d, h, mi, sec) - offset;
  if (ms < MIN_MS || ms > MAX_MS) return { problem: `${flag} "${v}" is outside the years 0001 to 9999 in UTC` };
  return { date: isoSeconds(new Date(ms)) };
}

/**
 * Parses a `--date` value. `YYYY-MM-DD` means midnight UTC of that day; a full
 * ISO-8601 timestamp (`2026-11-26T06:00:00Z`, or with an offset, converted to UTC)
 * is kept to the second. Anything else, or an impossible calendar date, is a usage error.
 */
export function parseLogicalDate(value: string): string {
  const r = logicalDateOf(value);
  if ('problem' in r) throw new OpsError('USAGE', r.problem);
  return r.date;
}

/** `YYYY-MM-DD` only (backfill bounds): returns the same string after checking it is a real day. */
export function parseDay(value: string, flag = '--date'): string {
  const v = value.trim();
  const m = DAY.exec(v);
  if (!m) throw new OpsError('USAGE', `${flag} must be a day as YYYY-MM-DD (UTC), got "${value}"`);
  const bad = calendarProblem(v, Number(m[1]), Number(m[2]), Number(m[3]), flag);
  if (bad) throw new OpsError('USAGE', bad);
  return v;
}

/** Canonical form of an instant: ISO-8601 UTC to the second (`2026-11-26T06:00:00Z`). */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Every day from `from` to `to` inclusive (`YYYY-MM-DD`, UTC calendar), taken one at a time. */
export function* eachDay(from: string, to: string): Generator<string> {
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) yield new Date(t).toISOString().slice(0, 10);
}

/** Start input JSON, keys in a fixed order so identical runs send identical bytes. */
export function startInput(trigger: OperatorTrigger, logicalDate: string): string {
  const input: StartInput = { trigger, logical_date: logicalDate };
  return JSON.stringify(input);
}

/** Milliseconds of a UTC calendar instant; years below 100 stay themselves (Date.UTC would add 1900). */
function utc(y: number, m: number, d: number, h = 0, mi = 0, sec = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  t.setUTCHours(h, mi, sec, 0);
  return t.getTime();
}

function calendarProblem(v: string, y: number, m: number, d: number, flag: string): string | undefined {
  const t = new Date(utc(y, m, d));
  if (y < 1 || t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return `${flag} "${v}" is not a calendar date`;
  return undefined;
}

function badDate(v: string, flag: string): string {
  return `${flag} must be a day (YYYY-MM-DD, meaning midnight UTC) or an ISO-8601 timestamp such as 2026-11-26T06:00:00Z, got "${v}"`;
}
