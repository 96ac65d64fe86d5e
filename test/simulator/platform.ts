/**
 * The example platform under specs/, compiled into a temporary build/ directory once
 * per test file, and helpers to read simulation results.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lakestepVersion, readSpecs, writeBuild } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import type { JobDocument, Manifest } from '../../src/build/types.ts';
import { itemToPlain, type SimulationResult } from '../../src/simulator/index.ts';
import { readManifestDir } from '../../src/build/manifest-files.ts';

export const LOGICAL = '2026-11-25T00:00:00Z';
export const NAME = '2026-11-25T000000Z';

export interface PlatformBuild {
  dir: string;
  manifest: Manifest;
  tables: { watermarks: string; runs: string; gates: string };
  job(useCase: string, workflow: string, job: string): JobDocument;
}

/** The example specs compiled into a temporary build; `edit` may change a spec file's text first. */
export function compileExamplePlatform(edit?: (path: string, text: string) => string): PlatformBuild {
  const sources = readSpecs(resolve('specs')).map((f) => (edit ? { ...f, text: edit(f.path, f.text) } : f));
  const result = compile(sources, { lakestepVersion: lakestepVersion() });
  if (result.quarantined.length > 0) throw new Error(`example specs quarantined: ${result.quarantined.map((q) => q.useCase).join(', ')}`);
  const dir = join(mkdtempSync(join(tmpdir(), 'lakestep-platform-')), 'build');
  writeBuild(dir, result.files);
  const manifest = readManifestDir(dir);
  return {
    dir,
    manifest,
    tables: manifest.platform.dynamodb,
    job: (useCase, workflow, job) => JSON.parse(readFileSync(join(dir, useCase, 'jobs', workflow, `${job}.json`), 'utf8')) as JobDocument,
  };
}

/** Every dag of the build as `<use-case>/<dag>`, in the order of the specs. */
export function dagRefs(manifest: Manifest): string[] {
  return manifest.useCases.flatMap((uc) => uc.workflows.map((w) => `${uc.name}/${w.name}`));
}

/** Items of a table as plain objects. */
export function items(result: SimulationResult, table: string): Record<string, unknown>[] {
  return (result.dynamodb[table] ?? []).map(itemToPlain);
}

/** The watermark value stored under `pk`, if any. */
export function watermark(result: SimulationResult, build: PlatformBuild, pk: string): unknown {
  return items(result, build.tables.watermarks).find((i) => i.pk === pk)?.value;
}

/** Run records of a workflow ref, with `summary` parsed. */
export function runRecords(result: SimulationResult, build: PlatformBuild, ref: string): Record<string, unknown>[] {
  return items(result, build.tables.runs)
    .filter((i) => i.pk === ref)
    .map((i) => ({ ...i, summary: typeof i.summary === 'string' ? JSON.parse(i.summary) : i.summary }));
}

export function executionsOf(result: SimulationResult, ref: string): SimulationResult['executions'] {
  return result.executions.filter((e) => e.workflow === ref);
}

/** Job runs started by one execution. */
export function jobRunsOf(result: SimulationResult, executionArn: string): SimulationResult['jobRuns'] {
  return result.jobRuns.filter((r) => r.executionArn === executionArn);
}

