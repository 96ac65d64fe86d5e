/** The README's benchmark section is written by the bench run, between its markers. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCH_END, BENCH_START, readmeLines, withBenchResults } from '../../bench/readme.ts';

describe('bench README section', () => {
  it('replaces only the text between the markers, as a fenced block without run durations', () => {
    const readme = `# x\n\nbefore\n${BENCH_START}\nold numbers\n${BENCH_END}\nafter\n`;
    const out = withBenchResults(readme, readmeLines(['lakestep bench — node', '', '== compile: scaling', 'compile 1,000  16.7 ms  ', '(compile: 40.1 s)']));
    expect(out).toBe(`# x\n\nbefore\n${BENCH_START}\n\n\`\`\`text\nlakestep bench — node\n\n== compile: scaling\ncompile 1,000  16.7 ms\n\`\`\`\n${BENCH_END}\nafter\n`);
    expect(withBenchResults(out, ['new'])).toContain(`${BENCH_START}\n\n\`\`\`text\nnew\n\`\`\`\n${BENCH_END}`);
  });

  it('throws when the markers are missing, and the README has them once', () => {
    expect(() => withBenchResults('# x\n', [])).toThrow('README.md has no');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme.split(BENCH_START)).toHaveLength(2);
    expect(readme.indexOf(BENCH_END)).toBeGreaterThan(readme.indexOf(BENCH_START));
  });
});
