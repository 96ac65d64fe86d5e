/**
 * Reads the build artifacts `infra/` deploys (DESIGN §6): the manifest — its index
 * `build/manifest.json` and one part per use case, `build/<use-case>/manifest.json` —
 * and the files it names. `infra/` never runs the compiler; the manifest is its whole
 * input, stitched by the same reader the CLI uses (src/build/manifest-files.ts, which
 * refuses a part path that leaves build/ or names another use case).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MANIFEST_INDEX, ManifestError, readManifestDir } from '../src/build/manifest-files.ts';
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

/** Loads `<buildDir>/manifest.json` and the use-case parts it lists. */
export function loadBuild(buildDir: string): LoadedBuild {
  const dir = resolve(buildDir);
  const file = join(dir, MANIFEST_INDEX);
  if (!existsSync(file)) {
    throw new BuildDirError(
      `${file} not found: run \`npx lakestep compile\` first (or point LAKESTEP_BUILD_DIR / context "buildDir" at a build directory)`,
    );
  }
  try {
    return { buildDir: dir, manifest: readManifestDir(dir) };
  } catch (e) {
    if (e instanceof ManifestError) throw new BuildDirError(e.message);
    throw e;
  }
}

/** Reads a build file named by a manifest path (relative to build/). */
export function readBuildFile(build: LoadedBuild, relativePath: string): string {
  const file = join(build.buildDir, relativePath);
  if (!existsSync(file)) {
    throw new BuildDirError(`${file} is listed in the manifest but missing: run \`npx lakestep compile\` again`);
  }
  return readFileSync(file, 'utf8');
}
