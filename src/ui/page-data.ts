/**
 * Everything the page shows, from a build's manifest, its quarantined use cases
 * and the runs of a source (a simulation, AWS, or none): the use cases and their
 * dags, the dependency and table graphs, the runs and the health of every table.
 */
import type { Manifest } from '../build/types.ts';
import { sortDiagnostics } from '../diagnostics.ts';
import { buildGraph, buildTableGraph, type QuarantinedUseCase } from '../graph/index.ts';
import type { Scenario, SimulationResult } from '../simulator/index.ts';
import { tableHealth } from './health.ts';
import { runsOfSimulation, simulatedNow } from './runs.ts';
import type { UiDag, UiData, UiRun, UiUseCase } from './types.ts';

export interface PageInput {
  manifest: Manifest;
  /** Quarantined use cases, with their dags when the specs could be read (src/graph/quarantine.ts). */
  quarantined: readonly QuarantinedUseCase[];
  runs: readonly UiRun[];
  source: UiData['source'];
}

export function pageData(input: PageInput): UiData {
  const { manifest, quarantined } = input;
  const firstError = new Map(
    manifest.quarantined.map((q) => {
      const errors = sortDiagnostics(q.diagnostics.filter((d) => d.severity === 'error'));
      const d = errors[0];
      return [q.useCase, { errors: errors.length, first: d ? `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}` : 'no error recorded' }] as const;
    }),
  );
  const useCases: UiUseCase[] = [
    ...manifest.useCases.map((u) => ({ name: u.name, owner: u.owner })),
    ...manifest.quarantined.map((q) => ({ name: q.useCase, quarantine: firstError.get(q.useCase)! })),
  ].sort((a, b) => a.name.localeCompare(b.name));
  const dags: UiDag[] = [
    ...manifest.useCases.flatMap((u) =>
      u.workflows.map((w) => ({
        ref: `${u.name}/${w.name}`,
        useCase: u.name,
        name: w.name,
        kind: w.kind === 'spark' ? 'spark' : w.type,
        schedules: w.schedule ? [w.schedule] : [...new Set((w.scheduleGroups ?? []).map((g) => g.schedule))],
        dependsOn: w.dependsOn,
        enabled: w.enabled,
        quarantined: false,
      })),
    ),
    ...quarantined.flatMap((q) =>
      (q.dags ?? []).map((d) => ({
        ref: `${q.useCase}/${d.name}`,
        useCase: q.useCase,
        name: d.name,
        schedules: d.schedule ? [d.schedule] : [],
        dependsOn: d.dependsOn.map((r) => (r.includes('/') ? r : `${q.useCase}/${r}`)),
        enabled: d.enabled,
        quarantined: true,
      })),
    ),
  ].sort((a, b) => a.ref.localeCompare(b.ref));
  return {
    version: 1,
    title: `${manifest.platform.prefix} (${manifest.platform.region})`,
    source: input.source,
    useCases,
    dags,
    graphs: { dependencies: buildGraph(manifest, quarantined), tables: buildTableGraph(manifest, quarantined) },
    runs: [...input.runs].sort((a, b) => a.dag.localeCompare(b.dag) || a.logicalDate.localeCompare(b.logicalDate) || a.start.localeCompare(b.start)),
    tables: tableHealth(manifest, input.runs, input.source.now),
  };
}

/** The page of a simulated day (what `start` writes). */
export function simulationPage(manifest: Manifest, quarantined: readonly QuarantinedUseCase[], result: SimulationResult, scenario: Scenario, source: string): UiData {
  const label = `simulation${scenario.window ? ` of ${scenario.window.start.slice(0, 10)}` : ''} (scenario ${source.replace(/^src\/simulator\/scenarios\//, '')})`;
  const notes = result.problems.length ? [`the simulator worked around ${result.problems.length} defect(s) of the compiled artifacts (lakestep simulate lists them)`] : [];
  return pageData({ manifest, quarantined, runs: runsOfSimulation(result), source: { kind: 'simulation', label, now: simulatedNow(result, scenario.window), notes } });
}
