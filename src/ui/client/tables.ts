/**
 * The table panel: per table its owner, writers and readers, last publish,
 * freshness against its SLA and last quality check results, in words.
 */
import type { UiTable } from '../types.ts';
import { h } from './dom.ts';
import { duration, when } from './text.ts';

/** Rows drawn at once; a button adds the next ones. */
export const TABLE_ROWS_PAGE = 100;

export function drawTables(table: HTMLTableElement, tables: readonly UiTable[], rows: number): number {
  const head = h('tr', {}, ...['Table', 'Owner', 'Writers', 'Readers', 'Last publish', 'Freshness', 'Quality checks'].map((t) => h('th', { scope: 'col' }, t)));
  const body = h('tbody', {});
  const shown = tables.slice(0, rows);
  for (const t of shown) {
    body.append(
      h('tr', { 'data-table': t.name },
        h('th', { scope: 'row' }, t.name, h('span', { class: 'location' }, t.location)),
        h('td', {}, t.owner ?? 'no owner'),
        h('td', {}, list(t.writers)),
        h('td', {}, list(t.readers)),
        h('td', {}, t.lastPublish ? `${when(t.lastPublish.at)} by ${t.lastPublish.dag}` : 'none in these runs'),
        h('td', { class: `fresh-${t.freshness?.state ?? 'none'}` }, freshnessText(t)),
        h('td', { class: checksClass(t) }, checksText(t)),
      ),
    );
  }
  if (!shown.length) body.append(h('tr', {}, h('td', { colspan: 7 }, 'No table matches the filters.')));
  table.replaceChildren(h('thead', {}, head), body);
  return shown.length;
}

function list(refs: readonly string[]): Node {
  return refs.length ? h('ul', {}, ...refs.map((r) => h('li', {}, r))) : document.createTextNode('none');
}

export function freshnessText(t: UiTable): string {
  const f = t.freshness;
  if (!f) return 'no SLA';
  const limits = [f.warnAfterSeconds !== undefined ? `warn after ${duration(f.warnAfterSeconds)}` : '', f.errorAfterSeconds !== undefined ? `error after ${duration(f.errorAfterSeconds)}` : ''].filter(Boolean).join(', ');
  if (f.state === 'unknown' || f.ageSeconds === undefined) return `unknown: not published in these runs (${limits})`;
  const word = { fresh: 'fresh', warn: 'WARN: stale', error: 'ERROR: stale' }[f.state];
  return `${word}, ${duration(f.ageSeconds)} old (${limits})`;
}

function checksText(t: UiTable): string {
  const c = t.checks;
  if (!c) return 'no checks';
  const failed = c.results.filter((r) => !r.passed);
  if (!failed.length) return `${c.results.length} passed (${c.dag}, ${when(c.at)})`;
  return `${failed.map((r) => `${r.severity === 'warn' ? 'warn' : 'FAILED'}: ${r.check}${r.failingRows !== undefined ? ` (${r.failingRows.toLocaleString('en')} rows)` : ''}`).join('; ')} — ${c.results.length - failed.length} passed (${c.dag}, ${when(c.at)})`;
}

function checksClass(t: UiTable): string | undefined {
  const failed = t.checks?.results.filter((r) => !r.passed) ?? [];
  if (!failed.length) return undefined;
  return failed.some((r) => r.severity === 'error') ? 'checks-error' : 'checks-warn';
}
