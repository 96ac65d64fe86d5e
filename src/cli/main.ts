/**
 * `lakestep <command>`: a thin layer over the library. `cli(argv, io)` returns
 * the exit code: 0 ok, 1 diagnostics or failed operation, 2 usage.
 */
import './aws-sdk-env.ts';
import { parseArgs } from 'node:util';
import { commandHelp, EXIT, fsFailure, integer, optionalFolder, usage, wantsHelp, workflowRef } from './args.ts';
import { codeId } from './code-id.ts';
import { lakestepVersion, processIo, type Io } from './io.ts';
import { MAX_EXECUTIONS_CEILING } from '../simulator/limits.ts';

const USAGE = `usage: lakestep <command> [options]   (lakestep <command> --help, lakestep --version)

commands:
  validate [specs | file...] [--env NAME] [--cache-dir DIR] [--no-cache] [--all-warnings] [--watch] [--json]
                                         check every spec file (with --env: platform.yaml and its overlay
                                         platform.NAME.yaml, as that environment compiles); given files or
                                         use-case folders (an editor, a pre-commit hook), check their tree
                                         and list only them, with every error of the tree; --watch: again
                                         on every change, until Ctrl-C; --json: files and diagnostics as
                                         JSON (with --watch one document per line)
                                         exit 1 on any error
  compile  [specs] [--out build] [--strict] [--env NAME] [--cache-dir DIR] [--no-cache] [--all-warnings] [--watch]
                                         compile healthy use cases to build/; --env NAME compiles the
                                         environment NAME: platform.NAME.yaml over platform.yaml; --watch:
                                         again on every change (only changed files rewritten), until Ctrl-C
                                         exit 1 if any is quarantined; --strict writes nothing then
                                         validate and compile (and graph, lineage and plan from specs)
                                         reuse what did not change since the last run
                                         (node_modules/.cache/lakestep; --cache-dir DIR elsewhere,
                                         --no-cache not at all); past 100 warnings they print the new
                                         ones and those of the use cases compiled again, and count the
                                         rest (build/report.json lists every one; --all-warnings prints all)
  start    [specs] [--out build] [--scenario file.yaml] [--verbose] [--quiet] [--use-case NAME]... [--max-executions N]
                                         compile, then run the platform in the local simulator: by default
                                         the migrations at 2026-11-25T00:00:00Z and one day of schedules
                                         (--use-case, --max-executions: as for simulate);
                                         prints a report per workflow and writes the timeline to
                                         <out>/timeline.txt and the page of lakestep ui to <out>/ui.html
                                         (--verbose: compile table and timeline too, --quiet: no closing hints)
                                         exit 1 on compile errors or any failed execution
  simulate [--build build] [--scenario file.yaml] [--start <use-case>/<dag> [--input JSON]] [--json] [--quiet]
           [--use-case NAME]... [--max-executions N]
                                         run a compiled build with a scenario (default: the one of start);
                                         --start runs one execution of that workflow with the --input
                                         (default {}) and what it starts, instead of the scenario's starts;
                                         --use-case: only those use cases' starts and schedules (what they
                                         start runs too); --max-executions: the loop guard (default 10,000,
                                         at most 100,000), checked against the scenario's own starts
                                         before anything runs
                                         exit 1 if any execution FAILED/TIMED_OUT/ABORTED, so a scenario
                                         that injects failures exits 1; 2 for an invalid scenario
  graph    [specs] [--tables] [--format mermaid|dot] [--build build] [--env NAME] [--cache-dir DIR] [--no-cache]
                                         cross-workflow dependency graph (default mermaid), from a compile
                                         of the specs or from a build's manifest; quarantined use cases dashed;
                                         --tables: tables between the workflows that write and read them
  lineage  <database.table> [specs] [--depth N] [--json] [--build build] [--cache-dir DIR] [--no-cache]
                                         the workflows and tables upstream (what makes the table) and
                                         downstream (what is made from it), transitively; N: steps per side
                                         exit 2 for a table no compiled workflow reads or writes
  ui       [specs] [--build build] [--simulation [--scenario f] [--max-executions N] | --from-aws [--since 1d]
           [--account ID]] [--use-case NAME]... [--out file.html]
                                         one HTML file (no server, no network): the dependency and table
                                         graphs, a grid of runs by dag and logical date, every table's owner,
                                         writers, readers, last publish, freshness and checks; runs from a
                                         simulation of the build, from AWS (executions started since --since:
                                         a duration or a date), or none; default file <build>/ui.html;
                                         specs, when given, name the dags of quarantined use cases
                                         (--from-aws without them: their deployed state machines);
                                         --use-case: only those use cases' runs (from AWS) or starts and
                                         schedules (simulated); --max-executions as for simulate
  run      <use-case>/<dag> [--date D] [--rerun] [--account ID] [--build build] [--json]
                                         start the runs of a day (D: YYYY-MM-DD, every interval of that UTC
                                         day) or of one logical date (ISO timestamp), default the latest
                                         scheduled run; each is named after its logical date as schedules
                                         name it, so a run that exists is reported, not started; --rerun
                                         starts the next attempt (<name>_a2 …) of each one not running; a
                                         run whose data interval has not ended is not due: not started
                                         exit 1 when a run's latest attempt failed and nothing started,
                                         or a run was not due
  status   <use-case>/<dag> [--limit N] [--account ID] [--build build] [--json]
                                         newest executions (N: 1-1000, default 10) and why each failed,
                                         whether the dag is paused, its next run and when it is due, the
                                         last run's checks and each table's age against its freshness SLA
           <use-case> [--account ID] [--build build] [--json]
                                         every dag of the use case on a line: its triggers, next fire,
                                         newest execution (and why it failed), that run's checks and the
                                         worst freshness of its tables
  checks   <use-case>/<dag> [--execution NAME] [--simulation [--scenario file.yaml]] [--build build] [--json]
                                         quality check results of the newest run (or NAME) from its run
                                         record; --simulation: of a local simulation of the build
                                         exit 1 when an error check of that run failed
  pause    <use-case>[/<dag>] [--build build] [--json]
                                         disable the dag's schedules and set the pause flag its upstreams'
                                         routing reads (notifications stay on); a use case: every dag of it;
                                         exit 1 when a trigger could not be changed
  resume   <use-case>[/<dag>] [--build build] [--json]
                                         enable them again; a use case: every dag of it but those its
                                         specs disable (enabled: false)
  logs     <use-case>/<dag> [--execution NAME] [--account ID] [--build build] [--json]
                                         the EMR Serverless job runs of an execution (default the newest):
                                         state, details, Spark UI and driver log links
  cancel   <use-case>/<dag> --execution NAME [--account ID] [--build build] [--json]
                                         stop the execution and cancel its active job runs
  retry    <use-case>/<dag> --execution NAME [--account ID] [--build build] [--json]
                                         redrive a FAILED, TIMED_OUT or ABORTED execution from the state
                                         that failed (RedriveExecution; same name, input and succeeded
                                         states); status shows its redrives
                                         exit 1 when it was not redriven (running, succeeded, too old)
  backfill <use-case>/<dag> --from D1 --to D2 [--reprocess none|failed|all] [--max-concurrency N]
           [--backwards] [--dry-run] [--detach] [--force] [--account ID] [--build build] [--json]
                                         every due run of the days D1..D2 (YYYY-MM-DD, inclusive: those
                                         whose data interval ended), named as the schedule names them;
                                         runs that already ran are skipped unless --reprocess failed|all
                                         (default none) starts their next attempt;
                                         at most N in flight (1-40, default 2), oldest first (--backwards:
                                         newest); waits for them, or --detach hands them to the backfill
                                         state machine; --dry-run lists each run's fate and the dags it
                                         starts downstream; over 366 days needs --force
                                         exit 1 when a run failed to start or failed
           <use-case>/<dag> --status [--limit N] [--account ID] [--build build] [--json]
                                         the N newest detached backfills of the dag (default 5, at most
                                         100): each run they were handed succeeded, failed (its error),
                                         running, pending or not started
  failures [--since 1d] [--use-case NAME]... [--account ID] [--build build] [--json]
                                         the dags whose executions failed, timed out or were aborted since
                                         --since (a duration or a date, default 1d), with the newest failure
                                         and why: CloudWatch's Step Functions metrics, then only the failing
                                         state machines are read, so thousands of dags take seconds; and the
                                         tables past their freshness SLA now (their alarms in ALARM)
                                         exit 1 when a dag failed or a table is past its error SLA
  doctor   [--build build] [--account ID] [--json]
                                         tables of the build where two systems would expire snapshots,
                                         delete orphan files or compact (lakestep maintenance and a Glue
                                         table optimizer), tables nothing expires, SLAs of disabled dags
                                         exit 1 on any finding
  plan     [specs] [--against DIR] [--cdk] [--out build] [--env NAME] [--json] [--cache-dir DIR] [--no-cache]
                                         what a deploy would change, per use case: --against DIR compares
                                         with the build folder of an earlier compile (state machines added,
                                         removed or changed and which states, rules and schedules, role
                                         access), offline; --cdk runs cdk diff of the build (written to
                                         --out) against the deployed stacks whose inputs changed, the
                                         stacks deploy would deploy (needs AWS credentials)
                                         exit 1 on compile errors or when cdk diff fails
  deploy   [specs] [--use-case NAME]... [--all] [--dry-run] [--concurrency N] [--out build] [--env NAME]
                                         compile, then cdk deploy into the platform's region (AWS credentials
                                         and the CDK bootstrap of that account and region are checked first:
                                         the cdk bootstrap command is printed when it is missing); only the
                                         stacks whose inputs changed since they were deployed (one line each
                                         says why), --all every stack, --use-case the named ones; --dry-run
                                         prints that plan and stops; --concurrency: stacks deployed at once
                                         (default 8, 1 to 50); quarantined use cases are left out and
                                         their stacks untouched, removed use cases' stacks are listed, not deleted;
                                         stops before cdk when the IAM roles or the CloudFormation stacks it adds
                                         would pass the account's quota
                                         exit 1 without credentials or bootstrap, past a quota, when cdk fails, or
                                         when a use case was quarantined (the healthy ones are still deployed)

AWS commands (run, status, checks, failures, doctor, backfill, pause, resume, logs, cancel, retry, deploy, plan --cdk, ui --from-aws) use the region of the build's platform;
without --account the state machine is looked up with ListStateMachines.

exit codes: 0 ok, 1 diagnostics or failed operation, 2 usage`;

type Command = (args: string[], io: Io) => Promise<number> | number;

/**
 * The options `validate` and `compile` share: `--cache-dir DIR` / `--no-cache` (the incremental cache,
 * src/cli/compile-cache.ts, which `graph`, `lineage` and `plan` compile through too) and `--all-warnings`
 * (src/cli/warnings.ts).
 */
const CACHE_OPTIONS = { 'cache-dir': { type: 'string' }, 'no-cache': { type: 'boolean', default: false } } as const;
const COMPILER_OPTIONS = { ...CACHE_OPTIONS, 'all-warnings': { type: 'boolean', default: false } } as const;

function cacheSetting(values: { 'cache-dir'?: string; 'no-cache'?: boolean }): string | false | undefined {
  if (values['no-cache']) return false;
  return values['cache-dir'];
}

/** `--use-case NAME` (repeatable) and `--max-executions N` of the commands that simulate a scenario. */
const SIMULATION_SCOPE = {
  'use-case': { type: 'string' as const, multiple: true as const, default: [] as string[] },
  'max-executions': { type: 'string' as const },
};

function simulationScope(values: { 'use-case': string[]; 'max-executions'?: string | undefined }): { useCases?: string[]; maxExecutions?: number } {
  const max = integer(values['max-executions'], '--max-executions');
  if (max !== undefined && (max < 1 || max > MAX_EXECUTIONS_CEILING)) {
    throw usage(`--max-executions must be from 1 to ${MAX_EXECUTIONS_CEILING.toLocaleString('en-US')} (a simulation keeps every execution in memory), got ${max}`);
  }
  return { ...(values['use-case'].length ? { useCases: values['use-case'] } : {}), ...(max === undefined ? {} : { maxExecutions: max }) };
}

const target = { build: { type: 'string', default: 'build' }, account: { type: 'string' }, json: { type: 'boolean', default: false } } as const;

// Each command imports its module with import() when it runs: the bundle keeps each in its own chunk, so
// a command loads only what it needs and --version loads none (test/cli/bundle.test.ts).
const COMMANDS: Record<string, Command> = {
  validate: async (args, io) => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { env: { type: 'string' }, watch: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, ...COMPILER_OPTIONS } });
    const { validateTargets } = await import('./targets.ts');
    const opts = { ...validateTargets(io.cwd, positionals), env: values.env, cache: cacheSetting(values), allWarnings: values['all-warnings'], json: values.json };
    if (values.watch) return (await import('./watch.ts')).watchValidate(io, opts);
    const { validateCommand } = await import('./commands.ts');
    return validateCommand(io, opts);
  },
  compile: async (args, io) => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string', default: 'build' }, strict: { type: 'boolean', default: false }, env: { type: 'string' }, watch: { type: 'boolean', default: false }, ...COMPILER_OPTIONS } });
    const opts = { specsDir: optionalFolder(positionals, 'specs'), outDir: values.out, strict: values.strict, env: values.env, cache: cacheSetting(values), allWarnings: values['all-warnings'] };
    if (values.watch) return (await import('./watch.ts')).watchCompile(io, opts);
    const { compileCommand } = await import('./commands.ts');
    return compileCommand(io, opts).code;
  },
  start: async (args, io) => {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string', default: 'build' }, scenario: { type: 'string' }, quiet: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false }, ...SIMULATION_SCOPE },
    });
    const { startCommand } = await import('./start.ts');
    return startCommand(io, {
      specsDir: optionalFolder(positionals, 'specs'),
      outDir: values.out,
      quiet: values.quiet,
      verbose: values.verbose,
      ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
      ...simulationScope(values),
    });
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
        ...SIMULATION_SCOPE,
      },
    });
    if (values.input !== undefined && values.start === undefined) throw usage('--input needs --start <use-case>/<dag>');
    if (values.start !== undefined && values['use-case'].length) throw usage('--use-case narrows a scenario\'s starts and schedules; --start runs one workflow already');
    const [{ readScenarioFile }, { runSimulation, singleStart }] = await Promise.all([import('./scenario.ts'), import('./simulation.ts')]);
    const file = values.scenario === undefined ? undefined : readScenarioFile(io.cwd, values.scenario);
    const scenario = values.start === undefined ? file : singleStart(file, values.start, values.input);
    return runSimulation(io, values.build, scenario, { quiet: values.quiet, json: values.json, ...simulationScope(values) });
  },
  graph: async (args, io) => {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { format: { type: 'string', default: 'mermaid' }, build: { type: 'string' }, tables: { type: 'boolean', default: false }, env: { type: 'string' }, ...CACHE_OPTIONS },
    });
    const specsDir = positionals.length ? optionalFolder(positionals, 'specs') : undefined;
    const { graphCommand } = await import('./graph.ts');
    return graphCommand(io, {
      format: values.format,
      tables: values.tables,
      cache: cacheSetting(values),
      ...(specsDir === undefined ? {} : { specsDir }),
      ...(values.build === undefined ? {} : { buildDir: values.build }),
      ...(values.env === undefined ? {} : { env: values.env }),
    });
  },
  lineage: async (args, io) => {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { depth: { type: 'string' }, json: { type: 'boolean', default: false }, build: { type: 'string' }, ...CACHE_OPTIONS },
    });
    const [table, ...rest] = positionals;
    if (table === undefined) throw usage('lineage needs a table: lakestep lineage <database>.<table> [specs]');
    const specsDir = rest.length ? optionalFolder(rest, 'specs') : undefined;
    const depth = integer(values.depth, '--depth');
    const { lineageCommand } = await import('./lineage.ts');
    return lineageCommand(io, {
      table,
      json: values.json,
      cache: cacheSetting(values),
      ...(specsDir === undefined ? {} : { specsDir }),
      ...(values.build === undefined ? {} : { buildDir: values.build }),
      ...(depth === undefined ? {} : { depth }),
    });
  },
  ui: async (args, io) => {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        build: { type: 'string', default: 'build' },
        out: { type: 'string' },
        simulation: { type: 'boolean', default: false },
        scenario: { type: 'string' },
        'from-aws': { type: 'boolean', default: false },
        since: { type: 'string' },
        account: { type: 'string' },
        ...SIMULATION_SCOPE,
      },
    });
    if (values.simulation && values['from-aws']) throw usage('--simulation and --from-aws exclude each other: choose where the runs come from');
    if (!values.simulation && values['max-executions'] !== undefined) throw usage('--max-executions goes with --simulation');
    const specsDir = positionals.length ? optionalFolder(positionals, 'specs') : undefined;
    const { uiCommand } = await import('./ui.ts');
    return uiCommand(io, {
      buildDir: values.build,
      runs: values.simulation ? 'simulation' : values['from-aws'] ? 'aws' : 'none',
      useCases: values['use-case'],
      maxExecutions: simulationScope(values).maxExecutions,
      ...(specsDir === undefined ? {} : { specsDir }),
      ...(values.out === undefined ? {} : { out: values.out }),
      ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
      ...(values.since === undefined ? {} : { since: values.since }),
      ...(values.account === undefined ? {} : { account: values.account }),
    });
  },
  run: async (args, io) => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { ...target, date: { type: 'string' }, rerun: { type: 'boolean', default: false } } });
    const { runCommand } = await import('./operate.ts');
    return runCommand(io, {
      ref: workflowRef(positionals, 'run'),
      buildDir: values.build,
      rerun: values.rerun,
      json: values.json,
      ...(values.account === undefined ? {} : { account: values.account }),
      ...(values.date === undefined ? {} : { date: values.date }),
    });
  },
  status: async (args, io) => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { ...target, limit: { type: 'string' } } });
    const limit = integer(values.limit, '--limit');
    if (!positionals[0]) throw usage('status needs a use case or a dag: lakestep status <use-case>[/<dag>] (what failed across the platform: lakestep failures)');
    const { statusCommand } = await import('./operate.ts');
    return statusCommand(io, {
      ref: workflowRef(positionals, 'status'),
      buildDir: values.build,
      json: values.json,
      ...(values.account === undefined ? {} : { account: values.account }),
      ...(limit === undefined ? {} : { limit }),
    });
  },
  backfill: async (args, io) => {
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
        status: { type: 'boolean', default: false },
        limit: { type: 'string' },
      },
    });
    const ref = workflowRef(positionals, 'backfill');
    if (values.status) {
      const others = (['from', 'to', 'reprocess', 'max-concurrency', 'backwards', 'dry-run', 'detach', 'force'] as const).filter((k) => values[k] !== undefined && values[k] !== false);
      if (others.length) throw usage(`--status lists the detached backfills; it takes no ${others.map((k) => `--${k}`).join(', ')}`);
      const limit = integer(values.limit, '--limit');
      const { backfillStatusCommand } = await import('./operate.ts');
      return backfillStatusCommand(io, { ref, buildDir: values.build, json: values.json, ...(values.account === undefined ? {} : { account: values.account }), ...(limit === undefined ? {} : { limit }) });
    }
    if (values.limit !== undefined) throw usage('--limit goes with --status');
    if (values.from === undefined || values.to === undefined) throw usage('backfill needs --from YYYY-MM-DD and --to YYYY-MM-DD (or --status: its detached backfills)');
    const maxConcurrency = integer(values['max-concurrency'], '--max-concurrency');
    if (values.reprocess !== undefined && !['none', 'failed', 'all'].includes(values.reprocess)) throw usage(`--reprocess must be none, failed or all, got "${values.reprocess}"`);
    if (values.detach && values['dry-run']) throw usage('--detach and --dry-run exclude each other');
    const { backfillCommand } = await import('./operate.ts');
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
  checks: async (args, io) => (await import('./quality.ts')).checksCli(args, io),
  pause: (args, io) => pauseOrResume(args, io, 'pause'),
  resume: (args, io) => pauseOrResume(args, io, 'resume'),
  logs: async (args, io) => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { ...target, execution: { type: 'string' } } });
    const { logsCommand } = await import('./operator.ts');
    return logsCommand(io, { ref: workflowRef(positionals, 'logs'), buildDir: values.build, json: values.json, ...optional(values) });
  },
  cancel: async (args, io) => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { ...target, execution: { type: 'string' } } });
    const ref = workflowRef(positionals, 'cancel');
    if (values.execution === undefined) throw usage('cancel needs --execution NAME (lakestep status lists them)');
    const { cancelCommand } = await import('./operator.ts');
    return cancelCommand(io, { ref, buildDir: values.build, json: values.json, ...optional(values), execution: values.execution });
  },
  doctor: async (args, io) => (await import('./doctor.ts')).doctorCli(args, io),
  failures: async (args, io) => (await import('./failures.ts')).failuresCli(args, io),
  retry: async (args, io) => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { ...target, execution: { type: 'string' } } });
    const ref = workflowRef(positionals, 'retry');
    if (values.execution === undefined) throw usage('retry needs --execution NAME (lakestep status lists them)');
    const { retryCommand } = await import('./operator.ts');
    return retryCommand(io, { ref, buildDir: values.build, json: values.json, ...optional(values), execution: values.execution });
  },
  plan: async (args, io) => {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { against: { type: 'string' }, cdk: { type: 'boolean', default: false }, out: { type: 'string', default: 'build' }, env: { type: 'string' }, json: { type: 'boolean', default: false }, ...CACHE_OPTIONS },
    });
    const { planCommand } = await import('./plan.ts');
    return planCommand(io, {
      specsDir: optionalFolder(positionals, 'specs'),
      cdk: values.cdk,
      outDir: values.out,
      json: values.json,
      cache: cacheSetting(values),
      ...(values.against === undefined ? {} : { against: values.against }),
      ...(values.env === undefined ? {} : { env: values.env }),
    });
  },
  deploy: async (args, io) => {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string', default: 'build' },
        'use-case': { type: 'string', multiple: true, default: [] },
        env: { type: 'string' },
        all: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        concurrency: { type: 'string' },
      },
    });
    const concurrency = integer(values.concurrency, '--concurrency');
    const { deployCommand } = await import('./operate.ts');
    return deployCommand(io, {
      specsDir: optionalFolder(positionals, 'specs'),
      outDir: values.out,
      useCases: values['use-case'],
      all: values.all,
      dryRun: values['dry-run'],
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(values.env === undefined ? {} : { env: values.env }),
    });
  },
};

/** The commands `cli` knows, in usage order (the README documents each: test/docs/cli-help.test.ts). */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

async function pauseOrResume(args: string[], io: Io, action: 'pause' | 'resume'): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { build: target.build, json: target.json } });
  if (!positionals[0]) throw usage(`${action} needs a use case or a dag: lakestep ${action} <use-case>[/<dag>]`);
  const { pauseCommand } = await import('./operator.ts');
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
    // The code's digest beside the version, which stays the same from one commit of a checkout to the next.
    io.out(`lakestep ${lakestepVersion()} (code ${codeId('compiler').slice(0, 12)})`);
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
