/**
 * Reads a build/ directory (DESIGN §6): the manifest, each workflow's ASL and join
 * machine, the rules and the job documents, with placeholders filled by fake values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StateMachineDefinition } from '../asl/types.ts';
import type { JobDocument, Manifest, ManifestWorkflow, RuleDefinition, ScheduleDefinition } from '../build/types.ts';
import { ACCOUNT, PARTITION, placeholderValues, substitute } from './placeholders.ts';

export interface MachineSource {
  /** `<use-case>/<dag>`, or `<use-case>/<dag>#join` for a join machine. */
  ref: string;
  useCase: string;
  workflow: ManifestWorkflow;
  name: string;
  arn: string;
  definition: StateMachineDefinition;
}

export interface LoadedBuild {
  manifest: Manifest;
  region: string;
  account: string;
  placeholders: Record<string, string>;
  /** Placeholders found in artifacts that have no fake value (filled with `sim-<Name>`). */
  unknownPlaceholders: string[];
  machines: MachineSource[];
  rules: { rule: RuleDefinition; ref: string }[];
  /** EventBridge Scheduler schedules, placeholders filled. */
  schedules: { schedule: ScheduleDefinition; ref: string }[];
  /** Job documents by path relative to build/. */
  jobs: Map<string, JobDocument>;
  /** DataSync task ARN by table name. */
  datasyncTasks: Map<string, string>;
  /** `Includes` filter of the tables whose task serves several tables, by table name. */
  datasyncIncludes: Map<string, string>;
}

export function stateMachineArn(region: string, name: string): string {
  return `arn:${PARTITION}:states:${region}:${ACCOUNT}:stateMachine:${name}`;
}

export function loadBuild(buildDir: string): LoadedBuild {
  const readJson = (path: string): unknown => JSON.parse(readFileSync(join(buildDir, path), 'utf8'));
  const manifest = readJson('manifest.json') as Manifest;
  const region = manifest.platform.region;
  const placeholders = placeholderValues(manifest);
  const unknown = new Set<string>();
  const machines: MachineSource[] = [];
  const rules: LoadedBuild['rules'] = [];
  const schedules: LoadedBuild['schedules'] = [];
  const jobs = new Map<string, JobDocument>();
  const datasyncTasks = new Map<string, string>();
  const datasyncIncludes = new Map<string, string>();
  for (const uc of manifest.useCases) {
    for (const wf of uc.workflows) {
      const ref = `${uc.name}/${wf.name}`;
      const add = (suffix: string, name: string, path: string): void => {
        const definition = substitute(readJson(path) as StateMachineDefinition, placeholders, unknown);
        machines.push({ ref: ref + suffix, useCase: uc.name, workflow: wf, name, arn: stateMachineArn(region, name), definition });
      };
      add('', wf.stateMachineName, wf.definition);
      if (wf.gate) add('#join', wf.gate.stateMachineName, wf.gate.definition);
      for (const rule of wf.rules) rules.push({ rule: substitute(rule, placeholders, unknown), ref });
      for (const schedule of wf.schedules ?? []) schedules.push({ schedule: substitute(schedule, placeholders, unknown), ref });
      for (const job of wf.jobs) jobs.set(job, readJson(job) as JobDocument);
      for (const ds of wf.resources.datasync) {
        datasyncTasks.set(ds.table, 'taskArn' in ds ? ds.taskArn : (placeholders[ds.placeholder] ?? ''));
        if (ds.includes !== undefined) datasyncIncludes.set(ds.table, ds.includes);
      }
    }
  }
  return { manifest, region, account: ACCOUNT, placeholders, unknownPlaceholders: [...unknown].sort(), machines, rules, schedules, jobs, datasyncTasks, datasyncIncludes };
}
