/**
 * The run grid: one row per dag, one column per logical date, one cell per run
 * with its status as a colour and as a word. A grid in the ARIA sense: one cell
 * is in the tab order, the arrow keys (Home, End, Page Up/Down) move between
 * cells, Enter or Space opens the run's details.
 * @see https://www.w3.org/WAI/ARIA/apg/patterns/grid/
 */
import type { UiDag, UiRun } from '../types.ts';
import { h } from './dom.ts';
import type { Model } from './model.ts';
import { STATE_TEXT, stateLong, when } from './text.ts';

/** Rows drawn at once; a button adds the next ones. */
export const ROWS_PAGE = 100;
/** Logical dates drawn at once, the newest; buttons page back and forth. */
export const COLUMNS_MAX = 120;

export interface GridOptions {
  /** Rows to draw (a multiple of {@link ROWS_PAGE}). */
  rows: number;
  /** Columns to skip from the newest (paging back in time). */
  offset: number;
  open: (runs: UiRun[], from: HTMLElement) => void;
}

export interface GridResult {
  rowsShown: number;
  /** Logical dates of the dags, all of them, oldest first. */
  dates: string[];
  /** The slice of `dates` drawn. */
  from: number;
  to: number;
}

export function drawGrid(table: HTMLTableElement, model: Model, dags: readonly UiDag[], opts: GridOptions): GridResult {
  const dates = [...new Set(dags.flatMap((d) => (model.runsByDag.get(d.ref) ?? []).map((r) => r.logicalDate)))].sort();
  const to = Math.max(0, dates.length - opts.offset);
  const from = Math.max(0, to - COLUMNS_MAX);
  const columns = dates.slice(from, to);
  const head = h('tr', {}, h('th', { scope: 'col', class: 'dag-col' }, 'Dag'));
  let day = '';
  for (const d of columns) {
    const [date = d, time = ''] = when(d).replace(/ UTC$/, '').split(' ');
    const newDay = date !== day;
    day = date;
    head.append(h('th', { scope: 'col', class: newDay ? 'new-day' : undefined, title: when(d) }, h('span', { class: 'day' }, newDay ? date.slice(5) : ''), h('span', { class: 'time' }, time)));
  }
  const body = document.createDocumentFragment();
  const shown = dags.slice(0, opts.rows);
  for (const dag of shown) body.append(row(model, dag, columns));
  table.replaceChildren(h('thead', {}, head), h('tbody', {}, body));
  table.setAttribute('aria-rowcount', String(dags.length + 1));
  table.setAttribute('aria-colcount', String(columns.length + 1));
  const first = table.querySelector<HTMLElement>('td.run') ?? table.querySelector<HTMLElement>('td');
  first?.setAttribute('tabindex', '0');
  table.onkeydown = (ev) => move(table, ev);
  table.onclick = (ev) => activate(model, ev.target, opts);
  if (!table.dataset.roving) {
    // One cell in the tab order: the one last focused, however it got focus.
    table.dataset.roving = 'true';
    table.addEventListener('focusin', (ev) => {
      const cell = (ev.target as HTMLElement).closest('td');
      if (!cell) return;
      for (const c of table.querySelectorAll('td[tabindex="0"]')) if (c !== cell) c.setAttribute('tabindex', '-1');
      cell.setAttribute('tabindex', '0');
    });
  }
  return { rowsShown: shown.length, dates, from, to };
}

function row(model: Model, dag: UiDag, columns: readonly string[]): HTMLTableRowElement {
  const byDate = new Map<string, UiRun[]>();
  for (const r of model.runsByDag.get(dag.ref) ?? []) byDate.set(r.logicalDate, [...(byDate.get(r.logicalDate) ?? []), r]);
  const tr = h('tr', { 'data-ref': dag.ref },
    h('th', { scope: 'row', class: dag.quarantined ? 'quarantined' : undefined },
      dag.ref,
      h('span', { class: 'kind' }, dag.quarantined ? 'quarantined' : (dag.kind ?? '')),
    ),
  );
  for (const date of columns) {
    const runs = byDate.get(date);
    const last = runs?.[runs.length - 1];
    if (!last || !runs) {
      tr.append(h('td', { role: 'gridcell', tabindex: -1, 'aria-label': `${dag.ref} ${when(date)}: no run` }));
      continue;
    }
    const attempts = runs.length > 1 ? ` (${runs.length} runs of this date, the last shown)` : '';
    const error = last.error ? `, ${last.error}` : '';
    tr.append(
      h('td', {
        role: 'gridcell',
        tabindex: -1,
        class: `run s-${last.state}`,
        'data-date': date,
        'aria-label': `${dag.ref} ${when(date)}: ${stateLong(last)}${error}${attempts}; Enter for details`,
        title: `${when(date)}: ${stateLong(last)}${error}${attempts}`,
      }, STATE_TEXT[last.state].short, runs.length > 1 ? h('sup', {}, `×${runs.length}`) : null),
    );
  }
  return tr;
}

function activate(model: Model, target: EventTarget | null, opts: GridOptions): void {
  const cell = (target as HTMLElement | null)?.closest?.('td.run') as HTMLElement | null;
  const ref = cell?.parentElement?.dataset.ref;
  if (!cell || !ref) return;
  const runs = (model.runsByDag.get(ref) ?? []).filter((r) => r.logicalDate === cell.dataset.date);
  if (runs.length) opts.open(runs, cell);
}

const MOVES: Record<string, (r: number, c: number, rows: number, cols: number) => [number, number]> = {
  ArrowRight: (r, c) => [r, c + 1],
  ArrowLeft: (r, c) => [r, c - 1],
  ArrowDown: (r, c) => [r + 1, c],
  ArrowUp: (r, c) => [r - 1, c],
  Home: (r) => [r, 0],
  End: (r, _c, _rows, cols) => [r, cols - 1],
  PageDown: (r, c) => [r + 10, c],
  PageUp: (r, c) => [r - 10, c],
};

function move(table: HTMLTableElement, ev: KeyboardEvent): void {
  const cell = (ev.target as HTMLElement).closest('td');
  if (!cell) return;
  if (ev.key === 'Enter' || ev.key === ' ') {
    ev.preventDefault();
    cell.click();
    return;
  }
  const step = MOVES[ev.key];
  if (!step) return;
  ev.preventDefault();
  const rows = [...table.tBodies[0]!.rows];
  const r = rows.indexOf(cell.parentElement as HTMLTableRowElement);
  const c = [...cell.parentElement!.children].indexOf(cell) - 1;
  const cols = rows[0] ? rows[0].cells.length - 1 : 0;
  const [nr, nc] = step(r, c, rows.length, cols);
  const target = rows[Math.max(0, Math.min(rows.length - 1, nr))]?.cells[Math.max(0, Math.min(cols - 1, nc)) + 1];
  if (target) {
    cell.setAttribute('tabindex', '-1');
    target.setAttribute('tabindex', '0');
    target.focus();
  }
}
