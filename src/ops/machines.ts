/**
 * The deployed state machines of many dags at once, for the commands that read the whole platform
 * (`ui --from-aws`, `failures`): their ARNs, built from the account or found with `ListStateMachines`
 * (a page holds 1,000), and a bounded pool to call AWS for each.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListStateMachines.html
 */
import { ListTagsForResourceCommand, paginateListStateMachines, type SFNClient } from '@aws-sdk/client-sfn';
import type { Manifest } from '../build/types.ts';
import type { QuarantinedDag, QuarantinedUseCase } from '../graph/types.ts';
import { stateMachineName } from '../naming.ts';
import { stateMachineArn } from './resolve.ts';
import { fewNames } from './table.ts';

/** What a command that reads the executions of the whole platform is told. */
export interface PlatformReadOptions {
  since: Date;
  now: Date;
  /** Build the ARNs from it instead of listing the state machines. */
  account?: string;
  /** Quarantined use cases whose dags are known (from the specs): their deployed machines are read too. */
  quarantined: readonly QuarantinedUseCase[];
  /** Only these use cases (default all). */
  useCases?: readonly string[];
  /** Machines read at once (default 4). */
  concurrency?: number;
}

export interface Machine {
  /** `<use-case>/<dag>`. */
  dag: string;
  name: string;
  arn?: string;
}

/** The state machines of the build's dags (of `useCases`, when given) and of the quarantined use cases whose dags are known. */
export function dagMachines(manifest: Manifest, opts: Pick<PlatformReadOptions, 'quarantined' | 'useCases'>): Machine[] {
  const wanted = (uc: string) => !opts.useCases?.length || opts.useCases.includes(uc);
  const { prefix } = manifest.platform;
  return [
    ...manifest.useCases.filter((u) => wanted(u.name)).flatMap((u) => u.workflows.map((w) => ({ dag: `${u.name}/${w.name}`, name: w.stateMachineName }))),
    ...opts.quarantined.filter((q) => wanted(q.useCase)).flatMap((q) => (q.dags ?? []).map((d) => ({ dag: `${q.useCase}/${d.name}`, name: stateMachineName(prefix, q.useCase, d.name) }))),
  ];
}

/** The note on machines the region does not have: how many, and the first dags. */
export function notDeployedNote(machines: readonly Machine[], region: string): string {
  return `${machines.length} state machine(s) not deployed in ${region}: ${fewNames(machines.map((m) => m.dag))}`;
}

/** Fills in each machine's ARN: built from the account, or found with `ListStateMachines` (left unset when not deployed). */
export async function locateMachines(client: SFNClient, machines: Machine[], region: string, account: string | undefined, pageSize = 1000): Promise<void> {
  if (account !== undefined) {
    for (const m of machines) m.arn = stateMachineArn(m.name, { region, account });
    return;
  }
  const byName = new Map(machines.map((m) => [m.name, m]));
  let left = machines.length;
  for await (const page of paginateListStateMachines({ client, pageSize }, {})) {
    for (const sm of page.stateMachines ?? []) {
      const m = sm.name ? byName.get(sm.name) : undefined;
      if (m && !m.arn && sm.stateMachineArn) {
        m.arn = sm.stateMachineArn;
        left--;
      }
    }
    if (!left) break;
  }
}

/**
 * The deployed state machines of use cases the build does not describe (quarantined ones: what runs is their
 * last good deployment), by use case: one `ListStateMachines` walk for the names `<prefix>-<use case>-<dag>`
 * (use-case names hold no `-`), then the tags their stack gave each (`lakestep:platform`, `lakestep:use-case`,
 * `lakestep:dag`), which rule out another platform's machine whose prefix happens to start the same way, and
 * the machines beside a dag's own.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListTagsForResource.html
 */
export async function taggedMachines(sfn: SFNClient, prefix: string, useCases: readonly string[]): Promise<Map<string, { dag: string; name: string; arn: string }[]>> {
  const out = new Map<string, { dag: string; name: string; arn: string }[]>();
  if (!useCases.length) return out;
  const candidates: { useCase: string; name: string; arn: string }[] = [];
  for await (const page of paginateListStateMachines({ client: sfn, pageSize: 1000 }, {})) {
    for (const m of page.stateMachines ?? []) {
      const useCase = useCases.find((uc) => m.name?.startsWith(`${prefix}-${uc}-`));
      if (useCase !== undefined && m.name && m.stateMachineArn) candidates.push({ useCase, name: m.name, arn: m.stateMachineArn });
    }
  }
  await pool(candidates, 4, async (c) => {
    const tags = new Map(((await sfn.send(new ListTagsForResourceCommand({ resourceArn: c.arn }))).tags ?? []).map((t) => [t.key, t.value]));
    if (tags.get('lakestep:platform') !== prefix || tags.get('lakestep:use-case') !== c.useCase) return;
    const dag = tags.get('lakestep:dag') ?? c.name.slice(prefix.length + c.useCase.length + 2);
    // A dag's own machine, not one beside it (the `-slow` watcher of a dag with max_duration carries the dag's tags).
    if (c.name !== stateMachineName(prefix, c.useCase, dag)) return;
    const list = out.get(c.useCase) ?? [];
    list.push({ dag, name: c.name, arn: c.arn });
    out.set(c.useCase, list);
  });
  for (const list of out.values()) list.sort((a, b) => a.dag.localeCompare(b.dag));
  return out;
}

/** A quarantined use case's dags as its deployed machines ({@link taggedMachines}) name them: no schedule or upstream is known. */
export function deployedDags(machines: readonly { dag: string }[] | undefined): QuarantinedDag[] {
  return (machines ?? []).map((m) => ({ name: m.dag, dependsOn: [], enabled: true }));
}

/** Runs `work` over `items`, at most `n` at a time. */
export async function pool<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}
