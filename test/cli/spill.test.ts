/** The temporary file `compile --strict` keeps its texts in (src/cli/spill.ts): every text back as written, then nothing left. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpillFile } from '../../src/cli/spill.ts';

let tmp: string;
let before: string | undefined;
beforeEach(() => {
  before = process.env.TMPDIR;
  tmp = mkdtempSync(join(tmpdir(), 'spill-test-'));
  mkdirSync(tmp, { recursive: true });
  process.env.TMPDIR = tmp;
});
afterEach(() => {
  if (before === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = before;
});

describe('SpillFile', () => {
  it('gives every text back as written, in any order and more than once, multi-byte characters included', () => {
    const spill = new SpillFile();
    const texts = ['', '{"a":1}\n', 'é日本語 🚀 \u0000 end', 'x'.repeat(200_000), '"quoted" \\ back'];
    const back = texts.map((t) => spill.keep(t));
    for (const i of [4, 2, 0, 3, 1, 2]) expect(back[i]!()).toBe(texts[i]);
    spill.close();
  });

  it('lives in a folder of its own, readable by its owner only, removed when closed', () => {
    const spill = new SpillFile();
    spill.keep('secret');
    const [folder] = readdirSync(tmp);
    expect(folder).toMatch(/^lakestep-spill-/);
    const file = join(tmp, folder!, 'texts');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(tmp, folder!)).mode & 0o777).toBe(0o700);
    spill.close();
    expect(existsSync(join(tmp, folder!))).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
