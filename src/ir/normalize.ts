/**
 * One use case's files → {@link UseCase}: schema validation of every file,
 * semantic checks of the orchestration, defaults applied platform → dag, and
 * the dag bodies normalized by their phase. Reports everything it finds and
 * returns undefined when the use case cannot compile.
 */
import { createHash } from 'node:crypto';
import type { Origin, Report } from '../diagnostics.ts';
import { JOIN_SUFFIX, stateMachineName, STATE_MACHINE_NAME_MAX, WATCH_SUFFIX } from '../naming.ts';
import type { UseCaseFiles } from '../spec/discover.ts';
import { parseDuration } from '../spec/duration.ts';
import { joinPointer, locate, type SpecFile } from '../spec/files.ts';
import { scheduleSetting, type ScheduleSetting } from '../spec/schedule-object.ts';
import { effectiveTimetable, type WorkflowTimetable } from './timetable.ts';
import { validateSchemaItems, validateSchemaLists } from '../spec/schema.ts';
import { closest, suggestValue } from '../spec/suggest.ts';
import type { DagSpec, DagType, OrchestrationSpec, SpecKind } from '../spec/types.ts';
import type { PhaseContext, PlatformIndex } from './context.ts';
import { canCoincide, dateSources, describeSource } from './join-dates.ts';
import { PHASE_LISTS, PHASES, type PhaseNormalizer } from './phases.ts';
import { checkFreshnessOnce } from './quality.ts';
import { normalizeSpark } from './spark.ts';
import type { Platform, UseCase, Workflow, WorkflowBody, WorkflowRef } from './types.ts';
import { overlapWarning } from './overlap.ts';

type PhaseKind = keyof typeof PHASES;

/** Which spec kind a dag type reads when it has no `spark:` block. */
export const CONFIG_KIND: Record<DagType, Exclude<SpecKind, 'platform' | 'orchestration'>> = {
  migration: 'migration',
  ingestion: 'ingestion',
  transformation: 'processing',
  maintenance: 'maintenance',
};

export interface NormalizeInput {
  platform: Platform;
  index: PlatformIndex;
  report: Report;
  /** Parsed files of the use case, by path relative to its folder. */
  parsed: Map<string, SpecFile>;
}

export function normalizeUseCase(files: UseCaseFiles, input: NormalizeInput): UseCase | undefined {
  const { report } = input;
  const orch = input.parsed.get('orchestration.yaml');
  if (!orch || orch.value === undefined) return undefined;
  // Errors inside one dag leave the others to be checked, so every independent problem is reported in one run;
  // so do errors outside the dag list (a missing `owner`), as long as the list itself is one.
  const schema = validateSchemaItems(orch, 'orchestration', report, '/dags');
  if (!schema.whole && !Array.isArray((orch.value as { dags?: unknown } | null)?.dags)) return undefined;
  const spec = orch.value as OrchestrationSpec;
  const checkedFiles = new Map<string, boolean>();
  const workflows: Workflow[] = [];
  let ok = schema.clean;
  /**
   * Schema, then semantics of a phase file (once per file): a schema error in
   * one of its list items leaves the other items checked. Returns the body, or
   * undefined when anything was wrong.
   */
  const phaseBody = (rel: string, kind: PhaseKind, file: SpecFile, ctx: PhaseContext, dag: DagSpec): WorkflowBody | undefined => {
    const first = !checkedFiles.has(rel);
    let valid = checkedFiles.get(rel);
    let skip: Set<string> | undefined;
    if (valid === undefined) {
      const r = validateSchemaLists(file, kind, report, PHASE_LISTS[kind]);
      valid = r.clean;
      checkedFiles.set(rel, valid);
      if (r.whole) skip = r.bad;
    }
    // An invalid file is checked (and reported) by its first reader only.
    if (!valid && !(first && skip)) return undefined;
    const b = (PHASES[kind] as PhaseNormalizer<PhaseKind>)({ ...ctx, file, ...(skip?.size ? { skip } : {}) }, file.value as never, dag);
    return valid ? b : undefined;
  };
  const seen = new Set<string>();

  for (const [i, dag] of spec.dags.entries()) {
    if (schema.badItems.has(i)) continue;
    const pointer = `/dags/${i}`;
    const origin = locate(orch, pointer);
    const base: PhaseContext = { platform: input.platform, report, useCase: files.name, dag: dag.name, index: input.index, file: orch, otherFiles: files.other };
    const err = (code: string, message: string, p: string, atKey = false) => {
      report.error(code, message, locate(orch, p, atKey), files.name);
      ok = false;
    };
    if (seen.has(dag.name)) err('DAG_DUPLICATE_NAME', `dag '${dag.name}' is defined more than once in this use case`, `${pointer}/name`);
    seen.add(dag.name);
    if (dag.name.endsWith(JOIN_SUFFIX)) err('DAG_NAME_RESERVED', `dag names may not end with '${JOIN_SUFFIX}': that suffix names the join machine of a dag`, `${pointer}/name`);
    if (dag.name.endsWith(WATCH_SUFFIX)) err('DAG_NAME_RESERVED', `dag names may not end with '${WATCH_SUFFIX}': that suffix names the watch machine of a dag with max_duration`, `${pointer}/name`);
    const smName = stateMachineName(input.platform.prefix, files.name, dag.name);
    if (smName.length > STATE_MACHINE_NAME_MAX - 5) {
      err('DAG_NAME_TOO_LONG', `state machine name '${smName}' is ${smName.length} characters; Step Functions allows ${STATE_MACHINE_NAME_MAX} including the '-join' suffix of join machines`, `${pointer}/name`);
    }
    let schedule: ScheduleSetting | undefined;
    if (dag.schedule !== undefined) {
      const r = scheduleSetting(dag.schedule);
      const where = (field?: string) => (field && typeof dag.schedule === 'object' ? `${pointer}/schedule/${field}` : `${pointer}/schedule`);
      if ('problems' in r) for (const p of r.problems) err(p.code, p.message, where(p.field));
      else {
        schedule = r.setting;
        for (const w of r.warnings) report.warning(w.code, w.message, locate(orch, where(w.field)), files.name);
      }
      if (dag.type === 'maintenance' && !dag.spark) err('SCHEDULE_ON_MAINTENANCE', 'maintenance schedules live per task in maintenance.yaml (or its top-level `schedule`)', `${pointer}/schedule`);
    }
    const dependsOn = resolveDependencies(dag, pointer, files.name, input, orch, spec, err);
    checkJoinSchedules(dependsOn, input, (code, message, origin) => report.warning(code, message, origin, files.name));
    checkJoinDates(dependsOn, input, `${files.name}/${dag.name}`, (code, message, origin) => report.warning(code, message, origin, files.name));
    const timeoutSeconds = dag.timeout === undefined ? input.platform.defaults.timeoutSeconds : parseDuration(dag.timeout) ?? 0;
    if (timeoutSeconds < 1) err('DAG_TIMEOUT_TOO_SHORT', 'a timeout is at least one second', `${pointer}/timeout`);
    if (timeoutSeconds > 365 * 86_400) err('DAG_TIMEOUT_TOO_LONG', 'a Standard workflow runs at most one year', `${pointer}/timeout`);
    if (dag.timeout !== undefined) warnShortTimeout(timeoutSeconds, locate(orch, `${pointer}/timeout`), report, files.name);
    const maxDurationSeconds = dag.max_duration === undefined ? undefined : parseDuration(dag.max_duration);
    if (maxDurationSeconds !== undefined && maxDurationSeconds < 60) err('DAG_MAX_DURATION_TOO_SHORT', 'max_duration is at least one minute: the watch starts with the run and notifies past it', `${pointer}/max_duration`);
    else if (maxDurationSeconds !== undefined && maxDurationSeconds > timeoutSeconds) {
      err('DAG_MAX_DURATION_OVER_TIMEOUT', `max_duration ${dag.max_duration} is longer than the dag's timeout (${dag.timeout ?? `${timeoutSeconds}s, the platform default`}): give a max_duration at most the timeout, or raise the timeout`, `${pointer}/max_duration`);
    }
    if (dag.spark?.timeout !== undefined) warnShortTimeout(parseDuration(dag.spark.timeout) ?? timeoutSeconds, locate(orch, `${pointer}/spark/timeout`), report, files.name);

    let body: WorkflowBody | undefined;
    let configFile = orch.path;
    if (dag.spark) {
      if (dag.config !== undefined) err('DAG_SPARK_AND_CONFIG', 'a dag with a `spark:` block runs that job; remove `config:` or the `spark:` block', `${pointer}/config`);
      const spark = normalizeSpark(dag.spark, `${pointer}/spark`, timeoutSeconds, base);
      if (spark) body = { kind: 'spark', spark };
      else ok = false;
    } else {
      const kind = CONFIG_KIND[dag.type];
      const rel = dag.config ?? `${kind}.yaml`;
      const file = input.parsed.get(rel);
      if (!file) {
        const hint = closest(rel, [...input.parsed.keys()]);
        err('CONFIG_NOT_FOUND', `dag '${dag.name}' (type ${dag.type}) reads '${files.name}/${rel}', which does not exist${hint ? ` (did you mean '${hint}'?)` : ''}`, dag.config === undefined ? `${pointer}/type` : `${pointer}/config`);
      } else if (file.value !== undefined) {
        const b = phaseBody(rel, kind, file, base, dag);
        if (b) body = b;
        else ok = false;
        configFile = file.path;
      } else ok = false;
    }
    if (!body) {
      ok = false;
      continue;
    }
    const workflow: Workflow = {
      useCase: files.name,
      name: dag.name,
      type: dag.type,
      stateMachineName: smName,
      ...(dag.description === undefined ? {} : { description: dag.description }),
      tags: dag.tags ?? [],
      notification: {
        onSuccess: dag.notification?.on_success_callback ?? false,
        onFailure: dag.notification?.on_failure_callback ?? true,
        emails: dag.notification?.emails ?? [],
      },
      ...(schedule === undefined ? {} : { schedule: schedule.expression, scheduleTimezone: schedule.timezone, ...(schedule.flexibleWindowMinutes ? { flexibleWindowMinutes: schedule.flexibleWindowMinutes } : {}) }),
      logicalDate: dag.logical_date ?? input.platform.defaults.logicalDate,
      ...timetableOf(input, `${files.name}/${dag.name}`),
      dependsOn,
      retries: dag.retries ?? input.platform.defaults.retries,
      timeoutSeconds,
      ...(maxDurationSeconds === undefined ? {} : { maxDurationSeconds }),
      ...(dag.max_active_runs === undefined ? {} : { maxActiveRuns: dag.max_active_runs }),
      enabled: dag.enabled ?? true,
      body,
      configFile,
      origin,
    };
    const overlap = overlapWarning(workflow);
    if (overlap) report.warning('RUNS_MAY_OVERLAP', overlap, locate(orch, `${pointer}/schedule`), files.name);
    workflows.push(workflow);
  }
  // The phase file a dag with schema errors would read is still checked, so its errors show in this run too.
  for (const i of schema.badItems) {
    const read = phaseFileOf(spec.dags[i]);
    const file = read && input.parsed.get(read.rel);
    if (!read || !file || file.value === undefined || checkedFiles.has(read.rel)) continue;
    const name = typeof spec.dags[i]?.name === 'string' ? spec.dags[i]!.name : '';
    const base: PhaseContext = { platform: input.platform, report, useCase: files.name, dag: name, index: input.index, file, otherFiles: files.other };
    phaseBody(read.rel, read.kind, file, base, spec.dags[i]!);
  }
  // Files nobody reads are most likely a typo in `config:`; say so.
  // Not when a dag was skipped for schema errors (it may be the reader) or the file did not parse (already an error).
  for (const [rel, f] of input.parsed) {
    if (schema.badItems.size || f.value === undefined) continue;
    if (rel !== 'orchestration.yaml' && !workflows.some((w) => w.configFile === f.path) && !checkedFiles.has(rel)) {
      report.warning('SPEC_UNUSED_FILE', `'${f.path}' is not read by any dag of '${files.name}'`, { file: f.path, line: 1, column: 1, pointer: '' }, files.name);
    }
  }
  if (!checkCheckpoints(workflows, report, files.name)) ok = false;
  if (!checkFreshnessOnce(workflows, report, files.name)) ok = false;
  if (!ok) return undefined;
  const paths = [...files.yaml.keys(), ...files.other.keys()].sort();
  const hash = createHash('sha256');
  for (const p of paths) hash.update(p).update('\0').update((files.yaml.get(p) ?? files.other.get(p))!.text).update('\0');
  const shares = (spec.share ?? []).map((s) => ({ table: s.table, with: s.with, access: s.access ?? ['read'] }));
  return {
    name: files.name,
    owner: spec.owner,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    specHash: hash.digest('hex'),
    files: paths.map((p) => `${files.name}/${p}`),
    workflows,
    ...(shares.length > 0 ? { shares } : {}),
  };
}

/** Below this, a job attempt is likely cancelled while its application is still starting (JOB_TIMEOUT_SHORT). */
export const JOB_TIMEOUT_WARN_SECONDS = 600;

/**
 * A job attempt limited to less than ten minutes is likely cancelled while a
 * stopped EMR Serverless application is still starting (a minute or more, longer
 * with a custom image or a cold network).
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/application-capacity.html
 */
export function warnShortTimeout(seconds: number, at: Origin, report: Report, useCase?: string): void {
  if (seconds < 1 || seconds >= JOB_TIMEOUT_WARN_SECONDS) return;
  report.warning(
    'JOB_TIMEOUT_SHORT',
    `a timeout of ${seconds < 60 ? `${seconds}s` : `${Math.round(seconds / 60)}m`} limits each Spark job attempt: an application that has to start first may not even begin the job in that time; give at least ${JOB_TIMEOUT_WARN_SECONDS / 60}m`,
    at,
    useCase,
  );
}

/**
 * A Kafka checkpoint belongs to one stream: two dags reading a source of the
 * same name (from two ingestion files, or one file read twice) would share
 * `lakestep/checkpoints/<use-case>/<source>/` and corrupt each other's offsets.
 */
function checkCheckpoints(workflows: readonly Workflow[], report: Report, useCase: string): boolean {
  const first = new Map<string, Workflow>();
  let ok = true;
  for (const w of workflows) {
    if (w.body.kind !== 'ingestion') continue;
    for (const k of w.body.ingestion.kafka) {
      const other = first.get(k.checkpoint);
      if (other) {
        report.error('INGESTION_CHECKPOINT_SHARED', `Kafka source '${k.name}' of dag '${w.name}' would share its checkpoint ${k.checkpoint} with the source of the same name of dag '${other.name}' (${other.configFile}): give each stream its own source name`, k.origin, useCase);
        ok = false;
      } else first.set(k.checkpoint, w);
    }
  }
  return ok;
}

/**
 * Which phase file a dag that failed schema validation would read: its
 * `config`, else the file of its type, or of the type its misspelt `type`
 * suggests (`ingest` → ingestion.yaml). Undefined for Spark dags or no guess.
 */
function phaseFileOf(dag: unknown): { rel: string; kind: PhaseKind } | undefined {
  if (!dag || typeof dag !== 'object' || 'spark' in dag) return undefined;
  const { type, config } = dag as { type?: unknown; config?: unknown };
  if (typeof type !== 'string') return undefined;
  const types = Object.keys(CONFIG_KIND) as DagType[];
  const guess = types.includes(type as DagType) ? (type as DagType) : (suggestValue(type, types) as DagType | undefined);
  if (!guess) return undefined;
  const kind = CONFIG_KIND[guess];
  return { rel: typeof config === 'string' ? config : `${kind}.yaml`, kind };
}

function resolveDependencies(
  dag: DagSpec,
  pointer: string,
  useCase: string,
  input: NormalizeInput,
  orch: SpecFile,
  spec: OrchestrationSpec,
  err: (code: string, message: string, p: string) => void,
): WorkflowRef[] {
  const refs: WorkflowRef[] = [];
  const seen = new Set<string>();
  for (const [j, dep] of (dag.depends_on ?? []).entries()) {
    const p = joinPointer(pointer, 'depends_on', j);
    const [uc, name] = dep.includes('/') ? (dep.split('/', 2) as [string, string]) : [useCase, dep];
    const origin = locate(orch, p);
    const key = `${uc}/${name}`;
    if (seen.has(key)) {
      err('DAG_DUPLICATE_DEPENDENCY', `'${dep}' is listed twice`, p);
      continue;
    }
    seen.add(key);
    if (uc === useCase && name === dag.name) {
      err('DAG_SELF_DEPENDENCY', `dag '${dag.name}' cannot depend on itself`, p);
      continue;
    }
    // Entries that failed schema validation may have no name, or one of another type.
    const dags = uc === useCase ? new Set(spec.dags.flatMap((d) => (typeof d?.name === 'string' ? [d.name] : []))) : new Set(input.index.get(uc)?.dags.keys() ?? []);
    if (uc !== useCase && !input.index.has(uc)) {
      const hint = closest(uc, [...input.index.keys()]);
      err('DAG_UNKNOWN_DEPENDENCY', `use case '${uc}' does not exist${hint ? ` (did you mean '${hint}/${name}'?)` : ''}`, p);
      continue;
    }
    if (!dags.has(name) && uc !== useCase && !input.index.get(uc)!.readable) {
      // Its file does not parse: the dag may well exist. Compile against its name and say so.
      input.report.warning('DEPENDENCY_UNVERIFIED', `cannot check that '${dep}' exists: the dag list of ${uc}/orchestration.yaml cannot be read (syntax errors, no \`dags\` list or a dag without a name)`, origin, useCase);
      refs.push({ useCase: uc, dag: name, origin });
      continue;
    }
    if (!dags.has(name)) {
      const hint = closest(name, [...dags]);
      err('DAG_UNKNOWN_DEPENDENCY', `'${dep}' names no dag${uc === useCase ? '' : ` of use case '${uc}'`}${hint ? ` (did you mean '${uc === useCase ? hint : `${uc}/${hint}`}'?)` : ''}`, p);
      continue;
    }
    refs.push({ useCase: uc, dag: name, origin });
  }
  return refs;
}

/**
 * Warns at the `depends_on` entry of an upstream whose recurring logical dates,
 * inherited through its own upstreams too, can never equal those of an earlier
 * upstream: the join would never start the dag (src/ir/join-dates.ts). Upstreams
 * on a rate() of their own have JOIN_RATE_SCHEDULE instead.
 */
function checkJoinDates(deps: readonly WorkflowRef[], input: NormalizeInput, ref: string, warn: (code: string, message: string, origin: Origin) => void): void {
  if (deps.length < 2) return;
  const refs = deps.map((d) => `${d.useCase}/${d.dag}`);
  const ownRate = deps.map((d) => input.index.get(d.useCase)?.schedules.get(d.dag)?.trim().startsWith('rate(') ?? false);
  const sources = refs.map((r) => dateSources(input.index, r));
  const describe = (i: number) => [...new Set(sources[i]!.map((s) => describeSource(s, refs[i]!)))].join(', ');
  for (let j = 1; j < deps.length; j++) {
    for (let i = 0; i < j; i++) {
      const [a, b] = [sources[i], sources[j]];
      if (!a?.length || !b?.length || ownRate[i] || ownRate[j]) continue;
      if (a.some((x) => b.some((y) => canCoincide([...x, ...y])))) continue;
      warn(
        'JOIN_DATES_DISJOINT',
        `'${refs[j]}' (logical dates from ${describe(j)}) and '${refs[i]}' (from ${describe(i)}) never run for the same logical date: the join would never start '${ref}'; give them schedules with common times, or depend on one of them`,
        deps[j]!.origin,
      );
      break;
    }
  }
}

/**
 * A join matches upstream runs by logical date, and `rate()` schedules fire
 * relative to when their rule was created, so upstreams on rates almost never
 * share one. (A schedule plus upstreams is fine: the dag runs on both, e.g.
 * first after its migration, then every 30 minutes.)
 */
function checkJoinSchedules(deps: readonly WorkflowRef[], input: NormalizeInput, warn: (code: string, message: string, origin: Origin) => void): void {
  if (deps.length < 2) return;
  // At each entry's own position: the resolved list skips invalid and repeated entries.
  for (const d of deps) {
    const schedule = input.index.get(d.useCase)?.schedules.get(d.dag);
    if (schedule?.startsWith('rate(')) {
      warn('JOIN_RATE_SCHEDULE', `upstream '${d.useCase}/${d.dag}' runs on ${schedule}: the join waits for all upstreams of the same logical date, and rate() times depend on when the rule was created; use cron() times the other upstreams share`, d.origin);
    }
  }
}

function timetableOf(input: { index: PlatformIndex; platform: Platform }, ref: string): { timetable?: WorkflowTimetable } {
  const timetable = effectiveTimetable(input.index, input.platform, ref);
  return timetable ? { timetable } : {};
}
