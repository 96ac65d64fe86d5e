/**
 * Reads a build/ directory (DESIGN §6): the manifest, each workflow's ASL, the
 * platform's dispatcher and its rule, the routes and tags the dispatcher reads, the
 * schedules and the job documents, with placeholders filled by fake values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StateMachineDefinition } from '../asl/types.ts';
import { readManifestDir } from '../build/manifest-files.ts';
import type { JobDocument, Manifest, ManifestWorkflow, RouteDefinition, RuleDefinition, ScheduleDefinition } from '../build/types.ts';
import { ACCOUNT, PARTITION, placeholderValues, substitute } from './placeholders.ts';

import { DISPATCHER_REF } from './refs.ts';

export { DISPATCHER_REF };

export interface MachineSource {
  /** `<use-case>/<dag>`, `<use-case>/<dag>#watch` for a watch machine, or {@link DISPATCHER_REF}. */
  ref: string;
  useCase: string;
  /** The workflow (absent for the platform's dispatcher). */
  workflow?: ManifestWorkflow;
  /** Tags of the state machine (ListTagsForResource). */
  tags: Record<string, string>;
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
  /** The platform's EventBridge rules (the dispatcher's), placeholders filled. */
  rules: { rule: RuleDefinition; ref: string }[];
  /** SSM parameters of the routes (GetParametersByPath), by name. */
  parameters: Map<string, RouteDefinition>;
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
  const manifest = readManifestDir(buildDir);
  const region = manifest.platform.region;
  const placeholders = placeholderValues(manifest);
  const unknown = new Set<string>();
  const machines: MachineSource[] = [];
  const rules: LoadedBuild['rules'] = [];
  const parameters: LoadedBuild['parameters'] = new Map();
  const schedules: LoadedBuild['schedules'] = [];
  const jobs = new Map<string, JobDocument>();
  const datasyncTasks = new Map<string, string>();
  const datasyncIncludes = new Map<string, string>();
  for (const uc of manifest.useCases) {
    for (const wf of uc.workflows) {
      const ref = `${uc.name}/${wf.name}`;
      const definition = substitute(readJson(wf.definition) as StateMachineDefinition, placeholders, unknown);
      const name = wf.stateMachineName;
      machines.push({ ref, useCase: uc.name, workflow: wf, tags: wf.stateMachineTags ?? {}, name, arn: stateMachineArn(region, name), definition });
      for (const route of wf.routes ?? []) parameters.set(route.Name, route);
      for (const schedule of wf.schedules ?? []) schedules.push({ schedule: substitute(schedule, placeholders, unknown), ref });
      // A watch machine is no workflow of the routing: no tags, so the dispatcher never routes its status.
      if (wf.watch) {
        const watchDefinition = substitute(readJson(wf.watch.definition) as StateMachineDefinition, placeholders, unknown);
        machines.push({ ref: `${ref}#watch`, useCase: uc.name, workflow: wf, tags: {}, name: wf.watch.stateMachineName, arn: stateMachineArn(region, wf.watch.stateMachineName), definition: watchDefinition });
      }
      for (const job of wf.jobs) jobs.set(job, readJson(job) as JobDocument);
      for (const ds of wf.resources.datasync) {
        datasyncTasks.set(ds.table, 'taskArn' in ds ? ds.taskArn : (placeholders[ds.placeholder] ?? ''));
        if (ds.includes !== undefined) datasyncIncludes.set(ds.table, ds.includes);
      }
    }
  }
  const dispatcher = manifest.machines?.dispatcher;
  if (dispatcher) {
    const definition = substitute(readJson(dispatcher.definition) as StateMachineDefinition, placeholders, unknown);
    const name = dispatcher.stateMachineName;
    machines.push({ ref: DISPATCHER_REF, useCase: 'lakestep', tags: {}, name, arn: stateMachineArn(region, name), definition });
    rules.push({ rule: substitute(dispatcher.rule, placeholders, unknown), ref: DISPATCHER_REF });
  }
  return { manifest, region, account: ACCOUNT, placeholders, unknownPlaceholders: [...unknown].sort(), machines, rules, parameters, schedules, jobs, datasyncTasks, datasyncIncludes };
}
