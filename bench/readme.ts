/**
 * The README's benchmark figures come from the last full `npm run bench`: the
 * run writes its output between the two markers below, so the numbers there are
 * never copied by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export const BENCH_START = '<!-- bench:start (written by npm run bench; do not edit) -->';
export const BENCH_END = '<!-- bench:end -->';

/** `readme` with the text between the markers replaced by `lines` in a fenced block; throws without the markers. */
export function withBenchResults(readme: string, lines: readonly string[]): string {
  const start = readme.indexOf(BENCH_START);
  const end = readme.indexOf(BENCH_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${BENCH_START} … ${BENCH_END} section`);
  const block = ['', '```text', ...lines.map((l) => l.trimEnd()), '```', ''].join('\n');
  return readme.slice(0, start + BENCH_START.length) + '\n' + block + readme.slice(end);
}

/** Lines of a bench run worth keeping: no per-section durations of the run itself. */
export function readmeLines(output: readonly string[]): string[] {
  return output.filter((l) => !/^\([a-z]+: [\d.]+ s\)$/.test(l));
}

export function writeBenchResults(path: URL, output: readonly string[]): void {
  writeFileSync(path, withBenchResults(readFileSync(path, 'utf8'), readmeLines(output)));
}
