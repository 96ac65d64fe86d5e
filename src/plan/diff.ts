/**
 * `lakestep plan`: what a deploy of one build would change against another
 * (the build of the last deploy), per use case and read from the artifacts
 * alone — state machines added, removed or changed (which states, and the
 * timeout), the dispatcher's routes, EventBridge Scheduler schedules, the platform's
 * EventBridge rule (and the per-workflow rules and join machines of older builds,
 * which a deploy removes), and what each role may do
 * (the integrations a machine calls; the secrets, keys, databases, S3 locations
 * and DataSync tasks the use case's roles are scoped to). Pure data; format.ts prints it.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-diff.html
 */
import type { Manifest, ManifestUseCase, ManifestWorkflow, RouteDefinition, RuleDefinition, ScheduleDefinition } from '../build/types.ts';
import { allStates } from '../asl/analysis.ts';
import type { State, StateMachineDefinition } from '../asl/types.ts';

/** A build as plan reads it: the manifest and the definitions it names, by path. */
export interface BuildView {
  manifest: Manifest;
  definitions: Definitions;
}

/**
 * The definitions of a build by path, read when asked (a `Map` is one): of a large platform only those that
 * differ are parsed. `digest` gives a digest of a definition's file (equal digests, equal texts), so that two
 * equal definitions are known without reading them; without it, definitions are compared parsed.
 */
export interface Definitions {
  get(path: string): StateMachineDefinition | undefined;
  digest?(path: string): string | undefined;
}

export interface MachineChange {
  name: string;
  workflow: string;
  statesAdded: string[];
  statesRemoved: string[];
  statesChanged: string[];
  /** Only `Comment`s differ (the spec lines they cite moved): an update, but no change of behaviour. */
  commentsOnly: boolean;
  /** `TimeoutSeconds before → after` when it changed. */
  timeout?: [number | undefined, number | undefined];
  /** Integrations (Task resources) the machine's role gains or loses. */
  integrationsAdded: string[];
  integrationsRemoved: string[];
  /** Tags of the machine that changed (what the dispatcher notifies for it): tag → [before, after]. */
  tags?: Record<string, [string | undefined, string | undefined]>;
}

export interface RuleChange {
  name: string;
  /** Property → [before, after] for the properties that changed. */
  fields: Record<string, [unknown, unknown]>;
}

export interface UseCasePlan {
  useCase: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged' | 'quarantined';
  machinesAdded: { name: string; workflow: string }[];
  machinesRemoved: { name: string; workflow: string }[];
  machinesChanged: MachineChange[];
  rulesAdded: RuleDefinition[];
  rulesRemoved: RuleDefinition[];
  rulesChanged: RuleChange[];
  /** Routes of the dispatcher (`AWS::SSM::Parameter`s in the use case's stack), by name. */
  routesAdded: RouteDefinition[];
  routesRemoved: RouteDefinition[];
  routesChanged: RuleChange[];
  /** `AWS::Scheduler::Schedule`s of the use case's dags (`schedule:`), by name. */
  schedulesAdded: ScheduleDefinition[];
  schedulesRemoved: ScheduleDefinition[];
  schedulesChanged: RuleChange[];
  /** What the use case's roles are scoped to, gained and lost (`secret …`, `database …`, `s3 …`, `datasync …`). */
  accessAdded: string[];
  accessRemoved: string[];
}

export interface Plan {
  useCases: UseCasePlan[];
  /** Platform settings that changed (`region`, `buckets.raw`, …): every stack may change. */
  platform: Record<string, [unknown, unknown]>;
  /** The platform's EventBridge rule (the dispatcher's), when it is added, removed or changed. */
  platformRule?: { name: string; change: 'added' | 'removed' | 'changed'; fields?: Record<string, [unknown, unknown]> };
  /** The platform's own state machines (dispatcher, backfill) that a deploy adds, removes, replaces or updates. */
  platformMachines?: PlatformMachineChange[];
}

/**
 * A platform machine's change. `replaces`: the machine deployed before under another name or type, which CloudFormation
 * replaces (a state machine's name and type are set at creation), deleting the old one at the end of the update.
 */
export interface PlatformMachineChange {
  /** `dispatcher` or `backfill`. */
  role: 'dispatcher' | 'backfill';
  name: string;
  type: string;
  change: 'added' | 'removed' | 'replaced' | 'changed';
  replaces?: { name: string; type: string };
  states?: Pick<MachineChange, 'statesAdded' | 'statesRemoved' | 'statesChanged' | 'commentsOnly'>;
}

/** A workflow of the manifest, or of an older build: those had per-workflow rules and join machines. */
type AnyWorkflow = ManifestWorkflow & { rules?: RuleDefinition[]; gate?: { stateMachineName: string; definition: string } };
const workflowsOf = (u: ManifestUseCase | undefined): AnyWorkflow[] => u?.workflows ?? [];

/** Every state machine of a use case: its dags', their watch machines' (max_duration), and an older build's join machines. */
const machinesOf = (u: ManifestUseCase | undefined) =>
  new Map(
    workflowsOf(u).flatMap((w) => [
      [w.stateMachineName, { w, path: w.definition }] as const,
      ...(w.gate ? [[w.gate.stateMachineName, { w, path: w.gate.definition }] as const] : []),
      ...(w.watch ? [[w.watch.stateMachineName, { w, path: w.watch.definition }] as const] : []),
    ]),
  );

const rulesOf = (u: ManifestUseCase | undefined) => new Map(workflowsOf(u).flatMap((w) => (w.rules ?? []).map((r) => [r.Name, r] as const)));
const routesOf = (u: ManifestUseCase | undefined) => new Map(workflowsOf(u).flatMap((w) => (w.routes ?? []).map((r) => [r.Name, r] as const)));
const schedulesOf = (u: ManifestUseCase | undefined) => new Map((u?.workflows ?? []).flatMap((w) => (w.schedules ?? []).map((s) => [s.Name, s] as const)));

/** The Task resources of a definition, Map bodies included. */
function integrations(def: StateMachineDefinition | undefined): Set<string> {
  return new Set(def ? allStates(def).flatMap(([, s]) => (s.Type === 'Task' ? [s.Resource] : [])) : []);
}

function access(u: ManifestUseCase | undefined): Set<string> {
  const out = new Set<string>();
  for (const w of u?.workflows ?? []) {
    for (const s of w.resources.secrets) out.add(`secret ${s}`);
    for (const k of w.resources.secretKeys ?? []) out.add(`kms key ${k}`);
    for (const [t, kinds] of Object.entries(w.access ?? {})) out.add(`table ${t} (${[...kinds].sort().join(', ')})`);
    for (const p of w.resources.storage?.read ?? []) out.add(`s3 read ${p}`);
    for (const p of w.resources.storage?.readWrite ?? []) out.add(`s3 read/write ${p}`);
    for (const d of w.resources.datasync) out.add(`datasync task ${'taskArn' in d ? d.taskArn : `${d.placeholder} (created)`}`);
  }
  return out;
}

const minus = <T>(a: Set<T> | Map<T, unknown>, b: Set<T> | Map<T, unknown>): T[] => [...a.keys()].filter((x) => !b.has(x)).sort() as T[];

/** JSON of a value without its `Comment`s (nested states included). */
const withoutComments = (v: unknown): string => JSON.stringify(v, (k, x: unknown) => (k === 'Comment' ? undefined : x));

function changedStates(before: StateMachineDefinition, after: StateMachineDefinition): Pick<MachineChange, 'statesAdded' | 'statesRemoved' | 'statesChanged' | 'commentsOnly'> {
  const b = new Map(allStates(before).map(([n, s]) => [n, s] as [string, State]));
  const a = new Map(allStates(after).map(([n, s]) => [n, s] as [string, State]));
  return {
    statesAdded: minus(a, b),
    statesRemoved: minus(b, a),
    statesChanged: [...a].filter(([n, s]) => b.has(n) && withoutComments(b.get(n)) !== withoutComments(s)).map(([n]) => n).sort(),
    commentsOnly: withoutComments(before) === withoutComments(after),
  };
}

/** Tags that differ, as [before, after]; undefined when none does. */
function tagChanges(before: Record<string, string>, after: Record<string, string>): MachineChange['tags'] {
  const out: NonNullable<MachineChange['tags']> = {};
  for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) if (before[k] !== after[k]) out[k] = [before[k], after[k]];
  return Object.keys(out).length ? out : undefined;
}

/** The properties `keys` of two definitions that differ, as [before, after]. */
function fieldsChanged<T extends object>(before: T, after: T, keys: readonly (keyof T & string)[]): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const k of keys) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out[k] = [before[k], after[k]];
  }
  return out;
}

const RULE_FIELDS = ['Description', 'ScheduleExpression', 'EventPattern', 'State', 'Targets'] as const;
const ROUTE_FIELDS = ['Value', 'Description'] as const;
const SCHEDULE_FIELDS = ['Description', 'ScheduleExpression', 'ScheduleExpressionTimezone', 'FlexibleTimeWindow', 'State', 'GroupName', 'Target'] as const;

/** Entries of `after` that exist in `before` with another definition, and which of their fields changed. */
function changed<T extends object>(before: Map<string, T>, after: Map<string, T>, keys: readonly (keyof T & string)[]): RuleChange[] {
  return [...after].flatMap(([n, x]) => (before.has(n) && JSON.stringify(before.get(n)) !== JSON.stringify(x) ? [{ name: n, fields: fieldsChanged(before.get(n)!, x, keys) }] : []));
}

function planUseCase(name: string, before: BuildView, after: BuildView): UseCasePlan {
  const b = before.manifest.useCases.find((u) => u.name === name);
  const a = after.manifest.useCases.find((u) => u.name === name);
  const bm = machinesOf(b);
  const am = machinesOf(a);
  const machinesChanged: MachineChange[] = [];
  for (const [machine, { w, path }] of am) {
    const old = bm.get(machine);
    if (!old) continue;
    const tags = tagChanges(old.w.stateMachineTags ?? {}, w.stateMachineTags ?? {});
    const known = before.definitions.digest?.(old.path);
    if (!tags && known !== undefined && known === after.definitions.digest?.(path)) continue;
    const [bd, ad] = [before.definitions.get(old.path), after.definitions.get(path)];
    if (!bd || !ad || (JSON.stringify(bd) === JSON.stringify(ad) && !tags)) continue;
    const [bi, ai] = [integrations(bd), integrations(ad)];
    machinesChanged.push({
      name: machine,
      workflow: w.name,
      ...changedStates(bd, ad),
      // Same definition, other tags: not a comment change.
      ...(JSON.stringify(bd) === JSON.stringify(ad) ? { commentsOnly: false } : {}),
      ...(tags ? { tags } : {}),
      ...(bd.TimeoutSeconds === ad.TimeoutSeconds ? {} : { timeout: [bd.TimeoutSeconds, ad.TimeoutSeconds] as [number | undefined, number | undefined] }),
      integrationsAdded: minus(ai, bi),
      integrationsRemoved: minus(bi, ai),
    });
  }
  const br = rulesOf(b);
  const ar = rulesOf(a);
  const rulesChanged = changed(br, ar, RULE_FIELDS);
  const [bo, ao] = [routesOf(b), routesOf(a)];
  const routesChanged = changed(bo, ao, ROUTE_FIELDS);
  const [bs, as] = [schedulesOf(b), schedulesOf(a)];
  const schedulesChanged = changed(bs, as, SCHEDULE_FIELDS);
  const [bx, ax] = [access(b), access(a)];
  const plan: UseCasePlan = {
    useCase: name,
    status: 'changed',
    machinesAdded: minus(am, bm).map((n) => ({ name: n, workflow: am.get(n)!.w.name })),
    machinesRemoved: minus(bm, am).map((n) => ({ name: n, workflow: bm.get(n)!.w.name })),
    machinesChanged,
    rulesAdded: minus(ar, br).map((n) => ar.get(n)!),
    rulesRemoved: minus(br, ar).map((n) => br.get(n)!),
    rulesChanged,
    routesAdded: minus(ao, bo).map((n) => ao.get(n)!),
    routesRemoved: minus(bo, ao).map((n) => bo.get(n)!),
    routesChanged,
    schedulesAdded: minus(as, bs).map((n) => as.get(n)!),
    schedulesRemoved: minus(bs, as).map((n) => bs.get(n)!),
    schedulesChanged,
    accessAdded: minus(ax, bx),
    accessRemoved: minus(bx, ax),
  };
  const quarantined = after.manifest.quarantined.some((q) => q.useCase === name);
  const empty = [plan.machinesAdded, plan.machinesRemoved, machinesChanged, plan.rulesAdded, plan.rulesRemoved, rulesChanged, plan.routesAdded, plan.routesRemoved, routesChanged, plan.schedulesAdded, plan.schedulesRemoved, schedulesChanged, plan.accessAdded, plan.accessRemoved].every((x) => x.length === 0);
  // A quarantined use case is left out of the deploy: its stack keeps what it has.
  if (quarantined) return { ...plan, status: 'quarantined', machinesAdded: [], machinesRemoved: [], machinesChanged: [], rulesAdded: [], rulesRemoved: [], rulesChanged: [], routesAdded: [], routesRemoved: [], routesChanged: [], schedulesAdded: [], schedulesRemoved: [], schedulesChanged: [], accessAdded: [], accessRemoved: [] };
  return { ...plan, status: !b ? 'added' : !a ? 'removed' : empty ? 'unchanged' : 'changed' };
}

function platformChanges(before: Manifest, after: Manifest): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const walk = (b: unknown, a: unknown, path: string) => {
    const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (isObj(b) && isObj(a)) {
      for (const k of new Set([...Object.keys(b as object), ...Object.keys(a as object)])) walk((b as Record<string, unknown>)[k], (a as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    } else if (JSON.stringify(b) !== JSON.stringify(a)) out[path] = [b, a];
  };
  walk(before.platform, after.platform, '');
  return out;
}

function platformRule(before: Manifest, after: Manifest): Plan['platformRule'] {
  const [b, a] = [before.machines?.dispatcher?.rule, after.machines?.dispatcher?.rule];
  if (!a) return b ? { name: b.Name, change: 'removed' } : undefined;
  if (!b) return { name: a.Name, change: 'added' };
  const fields = fieldsChanged(b, a, RULE_FIELDS);
  return Object.keys(fields).length ? { name: a.Name, change: 'changed', fields } : undefined;
}

/** The dispatcher and the backfill machine: added, removed, replaced (another name or type) or with another definition. */
function platformMachines(before: BuildView, after: BuildView): PlatformMachineChange[] {
  const out: PlatformMachineChange[] = [];
  for (const role of ['dispatcher', 'backfill'] as const) {
    const [b, a] = [before.manifest.machines?.[role], after.manifest.machines?.[role]];
    const typeOf = (m: typeof a) => (m && 'type' in m && m.type) || 'STANDARD';
    if (!a && !b) continue;
    if (!a) out.push({ role, name: b!.stateMachineName, type: typeOf(b), change: 'removed' });
    else if (!b) out.push({ role, name: a.stateMachineName, type: typeOf(a), change: 'added' });
    else if (b.stateMachineName !== a.stateMachineName || typeOf(b) !== typeOf(a)) {
      out.push({ role, name: a.stateMachineName, type: typeOf(a), change: 'replaced', replaces: { name: b.stateMachineName, type: typeOf(b) } });
    } else {
      // Equal digests, equal texts: not read.
      const digest = before.definitions.digest?.(b.definition);
      if (digest !== undefined && digest === after.definitions.digest?.(a.definition)) continue;
      const [db, da] = [before.definitions.get(b.definition), after.definitions.get(a.definition)];
      if (db && da && JSON.stringify(db) !== JSON.stringify(da)) out.push({ role, name: a.stateMachineName, type: typeOf(a), change: 'changed', states: changedStates(db, da) });
    }
  }
  return out;
}

/** What deploying `after` changes against `before`, per use case (in name order). */
export function planDiff(before: BuildView, after: BuildView): Plan {
  const names = [...new Set([...before.manifest.useCases, ...after.manifest.useCases].map((u) => u.name).concat(after.manifest.quarantined.map((q) => q.useCase)))].sort();
  const rule = platformRule(before.manifest, after.manifest);
  const machines = platformMachines(before, after);
  return {
    useCases: names.map((n) => planUseCase(n, before, after)),
    platform: platformChanges(before.manifest, after.manifest),
    ...(rule ? { platformRule: rule } : {}),
    ...(machines.length ? { platformMachines: machines } : {}),
  };
}
