/**
 * What `lakestep validate` is asked to check: a specs folder (the whole tree), or spec files and use-case
 * folders — what an editor passes on save and a pre-commit hook passes for the staged files. A file is
 * checked in its tree (a use case reads its upstreams, the platform and every other use case's tables),
 * so the tree is found from it: the folder above its use case (the nearest folder with an
 * orchestration.yaml), or the folder of platform.yaml. Every target must lie in the same tree.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { escapeForTerminal } from '../diagnostics.ts';
import { overlayEnvironment } from '../spec/environment.ts';
import { plainUsage } from './args.ts';

export interface Targets {
  /** The specs folder, as printed before each path (relative to the current directory). */
  specsDir: string;
  /** Paths relative to the specs folder (`/`-separated) of the files and use-case folders asked for; undefined for the whole tree. */
  only?: string[];
}

/** The specs folder of `abs`, a file or use-case folder, or undefined when it lies in none. */
function treeOf(abs: string, isDir: boolean): string | undefined {
  const name = basename(abs);
  if (!isDir && (name === 'platform.yaml' || overlayEnvironment(name) !== undefined)) return dirname(abs);
  for (let dir = isDir ? abs : dirname(abs); ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, 'orchestration.yaml'))) return dirname(dir);
    if (existsSync(resolve(dir, 'platform.yaml'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The targets of `validate`: none is `specs`; one folder without an orchestration.yaml is that specs folder;
 * anything else is a list of files and use-case folders of one tree. A target that does not exist, lies in
 * no specs tree, or in another tree than the first is a usage error (exit 2).
 */
export function validateTargets(cwd: string, positionals: readonly string[]): Targets {
  if (positionals.length === 0) return { specsDir: 'specs' };
  const single = positionals.length === 1 ? resolve(cwd, positionals[0]!) : undefined;
  if (single !== undefined && existsSync(single) && statSync(single).isDirectory() && !existsSync(resolve(single, 'orchestration.yaml'))) {
    return { specsDir: positionals[0]! };
  }
  let root: string | undefined;
  const asked: string[] = [];
  for (const target of positionals) {
    const abs = resolve(cwd, target);
    // Names come from whatever called (a hook passes the staged files' names): their controls escaped when printed.
    if (!existsSync(abs)) throw plainUsage(escapeForTerminal(`${target} does not exist`));
    const isDir = statSync(abs).isDirectory();
    const tree = treeOf(abs, isDir);
    if (tree === undefined) throw plainUsage(escapeForTerminal(`${target} is in no specs folder (no use-case folder with an orchestration.yaml, nor a platform.yaml, above it); give the specs folder, e.g. lakestep validate specs`));
    if (root === undefined) root = tree;
    else if (tree !== root) throw plainUsage(escapeForTerminal(`${target} is in another specs folder (${shown(cwd, tree)}) than ${positionals[0]} (${shown(cwd, root)}); validate one specs folder at a time`));
    asked.push(relative(tree, abs).split(sep).join('/'));
  }
  // The specs folder itself among them: the whole tree.
  return asked.includes('') ? { specsDir: shown(cwd, root!) } : { specsDir: shown(cwd, root!), only: asked };
}

/** `dir` relative to `cwd` (`.` for `cwd` itself, `..` above it), as compilers print paths; absolute when no relative path leads there. */
function shown(cwd: string, dir: string): string {
  const r = relative(cwd, dir);
  return r === '' ? '.' : isAbsolute(r) ? dir : r;
}

/** True when the spec file `path` (relative to the specs folder) is one of `only` or lies in one of its folders. */
export function targeted(only: readonly string[], path: string): boolean {
  return only.some((t) => t === path || path.startsWith(`${t}/`));
}
