/** Words for what colours show: every status is also written, so the page reads without colour. */
import type { RunState, UiRun } from '../types.ts';

/** Short text in a grid cell, and the long form for labels and the legend. */
export const STATE_TEXT: Record<RunState, { short: string; long: string }> = {
  succeeded: { short: 'ok', long: 'succeeded' },
  failed: { short: 'fail', long: 'failed' },
  quality: { short: 'QC', long: 'quality check failed' },
  skipped: { short: 'skip', long: 'skipped' },
  running: { short: 'run', long: 'running' },
};

/** `failed` says how: a timeout or an abort is not an error raised by a task. */
export function stateLong(run: Pick<UiRun, 'state' | 'status'>): string {
  if (run.state === 'failed' && run.status !== 'FAILED') return run.status.toLowerCase().replace('_', ' ');
  return STATE_TEXT[run.state].long;
}

/** `2026-11-25 06:00 UTC` (seconds only when not zero). */
export function when(iso: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d)?/.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]}${m[3] && m[3] !== ':00' ? m[3] : ''} UTC`;
}

/** `1h 05m`, `4m 10s`, `12s`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const hh = Math.floor((s % 86_400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${hh}h`;
  if (hh) return `${hh}h ${String(mm).padStart(2, '0')}m`;
  if (mm) return `${mm}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}
