/**
 * Text rendering of a simulation timeline.
 */
import type { TimelineEntry } from './types.ts';

const QUIET_TYPES = new Set(['Pass', 'Choice', 'Succeed']);

/**
 * One line per entry: `2026-01-01T00:05:00Z  orders/orders-migration  2026-01-01T000000Z  entered  Convert orders`.
 * Without `verbose`, Pass/Choice/Succeed states and state exits are left out.
 */
export function formatTimeline(timeline: TimelineEntry[], options: { verbose?: boolean } = {}): string {
  const rows = timeline.filter((e) => options.verbose || !(e.stateType && (QUIET_TYPES.has(e.stateType) || e.kind === 'succeeded')));
  const width = (f: (e: TimelineEntry) => string): number => Math.max(0, ...rows.map((e) => f(e).length));
  const w = width((e) => e.workflow);
  const x = width((e) => e.execution);
  return rows
    .map((e) => {
      const time = e.time.replace(/\.000Z$/, 'Z');
      const what = [e.kind.padEnd(12), e.state ?? '', details(e)].filter(Boolean).join(' ');
      return `${time}  ${e.workflow.padEnd(w)}  ${e.execution.padEnd(x)}  ${what}`.trimEnd();
    })
    .join('\n');
}

function details(e: TimelineEntry): string {
  if (!e.details) return '';
  const parts = Object.entries(e.details)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? (v.length > 120 ? `${v.slice(0, 117)}...` : v) : JSON.stringify(v)}`);
  return parts.length ? `(${parts.join(', ')})` : '';
}
