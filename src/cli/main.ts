/**
 * `lakestep <command>`: a thin layer over the library. `cli(argv, io)` returns
 * the exit code: 0 ok, 1 diagnostics or failed operation, 2 usage.
 */
import { parseArgs } from 'node:util';
import { compileCommand, EXIT, validateCommand } from './commands.ts';
import { processIo, type Io } from './io.ts';

const USAGE = `usage: lakestep <command> [options]

commands:
  validate [specs]                       check every spec file; exit 1 on errors
  compile  [specs] [--out build] [--strict]
                                         compile healthy use cases to build/; exit 1 if any is quarantined
  start    [specs] [--out build]         compile, then run the platform in the local simulator
  graph    [specs] [--format mermaid|dot]
  simulate [--build build] [--scenario file.yaml] [--json]
  run      <use-case>/<dag> [--date D] [--rerun]
  status   <use-case>/<dag> [--limit N] [--json]
  backfill <use-case>/<dag> --from D1 --to D2 [--concurrency N] [--dry-run]
  deploy   [specs] [--use-case NAME]...  compile, then cdk deploy (needs AWS credentials)

exit codes: 0 ok, 1 diagnostics or failed operation, 2 usage`;

type Command = (args: string[], io: Io) => Promise<number> | number;

const COMMANDS: Record<string, Command> = {
  validate: (args, io) => {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    return validateCommand(io, positionals[0] ?? 'specs');
  },
  compile: (args, io) => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string', default: 'build' }, strict: { type: 'boolean', default: false } } });
    return compileCommand(io, positionals[0] ?? 'specs', values.out, values.strict).code;
  },
  start: (args, io) => {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string', default: 'build' } } });
    return compileCommand(io, positionals[0] ?? 'specs', values.out, false).code;
  },
};

export async function cli(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`lakestep: unknown command '${name}'\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    const err = e as Error & { code?: string; exitCode?: number };
    if (err.code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`lakestep ${name}: ${err.message}\n\n${USAGE}`);
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
