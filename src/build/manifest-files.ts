/**
 * The manifest on disk (DESIGN §6): a small index, `build/manifest.json`, and one
 * part per compiled use case, `build/<use-case>/manifest.json`. A change to one
 * use case rewrites its part and the index only; readers stitch the whole
 * {@link Manifest} back with {@link readManifest}.
 *
 * The index is hostile input (a build folder can be edited by hand): a part's path
 * is accepted only as `<name>/manifest.json` of the entry's own plain folder name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_VERSION, type Manifest, type ManifestIndex, type ManifestUseCase } from './types.ts';

/** Path of the index inside build/. */
export const MANIFEST_INDEX = 'manifest.json';

/** Path of a use case's part inside build/. */
export function manifestPartPath(useCase: string): string {
  return `${useCase}/manifest.json`;
}

/** Raised when a build's manifest cannot be read; the message names the file and says to rebuild. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

/** Compact JSON with a trailing newline, as every machine-read build file (src/build/assemble.ts). */
function json(value: unknown): string {
  return JSON.stringify(value) + '\n';
}

/** The index and every part of `m`, as `[path inside build/, text]`, index first. */
export function manifestFiles(m: Manifest): [string, string][] {
  // The index keeps the whole manifest's key order; only its use cases shrink to references.
  const index = Object.fromEntries(
    Object.entries(m).map(([k, v]) => [k, k === 'version' ? MANIFEST_VERSION : k === 'useCases' ? m.useCases.map(useCaseRef) : v]),
  ) as unknown as ManifestIndex;
  return [[MANIFEST_INDEX, json(index)], ...m.useCases.map((u): [string, string] => [manifestPartPath(u.name), json(u)])];
}

function useCaseRef(u: ManifestUseCase): ManifestIndex['useCases'][number] {
  return { name: u.name, owner: u.owner, specHash: u.specHash, manifest: manifestPartPath(u.name) };
}

/** A plain folder name: what a use case's part may be stored under. */
function plainName(name: unknown): name is string {
  return typeof name === 'string' && name !== '' && !name.includes('..') && !/[/\\\0]/.test(name) && name !== '.';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Stitches the whole {@link Manifest} of a build from its index and parts; `read` returns a
 * file's text by its path inside build/ (undefined when missing), `dir` only names files in
 * errors. A version-1 build (one whole `manifest.json`, no parts) is read as it is.
 */
export function readManifest(read: (path: string) => string | undefined, dir = ''): Manifest {
  const shown = (p: string) => (dir ? join(dir, p) : p);
  const fail = (p: string, why: string): never => {
    throw new ManifestError(`${shown(p)}: ${why}: rebuild with \`lakestep compile\``);
  };
  const parse = (p: string, text: string | undefined): unknown => {
    if (text === undefined) return fail(p, 'not found');
    try {
      return JSON.parse(text);
    } catch (e) {
      return fail(p, `not valid JSON (${(e as Error).message})`);
    }
  };
  const index = parse(MANIFEST_INDEX, read(MANIFEST_INDEX));
  if (!isObject(index) || !isObject(index.platform) || !Array.isArray(index.useCases)) return fail(MANIFEST_INDEX, 'no "platform" or "useCases"');
  if (index.version === 1) return { ...(index as unknown as Manifest), quarantined: (index.quarantined as Manifest['quarantined'] | undefined) ?? [] };
  if (index.version !== MANIFEST_VERSION) return fail(MANIFEST_INDEX, `manifest version ${JSON.stringify(index.version)} is not one this lakestep reads (${MANIFEST_VERSION})`);
  const useCases = index.useCases.map((entry: unknown, i): ManifestUseCase => {
    if (!isObject(entry) || !plainName(entry.name)) return fail(MANIFEST_INDEX, `useCases[${i}] has no plain folder name`);
    const path = manifestPartPath(entry.name);
    if (entry.manifest !== path) return fail(MANIFEST_INDEX, `useCases[${i}] ("${entry.name}") names its manifest ${JSON.stringify(entry.manifest)}; only "${path}" is accepted`);
    const part = parse(path, read(path));
    if (!isObject(part) || part.name !== entry.name || !Array.isArray(part.workflows)) return fail(path, `not the manifest of use case "${entry.name}"`);
    return part as unknown as ManifestUseCase;
  });
  const manifest = Object.fromEntries(Object.entries(index).map(([k, v]) => [k, k === 'useCases' ? useCases : v])) as unknown as Manifest;
  manifest.quarantined ??= [];
  return manifest;
}

/** {@link readManifest} of the build folder `dir` on disk. */
export function readManifestDir(dir: string): Manifest {
  return readManifest((p) => {
    try {
      return readFileSync(join(dir, p), 'utf8');
    } catch (e) {
      if (['ENOENT', 'ENOTDIR', 'EISDIR'].includes((e as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw e;
    }
  }, dir);
}
