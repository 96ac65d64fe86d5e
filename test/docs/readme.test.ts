/**
 * Every YAML block of the README is a file of the repository, included verbatim
 * (its first line names it), and the spec files among them compile; a scenario
 * parses. So the README cannot drift from what lakestep accepts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { parseScenario } from '../../src/simulator/index.ts';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const blocks = [...readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
const tagged = blocks.filter((b) => /^# [\w./-]+\.ya?ml\n/.test(b)).map((b) => ({ path: b.slice(2, b.indexOf('\n')), text: b.slice(b.indexOf('\n') + 1) }));

describe('README YAML blocks', () => {
  it('are whole repository files named on their first line (besides the one-line $schema example)', () => {
    const untagged = blocks.filter((b) => !/^# [\w./-]+\.ya?ml\n/.test(b));
    expect(untagged).toEqual(['# yaml-language-server: $schema=../../src/spec/schemas/orchestration.schema.json\n']);
    expect(tagged.length).toBeGreaterThanOrEqual(6);
    for (const b of tagged) expect(b.text, b.path).toBe(readFileSync(new URL(b.path, root), 'utf8'));
  });

  it('the spec files among them compile without errors, and the scenario parses', () => {
    const result = compile(readSpecs(new URL('specs', root).pathname), { lakestepVersion: '0.0.0' });
    for (const b of tagged.filter((t) => t.path.startsWith('specs/'))) {
      const file = b.path.slice('specs/'.length);
      expect(result.sources.has(file), file).toBe(true);
      expect(result.diagnostics.filter((d) => d.file === file && d.severity === 'error'), file).toEqual([]);
    }
    expect(result.quarantined).toEqual([]);
    for (const b of tagged.filter((t) => t.path.includes('/scenarios/'))) expect(() => parseScenario(b.text)).not.toThrow();
  });

  it('name every example spec editor schema: each file of specs/ starts with a $schema line', () => {
    for (const f of readSpecs(new URL('specs', root).pathname).filter((s) => /\.ya?ml$/.test(s.path))) {
      expect(f.text.split('\n')[0], f.path).toMatch(/^# yaml-language-server: \$schema=(\.\.\/)+src\/spec\/schemas\/\w+\.schema\.json$/);
    }
  });
});
