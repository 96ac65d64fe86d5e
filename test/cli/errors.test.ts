/**
 * The CLI's error cases, each with its exact message and exit code: bad paths,
 * bad arguments of the AWS commands (reported before any AWS client exists),
 * help, version, extra arguments and an empty specs folder.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.ts';
import { codeId } from '../../src/cli/code-id.ts';
import { lakestepVersion } from '../../src/cli/io.ts';
import { sparkUseCase } from '../compile/support.ts';
import { manifest } from '../ops/fixtures.ts';
import { folder, folderWithBuild, runCli } from './support.ts';

const CLEAN = { 'specs/sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract', schedule: 'rate(1 day)' }]) };

/** A folder with a compiled manifest, and an Io whose AWS hooks fail the test when touched. */
function offline(): { dir: string; io: Partial<Io>; touched: string[] } {
  const dir = folderWithBuild(manifest(), { 'a-file': 'x' });
  const touched: string[] = [];
  const io: Partial<Io> = {
    sfn: () => {
      touched.push('sfn client');
      throw new Error('no AWS client may be created');
    },
    checkCredentials: async () => {
      touched.push('credentials');
      return { ok: false, message: 'no credentials', elapsedMs: 0 };
    },
    spawn: async () => {
      touched.push('cdk');
      return 0;
    },
  };
  return { dir, io, touched };
}

describe('one-line errors, exit 2, no stack trace', () => {
  it.each([
    [['compile', 'nope'], 'lakestep compile: specs folder nope does not exist'],
    [['compile', 'a-file'], 'lakestep compile: a-file is a file; give the folder that holds the use-case folders (e.g. specs)'],
    [['validate', 'a-file'], 'lakestep validate: a-file is in no specs folder (no use-case folder with an orchestration.yaml, nor a platform.yaml, above it); give the specs folder, e.g. lakestep validate specs'],
    [['validate', 'specs/sales/nope.yaml'], 'lakestep validate: specs/sales/nope.yaml does not exist'],
    [['start', 'build'], 'lakestep start: no spec files in build: a use case is a folder with an orchestration.yaml, e.g. build/orders/orchestration.yaml'],
    [['compile', 'specs', '--out', 'a-file'], 'lakestep compile: --out a-file is a file; give a folder for the build'],
    [['compile', 'specs/sales'], 'lakestep compile: specs/sales holds an orchestration.yaml itself: it looks like one use case; give the folder above it'],
    [['graph', 'nope'], 'lakestep graph: specs folder nope does not exist'],
  ])('%j', async (argv, message) => {
    const dir = folder({ ...CLEAN, 'a-file': 'x', 'build/.keep': '' });
    const r = await runCli(argv, dir);
    expect(r).toEqual({ code: 2, out: '', err: message });
  });

  it('a filesystem error on a path the user gave is one line naming the path', async () => {
    // `--out` under a file: the folder cannot be created.
    const dir = folder({ ...CLEAN, 'a-file': 'x' });
    const r = await runCli(['compile', 'specs', '--out', 'a-file/build'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`lakestep compile: cannot write ${join(dir, 'a-file/build')}: a file is in the way (not a directory)`);
  });
});

describe('arguments of the AWS commands are checked before credentials', () => {
  it.each([
    [['run', 'orders/orders-daily-report', '--date', '2026-13-01'], 'lakestep run: --date "2026-13-01" is not a calendar date'],
    [['run', 'orders/orders-daily-report', '--date', 'tomorrow'], 'lakestep run: --date must be a day (YYYY-MM-DD, meaning midnight UTC) or an ISO-8601 timestamp such as 2026-11-26T06:00:00Z, got "tomorrow"'],
    [['run', 'orders/orders-daily-report', '--date', '2026-01-01T00:00:00+24:00'], 'lakestep run: --date "2026-01-01T00:00:00+24:00" has the UTC offset +24:00; offsets run from -23:59 to +23:59'],
    [['run', 'orders/orders-daily-report', '--date', '9999-12-31T23:00:00-01:00'], 'lakestep run: --date "9999-12-31T23:00:00-01:00" is outside the years 0001 to 9999 in UTC'],
    [['backfill', 'orders/orders-daily-report', '--from', '2026-01-01T00:00:00+24:00', '--to', '2026-01-02'], 'lakestep backfill: --from must be a day as YYYY-MM-DD (UTC), got "2026-01-01T00:00:00+24:00"'],
    [['run', 'orders/orders-daily-report', '--account', '12'], 'lakestep run: --account must be a 12-digit AWS account id, got "12"'],
    [['status', 'orders/orders-daily-report', '--limit', '0'], 'lakestep status: --limit must be an integer from 1 to 1000, got 0'],
    [['status', 'orders/orders-dialy-report'], 'lakestep status: use case "orders" has no dag "orders-dialy-report"; did you mean "orders/orders-daily-report"?'],
    [['backfill', 'orders/orders-daily-report', '--from', '2026-11-03', '--to', '2026-11-01'], 'lakestep backfill: --from 2026-11-03 is after --to 2026-11-01'],
    [['backfill', 'orders/orders-daily-report', '--from', '2026-11-01', '--to', '2026-11-31'], 'lakestep backfill: --to "2026-11-31" is not a calendar date'],
    [['backfill', 'orders/orders-daily-report', '--from', '2026-11-01', '--to', '2026-11-02', '--max-concurrency', '50'], 'lakestep backfill: --max-concurrency must be an integer from 1 to 40, got 50'],
    [['backfill', 'orders/orders-daily-report', '--from', '2020-01-01', '--to', '2026-01-01', '--dry-run'], 'lakestep backfill: 2020-01-01..2026-01-01 is 2193 days; more than 366 needs --force'],
  ])('%j', async (argv, message) => {
    const { dir, io, touched } = offline();
    const r = await runCli(argv, dir, io);
    expect(r).toEqual({ code: 2, out: '', err: message });
    expect(touched).toEqual([]);
  });

  it('deploy --use-case of an unknown use case exits 2 before the credentials check', async () => {
    const { io, touched } = offline();
    const r = await runCli(['deploy', 'specs', '--use-case', 'sale'], folder(CLEAN), io);
    expect(r.code).toBe(2);
    expect(r.err).toBe('lakestep deploy: unknown use case "sale"; did you mean "sales"?');
    expect(touched).toEqual([]);
  });
});

describe('an unknown command', () => {
  it('is one line and the general usage, exit 2', async () => {
    const r = await runCli(['frobnicate'], folder());
    expect(r.code).toBe(2);
    expect(r.err.split('\n').slice(0, 3)).toEqual(["lakestep: unknown command 'frobnicate'", '', 'usage: lakestep <command> [options]   (lakestep <command> --help, lakestep --version)']);
  });
});

describe('help, version and extra arguments', () => {
  it('lakestep <command> --help prints that command only and exits 0', async () => {
    const r = await runCli(['status', '--help'], folder());
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'usage: lakestep status <use-case>/<dag> [--limit N] [--account ID] [--build build] [--json]',
        '                                         newest executions (N: 1-1000, default 10) and why each failed,',
        '                                         whether the dag is paused, its next run and when it is due, the',
        "                                         last run's checks and each table's age against its freshness SLA",
        '           <use-case> [--account ID] [--build build] [--json]',
        '                                         every dag of the use case on a line: its triggers, next fire,',
        "                                         newest execution (and why it failed), that run's checks and the",
        '                                         worst freshness of its tables',
        '',
        'exit codes: 0 ok, 1 diagnostics or failed operation, 2 usage',
      ].join('\n'),
    );
    expect((await runCli(['help', 'status'], folder())).out).toBe(r.out);
  });

  it.each(['validate', 'compile', 'start', 'simulate', 'graph', 'run', 'status', 'pause', 'resume', 'logs', 'cancel', 'retry', 'backfill', 'deploy'])(
    'lakestep %s --help prints its own usage and exits 0',
    async (command) => {
      const r = await runCli([command, '--help'], folder());
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out.split('\n')[0]).toMatch(new RegExp(`^usage: lakestep ${command}\\b`));
      expect(r.out).not.toContain('usage: lakestep <command>');
      expect(r.out.endsWith('exit codes: 0 ok, 1 diagnostics or failed operation, 2 usage')).toBe(true);
    },
  );

  it('--version prints the package version and the start of the code digest (src/cli/code-id.ts)', async () => {
    const r = await runCli(['--version'], folder());
    expect(r).toEqual({ code: 0, out: `lakestep ${lakestepVersion()} (code ${codeId('compiler').slice(0, 12)})`, err: '' });
    expect(lakestepVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['compile', 'specs', 'more'], "lakestep compile: unexpected argument 'more' (give one folder)", 'usage: lakestep compile [specs]'],
    [['graph', 'a', 'b'], "lakestep graph: unexpected argument 'b' (give one folder)", 'usage: lakestep graph [specs]'],
    [['status', 'orders/x', 'y'], "lakestep status: unexpected argument 'y'", 'usage: lakestep status <use-case>/<dag>'],
    [['compile', '--bogus'], "lakestep compile: Unknown option '--bogus'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--bogus\"", 'usage: lakestep compile [specs]'],
    [['pause'], 'lakestep pause: pause needs a use case or a dag: lakestep pause <use-case>[/<dag>]', 'usage: lakestep pause <use-case>[/<dag>]'],
    [['cancel', 'orders/x'], 'lakestep cancel: cancel needs --execution NAME (lakestep status lists them)', 'usage: lakestep cancel <use-case>/<dag> --execution NAME'],
    [['retry', 'orders/x'], 'lakestep retry: retry needs --execution NAME (lakestep status lists them)', 'usage: lakestep retry <use-case>/<dag> --execution NAME'],
    [['status', 'orders/x', '--limit', 'abc'], 'lakestep status: --limit must be an integer, got "abc"', 'usage: lakestep status <use-case>/<dag>'],
  ])('%j exits 2 with the command usage', async (argv, message, help) => {
    const r = await runCli(argv, folder());
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(message);
    expect(r.err).toContain(help);
    expect(r.err).not.toContain('usage: lakestep <command>');
  });
});
