/**
 * The README documents every command and every flag `--help` shows, and no flag
 * a command does not take: the commands table is compared with each command's
 * `lakestep <command> --help`, for whatever commands the CLI has.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, COMMAND_NAMES } from '../../src/cli/main.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Commands'), readme.indexOf('\n## ', readme.indexOf('## Commands') + 1));
/** First cells of the commands table: `validate [specs] [--env NAME]`, `pause … / resume …`. */
const cells = section
  .split('\n')
  .filter((l) => l.startsWith('| `'))
  .map((l) => l.slice(2, l.indexOf(' | ')));
const flags = (text: string) => new Set(text.match(/--[a-z][a-z-]*/g) ?? []);

async function help(command: string): Promise<string> {
  let out = '';
  const code = await cli([command, '--help'], { out: (t) => void (out += t), err: () => {}, cwd: '/', env: {}, tty: false });
  expect(code).toBe(0);
  return out;
}

describe('README commands table', () => {
  it('has a row for every command of the CLI, and none for a command it lacks', () => {
    expect(COMMAND_NAMES.length).toBeGreaterThanOrEqual(14);
    const documented = cells.flatMap((c) => [...c.matchAll(/`([a-z]+)[ `]/g)].map((m) => m[1]!));
    expect([...new Set(documented)].sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it.each(COMMAND_NAMES)('%s: the row names exactly the flags of `lakestep %s --help`', async (command) => {
    const cell = cells.find((c) => new RegExp(`\`${command}[ \`]`).test(c))!;
    expect([...flags(cell)].sort(), `README row of ${command}`).toEqual([...flags(await help(command))].sort());
  });

  it('says how the SDK is sent to a local endpoint (AWS_ENDPOINT_URL)', () => {
    expect(section).toContain('`AWS_ENDPOINT_URL`');
  });
});
