/**
 * Compiled use cases → the files of build/ and the manifest (DESIGN §6).
 * Pure: returns path → content; the CLI writes them.
 */
import { frame, isRestartState } from '../asl/frame.ts';
import { allStates, placeholdersIn, stateCount, successPathLength } from '../asl/analysis.ts';
import { jsonBytes, worstCaseEvents } from '../asl/limits.ts';
import { gateHistoryEvents } from '../asl/gate.ts';
import type { Platform, UseCase, Workflow } from '../ir/types.ts';
import { compilePhase } from '../phases/index.ts';
import { migrationWaits, type MigrationRef } from '../ir/migration-order.ts';
import type { UseCaseFacts, WorkflowFacts } from '../ir/facts.ts';
import { isSkipState } from '../phases/migration-guard.ts';
import { watchFor } from '../asl/watch.ts';
import type { FreshnessAlarm, Manifest, ManifestTable, ManifestUseCase, ManifestWorkflow } from './types.ts';
import { freshnessAlarms } from '../events/freshness.ts';
import { MANIFEST_VERSION } from './types.ts';
import { storageFor } from './storage.ts';
import { applySchedulesEnabled } from '../events/environment.ts';
import { workflowSchedules } from '../events/schedule.ts';
import { machineTags, workflowRoutes } from '../events/routes.ts';
import { statusRule } from '../events/status-rule.ts';
import { backfillMachine } from '../asl/backfill.ts';
import { accessByTable, readsAndWrites } from '../ir/access.ts';
import type { PlatformIndex } from '../ir/context.ts';
import { dispatcherMachine } from '../asl/dispatch.ts';

/** Where the platform's machines are written, relative to build/ (`lakestep` is no use case). */
export const BACKFILL_DEFINITION = 'lakestep/backfill.asl.json';
export const DISPATCHER_DEFINITION = 'lakestep/dispatch.asl.json';

export interface BuildOutput {
  manifest: Manifest;
  /** Artifact path relative to build/ → content. */
  files: Map<string, string>;
}

export interface AssembleInput {
  platform: Platform;
  /** What the whole-platform stages read of each compiled use case (src/ir/facts.ts). */
  useCases: readonly UseCaseFacts[];
  /** Every migrated table (`<db>.<table>`) → its migration, across use cases (src/ir/migration-order.ts). */
  migrated: ReadonlyMap<string, MigrationRef>;
  /** Owner of every claimed table, by lower-case `database.table` (src/ir/ownership.ts). */
  owners: ReadonlyMap<string, string>;
  index: PlatformIndex;
  lakestepVersion: string;
}

function freshnessOf(platform: Platform, uc: UseCase): { freshness?: FreshnessAlarm[] } {
  const alarms = freshnessAlarms(platform, uc);
  return alarms.length ? { freshness: alarms } : {};
}

/**
 * One compiled use case → its part of the manifest, its ASL and job documents into `files`; `facts` are
 * the use case's facts (src/ir/facts.ts) as its normalize stage made them.
 */
export function assembleUseCase(uc: UseCase, input: Pick<AssembleInput, 'platform' | 'migrated'>, files: Map<string, string>, facts: UseCaseFacts): ManifestUseCase {
  return {
    name: uc.name,
    owner: uc.owner,
    specHash: uc.specHash,
    files: uc.files,
    workflows: uc.workflows.map((w, i) => compileWorkflow(w, facts.workflows[i]!, input, files)),
    ...(uc.shares ? { shares: uc.shares } : {}),
    ...freshnessOf(input.platform, uc),
  };
}


/**
 * What the whole platform shares: the manifest without its use cases (`useCases: []`, filled by the
 * caller in build order) and the platform's own machines.
 */
export function assemblePlatform(input: Omit<AssembleInput, 'migrated' | 'owners' | 'index'> & { tables: Record<string, ManifestTable> }): BuildOutput {
  const files = new Map<string, string>();
  // The manifest carries the environment settings, not the compiler's defaults.
  const { defaults: _defaults, origin: _origin, schedulesEnabled: _schedules, quality: _quality, grants: _grants, ...settings } = input.platform;
  // The platform's own machines, with any use case to run.
  const backfill = input.useCases.length ? backfillMachine(input.platform) : undefined;
  const dispatcher = input.useCases.length ? dispatcherMachine(input.platform) : undefined;
  // The platform stack deploys these two files' text as it is: indented, as they always were,
  // so that compact workflow files change no deployed definition (two files, whatever the size).
  if (backfill) files.set(BACKFILL_DEFINITION, indentedJson(backfill.definition));
  if (dispatcher) files.set(DISPATCHER_DEFINITION, indentedJson(dispatcher.definition));
  return {
    manifest: {
      version: MANIFEST_VERSION,
      lakestepVersion: input.lakestepVersion,
      // Nothing derived from the use cases: every stack's inputs hash covers these settings.
      platform: settings,
      useCases: [],
      tables: input.tables,
      quarantined: [],
      ...(backfill && dispatcher
        ? {
            machines: {
              backfill: { stateMachineName: backfill.stateMachineName, definition: BACKFILL_DEFINITION },
              dispatcher: { stateMachineName: dispatcher.stateMachineName, type: dispatcher.type, definition: DISPATCHER_DEFINITION, rule: statusRule(input.platform) },
            },
          }
        : {}),
    },
    files,
  };
}

function compileWorkflow(w: Workflow, facts: WorkflowFacts, input: Pick<AssembleInput, 'platform' | 'migrated'>, files: Map<string, string>): ManifestWorkflow {
  const phase = compilePhase({ workflow: w, platform: input.platform, waits: migrationWaits(facts, input.migrated) });
  const definition = frame(w, phase);
  const events = { schedules: applySchedulesEnabled(input.platform, workflowSchedules(input.platform, w)), routes: workflowRoutes(input.platform, w) };
  const base = `${w.useCase}/${w.name}`;
  const definitionJson = compactJson(definition);
  files.set(`${base}.asl.json`, definitionJson);
  const jobs = phase.jobs.map((j) => {
    const path = `${w.useCase}/jobs/${w.name}/${j.job}.json`;
    files.set(path, compactJson(j));
    return path;
  });
  const access = facts.access;
  const watched = watchFor(w);
  let watch: ManifestWorkflow['watch'];
  let watchJson = '';
  if (watched) {
    const path = `${base}.slow.asl.json`;
    watchJson = compactJson(watched.definition);
    files.set(path, watchJson);
    watch = { stateMachineName: watched.stateMachineName, definition: path, afterSeconds: watched.afterSeconds };
  }
  return {
    name: w.name,
    type: w.type,
    kind: w.body.kind,
    stateMachineName: w.stateMachineName,
    definition: `${base}.asl.json`,
    specFile: w.origin.file,
    specLine: w.origin.line,
    enabled: w.enabled,
    tags: w.tags,
    ...(w.schedule === undefined ? {} : { schedule: w.schedule }),
    ...(w.scheduleTimezone && w.scheduleTimezone !== 'UTC' ? { scheduleTimezone: w.scheduleTimezone } : {}),
    ...(w.timetable ? { timetable: w.timetable } : {}),
    dependsOn: w.dependsOn.map((d) => `${d.useCase}/${d.dag}`),
    ...readsAndWrites(access),
    access: Object.fromEntries(accessByTable(access)),
    ...(events.schedules.length ? { schedules: events.schedules } : {}),
    ...(events.routes.length ? { routes: events.routes } : {}),
    stateMachineTags: machineTags(input.platform, w),
    ...(watch ? { watch } : {}),
    ...(w.maxActiveRuns === undefined ? {} : { maxActiveRuns: w.maxActiveRuns }),
    ...(phase.scheduleGroups ? { scheduleGroups: phase.scheduleGroups } : {}),
    ...(phase.managedTables?.length ? { managedTables: phase.managedTables } : {}),
    jobs,
    resources: { ...phase.resources, storage: storageFor(w, input.platform) },
    ...(w.notification.emails.length ? { notificationEmails: w.notification.emails } : {}),
    placeholders: placeholdersIn(definitionJson + watchJson, events.schedules),
    stats: {
      sparkJobs: phase.sparkJobs,
      states: stateCount(definition),
      successPathTransitions: successPathLength(definition, (s) => isSkipState(s) || isRestartState(s)),
      // The frame's own states (run context, run record) on top of the phase's count.
      // A gated run (max_active_runs) may look for an earlier run's end until it times out: every look counts.
      worstCaseHistoryEvents: gateHistoryEvents(definition, phase.limits ? phase.limits.historyEvents : worstCaseEvents(definition, { loopIterations: 1 })),
      // Without a phase estimate: the literal results the definition puts in state, and the frame.
      worstCasePayloadBytes: phase.limits?.payloadBytes ?? 4096 + allStates(definition).reduce((n, [, st]) => n + (st.Type === 'Pass' && st.Result !== undefined ? jsonBytes(st.Result) : 0), 0),
    },
  };
}

/**
 * Compact JSON, as machines read it: the deployed definition is the compact
 * form anyway (the CDK app re-serializes it), and indentation was a third of
 * the build. The golden cases pretty-print it for review.
 */
export function compactJson(v: unknown): string {
  return JSON.stringify(v) + '\n';
}

function indentedJson(v: unknown): string {
  return JSON.stringify(v, null, 2) + '\n';
}
