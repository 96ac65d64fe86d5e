/**
 * `lakestep <command>`: a thin layer over the library. `cli(argv, io)` returns
 * the exit code: 0 ok, 1 diagnostics or failed operation, 2 usage.
 */
import './aws-sdk-env.ts';
import { parseArgs } from 'node:util';
import { compileCommand, EXIT, validateCommand } from './commands.ts';
import { graphCommand } from './graph.ts';
import { commandHelp, fsFailure, integer, optionalFolder, usage, wantsHelp, workflowRef } from './args.ts';
import { lakestepVersion, processIo, type Io } from './io.ts';
import { backfillCommand, deployCommand, runCommand, statusCommand } from './operate.ts';
import { cancelCommand, logsCommand, pauseCommand } from './operator.ts';
import { readScenarioFile } from './scenario.ts';
import { runSimulation, singleStart } from './simulation.ts';
import { startCommand } from './start.ts';

const USAGE = `usage: lakestep <command> [options]   (lakestep <command> --help, lakestep --version)

commands:
  validate [specs]                       check every spec file
                                         exit 1 on any error
  compile  [specs] [--out build] [--strict]
                                         compile healthy use cases to build/
                                         exit 1 if any is quarantined; --strict writes nothing then
  start    [specs] [--out build] [--scenario file.yaml] [--verbose] [--quiet]
                                         compile, then run the platform in the local simulator: by default
                                         the migrations at 2026-11-25T00:00:00Z and one day of schedules;
                                         prints a report per workflow and writes the timeline to
                                         <out>/timeline.txt (--verbose: compile table and timeline too,
                                         --quiet: no closing hints)
                                         exit 1 on compile errors or any failed execution
  simulate [--build build] [--scenario file.yaml] [--start <use-case>/<dag> [--input JSON]] [--json] [--quiet]
                                         run a compiled build with a scenario (default: the one of start);
                                         --start runs one execution of that workflow with the --input
                                         (default {}) and what it starts, instead of the scenario's starts
                                         exit 1 if any execution FAILED/TIMED_OUT/ABORTED, so a scenario
                                         that injects failures exits 1; 2 for an invalid scenario
  graph    [specs] [--format mermaid|dot] [--build build]
                                         cross-workflow dependency graph (default mermaid), from a compile
                                         of the specs or from a build's manifest; quarantined use cases dashed
  run      <use-case>/<dag> [--date D] [--rerun] [--account ID] [--build build] [--json]
                                         start the runs of a day (D: YYYY-MM-DD, every interval of that UTC
                                         day) or of one logical date (ISO timestamp), default the latest
                                         scheduled run; each is named after its logical date as schedules
                                         name it, so a run that exists is reported, not started; --rerun
                                         starts the next attempt (<name>_a2 …) of each one not running
                                         exit 1 when a run's latest attempt failed and nothing started
  status   <use-case>/<dag> [--limit N] [--account ID] [--build build] [--json]
                                         newest executions (N: 1-1000, default 10) and why each failed,
                                         and whether the dag is paused
  pause    <use-case>/<dag> [--build build] [--json]
                                         disable the dag's schedules and set the pause flag its upstreams'
                                         routing reads (notifications stay on); exit 1 when a trigger
                                         could not be changed
  resume   <use-case>/<dag> [--build build] [--json]
                                         enable them again
  logs     <use-case>/<dag> [--execution NAME] [--account ID] [--build build] [--json]
                                         the EMR Serverless job runs of an execution (default the newest):
                                         state, details, Spark UI and driver log links
  cancel   <use-case>/<dag> --execution NAME [--account ID] [--build build] [--json]
                                         stop the execution and cancel its active job runs
  backfill <use-case>/<dag> --from D1 --to D2 [--reprocess none|failed|all] [--max-concurrency N]
           [--backwards] [--dry-run] [--detach] [--force] [--account ID] [--build build] [--json]
                                         every run of the days D1..D2 (YYYY-MM-DD, inclusive), named as the
                                         schedule names them; runs that already ran are skipped unless
                                         --reprocess failed|all (default none) starts their next attempt;
                                         at most N in flight (1-40, default 2), oldest first (--backwards:
                                         newest); waits for them, or --detach hands them to the backfill
                                         state machine; --dry-run lists each run's fate and the dags it
                                         starts downstream; over 366 days needs --force
                                         exit 1 when a run failed to start or failed
  deploy   [specs] [--use-case NAME]... [--out build]
                                         compile, then cdk deploy (needs AWS credentials, checked first);
                                         quarantined use cases are left out and their stacks untouched
                                         exit 1 without credentials, when cdk fails, or when a use case
                                         was quarantined (the healthy ones are still deployed)

AWS commands (run, status, backfill, pause, resume, logs, cancel, deploy) use the region of the build's platform;
without --account the state machine is looked up with ListStateMachines.

exit codes: 0 ok, 1 diagnostics or failed operation, 2 usage`;

type Command = (args: string[], io: Io) => Promise<number> | number;

const target = { build: { type: 'string', default: 'build' }, account: { type: 'string' }, json: { type: 'boolean', default: false } } as const;

const COMMANDS: Record<string, Command> = {
  validate: (args, io) => {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    return validateCommand(io, optionalFolder(positionals, 'specs'));
  },
  compile: (args, io) => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string', default: 'build' }, strict: { type: 'boolean', default: false } } });
    return compileCommand(io, optionalFolder(positionals, 'specs'), values.out, values.strict).code;
  },
  start: (args, io) => {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string', default: 'build' }, scenario: { type: 'string' }, quiet: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false } },
    });
    return startCommand(io, { specsDir: optionalFolder(positionals, 'specs'), outDir: values.out, quiet: values.quiet, verbose: values.verbose, ...(values.scenario === undefined ? {} : { scenario: values.scenario }) });
  },
  simulate: async (args, io) => {
    const { values } = parseArgs({
      args,
      options: {
        build: { type: 'string', default: 'build' },
        scenario: { type: 'string' },
        start: { type: 'string' },
        input: { type: 'string' },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
      },
    });
    if (values.input !== undefined && values.start === undefined) throw usage('--input needs --start <use-case>/<dag>');
    const file = values.scenario === undefined ? undefined : readScenarioFile(io.cwd, values.scenario);
    const scenario = values.start === undefined ? file : singleStart(file, values.start, values.input);
    return runSimulation(io, values.build, scenario, { quiet: values.quiet, json: values.json });
  },
  graph: (args, io) => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', default: 'mermaid' }, build: { type: 'string' } } });
    const specsDir = positionals.length ? optionalFolder(positionals, 'specs') : undefined;
    return graphCommand(io, { format: values.format, ...(specsDir === undefined ? {} : { specsDir }), ...(values.build === undefined ? {} : { buildDir: values.build }) });
  },
  run: (args, io) => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { ...target, date: { type: 'string' }, rerun: { type: 'boolean', default: false } } });
    return runCommand(io, {
      ref: workflowRef(positionals, 'run'),
      buildDir: values.build,
      rerun: values.rerun,
      json: values.json,
      ...(values.account === undefined ? {} : { account: values.account }),
      ...(values.date === undefined ? {} : { date: values.date }),
    });
  },
  status: (args, io) => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { ...target, limit: { type: 'string' } } });
    const limit = integer(values.limit, '--limit');
    return statusCommand(io, {
      ref: workflowRef(positionals, 'status'),
      buildDir: values.build,
      json: values.json,
      ...(values.account === undefined ? {} : { account: values.account }),
      ...(limit === undefined ? {} : { limit }),
    });
  },
  backfill: (args, io) => {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...target,
        from: { type: 'string' },
        to: { type: 'string' },
        reprocess: { type: 'string' },
        'max-concurrency': { type: 'string' },
        backwards: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        detach: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
      },
    });
    const ref = workflowRef(positionals, 'backfill');
    if (values.from === undefined || values.to === undefined) throw usage('backfill needs --from YYYY-MM-DD and --to YYYY-MM-DD');
    const maxConcurrency = integer(values['max-concurrency'], '--max-concurrency');
    if (values.reprocess !== undefined && !['none', 'failed', 'all'].includes(values.reprocess)) throw usage(`--reprocess must be none, failed or all, got "${values.reprocess}"`);
    if (values.detach && values['dry-run']) throw usage('--detach and --dry-run exclude each other');
    return backfillCommand(io, {
      ref,
      buildDir: values.build,
      from: values.from,
      to: values.to,
      dryRun: values['dry-run'],
      detach: values.detach,
      backwards: values.backwards,
      force: values.force,
      json: values.json,
      ...(values.account === undefined ? {} : { account: values.account }),
      ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
      ...(values.reprocess === undefined ? {} : { reprocess: values.reprocess as 'none' | 'failed' | 'all' }),
    });
  },
  pause: (args, io) => pauseOrResume(args, io, 'pause'),
  resume: (args, io) => pauseOrResume(args, io, 'resume'),
  logs: (args, io) => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { ...target, execution: { type: 'string' } } });
    return logsCommand(io, { ref: workflowRef(positionals, 'logs'), buildDir: values.build, json: values.json, ...optional(values) });
  },
  cancel: (args, io) => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { ...target, execution: { type: 'string' } } });
    const ref = workflowRef(positionals, 'cancel');
    if (values.execution === undefined) throw usage('cancel needs --execution NAME (lakestep status lists them)');
    return cancelCommand(io, { ref, buildDir: values.build, json: values.json, ...optional(values), execution: values.execution });
  },
  deploy: (args, io) => {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string', default: 'build' }, 'use-case': { type: 'string', multiple: true, default: [] } },
    });
    return deployCommand(io, { specsDir: optionalFolder(positionals, 'specs'), outDir: values.out, useCases: values['use-case'] });
  },
};

function pauseOrResume(args: string[], io: Io, action: 'pause' | 'resume'): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { build: target.build, json: target.json } });
  return pauseCommand(io, { ref: workflowRef(positionals, action), buildDir: values.build, json: values.json, action });
}

/** `--account` and `--execution` when given. */
function optional(values: { account?: string; execution?: string }): { account?: string; execution?: string } {
  return { ...(values.account === undefined ? {} : { account: values.account }), ...(values.execution === undefined ? {} : { execution: values.execution }) };
}

export async function cli(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' && rest[0] && COMMANDS[rest[0]] ? rest[0] : undefined;
    io.out(topic ? commandHelp(USAGE, topic) : USAGE);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(`lakestep ${lakestepVersion()}`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`lakestep: unknown command '${name}'\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (wantsHelp(rest)) {
    io.out(commandHelp(USAGE, name));
    return EXIT.ok;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    const err = e as Error & { code?: string; exitCode?: number };
    if (err.code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`lakestep ${name}: ${err.message}\n\n${commandHelp(USAGE, name)}`);
      return EXIT.usage;
    }
    const fs = fsFailure(e);
    if (fs) {
      io.err(`lakestep ${name}: ${fs}`);
      return EXIT.usage;
    }
    if (typeof err.exitCode === 'number') {
      io.err(`lakestep ${name}: ${err.message}`);
      return err.exitCode;
    }
    throw e;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await cli(process.argv.slice(2));
}
