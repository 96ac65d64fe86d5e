/**
 * Reads the build artifacts `infra/` deploys (DESIGN §6): `build/manifest.json`
 * and the ASL files it names. `infra/` never imports the compiler; the manifest
 * is its whole input.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Manifest } from '../src/build/types.ts';

/** Raised when the build directory cannot be used; the message says what to do. */
export class BuildDirError extends Error {
  override readonly name = 'BuildDirError';
}

/** The manifest plus the absolute build directory its relative paths start from. */
export interface LoadedBuild {
  buildDir: string;
  manifest: Manifest;
}

/** Loads and minimally checks `<buildDir>/manifest.json`. */
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
  return { buildDir: dir, manifest };
}

/** Reads a build file named by a manifest path (relative to build/). */
export function readBuildFile(build: LoadedBuild, relativePath: string): string {
  const file = join(build.buildDir, relativePath);
  if (!existsSync(file)) {
    throw new BuildDirError(`${file} is listed in the manifest but missing: run \`npx lakestep compile\` again`);
  }
  return readFileSync(file, 'utf8');
}
