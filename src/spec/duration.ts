/** Durations (`90m`, `7d`, `5y`) and sizes (`512MB`) as written in specs. */

const DURATION = /^(\d+)(s|m|h|d|w|y)$/;
const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** Seconds in a duration string, or undefined when malformed. A year counts 365 days. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  return m ? Number(m[1]) * SECONDS[m[2]!]! : undefined;
}

const SIZE = /^(\d+)(B|KB|MB|GB)$/;
const BYTES: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** Bytes in a size string (binary units), or undefined when malformed. */
export function parseSize(text: string): number | undefined {
  const m = SIZE.exec(text);
  return m ? Number(m[1]) * BYTES[m[2]!]! : undefined;
}

/** `2h`, `90m`, `45s`: a duration in seconds as a spec would write it (the inverse of {@link parseDuration}). */
export function durationText(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
