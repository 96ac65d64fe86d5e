/**
 * `lakestep validate --watch`: validates, then again on every change under the specs folder, in the same
 * process — no start-up, warm code, the incremental cache (src/cli/compile-cache.ts) deciding what is checked
 * again — until interrupted (Ctrl-C, or `io.signal` in tests). Changes arriving together (an editor's save,
 * a `git checkout`) are checked once, {@link QUIET_MS} after the last. A run prints a header naming what
 * changed, the diagnostics as `validate` prints them and its closing line; the file list only the first time.
 * With `--json`, one JSON document per run on its own line of stdout (an editor reads them as they come).
 * A change that makes the folder unreadable (deleted, moved) is reported and the watch goes on.
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
import { validateCommand, type CompilerOptions } from './commands.ts';
import type { Io } from './io.ts';

/** The files the spec reader reads (src/cli/spec-reader.ts). */
const SPEC_FILE = /\.(ya?ml|sql)$/;
/** How long the tree must stay unchanged before it is checked again. */
export const QUIET_MS = 80;

/** The folder to watch and how to validate it (the options of {@link validateCommand}). */
export type WatchOptions = CompilerOptions & { only?: readonly string[]; json?: boolean };

/** Validates `opts.specsDir` now and on every change until interrupted; resolves with the last run's exit code. */
export function watchValidate(io: Io, opts: WatchOptions): Promise<number> {
  let code = validateCommand(io, { ...opts, ...(opts.json ? { listFiles: false } : {}) });
  const dir = resolve(io.cwd, opts.specsDir);
  // With --json, stdout carries one document per run and nothing else: the watch's own lines go to stderr.
  const say = (text: string) => (opts.json ? io.err(text) : io.out(text));
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
      say(`\n[${clock(io)}] ${escapeForTerminal(what)} changed: validating again`);
      const start = performance.now();
      try {
        code = validateCommand(io, { ...opts, listFiles: false });
      } catch (e) {
        // The folder gone or emptied mid-edit: said, and watched on.
        io.err(`lakestep validate: ${(e as Error).message}`);
        code = 2;
      }
      say(`[${clock(io)}] validated in ${Math.round(performance.now() - start)} ms; watching ${opts.specsDir} (Ctrl-C to stop)`);
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
        io.err(`lakestep validate: stopped watching ${opts.specsDir}: ${(e as Error).message}${(e as NodeJS.ErrnoException).code === 'ENOSPC' ? ' (the system allows no more watched folders: raise fs.inotify.max_user_watches)' : ''}`);
        stop();
      });
    process.once('SIGINT', stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener('abort', stop, { once: true });
    watcher.on('ready', () => say(`\n[${clock(io)}] watching ${opts.specsDir} (Ctrl-C to stop)`));
  });
}

/** The time of day, as a watch prints it beside each run. */
function clock(io: Io): string {
  return (io.now?.() ?? new Date()).toTimeString().slice(0, 8);
}
