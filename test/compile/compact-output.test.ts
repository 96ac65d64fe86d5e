/**
 * The build's machine-read JSON (state machine definitions, job documents, the
 * manifest) is written compact: indentation was a third of the build's bytes.
 * report.json, which people open when a compile fails, stays indented, and so
 * do the platform's two machines, whose text the platform stack deploys as is.
 */
import { describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import { BACKFILL_DEFINITION, DISPATCHER_DEFINITION } from '../../src/build/assemble.ts';
import { compileTree } from './support.ts';

const example = compileTree(readSpecs(new URL('../../specs', import.meta.url).pathname));

describe('build JSON', () => {
  const indented = new Set(['report.json', BACKFILL_DEFINITION, DISPATCHER_DEFINITION]);
  const machineRead = [...example.files].filter(([p]) => p.endsWith('.json') && !indented.has(p));

  it('covers definitions, job documents and the manifest', () => {
    expect(machineRead.some(([p]) => p.endsWith('.asl.json'))).toBe(true);
    expect(machineRead.some(([p]) => p.includes('/jobs/'))).toBe(true);
    expect(machineRead.some(([p]) => p === 'manifest.json')).toBe(true);
  });

  it.each(machineRead.map(([p, text]) => [p, text] as const))('%s is one line of compact JSON', (_path, text) => {
    expect(text).toBe(`${JSON.stringify(JSON.parse(text))}\n`);
  });

  it.each([...indented])('keeps %s indented', (path) => {
    const text = example.files.get(path)!;
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  });
});
