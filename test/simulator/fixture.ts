/**
 * Hand-made build/ directories for simulator tests: a manifest plus ASL, the platform's
 * rule (with a hand-made machine in the dispatcher's place) and job documents, laid out as
 * DESIGN §6 describes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DataSyncResource, JobDocument, Manifest, ManifestWorkflow, RuleDefinition, ScheduleDefinition } from '../../src/build/types.ts';
import { manifestPlatform, manifestWorkflow, writeManifest } from '../helpers/manifest.ts';
import { stateMachineArnPlaceholder, stateMachineName } from '../../src/naming.ts';

export const PREFIX = 'ls';

export interface FixtureWorkflow {
  useCase: string;
  name: string;
  definition: object;
  schedules?: ScheduleDefinition[];
  jobs?: Record<string, JobDocument>;
  datasync?: DataSyncResource[];
}

/** ARN, with placeholders, of a fixture workflow's state machine. */
export function arnOf(useCase: string, dag: string): string {
  return stateMachineArnPlaceholder(stateMachineName(PREFIX, useCase, dag));
}

/** The platform's one rule and the machine in the dispatcher's place (`lakestep/dispatch`). */
export interface FixturePlatformRule {
  rule: RuleDefinition;
  definition?: object;
}

export function makeBuild(workflows: FixtureWorkflow[], platformRule?: FixturePlatformRule): string {
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
        for (const [path, doc] of Object.entries(w.jobs ?? {})) write(path, doc);
        return manifestWorkflow(uc, w.name, {
          specFile: `specs/${uc}/orchestration.yaml`,
          specLine: 1,
          ...(w.schedules ? { schedules: w.schedules } : {}),
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
  if (platformRule) {
    write('lakestep/backfill.asl.json', PASS_MACHINE);
    write('lakestep/dispatch.asl.json', platformRule.definition ?? PASS_MACHINE);
    manifest.machines = {
      backfill: { stateMachineName: `${PREFIX}-lakestep-backfill`, definition: 'lakestep/backfill.asl.json' },
      dispatcher: { stateMachineName: `${PREFIX}-lakestep-dispatcher`, definition: 'lakestep/dispatch.asl.json', rule: platformRule.rule },
    };
  }
  writeManifest(dir, manifest);
  return dir;
}

/** A one-state machine that ends successfully, echoing its input. */
export const PASS_MACHINE = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };
