/**
 * The golden cases: every folder `test/golden/<case>/` holds `specs/` (the input
 * tree) and `expected/`, which is what `lakestep compile` produces for it:
 *
 * - the build artifacts (`manifest.json`, `report.json`, `<use-case>/*.asl.json`, …)
 *   whenever at least one use case compiled, JSON indented for review;
 * - `diagnostics.txt` whenever anything was reported: the printed diagnostics
 *   (paths relative to the case's `specs/`, source line and caret) followed by
 *   the exit code.

 * A case with an `argv` file (one argument a line; `{out}` is a fresh folder
 * outside the case) runs that command instead, after a compile into `{out}`
 * unless the command is `compile` itself, and keeps `stdout.txt` (what it
 * printed) and `diagnostics.txt` (stderr and the exit code), plus the build
 * of a `compile`. A case with a `before/` specs tree has it compiled first into
 * a fresh folder the argv names `{before}` (a build to compare with). The files
 * of the case must come out of it unchanged.
 *
 * A case with an `argv` but no `specs/` runs in the example platform's folder
 * (the repository's `specs/`), so what the commands print for the example is
 * pinned too and `npm run golden` regenerates it with the rest.
 *
 * Shared by `golden.test.ts` (compares) and `regenerate.ts` (rewrites).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '../../src/cli/main.ts';
import { BUILD_MARKER } from '../../src/cli/build-dir.ts';
import type { Io } from '../../src/cli/io.ts';

export const GOLDEN_DIR = fileURLToPath(new URL('.', import.meta.url));

/** The example platform: the specs of a case that has none. */
export const EXAMPLE_SPECS = fileURLToPath(new URL('../../specs', import.meta.url));

const isDir = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

const folders = (): string[] => readdirSync(GOLDEN_DIR).filter((name) => isDir(join(GOLDEN_DIR, name)));

/** Names of the cases with specs of their own, sorted: every folder here that has a `specs/`. */
export function caseNames(): string[] {
  return folders()
    .filter((name) => isDir(join(GOLDEN_DIR, name, 'specs')))
    .sort();
}

/** Every case, sorted: those of {@link caseNames} and those that run an `argv` on the example platform. */
export function allCaseNames(): string[] {
  return folders()
    .filter((name) => isDir(join(GOLDEN_DIR, name, 'specs')) || existsSync(join(GOLDEN_DIR, name, 'argv')))
    .sort();
}

/** Where a case runs: its `specs/`, else the example platform. */
function specsOf(name: string): string {
  const own = join(GOLDEN_DIR, name, 'specs');
  return isDir(own) ? own : EXAMPLE_SPECS;
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

/** The command of a case: its `argv` file, or `compile . --out {out}`. */
function argvOf(name: string, out: string, before: string): { argv: string[]; custom: boolean } {
  const file = join(GOLDEN_DIR, name, 'argv');
  if (!existsSync(file)) return { argv: ['compile', '.', '--out', out], custom: false };
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  return { argv: lines.map((l) => l.replaceAll('{out}', out).replaceAll('{before}', before)), custom: true };
}

/** Runs the case's command (by default `lakestep compile . --out <tmp>`) inside its `specs/` and collects what it produced. */
export async function runCase(name: string): Promise<CaseRun> {
  const specsDir = specsOf(name);
  const out = mkdtempSync(join(tmpdir(), `lakestep-golden-${name}-`));
  const buildDir = join(out, 'build');
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = { out: (t) => void stdout.push(t), err: (t) => void stderr.push(t), cwd: specsDir, env: {}, tty: false };
  const beforeDir = join(out, 'before');
  const { argv, custom } = argvOf(name, buildDir, beforeDir);
  if (existsSync(join(GOLDEN_DIR, name, 'before'))) {
    await cli(['compile', '.', '--out', beforeDir], { ...io, cwd: join(GOLDEN_DIR, name, 'before'), out: () => {}, err: () => {} });
  }
  // Everything of the case but expected/: the specs and any folder an argv points --out at.
  const example = () => (specsDir === EXAMPLE_SPECS ? [...readTree(EXAMPLE_SPECS)].map(([p, c]) => [`<example>/${p}`, c] as const) : []);
  const inputs = () => new Map([...[...readTree(join(GOLDEN_DIR, name))].filter(([p]) => !p.startsWith('expected/')), ...example()]);
  const specsBefore = custom ? inputs() : new Map<string, string>();
  try {
    if (custom && argv[0] !== 'compile') {
      await cli(['compile', '.', '--out', buildDir], { ...io, out: () => {}, err: () => {} });
      stdout.length = 0;
    }
    const exitCode = await cli(argv, io);
    const build = custom && argv[0] !== 'compile' ? new Map<string, string>() : readTree(buildDir);
    const manifest = JSON.parse(build.get('manifest.json') ?? '{"useCases":[]}') as { useCases: unknown[] };
    const files = new Map<string, string>();
    // The build marker lists the files below: pinning them once is enough.
    if (manifest.useCases.length > 0) for (const [p, c] of build) if (p !== BUILD_MARKER) files.set(p, reviewable(p, c));
    // Paths of this machine become placeholders, so refusals that name a folder stay comparable.
    const local = (t: string) => t.replaceAll(out, '<out>').replaceAll(specsDir, '<specs>').replaceAll(join(GOLDEN_DIR, name), '<case>');
    const printed = local(stderr.join('\n').trimEnd());
    if (custom && stdout.length > 0) files.set('stdout.txt', `${local(stdout.join('\n').trimEnd())}\n`);
    if (printed !== '' || exitCode !== 0 || custom) files.set('diagnostics.txt', `${printed}\n\nexit code ${exitCode}\n`);
    const specsAfter = custom ? inputs() : specsBefore;
    if ([...specsBefore].some(([p, c]) => specsAfter.get(p) !== c) || specsAfter.size !== specsBefore.size) throw new Error(`${name}: the command changed the files of the case`);
    return { files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))), exitCode };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * The build writes compact JSON (machines read it); `expected/` keeps it indented so a diff
 * shows what changed. The rendering is exact: parsing either gives the same value.
 */
function reviewable(path: string, content: string): string {
  return path.endsWith('.json') ? `${JSON.stringify(JSON.parse(content), null, 2)}\n` : content;
}

export function expectedDir(name: string): string {
  return join(GOLDEN_DIR, name, 'expected');
}
