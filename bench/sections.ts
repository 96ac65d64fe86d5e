/**
 * The bench sections, in run order: each a module under bench/ exporting
 * `run(ctx)` (see harness.ts), loaded only when it runs. Add a section by
 * adding a line here.
 */
import type { SectionModule } from './harness.ts';

export interface SectionEntry {
  name: string;
  title: string;
  load(): Promise<SectionModule>;
}

export const SECTIONS: SectionEntry[] = [
  { name: 'startup', title: 'Start-up of the installed CLI against a bare node process', load: () => import('./startup.ts') },
  { name: 'incremental', title: 'Incremental compile and peak memory of the CLI on a generated tree: one use case changed against a full compile', load: () => import('./incremental.ts') },
  { name: 'compile', title: 'Compiler scaling: compile() against plain YAML parsing, 10 → 1,000 use cases', load: () => import('./compile.ts') },
  { name: 'stats', title: 'Example platform: workflows, Spark jobs and success-path transitions per kind', load: () => import('./stats.ts') },
  { name: 'simulator', title: 'Simulator throughput', load: () => import('./simulator.ts') },
  { name: 'synth', title: 'CDK synth time and peak memory: 100 and 1,000 workflows, cdk-nag on', load: () => import('./synth.ts') },
];
