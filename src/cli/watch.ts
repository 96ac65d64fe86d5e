/**
 * `lakestep validate --watch` and `lakestep compile --watch`: validate (compile), then again on every change
 * under the specs folder, in the same process — no start-up, warm code, the incremental cache
 * (src/cli/compile-cache.ts) deciding what is checked again, and for compile the build writer rewriting only
 * the files that changed — until interrupted (Ctrl-C, or `io.signal` in tests). Changes arriving together (an
 * editor's save, a `git checkout`) are checked once, {@link QUIET_MS} after the last. A run prints a header
 * naming what changed, then what the command prints (validate: the diagnostics and its closing line, the file
 * list only the first time; with `--json` one JSON document per run on its own line of stdout, which an
 * editor reads as they come). A change that makes the folder unreadable (deleted, moved) is reported and the
 * watch goes on.
 *
 * Watching is chokidar's: Node 20's own recursive `fs.watch` on Linux loses a file an editor saves by
 * writing a new file and renaming it over the old one (vim, `sed -i`, most IDEs), reporting the first save
 * only; chokidar watches folders and reports such a save as one change. Links are not followed, as the
 * spec reader follows none out of the tree (src/cli/spec-reader.ts).
 * @see https://github.com/paulmillr/chokidar
 */
import { relative, resolve, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { escapeForTerminal } from '../diagnostics.ts';
import { compileCommand, validateCommand, warmSession, type CompileCommandOptions, type CompilerOptions } from './commands.ts';
import type { Io } from './io.ts';
import { SPEC_FILE } from './spec-reader.ts';

/** How long the tree must stay unchanged before it is checked again. */
export const QUIET_MS = 80;

/** The folder to watch and how to validate it (the options of {@link validateCommand}). */
export type WatchOptions = CompilerOptions & { only?: readonly string[]; json?: boolean };

/** Validates `opts.specsDir` now and on every change until interrupted; resolves with the last run's exit code. */
export function watchValidate(io: Io, opts: WatchOptions): Promise<number> {
  // With --json, stdout carries one document per run and nothing else: the watch's own lines go to stderr.
  const session = warmSession();
  return watchSpecs(io, opts.specsDir, 'validate', opts.json ? io.err : io.out, (first) => validateCommand(io, { ...opts, session, ...(first && !opts.json ? {} : { listFiles: false }) }));
}

/** Compiles `opts.specsDir` into `opts.outDir` now and on every change (rewriting only what changed) until interrupted. */
export function watchCompile(io: Io, opts: CompileCommandOptions): Promise<number> {
  const session = warmSession();
  return watchSpecs(io, opts.specsDir, 'compile', io.out, () => compileCommand(io, { ...opts, session }).code);
}

/**
 * Runs `check` now (`first`) and again {@link QUIET_MS} after the last of each burst of changes under
 * `specsDir`, until interrupted; resolves with the last run's exit code. `say` prints the watch's own lines.
 */
function watchSpecs(io: Io, specsDir: string, command: 'validate' | 'compile', say: (text: string) => void, check: (first: boolean) => number): Promise<number> {
  const [doing, did] = command === 'validate' ? ['validating', 'validated'] : ['compiling', 'compiled'];
  let code = check(true);
  const dir = resolve(io.cwd, specsDir);
  return new Promise((done) => {
    const changed = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher | undefined;
    const stop = () => {
      if (timer) clearTimeout(timer);
      void watcher?.close();
      process.off('SIGINT', stop);
      io.signal?.removeEventListener('abort', stop);
      done(code);
    };
    const run = () => {
      timer = undefined;
      const names = [...changed].sort();
      changed.clear();
      const what = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
      say(`\n[${clock(io)}] ${escapeForTerminal(what)} changed: ${doing} again`);
      const start = performance.now();
      try {
        code = check(false);
      } catch (e) {
        // The folder gone or emptied mid-edit, a build folder in the way: said, and watched on.
        io.err(`lakestep ${command}: ${(e as Error).message}`);
        code = 2;
      }
      say(`[${clock(io)}] ${did} in ${Math.round(performance.now() - start)} ms; watching ${specsDir} (Ctrl-C to stop)`);
    };
    const seen = (path: string) => {
      changed.add(relative(dir, path).split(sep).join('/') || '.');
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, QUIET_MS);
    };
    // Files the reader never reads (an editor's swap and temporary files) change nothing.
    const ignored = (path: string, stats?: { isFile(): boolean }) => stats?.isFile() === true && !SPEC_FILE.test(path);
    watcher = watch(dir, { ignoreInitial: true, followSymlinks: false, atomic: true, ignored })
      .on('all', (_event, path) => seen(path))
      .on('error', (e) => {
        io.err(`lakestep ${command}: stopped watching ${specsDir}: ${(e as Error).message}${(e as NodeJS.ErrnoException).code === 'ENOSPC' ? ' (the system allows no more watched folders: raise fs.inotify.max_user_watches)' : ''}`);
        stop();
      });
    process.once('SIGINT', stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener('abort', stop, { once: true });
    watcher.on('ready', () => say(`\n[${clock(io)}] watching ${specsDir} (Ctrl-C to stop)`));
  });
}

/** The time of day, as a watch prints it beside each run. */
function clock(io: Io): string {
  return (io.now?.() ?? new Date()).toTimeString().slice(0, 8);
}
