/**
 * Reads a build/ directory (DESIGN §6): the manifest, each workflow's ASL, the
 * platform's dispatcher and its rule, the routes and tags the dispatcher reads, the
 * schedules and the job documents, with placeholders filled by fake values.
 *
 * The manifest is read at once; a state machine's definition and a job document are read
 * when the simulation first needs them: a run of one workflow of a 1,000-use-case build
 * reads the handful of files it runs, not the build's 130 MB of ASL and jobs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StateMachineDefinition } from '../asl/types.ts';
import { readManifestDir } from '../build/manifest-files.ts';
import type { JobDocument, Manifest, ManifestWorkflow, RouteDefinition, RuleDefinition, ScheduleDefinition } from '../build/types.ts';
import { DAG_TOPIC_TAG } from '../events/routes.ts';
import { ACCOUNT, PARTITION, placeholderValues, substitute } from './placeholders.ts';
import type { KnownTopics } from './services/sns.ts';

import { BACKFILL_REF, DISPATCHER_REF } from './refs.ts';

export { BACKFILL_REF, DISPATCHER_REF };

export interface MachineSource {
  /** `<use-case>/<dag>`, `<use-case>/<dag>#watch` for a watch machine, {@link DISPATCHER_REF} or {@link BACKFILL_REF}. */
  ref: string;
  useCase: string;
  /** The workflow (absent for the platform's own machines). */
  workflow?: ManifestWorkflow;
  /** Tags of the state machine (ListTagsForResource). */
  tags: Record<string, string>;
  name: string;
  arn: string;
  /** Read (and its placeholders filled) on first use. */
  readonly definition: StateMachineDefinition;
}

/** A machine source whose definition `load` makes on first use, then keeps. */
export function lazyDefinition(source: Omit<MachineSource, 'definition'>, load: () => StateMachineDefinition): MachineSource {
  let definition: StateMachineDefinition | undefined;
  return Object.defineProperty({ ...source }, 'definition', { enumerable: true, get: () => (definition ??= load()) }) as MachineSource;
}

/** Job documents by path relative to build/, each read on first use. */
export interface JobDocuments {
  get(path: string): JobDocument | undefined;
}

export interface LoadedBuild {
  manifest: Manifest;
  region: string;
  account: string;
  placeholders: Record<string, string>;
  /** Placeholders found in the artifacts read so far that have no fake value (filled with `sim-<Name>`). */
  readonly unknownPlaceholders: string[];
  machines: MachineSource[];
  /** The platform's EventBridge rules (the dispatcher's), placeholders filled. */
  rules: { rule: RuleDefinition; ref: string }[];
  /** SSM parameters of the routes (GetParametersByPath), by name. */
  parameters: Map<string, RouteDefinition>;
  /** EventBridge Scheduler schedules, placeholders filled. */
  schedules: { schedule: ScheduleDefinition; ref: string; useCase: string }[];
  /** Job documents by path relative to build/. */
  jobs: JobDocuments;
  /** DataSync task ARN by table name. */
  datasyncTasks: Map<string, string>;
  /** `Includes` filter of the tables whose task serves several tables, by table name. */
  datasyncIncludes: Map<string, string>;
}

/**
 * The SNS topics the build's stacks create: the platform's, and the topic of each dag with
 * `notification.emails` whose machine carries the dag-topic tag (infra/usecase/workflow-topic.ts).
 */
export function buildTopics(build: Pick<LoadedBuild, 'manifest' | 'region' | 'account'>): KnownTopics {
  const prefix = `arn:${PARTITION}:sns:${build.region}:${build.account}:`;
  const names = [
    build.manifest.platform.notifications.topicName,
    ...build.manifest.useCases.flatMap((uc) => uc.workflows.filter((w) => (w.notificationEmails ?? []).length > 0 && w.stateMachineTags[DAG_TOPIC_TAG] !== undefined).map((w) => `${w.stateMachineName}-notifications`)),
  ];
  return { prefix, arns: new Set(names.map((n) => `${prefix}${n}`)) };
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
  const filled = <T>(path: string) => (): T => substitute(readJson(path) as T, placeholders, unknown);
  const machines: MachineSource[] = [];
  const rules: LoadedBuild['rules'] = [];
  const parameters: LoadedBuild['parameters'] = new Map();
  const schedules: LoadedBuild['schedules'] = [];
  const jobPaths = new Set<string>();
  const jobs = new Map<string, JobDocument>();
  const datasyncTasks = new Map<string, string>();
  const datasyncIncludes = new Map<string, string>();
  for (const uc of manifest.useCases) {
    for (const wf of uc.workflows) {
      const ref = `${uc.name}/${wf.name}`;
      const name = wf.stateMachineName;
      machines.push(lazyDefinition({ ref, useCase: uc.name, workflow: wf, tags: wf.stateMachineTags ?? {}, name, arn: stateMachineArn(region, name) }, filled(wf.definition)));
      for (const route of wf.routes ?? []) parameters.set(route.Name, route);
      for (const schedule of wf.schedules ?? []) schedules.push({ schedule: substitute(schedule, placeholders, unknown), ref, useCase: uc.name });
      // A watch machine is no workflow of the routing: no tags, so the dispatcher never routes its status.
      if (wf.watch) {
        const watchName = wf.watch.stateMachineName;
        machines.push(lazyDefinition({ ref: `${ref}#watch`, useCase: uc.name, workflow: wf, tags: {}, name: watchName, arn: stateMachineArn(region, watchName) }, filled(wf.watch.definition)));
      }
      for (const job of wf.jobs) jobPaths.add(job);
      for (const ds of wf.resources.datasync) {
        datasyncTasks.set(ds.table, 'taskArn' in ds ? ds.taskArn : (placeholders[ds.placeholder] ?? ''));
        if (ds.includes !== undefined) datasyncIncludes.set(ds.table, ds.includes);
      }
    }
  }
  const dispatcher = manifest.machines?.dispatcher;
  if (dispatcher) {
    const name = dispatcher.stateMachineName;
    machines.push(lazyDefinition({ ref: DISPATCHER_REF, useCase: 'lakestep', tags: {}, name, arn: stateMachineArn(region, name) }, filled(dispatcher.definition)));
    rules.push({ rule: substitute(dispatcher.rule, placeholders, unknown), ref: DISPATCHER_REF });
  }
  // Started only by hand (a scenario start with the input `lakestep backfill --detach` would give it).
  const backfill = manifest.machines?.backfill;
  if (backfill) machines.push(lazyDefinition({ ref: BACKFILL_REF, useCase: 'lakestep', tags: {}, name: backfill.stateMachineName, arn: stateMachineArn(region, backfill.stateMachineName) }, filled(backfill.definition)));
  return {
    manifest,
    region,
    account: ACCOUNT,
    placeholders,
    get unknownPlaceholders() {
      return [...unknown].sort();
    },
    machines,
    rules,
    parameters,
    schedules,
    // Only the documents the manifest lists: a path from elsewhere reads nothing.
    jobs: {
      get: (path) => {
        if (!jobPaths.has(path)) return undefined;
        let doc = jobs.get(path);
        if (!doc) jobs.set(path, (doc = readJson(path) as JobDocument));
        return doc;
      },
    },
    datasyncTasks,
    datasyncIncludes,
  };
}
