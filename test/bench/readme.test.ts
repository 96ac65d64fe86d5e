/** The README's benchmark section is written by the bench run, between its markers, with a digest of its lines. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCH_END, BENCH_START, benchSection, digestLine, readmeLines, withBenchResults } from '../../bench/readme.ts';
import { SECTIONS } from '../../bench/sections.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('bench README section', () => {
  it('replaces only the text between the markers, as a fenced block without run durations and with its digest', () => {
    const readme = `# x\n\nbefore\n${BENCH_START}\nold numbers\n${BENCH_END}\nafter\n`;
    const lines = ['lakestep bench — node', '', '== compile: scaling', 'compile 1,000  16.7 ms'];
    const out = withBenchResults(readme, readmeLines(['lakestep bench — node', '', '== compile: scaling', 'compile 1,000  16.7 ms  ', '(compile: 40.1 s)']));
    expect(out).toBe(`# x\n\nbefore\n${BENCH_START}\n\n\`\`\`text\n${lines.join('\n')}\n\`\`\`\n${digestLine(lines)}\n${BENCH_END}\nafter\n`);
    expect(withBenchResults(out, ['new'])).toContain(`${BENCH_START}\n\n\`\`\`text\nnew\n\`\`\`\n${digestLine(['new'])}\n${BENCH_END}`);
    expect(benchSection(out)).toEqual({ lines, digestOk: true });
  });

  it('detects a hand edit of the figures by the digest', () => {
    const out = withBenchResults(`${BENCH_START}\n${BENCH_END}\n`, ['compile 1,000  16.7 ms']);
    expect(benchSection(out.replace('16.7', '6.7'))).toEqual({ lines: ['compile 1,000  6.7 ms'], digestOk: false });
    expect(benchSection(`${BENCH_START}\n(placeholder)\n${BENCH_END}\n`)).toBeUndefined();
  });

  it('throws when the markers are missing, and the README has them once', () => {
    expect(() => withBenchResults('# x\n', [])).toThrow('README.md has no');
    expect(README.split(BENCH_START)).toHaveLength(2);
    expect(README.indexOf(BENCH_END)).toBeGreaterThan(README.indexOf(BENCH_START));
  });

  it('the README holds the output of a full, successful run, unedited', () => {
    const section = benchSection(README);
    expect(section, 'README benchmark section: run `npm run bench`').toBeDefined();
    const { lines, digestOk } = section!;
    expect(digestOk, 'the figures were edited by hand: run `npm run bench`').toBe(true);
    expect(lines[0]).toMatch(/^lakestep bench — /);
    expect(lines.filter((l) => l.startsWith('== '))).toEqual(SECTIONS.map((s) => `== ${s.name}: ${s.title}`));
    expect(lines.filter((l) => l.startsWith('FAILED'))).toEqual([]);
    expect(lines.at(-1)).toMatch(/^bench finished in [\d.]+ s$/);
  });
});
