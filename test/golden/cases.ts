/**
 * The golden cases: every folder `test/golden/<case>/` holds `specs/` (the input
 * tree) and `expected/`, which is what `lakestep compile` produces for it:
 *
 * - the build artifacts (`manifest.json`, `report.json`, `<use-case>/*.asl.json`, …)
 *   whenever at least one use case compiled;
 * - `diagnostics.txt` whenever anything was reported: the printed diagnostics
 *   (paths relative to the case's `specs/`, source line and caret) followed by
 *   the exit code.
 *
 * Shared by `golden.test.ts` (compares) and `regenerate.ts` (rewrites).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '../../src/cli/main.ts';
import { BUILD_MARKER } from '../../src/cli/build-dir.ts';
import type { Io } from '../../src/cli/io.ts';

export const GOLDEN_DIR = fileURLToPath(new URL('.', import.meta.url));

/** Case folder names, sorted: every folder here that has a `specs/`. */
export function caseNames(): string[] {
  return readdirSync(GOLDEN_DIR)
    .filter((name) => statSync(join(GOLDEN_DIR, name)).isDirectory())
    .filter((name) => statSync(join(GOLDEN_DIR, name, 'specs'), { throwIfNoEntry: false })?.isDirectory())
    .sort();
}

/** Every file under `dir`, path (relative, `/`-separated) → content. Empty when `dir` is missing. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p).split(sep).join('/'), readFileSync(p, 'utf8'));
    }
  };
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) walk(dir);
  return files;
}

export interface CaseRun {
  /** What `expected/` should hold, path → content, sorted by path. */
  files: Map<string, string>;
  exitCode: number;
}

/** Runs `lakestep compile . --out <tmp>` inside the case's `specs/` and collects what it produced. */
export async function runCase(name: string): Promise<CaseRun> {
  const specsDir = join(GOLDEN_DIR, name, 'specs');
  const out = mkdtempSync(join(tmpdir(), `lakestep-golden-${name}-`));
  const buildDir = join(out, 'build');
  const stderr: string[] = [];
  const io: Io = { out: () => {}, err: (t) => void stderr.push(t), cwd: specsDir, env: {}, tty: false };
  try {
    const exitCode = await cli(['compile', '.', '--out', buildDir], io);
    const build = readTree(buildDir);
    const manifest = JSON.parse(build.get('manifest.json') ?? '{"useCases":[]}') as { useCases: unknown[] };
    const files = new Map<string, string>();
    // The build marker lists the files below: pinning them once is enough.
    if (manifest.useCases.length > 0) for (const [p, c] of build) if (p !== BUILD_MARKER) files.set(p, c);
    const printed = stderr.join('\n').trimEnd();
    if (printed !== '' || exitCode !== 0) files.set('diagnostics.txt', `${printed}\n\nexit code ${exitCode}\n`);
    return { files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))), exitCode };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export function expectedDir(name: string): string {
  return join(GOLDEN_DIR, name, 'expected');
}
