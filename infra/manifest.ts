/**
 * Reads the build artifacts `infra/` deploys (DESIGN §6): the manifest — its index
 * `build/manifest.json` and one part per use case, `build/<use-case>/manifest.json` —
 * and the ASL files it names. `infra/` never imports the compiler; the manifest
 * is its whole input, stitched here as the compiler's `readManifest` does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Manifest, ManifestUseCase } from '../src/build/types.ts';

/** Raised when the build directory cannot be used; the message says what to do. */
export class BuildDirError extends Error {
  override readonly name = 'BuildDirError';
}

/** The manifest plus the absolute build directory its relative paths start from. */
export interface LoadedBuild {
  buildDir: string;
  manifest: Manifest;
}

/** Loads and minimally checks `<buildDir>/manifest.json` and the use-case parts it lists. */
export function loadBuild(buildDir: string): LoadedBuild {
  const dir = resolve(buildDir);
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) {
    throw new BuildDirError(
      `${file} not found: run \`npx lakestep compile\` first (or point LAKESTEP_BUILD_DIR / context "buildDir" at a build directory)`,
    );
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    throw new BuildDirError(`${file} is not valid JSON (${(e as Error).message}): run \`npx lakestep compile\` again`);
  }
  if (!manifest.platform || !Array.isArray(manifest.useCases)) {
    throw new BuildDirError(`${file} has no "platform" or "useCases": run \`npx lakestep compile\` again`);
  }
  manifest.quarantined ??= [];
  // Version 1 held every use case whole; version 2 lists each use case's part.
  if (manifest.version !== 1) manifest.useCases = (manifest.useCases as unknown[]).map((entry, i) => readPart(dir, file, entry, i));
  return { buildDir: dir, manifest };
}

/**
 * The part `<name>/manifest.json` an index entry names. The index can be edited by hand:
 * only the entry's own plain folder name is accepted, never a path that leaves build/.
 */
function readPart(dir: string, index: string, entry: unknown, i: number): ManifestUseCase {
  const e = (typeof entry === 'object' && entry !== null ? entry : {}) as { name?: unknown; manifest?: unknown };
  const name = e.name;
  if (typeof name !== 'string' || name === '' || name === '.' || name.includes('..') || /[/\\\0]/.test(name)) {
    throw new BuildDirError(`${index}: useCases[${i}] has no plain folder name: run \`npx lakestep compile\` again`);
  }
  const path = `${name}/manifest.json`;
  if (e.manifest !== path) {
    throw new BuildDirError(`${index}: useCases[${i}] ("${name}") names its manifest ${JSON.stringify(e.manifest)}; only "${path}" is accepted: run \`npx lakestep compile\` again`);
  }
  const file = join(dir, path);
  if (!existsSync(file)) throw new BuildDirError(`${file} not found: run \`npx lakestep compile\` again`);
  let part: Partial<ManifestUseCase>;
  try {
    part = JSON.parse(readFileSync(file, 'utf8')) as Partial<ManifestUseCase>;
  } catch (err) {
    throw new BuildDirError(`${file} is not valid JSON (${(err as Error).message}): run \`npx lakestep compile\` again`);
  }
  if (part?.name !== name || !Array.isArray(part.workflows)) throw new BuildDirError(`${file} is not the manifest of use case "${name}": run \`npx lakestep compile\` again`);
  return part as ManifestUseCase;
}

/** Reads a build file named by a manifest path (relative to build/). */
export function readBuildFile(build: LoadedBuild, relativePath: string): string {
  const file = join(build.buildDir, relativePath);
  if (!existsSync(file)) {
    throw new BuildDirError(`${file} is listed in the manifest but missing: run \`npx lakestep compile\` again`);
  }
  return readFileSync(file, 'utf8');
}
