/**
 * Hand-made build/ directories for simulator tests: a manifest plus ASL, rules and job
 * documents, laid out as DESIGN §6 describes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DataSyncResource, JobDocument, Manifest, ManifestWorkflow, RuleDefinition, ScheduleDefinition } from '../../src/build/types.ts';
import { manifestPlatform, manifestWorkflow } from '../helpers/manifest.ts';
import { stateMachineArnPlaceholder, stateMachineName } from '../../src/naming.ts';

export const PREFIX = 'ls';

export interface FixtureWorkflow {
  useCase: string;
  name: string;
  definition: object;
  rules?: RuleDefinition[];
  schedules?: ScheduleDefinition[];
  gate?: object;
  jobs?: Record<string, JobDocument>;
  datasync?: DataSyncResource[];
}

/** ARN, with placeholders, of a fixture workflow's state machine. */
export function arnOf(useCase: string, dag: string): string {
  return stateMachineArnPlaceholder(stateMachineName(PREFIX, useCase, dag));
}

export function makeBuild(workflows: FixtureWorkflow[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'lakestep-sim-'));
  const write = (path: string, value: unknown): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), JSON.stringify(value, null, 2));
  };
  const useCases = [...new Set(workflows.map((w) => w.useCase))].map((uc) => ({
    name: uc,
    owner: `${uc}@example.com`,
    specHash: '0',
    files: [],
    workflows: workflows
      .filter((w) => w.useCase === uc)
      .map((w): ManifestWorkflow => {
        const definition = `${uc}/${w.name}.asl.json`;
        write(definition, w.definition);
        const smName = stateMachineName(PREFIX, uc, w.name);
        if (w.gate) write(`${uc}/${w.name}.join.asl.json`, w.gate);
        for (const [path, doc] of Object.entries(w.jobs ?? {})) write(path, doc);
        return manifestWorkflow(uc, w.name, {
          specFile: `specs/${uc}/orchestration.yaml`,
          specLine: 1,
          rules: w.rules ?? [],
          ...(w.schedules ? { schedules: w.schedules } : {}),
          ...(w.gate ? { gate: { stateMachineName: `${smName}-join`, definition: `${uc}/${w.name}.join.asl.json` } } : {}),
          jobs: Object.keys(w.jobs ?? {}),
          resources: { emr: true, datasync: w.datasync ?? [], secrets: [] },
          stats: { sparkJobs: 0, states: 0, successPathTransitions: 0 },
        }, PREFIX);
      }),
  }));
  const manifest: Manifest = {
    version: 1,
    lakestepVersion: '0.1.0',
    platform: manifestPlatform({
      prefix: PREFIX,
      catalog: 'glue',
      buckets: { landing: 'acme-landing', raw: 'acme-raw', process: 'acme-process', analytics: 'acme-analytics', artifacts: 'acme-artifacts' },
      dynamodb: { watermarks: 'ls-watermarks', runs: 'ls-runs', gates: 'ls-gates' },
      notifications: { topicName: 'ls-alerts', emails: [] },
    }),
    useCases,
    tables: {},
    quarantined: [],
  };
  write('manifest.json', manifest);
  return dir;
}

/** A one-state machine that ends successfully, echoing its input. */
export const PASS_MACHINE = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };
