/** validate / compile / start: the compiler commands. */
import { resolve } from 'node:path';
import { compile, type CompileResult } from '../compile.ts';
import { lakestepVersion, readSpecs, writeBuild, type Io } from './io.ts';
import { displayPath, printDiagnostics, table } from './print.ts';
import { readScenarioFile, startScenario } from './scenario.ts';
import { runSimulation } from './simulation.ts';

export const EXIT = { ok: 0, diagnostics: 1, usage: 2 } as const;

export function runCompile(io: Io, specsDir: string): CompileResult {
  const sources = readSpecs(resolve(io.cwd, specsDir));
  return compile(sources, { lakestepVersion: lakestepVersion() });
}

/** `lakestep validate [dir]`: per-file ✓/✘, then every diagnostic. */
export function validateCommand(io: Io, specsDir: string): number {
  const result = runCompile(io, specsDir);
  const byFile = new Map<string, { errors: number; warnings: number }>();
  for (const path of [...result.sources.keys()].sort()) byFile.set(path, { errors: 0, warnings: 0 });
  for (const d of result.diagnostics) {
    const e = byFile.get(d.file) ?? { errors: 0, warnings: 0 };
    if (d.severity === 'error') e.errors++;
    else e.warnings++;
    byFile.set(d.file, e);
  }
  const lines = [...byFile].map(([f, c]) => `${c.errors ? '✘' : '✓'} ${displayPath(specsDir, f)}${c.errors ? `  ${c.errors} error(s)` : ''}${c.warnings ? `  ${c.warnings} warning(s)` : ''}`);
  io.out(lines.join('\n'));
  if (result.diagnostics.length) io.err('\n' + printDiagnostics(result.diagnostics, result.sources, specsDir));
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  io.out(`\n${byFile.size} files, ${errors} error(s), ${result.diagnostics.length - errors} warning(s)`);
  return errors ? EXIT.diagnostics : EXIT.ok;
}

/**
 * `lakestep compile [dir] --out build [--strict]`: writes every healthy use case;
 * exits 1 when any use case is quarantined. `--strict` writes nothing on any error.
 */
export function compileCommand(io: Io, specsDir: string, outDir: string, strict: boolean): { code: number; result: CompileResult } {
  const result = runCompile(io, specsDir);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (result.diagnostics.length) io.err(printDiagnostics(result.diagnostics, result.sources, specsDir) + '\n');
  if (strict && errors) {
    io.err(`--strict: ${errors} error(s); nothing written to ${outDir}`);
    return { code: EXIT.diagnostics, result };
  }
  writeBuild(resolve(io.cwd, outDir), result.files);
  io.out(summary(result, outDir));
  return { code: errors ? EXIT.diagnostics : EXIT.ok, result };
}

export function summary(result: CompileResult, outDir: string): string {
  const rows = [['use case', 'workflow', 'kind', 'schedule / trigger', 'states', 'spark jobs', 'rules']];
  for (const uc of result.manifest.useCases) {
    for (const w of uc.workflows) {
      const trigger = w.schedule ?? (w.scheduleGroups?.length ? w.scheduleGroups.map((g) => g.schedule).join(', ') : w.dependsOn.length ? `after ${w.dependsOn.join(' + ')}` : 'manual');
      rows.push([uc.name, w.name + (w.enabled ? '' : ' (disabled)'), w.kind, trigger, String(w.stats.states), String(w.stats.sparkJobs), String(w.rules.length)]);
    }
  }
  for (const q of result.quarantined) rows.push([q.useCase, '(quarantined)', '-', `${q.diagnostics.filter((d) => d.severity === 'error').length} error(s)`, '-', '-', '-']);
  const workflows = result.manifest.useCases.reduce((n, u) => n + u.workflows.length, 0);
  return `${table(rows)}\n\nEventBridge: ${result.rulesSummary}\nStep Functions: ${result.limitsSummary}\n${result.manifest.useCases.length} use case(s) compiled, ${workflows} workflow(s), ${result.quarantined.length} quarantined → ${outDir}/manifest.json`;
}

export interface StartOptions {
  specsDir: string;
  outDir: string;
  /** Scenario file; default: {@link startScenario}. */
  scenario?: string;
  /** Leave the timeline out. */
  quiet: boolean;
}

/**
 * `lakestep start`: compile, then run the compiled platform end to end in the
 * local simulator. Exits 1 when compile reported errors or any execution failed.
 */
export async function startCommand(io: Io, opts: StartOptions): Promise<number> {
  // Read the scenario first: a bad file is a usage error before anything is written.
  const given = opts.scenario === undefined ? undefined : readScenarioFile(io.cwd, opts.scenario);
  const compiled = compileCommand(io, opts.specsDir, opts.outDir, false);
  const manifest = compiled.result.manifest;
  if (manifest.useCases.length === 0) {
    io.out('\nnothing to simulate: no use case compiled');
    return compiled.code;
  }
  const { scenario, source } = given ? { scenario: given, source: opts.scenario } : startScenario(manifest);
  io.out(`\nSimulating ${opts.outDir} locally (scenario: ${source})\n`);
  const simulated = await runSimulation(io, opts.outDir, scenario, { quiet: opts.quiet, json: false }, manifest);
  return Math.max(compiled.code, simulated);
}
