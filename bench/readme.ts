/**
 * The README's benchmark figures come from the last full `npm run bench`: the
 * run writes its output between the two markers below, so the numbers there are
 * never copied by hand. A digest line after the block makes a hand edit of the
 * figures detectable: `benchSection` recomputes it (test/bench/readme.test.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

export const BENCH_START = '<!-- bench:start (written by npm run bench; do not edit) -->';
export const BENCH_END = '<!-- bench:end -->';

/** The digest line of a block's lines: sha256 of the lines joined by newlines, first 16 hex digits. */
export function digestLine(lines: readonly string[]): string {
  return `<!-- bench:digest ${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)} -->`;
}

/** `readme` with the text between the markers replaced by `lines` in a fenced block and its digest; throws without the markers. */
export function withBenchResults(readme: string, lines: readonly string[]): string {
  const start = readme.indexOf(BENCH_START);
  const end = readme.indexOf(BENCH_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${BENCH_START} … ${BENCH_END} section`);
  const kept = lines.map((l) => l.trimEnd());
  const block = ['', '```text', ...kept, '```', digestLine(kept), ''].join('\n');
  return readme.slice(0, start + BENCH_START.length) + '\n' + block + readme.slice(end);
}

/**
 * The lines of the README's bench block, and whether its digest line matches
 * them (false after a hand edit); undefined when the section holds no block.
 */
export function benchSection(readme: string): { lines: string[]; digestOk: boolean } | undefined {
  const start = readme.indexOf(BENCH_START);
  const end = readme.indexOf(BENCH_END);
  if (start < 0 || end < start) return undefined;
  const m = /^\n\n```text\n([\s\S]*?)\n```\n(<!-- bench:digest [0-9a-f]{16} -->)\n$/.exec(readme.slice(start + BENCH_START.length, end));
  if (!m) return undefined;
  const lines = m[1]!.split('\n');
  return { lines, digestOk: m[2] === digestLine(lines) };
}

/** Lines of a bench run worth keeping: no per-section durations of the run itself. */
export function readmeLines(output: readonly string[]): string[] {
  return output.filter((l) => !/^\([a-z]+: [\d.]+ s\)$/.test(l));
}

/** Rewrites the benchmark section of the README at `path` with a run's output. */
export function writeBenchResults(path: URL, output: readonly string[]): void {
  writeFileSync(path, withBenchResults(readFileSync(path, 'utf8'), readmeLines(output)));
}
