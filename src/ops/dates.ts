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
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses a `--date` value. `YYYY-MM-DD` means midnight UTC of that day; a full
 * ISO-8601 timestamp (`2026-11-26T06:00:00Z`, or with an offset, converted to UTC)
 * is kept to the second. Anything else, or an impossible calendar date, is a usage error.
 */
export function parseLogicalDate(value: string): string {
  const v = value.trim();
  const day = DAY.exec(v);
  if (day) {
    checkCalendar(v, Number(day[1]), Number(day[2]), Number(day[3]));
    return `${v}T00:00:00Z`;
  }
  const ts = TIMESTAMP.exec(v);
  if (ts) {
    checkCalendar(v, Number(ts[1]), Number(ts[2]), Number(ts[3]));
    if (Number(ts[4]) > 23 || Number(ts[5]) > 59 || Number(ts[6] ?? 0) > 59) throw badDate(v);
    return isoSeconds(new Date(v));
  }
  throw badDate(v);
}

/** `YYYY-MM-DD` only (backfill bounds): returns the same string after checking it is a real day. */
export function parseDay(value: string, flag = '--date'): string {
  const v = value.trim();
  const m = DAY.exec(v);
  if (!m) throw new OpsError('USAGE', `${flag} must be a day as YYYY-MM-DD (UTC), got "${value}"`);
  checkCalendar(v, Number(m[1]), Number(m[2]), Number(m[3]), flag);
  return v;
}

/** Canonical form of an instant: ISO-8601 UTC to the second (`2026-11-26T06:00:00Z`). */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Every day from `from` to `to` inclusive (`YYYY-MM-DD`, UTC calendar). */
export function enumerateDays(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** Start input JSON, keys in a fixed order so identical runs send identical bytes. */
export function startInput(trigger: OperatorTrigger, logicalDate: string): string {
  const input: StartInput = { trigger, logical_date: logicalDate };
  return JSON.stringify(input);
}

function checkCalendar(v: string, y: number, m: number, d: number, flag = '--date'): void {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) {
    throw new OpsError('USAGE', `${flag} "${v}" is not a calendar date`);
  }
}

function badDate(v: string): OpsError {
  return new OpsError(
    'USAGE',
    `--date must be a day (YYYY-MM-DD, meaning midnight UTC) or an ISO-8601 timestamp such as 2026-11-26T06:00:00Z, got "${v}"`,
  );
}
