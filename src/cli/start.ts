/** `lakestep start`: compile the specs, run them for a day in the simulator, report what happened. */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatTimeline, type Scenario } from '../simulator/index.ts';
import { builtManifest, compileCommand, EXIT, summary } from './commands.ts';
import type { Io } from './io.ts';
import { nextSteps, simulationReport, wrap } from './report.ts';
import { readScenarioFile, startScenario, unknownWorkflows } from './scenario.ts';
import { FAILED, simulateKnown, type SimulationScope } from './simulation.ts';
import { checkUseCases } from './use-cases.ts';
import { simulationPage } from '../ui/index.ts';
import { quarantinedOf, UI_FILE, writePage } from './ui.ts';

export interface StartOptions extends SimulationScope {
  specsDir: string;
  outDir: string;
  /** Scenario file; default: {@link startScenario}. */
  scenario?: string;
  /** Also print the compile table and the timeline (before the report). */
  verbose: boolean;
  /** Leave out the closing hints. */
  quiet: boolean;
}

/** File in the build directory the timeline is written to. */
export const TIMELINE_FILE = 'timeline.txt';

/**
 * `lakestep start`: compile, then run the compiled platform end to end in the
 * local simulator. Prints a report led by its outcome and writes the full
 * timeline to `<out>/timeline.txt` and the platform page to `<out>/ui.html`.
 * Exits 1 when compile reported errors or any execution failed; 2 when the
 * scenario names workflows the build lacks.
 */
export async function startCommand(io: Io, opts: StartOptions): Promise<number> {
  // Read the scenario first: a bad file is a usage error before anything is written.
  const given: Scenario | undefined = opts.scenario === undefined ? undefined : readScenarioFile(io.cwd, opts.scenario);
  const compiled = compileCommand(io, { specsDir: opts.specsDir, outDir: opts.outDir, printSummary: opts.verbose });
  const manifest = builtManifest(io, opts.outDir);
  const workflows = manifest.useCases.reduce((n, u) => n + u.workflows.length, 0);
  const rules = manifest.machines?.dispatcher ? 1 : 0;
  const schedules = manifest.useCases.reduce((n, u) => n + u.workflows.reduce((m, w) => m + (w.schedules?.length ?? 0), 0), 0);
  const quarantined = compiled.result.quarantined.map((q) => q.useCase);
  io.out(wrap(`Compiled ${manifest.useCases.length} use case(s), ${workflows} workflow(s), ${rules} EventBridge rule(s), ${schedules} schedule(s) → ${opts.outDir}/` +
    (quarantined.length ? `; quarantined: ${quarantined.join(', ')}` : '')).join('\n'));
  if (manifest.useCases.length === 0) {
    io.out('nothing to simulate: no use case compiled');
    return compiled.code;
  }
  const { scenario, source } = given ? { scenario: given, source: opts.scenario! } : startScenario(manifest);
  const unknown = unknownWorkflows(manifest, scenario);
  if (unknown.length) {
    io.err(`invalid scenario ${source}:\n  ${unknown.join('\n  ')}`);
    return EXIT.usage;
  }
  const outDir = resolve(io.cwd, opts.outDir);
  checkUseCases(manifest, opts.useCases);
  const result = await simulateKnown({ buildDir: outDir, scenario, useCases: opts.useCases, maxExecutions: opts.maxExecutions });
  const timeline = formatTimeline(result.timeline);
  writeFileSync(join(outDir, TIMELINE_FILE), timeline + '\n');
  const quarantinedDags = quarantinedOf(manifest, (uc) => compiled.result.sources.get(`${uc}/orchestration.yaml`));
  writePage(join(outDir, UI_FILE), simulationPage(manifest, quarantinedDags, result, scenario, source));
  if (opts.verbose) io.out(`\n${timeline}\n\n${summary(compiled.result, opts.outDir)}\n`);
  const report = simulationReport(result, manifest, { scenario: source.replace(/^src\/simulator\/scenarios\//, ''), timelineFile: `${opts.outDir}/${TIMELINE_FILE}`, ...(scenario.window ? { window: scenario.window } : {}) });
  io.out(report.join('\n'));
  if (!opts.quiet) io.out(['', ...nextSteps(opts.outDir, `${opts.outDir}/${TIMELINE_FILE}`, `${opts.outDir}/${UI_FILE}`)].join('\n'));
  const simulated = result.executions.some((e) => FAILED.has(e.status)) ? 1 : 0;
  return Math.max(compiled.code, simulated);
}
