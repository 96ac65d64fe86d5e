/**
 * Wall-clock time in an IANA time zone, from the time zone database Node ships
 * (ICU, through `Intl`). A local time maps to zero instants (skipped when clocks
 * move forward), one, or two (repeated when clocks move back).
 * @see https://tc39.es/ecma402/#sec-datetimeformat-abstracts
 */
import type { CivilDay } from './cron.ts';

export const UTC = 'UTC';

export interface CivilTime extends CivilDay {
  hour: number;
  minute: number;
}

const MINUTE = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether `zone` names a time zone this runtime knows (`Europe/Lisbon`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock minute of instant `ms` in `zone`. */
export function civilTime(zone: string, ms: number): CivilTime {
  if (zone === UTC) {
    const d = new Date(ms);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
  }
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/** Milliseconds of a civil time read as if it were UTC (a key that orders local times). */
export function civilMs(t: CivilDay & Partial<Pick<CivilTime, 'hour' | 'minute'>>): number {
  const d = new Date(0);
  d.setUTCFullYear(t.year, t.month - 1, t.day);
  d.setUTCHours(t.hour ?? 0, t.minute ?? 0, 0, 0);
  return d.getTime();
}

/**
 * The instants at which `zone`'s clocks show `t`, ascending: none when the local
 * time is skipped (spring forward), two when it is repeated (autumn).
 */
export function instantsOf(zone: string, t: CivilTime): number[] {
  const naive = civilMs(t);
  if (zone === UTC) return [naive];
  // Offsets in force a day either side cover every transition that can affect t.
  const offsets = new Set([offsetAt(zone, naive - 86_400_000), offsetAt(zone, naive), offsetAt(zone, naive + 86_400_000)]);
  const out: number[] = [];
  for (const offset of offsets) {
    const ms = naive - offset;
    if (civilMs(civilTime(zone, ms)) === naive && !out.includes(ms)) out.push(ms);
  }
  return out.sort((a, b) => a - b);
}

/** Local minus UTC, in milliseconds, at instant `ms`. */
export function offsetAt(zone: string, ms: number): number {
  const floored = Math.floor(ms / MINUTE) * MINUTE;
  return civilMs(civilTime(zone, floored)) - floored;
}

/** The civil day after `d`. */
export function nextDay(d: CivilDay, by = 1): CivilDay {
  const t = new Date(civilMs(d) + by * 86_400_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}
