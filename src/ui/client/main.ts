/**
 * The page's script: reads the data the HTML embeds, then draws the graph, the
 * run grid and the table panel for the dags the filters leave, again whenever a
 * filter changes. Marks `lakestep:ready` and `lakestep:filtered` in the
 * Performance timeline when a drawing is done.
 */
import type { RunState, UiData } from '../types.ts';
import { openDetails } from './details.ts';
import { byId, h } from './dom.ts';
import { drawGraph } from './graph.ts';
import { COLUMNS_MAX, drawGrid, ROWS_PAGE } from './grid.ts';
import { Model, type Filter } from './model.ts';
import { drawTables, TABLE_ROWS_PAGE } from './tables.ts';
import { plural, STATE_TEXT, when } from './text.ts';

const data = JSON.parse(byId('lakestep-data').textContent ?? '{}') as UiData;
const model = new Model(data);
const useCases = new Map(data.useCases.map((u) => [u.name, u]));
const state = { filter: { useCase: '', name: '', status: '' } as Filter, view: 'dependencies' as 'dependencies' | 'tables', rows: ROWS_PAGE, tableRows: TABLE_ROWS_PAGE, offset: 0 };

const ucSelect = byId<HTMLSelectElement>('f-uc');
const nameInput = byId<HTMLInputElement>('f-name');
const statusSelect = byId<HTMLSelectElement>('f-status');
const dialog = byId<HTMLDialogElement>('details');

function setup(): void {
  byId('source').textContent = `Runs: ${data.source.label} · as of ${when(data.source.now)}`;
  const notes = byId('notes');
  for (const n of data.source.notes) notes.append(h('li', {}, n));
  ucSelect.append(h('option', { value: '' }, `All (${data.useCases.length.toLocaleString('en')})`), ...data.useCases.map((u) => h('option', { value: u.name }, u.quarantine ? `${u.name} (quarantined)` : u.name)));
  statusSelect.append(h('option', { value: '' }, 'Any'), ...(Object.keys(STATE_TEXT) as RunState[]).map((k) => h('option', { value: k }, `has ${STATE_TEXT[k].long} runs`)));
  byId('legend').append(...(Object.keys(STATE_TEXT) as RunState[]).map((k) => h('li', {}, h('span', { class: `swatch s-${k}` }, STATE_TEXT[k].short), ` ${STATE_TEXT[k].long}`)));
  const quarantined = data.useCases.filter((u) => u.quarantine);
  if (quarantined.length) {
    byId('quarantine').hidden = false;
    byId('quarantine-list').append(...quarantined.map((u) => h('li', {}, h('strong', {}, u.name), ` — ${plural(u.quarantine!.errors, 'error')}; first: `, h('code', {}, u.quarantine!.first))));
  }
  let timer: number | undefined;
  nameInput.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => changed({ name: nameInput.value }), 120);
  });
  ucSelect.addEventListener('change', () => changed({ useCase: ucSelect.value }));
  statusSelect.addEventListener('change', () => changed({ status: statusSelect.value as Filter['status'] }));
  for (const [id, view] of [['tab-dags', 'dependencies'], ['tab-tables', 'tables']] as const) {
    byId(id).addEventListener('click', () => {
      state.view = view;
      byId('tab-dags').setAttribute('aria-pressed', String(view === 'dependencies'));
      byId('tab-tables').setAttribute('aria-pressed', String(view === 'tables'));
      render('lakestep:filtered');
    });
  }
  byId('grid-more').addEventListener('click', () => {
    state.rows += ROWS_PAGE;
    render('lakestep:filtered');
  });
  byId('tables-more').addEventListener('click', () => {
    state.tableRows += TABLE_ROWS_PAGE;
    render('lakestep:filtered');
  });
  byId('dates-earlier').addEventListener('click', () => {
    state.offset += COLUMNS_MAX;
    render('lakestep:filtered');
  });
  byId('dates-later').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - COLUMNS_MAX);
    render('lakestep:filtered');
  });
}

function changed(f: Partial<Filter>): void {
  Object.assign(state.filter, f);
  state.rows = ROWS_PAGE;
  state.tableRows = TABLE_ROWS_PAGE;
  state.offset = 0;
  render('lakestep:filtered');
}

/** A node of the graph was chosen: show that dag's (or table's) rows only. */
function choose(ref: string): void {
  nameInput.value = ref;
  changed({ name: ref });
  const target = model.dagByRef.has(ref) ? document.querySelector<HTMLElement>('#grid td.run') ?? byId('runs-title') : byId('tables-title');
  target.focus();
}

function render(mark: string): void {
  const dags = model.visibleDags(state.filter);
  const tables = model.visibleTables(state.filter);
  const visible = new Set<string>(dags.map((d) => d.ref));
  // A quarantined use case whose dags are unknown is one node, named after it.
  for (const u of data.useCases) {
    if (u.quarantine && (!state.filter.useCase || state.filter.useCase === u.name) && u.name.includes(state.filter.name.trim().toLowerCase())) visible.add(u.name);
  }
  if (state.view === 'tables' && state.filter.name.trim()) for (const t of tables) visible.add(t.name);
  const note = drawGraph(byId('graph') as unknown as SVGSVGElement, model, { graph: data.graphs[state.view], visible, useCases, choose });
  byId('graph-note').textContent = note;
  const grid = drawGrid(byId<HTMLTableElement>('grid'), model, dags, { rows: state.rows, offset: state.offset, open: (runs, from) => openDetails(dialog, runs, from, data.source.console) });
  const more = byId<HTMLButtonElement>('grid-more');
  more.hidden = grid.rowsShown >= dags.length;
  more.textContent = `Show ${Math.min(ROWS_PAGE, dags.length - grid.rowsShown)} more dags (${(dags.length - grid.rowsShown).toLocaleString('en')} not shown)`;
  byId<HTMLButtonElement>('dates-earlier').disabled = grid.from === 0;
  byId<HTMLButtonElement>('dates-later').disabled = grid.to >= grid.dates.length;
  byId('dates-range').textContent = grid.dates.length
    ? `${plural(grid.to - grid.from, 'logical date')} shown, ${when(grid.dates[grid.from]!)} to ${when(grid.dates[grid.to - 1]!)}, of ${grid.dates.length.toLocaleString('en')}`
    : 'No runs for these dags.';
  const shownTables = drawTables(byId<HTMLTableElement>('tables'), tables, state.tableRows);
  const moreTables = byId<HTMLButtonElement>('tables-more');
  moreTables.hidden = shownTables >= tables.length;
  moreTables.textContent = `Show more tables (${(tables.length - shownTables).toLocaleString('en')} not shown)`;
  byId('f-count').textContent = `${plural(dags.length, 'dag')} of ${data.dags.length.toLocaleString('en')}, ${plural(tables.length, 'table')} of ${data.tables.length.toLocaleString('en')}`;
  performance.mark(mark);
}

setup();
render('lakestep:ready');
document.documentElement.dataset.ready = 'true';
