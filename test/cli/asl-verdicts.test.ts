/**
 * The simulator validates a definition's text once (src/simulator/execution.ts), and the CLI keeps
 * the texts that passed from one run to the next (src/cli/asl-verdicts.ts): a text it knows is not
 * validated again, one that failed is validated every time.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aslVerdicts } from '../../src/cli/asl-verdicts.ts';
import { simulate, type ValidDefinitions } from '../../src/simulator/index.ts';
import { makeBuild } from '../simulator/fixture.ts';

/** A machine the library runs but its validator refuses (a field the States Language does not have), unique per call. */
const invalid = (tag: string) => ({ Comment: tag, StartAt: 'P', States: { P: { Type: 'Pass', Unknown: 1, End: true } } });
const valid = (tag: string) => ({ Comment: tag, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

async function run(definition: object, known?: ValidDefinitions) {
  return simulate({
    buildDir: makeBuild([{ useCase: 'uc', name: 'm', definition }]),
    scenario: { start: [{ workflow: 'uc/m', input: {}, at: '2026-11-25T07:30:00Z' }] },
    ...(known ? { validDefinitions: known } : {}),
  });
}

/** A record of what the simulator asked and added. */
function recorder(answer: boolean) {
  const asked: string[] = [];
  const added: string[] = [];
  return { asked, added, known: { has: (t: string) => (asked.push(t), answer), add: (t: string) => void added.push(t) } };
}

describe('validation once per definition text', () => {
  it('validates a text not known, and adds it once it passes', async () => {
    const r = recorder(false);
    const result = await run(valid(`passes ${Math.random()}`), r.known);
    expect(result.executions[0]!.status).toBe('SUCCEEDED');
    expect(r.asked).toHaveLength(1);
    expect(r.added).toEqual(r.asked);
  });

  it('refuses a text that fails, and does not add it', async () => {
    const r = recorder(false);
    await expect(run(invalid(`fails ${Math.random()}`), r.known)).rejects.toThrow(/State machine definition is invalid/);
    expect(r.asked).toHaveLength(1);
    expect(r.added).toEqual([]);
  });

  it('does not validate a text it is told passed before', async () => {
    const r = recorder(true);
    const result = await run(invalid(`known ${Math.random()}`), r.known);
    expect(result.executions[0]!.status).toBe('SUCCEEDED');
    expect(r.added).toEqual([]);
  });
});

describe('aslVerdicts: the texts that passed, kept on disk', () => {
  it('remembers what was added once saved, and only that', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakestep-verdicts-'));
    const first = aslVerdicts(dir);
    expect(first.has('a')).toBe(false);
    first.add('a');
    first.add('a');
    expect(first.has('a')).toBe(true);
    expect(aslVerdicts(dir).has('a')).toBe(false);
    first.save();
    first.save();
    const again = aslVerdicts(dir);
    expect(again.has('a')).toBe(true);
    expect(again.has('b')).toBe(false);
    const file = join(dir, readdirSync(dir)[0]!);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('ignores lines that are not digests (a damaged file validates again)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakestep-verdicts-'));
    const v = aslVerdicts(dir);
    v.add('a');
    v.save();
    const file = join(dir, readdirSync(dir)[0]!);
    const line = readFileSync(file, 'utf8').trim();
    writeFileSync(file, `${line.slice(0, 10)}\n../../etc/passwd\n`);
    expect(aslVerdicts(dir).has('a')).toBe(false);
  });
});
