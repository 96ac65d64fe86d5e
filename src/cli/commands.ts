/** validate / compile / start: the compiler commands. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, plainUsage } from './args.ts';
import { targeted } from './targets.ts';
import { ENV_NAME, overlayEnvironment, overlayPath } from '../spec/environment.ts';
import { compileStream, type OutputFile, type StreamResult } from '../compile.ts';
import { BuildWriter } from './build-dir.ts';
import { DiskCache, WarmCache, defaultCacheDir } from './compile-cache.ts';
import { codeId } from './code-id.ts';
import { lakestepVersion, type Io } from './io.ts';
import { readSpecTree, type SpecTreeMemo } from './spec-reader.ts';
import { SpillFile } from './spill.ts';
import type { Manifest } from '../build/types.ts';
import type { WorkflowSummary } from '../compile/cache.ts';
import { MANIFEST_INDEX, readManifest, readManifestDir } from '../build/manifest-files.ts';
import { displayPath, githubAnnotations, printDiagnostics, table } from './print.ts';
import { escapeForTerminal, type Diagnostic } from '../diagnostics.ts';
import { hiddenWarningsLine, selectDiagnostics, WARNING_LIMIT } from './warnings.ts';
import { kindLabel } from './report.ts';

export { EXIT };

/** Where the incremental cache lives, or `false` for none (`--no-cache`). */
export type CacheSetting = string | false | undefined;

/**
 * Reads the specs folder; a folder that is missing, a file, or holds no spec is a one-line usage error,
 * and so is an `--env` without its overlay `platform.<env>.yaml`.
 */
function readSpecs(io: Io, specsDir: string, env?: string, memo?: SpecTreeMemo): ReturnType<typeof readSpecTree> {
  const dir = resolve(io.cwd, specsDir);
  if (!existsSync(dir)) throw plainUsage(`specs folder ${specsDir} does not exist`);
  if (!statSync(dir).isDirectory()) throw plainUsage(`${specsDir} is a file; give the folder that holds the use-case folders (e.g. specs)`);
  const tree = readSpecTree(dir, memo);
  const sources = tree.files;
  if (!sources.some((f) => /\.ya?ml$/.test(f.path))) {
    throw plainUsage(`no spec files in ${specsDir}: a use case is a folder with an orchestration.yaml, e.g. ${specsDir.replace(/\/+$/, '')}/orders/orchestration.yaml`);
  }
  if (sources.some((f) => f.path === 'orchestration.yaml')) {
    throw plainUsage(`${specsDir} holds an orchestration.yaml itself: it looks like one use case; give the folder above it`);
  }
  if (env !== undefined) checkEnvironment(env, specsDir, sources.map((f) => f.path));
  return tree;
}

/**
 * What `graph`, `lineage` and `plan` read of a compile of the specs folder, made as `compile` makes it — through
 * the incremental cache, streamed — but into no build folder: each generated file goes to `keep`, which holds
 * only what its command needs. After a change to one use case of a large platform (or none), the command takes
 * about what a `compile` would, not a full compile in memory.
 */
export interface CompiledView {
  result: StreamResult;
  /** The whole manifest, stitched from its index and parts (src/build/manifest-files.ts). */
  manifest: Manifest;
}

export function compileView(io: Io, opts: Pick<CompilerOptions, 'specsDir' | 'env' | 'cache'>, keep: (f: OutputFile) => void = () => {}): CompiledView {
  const { specsDir, env } = opts;
  const specs = readSpecs(io, specsDir, env);
  const parts = new Map<string, string>();
  const result = streamCompile(specs, env, cacheFor(io, specsDir, env, opts.cache), (f) => {
    if (f.path === MANIFEST_INDEX || /^[^/]+\/manifest\.json$/.test(f.path)) parts.set(f.path, f.text());
    keep(f);
  });
  return { result, manifest: readManifest((p) => parts.get(p)) };
}

/**
 * What a long-running command (`--watch`) keeps from one run to the next: the spec files it read, by their
 * stamps (src/cli/spec-reader.ts), and the incremental cache's entries in memory ({@link WarmCache}).
 */
export interface WarmSession {
  tree: SpecTreeMemo;
  caches: Map<string, WarmCache>;
}

export function warmSession(): WarmSession {
  return { tree: new Map(), caches: new Map() };
}

function cacheFor(io: Io, specsDir: string, env: string | undefined, setting: CacheSetting, session?: WarmSession): DiskCache | undefined {
  if (setting === false) return undefined;
  const dir = setting === undefined ? defaultCacheDir(resolve(io.cwd, specsDir), env) : resolve(io.cwd, setting);
  if (!session) return new DiskCache(dir);
  let warm = session.caches.get(dir);
  if (!warm) session.caches.set(dir, (warm = new WarmCache(dir)));
  return warm;
}

/** Compiles the specs read by {@link readSpecs} through the incremental cache `c`, handing each file to `emit`. */
function streamCompile(specs: ReturnType<typeof readSpecs>, env: string | undefined, c: DiskCache | undefined, emit: Parameters<typeof compileStream>[1]['emit']): StreamResult {
  const { files: sources, skipped } = specs;
  return compileStream(sources, { lakestepVersion: lakestepVersion(), skipped, ...(env === undefined ? {} : { env }), ...(c ? { cache: c, codeId: codeId('compiler') } : {}), emit });
}

/**
 * Prints the run's diagnostics on stderr (src/cli/warnings.ts: past {@link WARNING_LIMIT} warnings, the ones not
 * seen yet and a count of the others, which `where` tells where to read); the cache remembers what was reported.
 */
function printRunDiagnostics(io: Io, result: StreamResult, specsDir: string, c: DiskCache | undefined, allWarnings: boolean, where: string, around: Around): void {
  if (result.diagnostics.length === 0) return;
  const reported = c?.readReported();
  const selection = selectDiagnostics(result, reported, allWarnings);
  c?.writeReported(selection.keys, reported);
  printShown(io, selection.shown, result, specsDir, around, hiddenWarningsLine(selection, where));
}

/** What separates the diagnostics from the lines printed before and after them. */
type Around = { before: string; after: string };
const VALIDATE_AROUND: Around = { before: '\n', after: '' };
const COMPILE_AROUND: Around = { before: '', after: '\n' };

/**
 * Prints `shown` with their source lines on stderr, then `tail`; in a GitHub Actions run (GITHUB_ACTIONS=true)
 * also as workflow commands on stdout, which the run shows as annotations on the pull request's lines.
 */
function printShown(io: Io, shown: readonly Diagnostic[], result: StreamResult, specsDir: string, around: Around, tail = ''): void {
  const text = [printDiagnostics(shown, result.sources, specsDir), tail].filter((t) => t !== '').join('\n');
  if (text !== '') io.err(around.before + text + around.after);
  if (io.env.GITHUB_ACTIONS === 'true' && shown.length) io.out(githubAnnotations(shown, specsDir, io.cwd, io.env.GITHUB_WORKSPACE ?? io.cwd));
}

/** `--env <name>`: a valid name whose overlay `platform.<name>.yaml` is in the specs folder. */
function checkEnvironment(env: string, specsDir: string, paths: string[]): void {
  if (!ENV_NAME.test(env)) throw plainUsage(`--env ${JSON.stringify(env)} is not an environment name (lowercase letters, digits and '-', starting with a letter, at most 16)`);
  const known = paths.map(overlayEnvironment).filter((e): e is string => e !== undefined).sort();
  if (!known.includes(env)) {
    throw plainUsage(`--env ${env}: ${displayPath(specsDir, overlayPath(env))} does not exist (environments in ${specsDir}: ${known.length ? known.join(', ') : 'none; an environment is a platform.<env>.yaml next to platform.yaml'})`);
  }
}

/** An `--out` that exists and is not a folder is a usage error, before anything is compiled. */
function checkOut(io: Io, outDir: string): void {
  const out = resolve(io.cwd, outDir);
  if (existsSync(out) && !statSync(out).isDirectory()) throw plainUsage(`--out ${outDir} is a file; give a folder for the build`);
}

export interface CompilerOptions {
  specsDir: string;
  env?: string | undefined;
  cache?: CacheSetting;
  /** `--all-warnings`: print every warning however many there are (src/cli/warnings.ts). */
  allWarnings?: boolean;
  /** Kept across the runs of a `--watch` ({@link warmSession}). */
  session?: WarmSession;
}

type FileCounts = { errors: number; warnings: number };
type FileLine = ([file, counts]: [string, FileCounts]) => string;

/**
 * A file's ✓/✘ line. Its name is the tree's, not the user's: its controls escaped (a newline would start a
 * line of its own, a workflow command in a GitHub Actions log, an escape sequence would act on the terminal).
 */
function fileLine(specsDir: string): FileLine {
  return ([f, c]) => `${c.errors ? '✘' : '✓'} ${escapeForTerminal(displayPath(specsDir, f))}${c.errors ? `  ${c.errors} error(s)` : ''}${c.warnings ? `  ${c.warnings} warning(s)` : ''}`;
}

/**
 * `lakestep validate [specs | file...]`: per-file ✓/✘, then the diagnostics (src/cli/warnings.ts). Given files
 * or use-case folders (`only`, src/cli/targets.ts), the whole tree is checked as always, but only those files
 * are listed with their warnings ({@link validateFiles}). `listFiles: false` (a run of `--watch` after the
 * first) prints the diagnostics and the closing line only. `json` prints a {@link ValidateReport} instead,
 * every diagnostic in it (on one line in a run of `--watch`: one document per line).
 */
export function validateCommand(io: Io, opts: CompilerOptions & { only?: readonly string[]; listFiles?: boolean; json?: boolean }): number {
  const { specsDir, env, only } = opts;
  const c = cacheFor(io, specsDir, env, opts.cache, opts.session);
  const result = streamCompile(readSpecs(io, specsDir, env, opts.session?.tree), env, c, () => {});
  const byFile = new Map<string, FileCounts>();
  for (const path of [...result.sources.keys()].sort()) byFile.set(path, { errors: 0, warnings: 0 });
  for (const d of result.diagnostics) {
    const e = byFile.get(d.file) ?? { errors: 0, warnings: 0 };
    if (d.severity === 'error') e.errors++;
    else e.warnings++;
    byFile.set(d.file, e);
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (only) {
    checkTargets(specsDir, only, result);
    // The files asked for, their diagnostics, and every error of the tree.
    const asked = [...byFile].filter(([f]) => targeted(only, f));
    const shown = result.diagnostics.filter((d) => d.severity === 'error' || targeted(only, d.file));
    if (opts.json) printJson(io, opts, asked, shown, byFile.size, errors);
    else validateFiles(io, { ...opts, only }, asked, shown, result, byFile.size);
  } else if (opts.json) printJson(io, opts, [...byFile], result.diagnostics, byFile.size, errors);
  else {
    if (opts.listFiles !== false) io.out(fileList([...byFile], fileLine(specsDir)));
    printRunDiagnostics(io, result, specsDir, c, opts.allWarnings === true, 'lakestep validate --all-warnings prints every one', VALIDATE_AROUND);
    io.out(`\n${byFile.size} files, ${errors} error(s), ${result.diagnostics.length - errors} warning(s)`);
  }
  return errors ? EXIT.diagnostics : EXIT.ok;
}

/** `validate --json`: a {@link ValidateReport} of `files` and `diagnostics`, on one line in a run of `--watch`. */
function printJson(io: Io, opts: { specsDir: string; listFiles?: boolean }, files: [string, FileCounts][], diagnostics: readonly Diagnostic[], treeFiles: number, errors: number): void {
  const report: ValidateReport = {
    version: 1,
    specsDir: opts.specsDir,
    files: files.map(([file, c]) => ({ file, path: displayPath(opts.specsDir, file), ...c })),
    diagnostics: diagnostics.map((d) => ({ ...d, path: displayPath(opts.specsDir, d.file) })),
    summary: { files: files.length, treeFiles, errors, warnings: diagnostics.filter((d) => d.severity === 'warning').length },
  };
  io.out(opts.listFiles === false ? JSON.stringify(report) : JSON.stringify(report, null, 2));
}

/** Every file up to {@link LIST_LIMIT}; past it every file with errors, then files with warnings while the list is short, then a count of the rest. */
function fileList(files: [string, FileCounts][], line: FileLine): string {
  if (files.length <= LIST_LIMIT) return files.map(line).join('\n');
  const failing = files.filter(([, c]) => c.errors > 0);
  const warned = files.filter(([, c]) => c.errors === 0 && c.warnings > 0).slice(0, Math.max(0, LIST_LIMIT - failing.length));
  const listed = [...failing, ...warned];
  return [...listed.map(line), andMore(listed.length, files.length - listed.length, 'file(s) without errors')].filter((l) => l !== '').join('\n');
}

/** Every target is a file the reader read, or a folder holding one: a link it left out has a diagnostic at its path, but is no spec file. */
function checkTargets(specsDir: string, only: readonly string[], result: StreamResult): void {
  const paths = [...result.sources.keys()];
  const missing = only.find((t) => !paths.some((p) => targeted([t], p)));
  if (missing !== undefined) throw plainUsage(escapeForTerminal(`${displayPath(specsDir, missing)} is no spec file of ${specsDir} (lakestep reads the .yaml files of a use case's folder, its .sql files and platform*.yaml)`));
}

/** What `validate --json` prints: the files (those asked for, or the tree's) and their diagnostics, every one. */
export interface ValidateReport {
  version: 1;
  /** The specs folder, as the command was given it (or found it from the files). */
  specsDir: string;
  /** `file`: the path in the specs folder, as diagnostics name it; `path`: from the current directory. */
  files: { file: string; path: string; errors: number; warnings: number }[];
  /** Of the files listed, and every error of the tree; `path` as in `files`. */
  diagnostics: (Diagnostic & { path: string })[];
  /** `files`: how many are listed; `treeFiles`: how many the tree holds; `errors`: of the whole tree. */
  summary: { files: number; treeFiles: number; errors: number; warnings: number };
}

/**
 * `validate <file>...`: the files asked for (`asked`) with their warnings; `shown` holds an error anywhere in the
 * tree too (which fails the run), since a change to one file can break another use case (a table it reads, a
 * dag it waits for).
 */
function validateFiles(io: Io, opts: { specsDir: string; only: readonly string[]; listFiles?: boolean }, asked: [string, FileCounts][], shown: readonly Diagnostic[], result: StreamResult, treeFiles: number): void {
  const { specsDir, only } = opts;
  if (opts.listFiles !== false) io.out(asked.map(fileLine(specsDir)).join('\n'));
  printShown(io, shown, result, specsDir, VALIDATE_AROUND);
  const own = asked.reduce((n, [, c]) => ({ errors: n.errors + c.errors, warnings: n.warnings + c.warnings }), { errors: 0, warnings: 0 });
  const elsewhere = shown.filter((d) => d.severity === 'error' && !targeted(only, d.file));
  const others = elsewhere.length ? `; ${elsewhere.length} error(s) in ${new Set(elsewhere.map((d) => d.file)).size} other file(s) of ${specsDir}` : '';
  io.out(`\n${asked.length} of ${treeFiles} files, ${own.errors} error(s), ${own.warnings} warning(s)${others}`);
}

/** The options of {@link compileCommand}: `--out`, `--strict`, and whether the compile table is printed. */
export type CompileCommandOptions = CompilerOptions & { outDir: string; strict?: boolean; printSummary?: boolean };

export function compileCommand(io: Io, opts: CompileCommandOptions): { code: number; result: StreamResult } {
  const { specsDir, outDir, env } = opts;
  checkOut(io, outDir);
  const guard = { specsDir: resolve(io.cwd, specsDir), cwd: io.cwd };
  const specs = readSpecs(io, specsDir, env, opts.session?.tree);
  const c = cacheFor(io, specsDir, env, opts.cache, opts.session);
  const diagnostics = (r: StreamResult, written = true) => printRunDiagnostics(io, r, specsDir, c, opts.allWarnings === true, `${written ? `${outDir}/report.json lists every one; ` : ''}--all-warnings prints them`, COMPILE_AROUND);
  let result: StreamResult;
  if (opts.strict) {
    // Nothing may be written before every use case is known to compile: keep the files until then — the texts
    // just made in a temporary file, the others (from the cache, made again only if the build needs them) as
    // they are — and let each go once written, so the build is never held whole.
    const spill = new SpillFile();
    try {
      const files: (OutputFile | null)[] = [];
      result = streamCompile(specs, env, c, (f) => files.push(f.held ? { path: f.path, digest: f.digest, text: spill.keep(f.text()) } : f));
      const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
      diagnostics(result, errors === 0);
      if (errors) {
        io.err(`--strict: ${errors} error(s); nothing written to ${outDir}`);
        return { code: EXIT.diagnostics, result };
      }
      BuildWriter.write(resolve(io.cwd, outDir), guard, (writer) => {
        writer.checkForeign(files.map((f) => f!.path));
        for (let i = 0; i < files.length; i++) {
          writer.write(files[i]!);
          files[i] = null;
        }
      });
    } finally {
      spill.close();
    }
  } else {
    result = BuildWriter.write(resolve(io.cwd, outDir), guard, (writer) => streamCompile(specs, env, c, (f) => writer.write(f)));
    diagnostics(result);
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (opts.printSummary !== false) io.out(summary(result, outDir));
  return { code: errors ? EXIT.diagnostics : EXIT.ok, result };
}

/** The manifest of the build in `outDir`, as `lakestep compile` wrote it. */
export function builtManifest(io: Io, outDir: string): Manifest {
  return readManifestDir(resolve(io.cwd, outDir));
}

/**
 * How many lines a list of files or workflows gets before a large platform's output is cut short: past it,
 * `validate` lists the files with errors (then with warnings, while there is room) and counts the others;
 * `compile` lists the workflows of the use cases compiled again and counts the others.
 */
export const LIST_LIMIT = 100;

/**
 * The compile table: one row per workflow with its kind, triggers and sizes, then the rule quota line. Past
 * {@link LIST_LIMIT} workflows, the rows of the use cases this compile assembled again (not the cache's),
 * at most that many, and how many more the manifest lists; quarantined use cases are always listed.
 */
export function summary(result: StreamResult, outDir: string): string {
  const rows = [['use case', 'workflow', 'kind', 'schedule / trigger', 'states', 'spark jobs', 'routes']];
  const workflows = result.summaries.reduce((n, u) => n + u.workflows.length, 0);
  const reused = new Set(workflows > LIST_LIMIT ? result.reused.assembled : []);
  for (const uc of result.summaries) {
    if (reused.has(uc.name)) continue;
    for (const w of uc.workflows) {
      if (rows.length > LIST_LIMIT) break;
      rows.push([uc.name, w.name + (w.enabled ? '' : ' (disabled)'), kindLabel(w), triggerText(uc.name, w), String(w.stats.states), String(w.stats.sparkJobs), String(w.routes)]);
    }
  }
  const listed = rows.length - 1;
  for (const q of result.quarantined) rows.push([q.useCase, '(quarantined)', '-', `${q.diagnostics.filter((d) => d.severity === 'error').length} error(s)`, '-', '-', '-']);
  const unchanged = reused.size ? ` (${reused.size} use case(s) unchanged since the last compile)` : '';
  const rest = andMore(listed, workflows - listed, `workflow(s)${unchanged}: ${outDir}/manifest.json lists every one`);
  const more = rest === '' ? '' : `${rest}\n`;
  const p = result.manifest.platform;
  const env = p.environment === undefined ? '' : `Environment ${p.environment}: prefix ${p.prefix}, region ${p.region}${p.account ? `, account ${p.account}` : ''}\n`;
  return `${rows.length > 1 ? `${table(rows)}\n` : ''}${more}\nEventBridge: ${result.rulesSummary}\nStep Functions: ${result.limitsSummary}\nIAM: ${result.iamSummary}\n${env}${result.summaries.length} use case(s) compiled, ${workflows} workflow(s), ${result.quarantined.length} quarantined → ${outDir}/manifest.json`;
}

/** The line counting what a cut-short list left out (`… and 20 more workflow(s)`, or `20 workflow(s)` after none); '' when nothing was. */
function andMore(listed: number, rest: number, what: string): string {
  if (rest === 0) return '';
  return listed ? `… and ${rest} more ${what}` : `${rest} ${what}`;
}

/** `cron(0 * * * ? *) + after customers-migration`: schedules and upstreams both, since a dag runs on each. */
export function triggerText(useCase: string, w: Pick<WorkflowSummary, 'schedule' | 'scheduleTimezone' | 'scheduleGroups' | 'dependsOn'>): string {
  const schedules = w.schedule ? [`${w.schedule}${w.scheduleTimezone ? ` ${w.scheduleTimezone}` : ''}`] : (w.scheduleGroups ?? []).map((g) => g.schedule);
  const parts: string[] = [];
  if (schedules.length) parts.push(schedules.length > 2 ? `${schedules.length} schedules` : schedules.join(', '));
  if (w.dependsOn.length) parts.push(`after ${w.dependsOn.map((d) => (d.startsWith(`${useCase}/`) ? d.slice(useCase.length + 1) : d)).join(' + ')}`);
  return parts.join(' + ') || 'manual';
}
