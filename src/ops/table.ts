/** Plain-text tables and durations for the operator commands' output. */
import { escapeForTerminal } from '../diagnostics.ts';

/**
 * Left-aligned columns separated by two spaces; trailing spaces trimmed. Every cell is escaped for the terminal: cells
 * carry names and texts read from AWS (an execution's name may hold a bidi override, which would reorder the line).
 */
export function renderTable(headers: readonly string[], given: readonly (readonly string[])[]): string {
  const rows = given.map((r) => r.map((c) => escapeForTerminal(c)));
  // A loop, not Math.max(...rows): a long backfill has more rows than a call has room for arguments.
  const widths = headers.map((h, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), h.length));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** `45s`, `3m 05s`, `2h 04m`, `3d 01h`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${pad(Math.floor((s % 86_400) / 3600))}h`;
}

/**
 * One line, at most `max` characters, ending with `…` when cut; terminal-active characters
 * (an escape sequence in an error's cause) are written as visible escapes.
 */
export function oneLine(text: string, max: number): string {
  const flat = escapeForTerminal(text.replace(/\s+/g, ' ').trim());
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The first `max` names, then `…` when there are more: `a, b, c, …`. */
export function fewNames(names: readonly string[], max = 5): string {
  return `${names.slice(0, max).join(', ')}${names.length > max ? ', …' : ''}`;
}
