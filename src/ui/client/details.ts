/**
 * The details of a run, in a modal dialog: status, times, what started it, the
 * error and cause and the state that raised it, the states it went through, its
 * Spark job runs and quality checks, and its page in the Step Functions console.
 * Other runs of the same logical date (reruns, schedule groups) are one button away.
 * @see https://html.spec.whatwg.org/multipage/interactive-elements.html#the-dialog-element
 */
import type { DateSource, UiRun } from '../types.ts';
import { h } from './dom.ts';
import { duration, stateLong, when } from './text.ts';

const DATE_FROM: Record<DateSource, string> = {
  run: 'from the run context the execution computed',
  input: 'from the execution input',
  name: 'from the execution name',
  start: 'the start time: the execution name carries no date',
};

export function openDetails(dialog: HTMLDialogElement, runs: readonly UiRun[], from: HTMLElement | null, consoleAt?: string, index = runs.length - 1): void {
  const run = runs[index]!;
  const close = h('button', { type: 'button', class: 'close' }, 'Close');
  close.addEventListener('click', () => dialog.close());
  const attempts = runs.length > 1
    ? h('nav', { 'aria-label': 'Runs of this logical date' }, ...runs.map((r, i) => {
        const b = h('button', { type: 'button', 'aria-current': i === index ? 'true' : undefined }, `Run ${i + 1} (${r.name}): ${stateLong(r)}`);
        b.addEventListener('click', () => openDetails(dialog, runs, from, consoleAt, i));
        return b;
      }))
    : null;
  const took = run.stop ? duration((Date.parse(run.stop) - Date.parse(run.start)) / 1000) : undefined;
  const facts: [string, Node | string | undefined][] = [
    ['Status', h('span', { class: `badge s-${run.state}` }, `${run.status} (${stateLong(run)})`)],
    ['Execution', run.name],
    ['Logical date', `${when(run.logicalDate)}, ${DATE_FROM[run.dateFrom]}`],
    ['Started', when(run.start)],
    ['Stopped', run.stop ? `${when(run.stop)} (took ${took})` : 'still running'],
    ['Started by', run.trigger],
    ['Failed in state', run.failedState],
    ['Error', run.error],
    ['Cause', run.cause ? h('pre', {}, run.cause) : undefined],
    ['Skipped', run.skipped],
    ['Console', consoleAt ? h('a', { href: consoleAt + run.executionArn, target: '_blank', rel: 'noopener noreferrer' }, 'Open in the Step Functions console') : undefined],
    ['ARN', h('code', {}, run.executionArn)],
  ];
  const list = h('dl', {});
  for (const [term, value] of facts) if (value !== undefined && value !== '') list.append(h('dt', {}, term), h('dd', {}, value));
  dialog.replaceChildren(
    h('header', {}, h('h2', { id: 'details-title' }, `${run.dag} — ${when(run.logicalDate)}`), close),
    attempts ?? '',
    list,
    section('Quality checks', run.checks?.length
      ? h('ul', {}, ...run.checks.map((c) => h('li', { class: c.passed ? 'passed' : `failed ${c.severity}` },
          `${c.passed ? 'passed' : c.severity === 'warn' ? 'failed (warn)' : 'FAILED'}: ${c.table} ${c.check}`,
          c.failingRows !== undefined ? ` — ${c.failingRows.toLocaleString('en')} failing row(s)` : '',
          c.message ? ` — ${c.message}` : '')))
      : h('p', {}, 'no checks')),
    section('Spark job runs', run.jobRuns?.length
      ? h('ul', {}, ...run.jobRuns.map((j) => h('li', {}, `${j.state}: job run ${j.id} ${j.runState ?? ''}`, j.details ? ` — ${j.details}` : '')))
      : h('p', {}, run.states ? 'none' : 'not read (open the console)')),
    section('States', run.states?.length
      ? h('ol', { class: 'states' }, ...run.states.map((st) => h('li', { class: `o-${st.outcome}` },
          `${st.name} — ${st.outcome}${st.retries ? ` after ${st.retries} retr${st.retries === 1 ? 'y' : 'ies'}` : ''}${st.error ? `: ${st.error}` : ''}`)))
      : h('p', {}, 'not read (open the console)')),
  );
  // The close event comes a task after the dialog closed (Escape, the button): by then a key may already have
  // moved focus on (an arrow key in the grid). Give focus back to the opening cell only if nothing took it.
  dialog.onclose = () => {
    const active = document.activeElement;
    if (!active || active === document.body || dialog.contains(active)) from?.focus();
  };
  if (!dialog.open) dialog.showModal();
  close.focus();
}

function section(title: string, body: Node): HTMLElement {
  return h('section', {}, h('h3', {}, title), body);
}
