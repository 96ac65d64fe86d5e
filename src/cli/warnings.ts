/**
 * Which diagnostics `validate` and `compile` print. Every error, always. Warnings all too, as long as there are
 * at most {@link WARNING_LIMIT}; past it (a large platform, where every run would repeat hundreds of them) the
 * warnings a user has not seen yet: those of the use cases this run compiled again, and those the last run did
 * not report (a warning the platform-wide checks raise in an unchanged use case), at most {@link WARNING_LIMIT}
 * of them. The others are counted on one line by code, with where to read every one (`build/report.json`,
 * `--all-warnings`). The warnings a run reported are remembered as keys in the compile cache
 * (src/cli/compile-cache.ts `reported`); without a cache every warning is new.
 */
import { createHash } from 'node:crypto';
import type { StreamResult } from '../compile.ts';
import type { Diagnostic } from '../diagnostics.ts';

/** How many warnings are printed in full before a large platform's warnings are cut short. */
export const WARNING_LIMIT = 100;

/** A warning's identity across runs: where it is and what it says. */
export function warningKey(d: Diagnostic): string {
  return createHash('sha256').update(`${d.file}\0${d.line}\0${d.column}\0${d.code}\0${d.message}`).digest('base64url').slice(0, 16);
}

export interface Selection {
  /** What is printed in full, in the diagnostics' own order. */
  shown: Diagnostic[];
  /** Warnings counted instead, and how many of them the last run reported in a use case this run reused. */
  hidden: { warnings: Diagnostic[]; known: number };
  /** The keys of every warning of this run, to remember for the next one. */
  keys: Set<string>;
}

/**
 * The diagnostics of `result` to print: see the module comment. `reported` holds the keys of the warnings the
 * last run reported (undefined without a cache); `all` (`--all-warnings`) prints every one.
 */
export function selectDiagnostics(result: Pick<StreamResult, 'diagnostics' | 'reused'>, reported: ReadonlySet<string> | undefined, all: boolean): Selection {
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
  // Each warning's key, computed once: remembered for the next run, and looked up in the last one's.
  const keyOf = new Map(warnings.map((w) => [w, warningKey(w)]));
  const keys = new Set(keyOf.values());
  if (all || warnings.length <= WARNING_LIMIT) return { shown: [...result.diagnostics], hidden: { warnings: [], known: 0 }, keys };
  const reusedUseCases = new Set(result.reused.assembled);
  // A use case the run compiled again (or that is quarantined: not assembled at all), or platform.yaml read again.
  const compiledAgain = (d: Diagnostic) => (d.useCase === undefined ? !result.reused.platform : !reusedUseCases.has(d.useCase));
  const known = (d: Diagnostic) => reported?.has(keyOf.get(d)!) === true && !compiledAgain(d);
  const shown: Diagnostic[] = [];
  const hidden: Diagnostic[] = [];
  let knownHidden = 0;
  let room = WARNING_LIMIT;
  for (const d of result.diagnostics) {
    if (d.severity === 'error') shown.push(d);
    else if (known(d)) {
      hidden.push(d);
      knownHidden++;
    } else if (room > 0) {
      shown.push(d);
      room--;
    } else hidden.push(d);
  }
  return { shown, hidden: { warnings: hidden, known: knownHidden }, keys };
}

/**
 * The line counting the warnings left out, by code, and where to read them; '' when none was.
 * `where` names what lists every one (`build/report.json lists every one; --all-warnings prints them`).
 */
export function hiddenWarningsLine(selection: Selection, where: string): string {
  const { warnings, known } = selection.hidden;
  if (warnings.length === 0) return '';
  const byCode = new Map<string, number>();
  for (const w of warnings) byCode.set(w.code, (byCode.get(w.code) ?? 0) + 1);
  const codes = [...byCode].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([code, n]) => `${n} ${code}`);
  const printed = selection.shown.some((d) => d.severity === 'warning');
  const knownText = known === 0 ? '' : `, ${known === warnings.length ? '' : `${known} of them `}reported before (their use cases unchanged since)`;
  return `${printed ? '… and ' : ''}${warnings.length} ${printed ? 'more ' : ''}warning(s) (${codes.join(', ')})${knownText}: ${where}`;
}
