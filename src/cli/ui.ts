/**
 * `lakestep ui`: one HTML file with the dependency and table graphs, the runs of
 * each dag by logical date and the health of every table, from a build and the
 * runs of a simulation, of AWS, or none. `lakestep start` writes it too.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Manifest } from '../build/types.ts';
import { dagsOfOrchestration, type QuarantinedUseCase } from '../graph/index.ts';
import { checkAccount, loadManifest } from '../ops/index.ts';
import { deployedDags, taggedMachines } from '../ops/machines.ts';
import { fewNames } from '../ops/table.ts';
import { AWS_SINCE_DEFAULT, parseSince, readAwsRuns } from '../ui/aws.ts';
import { paced, stepFunctionsQuotas } from '../ui/throttle.ts';
import { pageData, pageHtml, simulationPage, type UiData, type UiRun } from '../ui/index.ts';
import { plainUsage } from './args.ts';
import type { Io } from './io.ts';
import { aws } from './operate.ts';
import { readScenarioFile, startScenario, unknownWorkflows } from './scenario.ts';
import { simulateKnown, type SimulationScope } from './simulation.ts';
import { checkUseCases } from './use-cases.ts';

/** File name of the page in a build folder. */
export const UI_FILE = 'ui.html';

export interface UiOptions extends Pick<SimulationScope, 'maxExecutions'> {
  buildDir: string;
  /** Read only for the dags of quarantined use cases. */
  specsDir?: string;
  /** Default `<build>/ui.html`. */
  out?: string;
  runs: 'none' | 'simulation' | 'aws';
  scenario?: string;
  /** `--from-aws`: how far back (`2d`, `12h`, or an ISO date). */
  since?: string;
  account?: string;
  /** `--from-aws`: only these use cases' state machines; `--simulation`: only their starts and schedules. */
  useCases: string[];
}

export async function uiCommand(io: Io, opts: UiOptions): Promise<number> {
  const now = (io.now ?? (() => new Date()))();
  const since = opts.runs === 'aws' ? parseSince(opts.since ?? AWS_SINCE_DEFAULT, now) : undefined;
  if (opts.runs !== 'aws' && (opts.since !== undefined || opts.account !== undefined)) throw plainUsage('--since and --account go with --from-aws');
  if (opts.runs === 'none' && opts.useCases.length) throw plainUsage('--use-case goes with --from-aws or --simulation');
  if (opts.runs !== 'simulation' && opts.scenario !== undefined) throw plainUsage('--scenario goes with --simulation');
  checkAccount(opts.account);
  const outFile = resolve(io.cwd, opts.out ?? join(opts.buildDir, UI_FILE));
  if (existsSync(outFile) && statSync(outFile).isDirectory()) throw plainUsage(`--out ${opts.out} is a folder; give the HTML file to write`);
  const scenarioFile = opts.scenario === undefined ? undefined : readScenarioFile(io.cwd, opts.scenario);
  const buildDir = resolve(io.cwd, opts.buildDir);
  const manifest = await loadManifest(buildDir);
  checkUseCases(manifest, opts.useCases, { quarantined: true });
  const quarantined = quarantinedOf(manifest, (uc) => (opts.specsDir === undefined ? undefined : readOptional(resolve(io.cwd, opts.specsDir, uc, 'orchestration.yaml'))));
  let page: UiData;
  if (opts.runs === 'simulation') {
    const { scenario, source } = scenarioFile ? { scenario: scenarioFile, source: opts.scenario! } : startScenario(manifest);
    const unknown = unknownWorkflows(manifest, scenario);
    if (unknown.length) throw plainUsage(`invalid scenario ${source}:\n  ${unknown.join('\n  ')}`);
    const result = await simulateKnown({ buildDir, scenario, useCases: opts.useCases.length ? opts.useCases : undefined, maxExecutions: opts.maxExecutions });
    page = simulationPage(manifest, quarantined, result, scenario, source);
  } else if (opts.runs === 'aws') {
    const client = io.sfn ? io.sfn(manifest.platform.region) : new SFNClient({ region: manifest.platform.region, maxAttempts: 1 });
    const read = await aws(async () => {
      // Without the specs a quarantined use case's dags are unknown: its last good deployment names them.
      const unknown = quarantined.filter((q) => q.dags === undefined && (!opts.useCases.length || opts.useCases.includes(q.useCase)));
      const tagged = await taggedMachines(paced(client, { quotas: stepFunctionsQuotas(manifest.platform.region) }).client, manifest.platform.prefix, unknown.map((q) => q.useCase));
      for (const q of unknown) q.dags = deployedDags(tagged.get(q.useCase));
      const r = await readAwsRuns(client, manifest, {
        since: since!,
        now,
        quarantined,
        useCases: opts.useCases,
        progress: (line) => io.err(line),
        ...(opts.account === undefined ? {} : { account: opts.account }),
      });
      if (unknown.length) {
        const each = unknown.map((q) => `${q.useCase} (${q.dags!.length} deployed)`);
        r.notes.push(`quarantined use case(s) whose specs were not given: their dags are their deployed state machines (found by name and their stack's tags), without their dependencies: ${fewNames(each)}`);
      }
      return r;
    });
    page = pageData({ manifest, quarantined, runs: read.runs, source: { kind: 'aws', label: read.label, now: read.now, notes: read.notes, console: read.console } });
  } else {
    const label = 'none read (lakestep ui --simulation, or --from-aws)';
    page = pageData({ manifest, quarantined, runs: [], source: { kind: 'none', label, now: now.toISOString().replace(/\.\d{3}Z$/, 'Z'), notes: [] } });
  }
  const bytes = writePage(outFile, page);
  io.out(`wrote ${relative(io.cwd, outFile) || outFile} (${(bytes / 1024 / 1024).toFixed(1)} MiB): ${summaryOf(page)}; open it in a browser`);
  return 0;
}

/** Writes the page, creating its folder; returns its size in bytes. */
export function writePage(file: string, page: UiData): number {
  const html = pageHtml(page);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
  return Buffer.byteLength(html);
}

/** The quarantined use cases of a manifest with the dags their orchestration files name, when readable. */
export function quarantinedOf(manifest: Manifest, orchestration: (useCase: string) => string | undefined): QuarantinedUseCase[] {
  return manifest.quarantined.map((q) => {
    const dags = dagsOfOrchestration(orchestration(q.useCase));
    return { useCase: q.useCase, errors: q.diagnostics.filter((d) => d.severity === 'error').length, ...(dags ? { dags } : {}) };
  });
}

function summaryOf(page: UiData): string {
  const count = (runs: UiRun[], state: UiRun['state']) => runs.filter((r) => r.state === state).length;
  const failed = count(page.runs, 'failed') + count(page.runs, 'quality');
  return `${page.dags.length} dags, ${page.runs.length} runs${failed ? ` (${failed} failed)` : ''}, ${page.tables.length} tables`;
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
