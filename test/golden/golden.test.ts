/**
 * Golden cases: compile each `test/golden/<case>/specs` and compare every
 * produced file with `expected/` (see cases.ts). `npm run golden` regenerates.
 */
import { describe, expect, it } from 'vitest';
import { expectValidAsl } from '../compile/support.ts';
import { stateNameProblems } from '../property/invariants.ts';
import { allCaseNames, expectedDir, readTree, runCase } from './cases.ts';

const cases = allCaseNames();

describe('golden cases', () => {
  it('finds the case folders', () => {
    expect(cases.length).toBeGreaterThanOrEqual(13);
  });

  for (const name of cases) {
    it(name, async () => {
      const expected = readTree(expectedDir(name));
      const { files, exitCode } = await runCase(name);
      expect(expected.size, `${name}/expected is empty: run npm run golden`).toBeGreaterThan(0);
      expect([...files.keys()], 'produced files (npm run golden regenerates)').toEqual([...expected.keys()]);
      for (const [path, content] of files) {
        expect(content, `${name}/expected/${path} (npm run golden regenerates)`).toBe(expected.get(path));
      }
      if (!files.has('diagnostics.txt')) expect(exitCode).toBe(0);
      expectValidAsl(files);
      for (const [path, text] of files) if (path.endsWith('.asl.json')) expect(stateNameProblems(JSON.parse(text)), path).toEqual([]);
    });
  }
});
