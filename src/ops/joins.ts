/**
 * The joins of a dag with upstreams, as `status <use-case>/<dag>` shows them: why a dag did or did not
 * start after its upstreams. The dispatcher (asl-templates/dispatch-join.asl.json), an Express workflow
 * whose runs keep no history in Step Functions, keeps one gate entry per downstream and logical date in
 * the gates table: `pk` `<use-case>/<dag>`, `sk` the logical date, `done` the set of upstream state
 * machine ARNs that succeeded for that date, `expires_ms` when the window of `gate_ttl` closes (epoch
 * ms), `started` once it started the dag. The newest entries are one `Query` (sort key descending).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
 */
import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { Manifest, ManifestWorkflow } from '../build/types.ts';
import { isoSeconds } from './dates.ts';
import { oneLine, renderTable } from './table.ts';

/** Logical dates shown. */
export const JOINS_SHOWN = 5;

/** One upstream of a dag: its state machine, and its `<use-case>/<dag>` when the build has it. */
export interface Upstream {
  machine: string;
  ref: string;
}

/** The gate of one logical date. */
export interface JoinState {
  logicalDate: string;
  /** Upstreams that succeeded for the date, and those it still waits for (names as {@link Upstream.ref}). */
  succeeded: string[];
  waitingFor: string[];
  started: boolean;
  /** When the window closes (an upstream success after it opens a new window, with that upstream only). */
  windowCloses?: string;
  /** The window closed before every upstream succeeded: the next success starts a new one. */
  expired: boolean;
}

export interface DagJoins {
  upstreams: Upstream[];
  /** Newest logical date first. */
  joins: JoinState[];
}

/**
 * A dag's upstreams from its routes (`/lakestep/<prefix>/after/<upstream machine>/<machine>`, one per
 * distinct upstream), named `<use-case>/<dag>` after the machine's name (`<prefix>-<use-case>-<dag>`; use-case
 * names hold no `-`), also when the upstream's use case is not in the build (quarantined); empty without routes.
 */
export function upstreamsOf(manifest: Pick<Manifest, 'platform'>, wf: Pick<ManifestWorkflow, 'routes'>): Upstream[] {
  const prefix = `${manifest.platform.prefix}-`;
  return (wf.routes ?? []).map((r) => {
    const machine = r.Name.split('/').at(-2) ?? r.Name;
    return { machine, ref: machineRef(machine, prefix) };
  });
}

/** `<use-case>/<dag>` of a machine named `<prefix>-<use-case>-<dag>`, or the name itself. */
function machineRef(machine: string, prefix: string): string {
  const rest = machine.startsWith(prefix) ? machine.slice(prefix.length) : '';
  const dash = rest.indexOf('-');
  return dash > 0 && dash < rest.length - 1 ? `${rest.slice(0, dash)}/${rest.slice(dash + 1)}` : machine;
}

/** The newest gate entries of `ref` (at most `limit`), read with one Query. */
export async function readJoins(client: DynamoDBClient, table: string, ref: string, upstreams: readonly Upstream[], now: Date, limit = JOINS_SHOWN): Promise<JoinState[]> {
  const page = await client.send(
    new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: ref } }, ScanIndexForward: false, Limit: limit, ConsistentRead: true }),
  );
  return (page.Items ?? []).map((item) => joinState(item, upstreams, now));
}

function joinState(item: Record<string, AttributeValue>, upstreams: readonly Upstream[], now: Date): JoinState {
  // `done` holds state machine ARNs: arn:aws:states:<region>:<account>:stateMachine:<name>.
  const done = new Set((item.done?.SS ?? []).map((arn) => arn.split(':').at(-1) ?? arn));
  const closesMs = item.expires_ms?.N === undefined ? undefined : Number(item.expires_ms.N);
  const started = item.started?.BOOL === true;
  const waitingFor = upstreams.filter((u) => !done.has(u.machine)).map((u) => u.ref);
  return {
    logicalDate: item.sk?.S ?? '?',
    // An upstream that is no longer one (its route was removed) is named by its machine.
    succeeded: [...done].map((m) => upstreams.find((u) => u.machine === m)?.ref ?? m).sort(),
    waitingFor,
    started,
    ...(closesMs === undefined || !Number.isFinite(closesMs) ? {} : { windowCloses: isoSeconds(new Date(closesMs)) }),
    expired: !started && waitingFor.length > 0 && closesMs !== undefined && closesMs <= now.getTime(),
  };
}

/** The `joins:` lines of `status`. */
export function formatJoins(j: DagJoins | string): string {
  if (typeof j === 'string') return j;
  const head = `joins: starts once ${j.upstreams.map((u) => u.ref).join(' and ')} succeeded for the same logical date`;
  if (!j.joins.length) return `${head}; no upstream succeeded yet (no gate entry)`;
  const rows = j.joins.map((g) => [
    g.logicalDate,
    // Complete without a recorded start: started already (a run by hand, a backfill), paused, or a start that failed (notified).
    g.started ? 'started' : g.expired ? 'window closed' : g.waitingFor.length ? 'waiting' : 'complete, no start recorded',
    g.succeeded.join(', ') || '-',
    g.waitingFor.join(', ') || '-',
    g.windowCloses ?? '-',
  ].map((c) => oneLine(c, 200)));
  return [`${head} (newest ${j.joins.length}):`, renderTable(['LOGICAL DATE', 'STATE', 'SUCCEEDED', 'WAITING FOR', 'WINDOW CLOSES'], rows)].join('\n');
}
