/**
 * Build directories compiled for real from spec trees: the example platform
 * under specs/, or a generated tree (bench/generate.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lakestepVersion, readSpecs, writeBuild } from '../../src/cli/io.ts';
import { compile, type CompileResult } from '../../src/compile.ts';
import type { SourceFile } from '../../src/spec/files.ts';

export const SPECS_DIR = join(import.meta.dirname, '../../specs');

/** Compiles `sources` (for environment `env`, when given) into a fresh temporary build directory. */
export function compileToBuild(sources: readonly SourceFile[], env?: string): { buildDir: string; result: CompileResult } {
  const result = compile(sources, { lakestepVersion: lakestepVersion(), ...(env === undefined ? {} : { env }) });
  const buildDir = mkdtempSync(join(tmpdir(), 'lakestep-build-'));
  writeBuild(buildDir, result.files);
  return { buildDir, result };
}

/** The example specs, optionally with one use case broken so that it is quarantined. */
export function exampleSources(quarantine?: string): SourceFile[] {
  const sources = readSpecs(SPECS_DIR);
  if (!quarantine) return sources;
  const file = `${quarantine}/orchestration.yaml`;
  if (!sources.some((s) => s.path === file)) throw new Error(`no ${file} in specs/`);
  return sources.map((s) => (s.path === file ? { ...s, text: `${s.text}\nnot_a_field: true\n` } : s));
}
