/** `lakestep graph`: compile (or read a build's manifest), then print the dependency graph or (`--tables`) the table graph. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Manifest } from '../build/types.ts';
import { dagsOfOrchestration, isGraphFormat, renderGraph, type QuarantinedUseCase } from '../graph/index.ts';
import { loadManifest } from '../ops/index.ts';
import { compileView, type CacheSetting } from './commands.ts';
import type { Io } from './io.ts';

export interface GraphOptions {
  /** Specs to compile, or (with `buildDir`) to read quarantined use cases' dags from. */
  specsDir?: string;
  buildDir?: string;
  /** Environment overlay to compile with (`--env`). */
  env?: string;
  /** The incremental cache of the compile (`--cache-dir`, `--no-cache`), as `compile` uses it. */
  cache?: CacheSetting;
  format: string;
  /** Draw tables between their writers and readers instead of the dependencies. */
  tables?: boolean;
}

export interface GraphInput {
  manifest: Manifest;
  /** With the dags their orchestration files name, when readable. */
  quarantined: QuarantinedUseCase[];
}

/**
 * The manifest of a compile of `specsDir` (through the incremental cache, nothing written), or of the build in
 * `buildDir` (then `specsDir`, if given, only names quarantined dags).
 */
export async function readGraphInput(io: Io, opts: { specsDir?: string; buildDir?: string; env?: string; cache?: CacheSetting }): Promise<GraphInput> {
  let manifest: Manifest;
  let orchestration: (useCase: string) => string | undefined;
  if (opts.buildDir !== undefined) {
    manifest = await loadManifest(resolve(io.cwd, opts.buildDir));
    const specs = opts.specsDir;
    orchestration = (uc) => (specs === undefined ? undefined : readOptional(resolve(io.cwd, specs, uc, 'orchestration.yaml')));
  } else {
    const { result, manifest: compiled } = compileView(io, { specsDir: opts.specsDir ?? 'specs', env: opts.env, cache: opts.cache });
    manifest = compiled;
    orchestration = (uc) => result.sources.get(`${uc}/orchestration.yaml`);
  }
  const quarantined: QuarantinedUseCase[] = manifest.quarantined.map((q) => {
    const dags = dagsOfOrchestration(orchestration(q.useCase));
    return { useCase: q.useCase, errors: q.diagnostics.filter((d) => d.severity === 'error').length, ...(dags ? { dags } : {}) };
  });
  return { manifest, quarantined };
}

/**
 * Prints the graph on stdout and a note on quarantined use cases on stderr.
 * Exit 0 once drawn (quarantined use cases are part of the drawing), 2 for an unknown format.
 */
export async function graphCommand(io: Io, opts: GraphOptions): Promise<number> {
  if (!isGraphFormat(opts.format)) {
    io.err(`lakestep graph: --format must be mermaid or dot, got "${opts.format}"`);
    return 2;
  }
  const { manifest, quarantined } = await readGraphInput(io, opts);
  io.out(renderGraph(manifest, quarantined, opts.format, opts.tables ? 'tables' : 'dependencies'));
  if (quarantined.length) {
    const what = opts.tables ? ', without the tables they read and write (known once they compile)' : '';
    io.err(`${quarantined.length} use case(s) quarantined, drawn dashed${what}: ${quarantined.map((q) => q.useCase).join(', ')} (details: lakestep validate)`);
  }
  return 0;
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
