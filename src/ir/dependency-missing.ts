/**
 * `DEPENDENCY_MISSING`: a dag reads a table that another dag writes, but does
 * not run after that writer — no chain of `depends_on`, within or across use
 * cases, leads from the writer to it. Its runs then start whenever their own
 * trigger fires, and can read the table while the writer's run of the same
 * logical date has not written it yet, or has written only some of its tables
 * or commits: the classic cause of reading half-written data. The warning
 * stands at the read (the position of its table-access entry) and names the
 * writer and the `depends_on` line that orders the two.
 *
 * Which writers count, by what the writing dag is:
 * - ingestion, transformation (merges and SQL) and custom Spark jobs, when they
 *   write or update the table's rows — except a Kafka source in `streaming`
 *   mode, which never finishes, so nothing can run after it;
 * - not migrations: the migration guard orders them at run time, ending a run
 *   that would touch a table before its conversion is done (migration-order.ts);
 *   a `depends_on` cannot, since the reader's own schedule fires whether the
 *   one-off migration ran or not;
 * - not maintenance: compaction, snapshot expiry and orphan removal keep the
 *   table's rows, and a hard delete removes only rows past their retention,
 *   which no reader is waiting for.
 *
 * A writer on another cadence than the reader's own schedule (a daily report of
 * a table merged every hour) is left out — a writer without a schedule runs at
 * the cadence of its upstreams (the slowest, for a join): a `depends_on` would
 * run the reader at the writer's cadence, not order the two; Iceberg commits
 * are atomic, so the reader sees the writer's last commit.
 *
 * A writer downstream of the reader is ordered too (the reader reads the
 * previous run's data; a `depends_on` back would be a cycle). Disabled dags
 * count, so enabling one needs no change elsewhere. Only compiled
 * use cases are checked, readers and writers alike: a quarantined use case's
 * reads and writes are unknown until it compiles, and the others compile as
 * if it were absent. The chains themselves are followed through every dag the
 * specs name, quarantined ones too, so an upstream in a broken use case still
 * orders what runs after it.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-integration.html (the execution status events a `depends_on` rule starts the downstream on)
 */
import type { Report } from '../diagnostics.ts';
import { fireTimes } from '../events/fire-times.ts';
import type { PlatformIndex } from './context.ts';
import { originKey, type UseCaseFacts, type WorkflowFacts } from './facts.ts';
import type { TableAccess, Workflow, WorkflowBody } from './types.ts';

export interface DependencyCheckInput {
  /** Compiled use cases (src/ir/facts.ts): their readers are checked and their writers count. */
  useCases: readonly UseCaseFacts[];
  /** Direct upstreams (`<use-case>/<dag>`) of any dag the specs name, quarantined ones included. */
  upstreams: (ref: string) => readonly string[];
}

/** The access entries whose writes a downstream `depends_on` can wait for, by what the dag is. */
const ORDERED_WRITES: Record<WorkflowBody['kind'], (w: WorkflowFacts) => readonly TableAccess[]> = {
  migration: () => [],
  maintenance: () => [],
  ingestion: (w) => {
    const streams = new Set(w.streaming);
    return w.access.filter((a) => !streams.has(originKey(a.origin)));
  },
  processing: (w) => w.access,
  spark: (w) => w.access,
};

/** A week in which schedules are compared: how often each fires in it is its cadence. */
const WEEK: [Date, Date] = [new Date('2026-01-05T00:00:00Z'), new Date('2026-01-12T00:00:00Z')];
const cadences = new Map<string, number>();
function cadence(schedule: string): number {
  let n = cadences.get(schedule);
  if (n === undefined) {
    n = fireTimes(schedule, ...WEEK).length;
    cadences.set(schedule, n);
  }
  return n;
}
/**
 * Runs per week of a dag: its schedule's, else the slowest of its upstreams' (a
 * join starts once per logical date all of them reached); unknown without either.
 */
function runsPerWeek(ref: string, schedules: ReadonlyMap<string, string | undefined>, upstreams: (ref: string) => readonly string[], seen = new Set<string>()): number | undefined {
  const own = schedules.get(ref);
  if (own !== undefined) return cadence(own);
  if (seen.has(ref)) return undefined;
  seen.add(ref);
  const ups = upstreams(ref).map((u) => runsPerWeek(u, schedules, upstreams, seen));
  return ups.length && ups.every((n) => n !== undefined) ? Math.min(...(ups as number[])) : undefined;
}

const refOf = (w: Pick<Workflow, 'useCase' | 'name'>): string => `${w.useCase}/${w.name}`;

/** Upstreams from the index of every use case's orchestration file, as written there. */
export function indexUpstreams(index: PlatformIndex): (ref: string) => readonly string[] {
  return (ref) => {
    const slash = ref.indexOf('/');
    return index.get(ref.slice(0, slash))?.dependsOn.get(ref.slice(slash + 1)) ?? [];
  };
}

/** Reports DEPENDENCY_MISSING for every read of a table whose writer does not run before the reader. */
export function checkMissingDependencies(input: DependencyCheckInput, report: Report): void {
  const writers = new Map<string, WorkflowFacts[]>();
  for (const u of input.useCases) {
    for (const w of u.workflows) {
      for (const a of ORDERED_WRITES[w.kind](w)) {
        if (!a.kinds.includes('write') && !a.kinds.includes('update')) continue;
        const list = writers.get(a.table) ?? [];
        if (!list.includes(w)) writers.set(a.table, [...list, w]);
      }
    }
  }
  const schedules = new Map(input.useCases.flatMap((u) => u.workflows.map((w) => [refOf(w), w.schedule] as const)));
  /** Both dags run at known, different rates: ordering them is not what a `depends_on` does. */
  const otherCadence = (reader: WorkflowFacts, writer: WorkflowFacts): boolean => {
    if (reader.schedule === undefined) return false;
    const theirs = runsPerWeek(refOf(writer), schedules, input.upstreams);
    return theirs !== undefined && theirs !== cadence(reader.schedule);
  };
  const closures = new Map<string, ReadonlySet<string>>();
  const upstreamOf = (ref: string): ReadonlySet<string> => {
    let set = closures.get(ref);
    if (!set) {
      const seen = new Set<string>();
      const stack = [...input.upstreams(ref)];
      while (stack.length) {
        const r = stack.pop()!;
        if (seen.has(r)) continue;
        seen.add(r);
        stack.push(...input.upstreams(r));
      }
      set = seen;
      closures.set(ref, set);
    }
    return set;
  };

  for (const u of input.useCases) {
    for (const reader of u.workflows) {
      const ref = refOf(reader);
      const checked = new Set<string>();
      for (const a of reader.access) {
        if (!a.kinds.includes('read') || checked.has(a.table)) continue;
        checked.add(a.table);
        const missing = (writers.get(a.table) ?? []).filter((w) => w !== reader && !otherCadence(reader, w) && !upstreamOf(ref).has(refOf(w)) && !upstreamOf(refOf(w)).has(ref));
        if (missing.length) report.warning('DEPENDENCY_MISSING', message(reader, a.table, missing), a.origin, u.name);
      }
    }
  }
}

function message(reader: WorkflowFacts, table: string, missing: readonly WorkflowFacts[]): string {
  const names = missing.map((w) => `'${refOf(w)}'`);
  const one = missing.length === 1;
  const list = one ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  const short = (useCase: string, dag: string): string => (useCase === reader.useCase ? dag : `${useCase}/${dag}`);
  const line = `depends_on: [${[...reader.dependsOn.map((d) => short(d.useCase, d.dag)), ...missing.map((w) => short(w.useCase, w.name))].join(', ')}]`;
  return (
    `'${reader.name}' reads ${table}, which ${list} write${one ? 's' : ''}, without running after ${one ? 'it' : 'them'}: ` +
    `a run can read the table while ${one ? 'the writer is' : 'they are'} still writing it. ` +
    `To run it after ${one ? 'the writer' : 'them'}, give dag '${reader.name}' (${reader.origin.file}:${reader.origin.line}) ${line}`
  );
}
