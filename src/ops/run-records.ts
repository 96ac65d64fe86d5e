/**
 * The run records of a dag: one item per execution in the runs table, written by the
 * `Record success` / `Record failure` states of every workflow (asl-templates/run-record.asl.json),
 * keyed `pk = <use-case>/<dag>`, `sk = <logical date>#<execution name>`, with the run's
 * summary (checks included, `summary.quality`) as a JSON string.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
 */
import { QueryCommand, type AttributeValue, type DynamoDBClient, type QueryInput } from '@aws-sdk/client-dynamodb';
import { OpsError } from './errors.ts';

export interface RunRecord {
  execution: string;
  status: string;
  logicalDate: string;
  executionArn?: string;
  trigger?: string;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  cause?: string;
  /** The parsed `summary`; `{}` when absent or not JSON. */
  summary: Record<string, unknown>;
}

/** Items as DynamoDB returns them (attribute-value maps): only string attributes are read. */
export type RecordItem = Readonly<Record<string, object | undefined>>;

/** The string value of attribute `name` (`{"S": …}`), else undefined. */
export function attrS(item: RecordItem, name: string): string | undefined {
  const v = (item[name] as { S?: unknown } | undefined)?.S;
  return typeof v === 'string' ? v : undefined;
}
const s = attrS;

/** One item of the runs table as a {@link RunRecord}; undefined when it is not one (no `sk` with `#`). */
export function runRecordOf(item: RecordItem): RunRecord | undefined {
  const sk = s(item, 'sk');
  const cut = sk?.lastIndexOf('#') ?? -1;
  if (!sk || cut < 0) return undefined;
  let summary: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(s(item, 'summary') ?? '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) summary = parsed as Record<string, unknown>;
  } catch {
    // A summary that is not JSON is shown as none: the record's status and error still are.
  }
  const opt = (key: keyof RunRecord, name: string) => (s(item, name) === undefined ? {} : { [key]: s(item, name) });
  return {
    execution: sk.slice(cut + 1),
    status: s(item, 'status') ?? 'UNKNOWN',
    logicalDate: s(item, 'logical_date') ?? sk.slice(0, cut),
    ...opt('executionArn', 'execution_arn'),
    ...opt('trigger', 'trigger'),
    ...opt('startedAt', 'started_at'),
    ...opt('finishedAt', 'finished_at'),
    ...opt('error', 'error'),
    ...opt('cause', 'cause'),
    summary,
  };
}

/** Newest first: by finish time, then start time, then logical date (a backfill finishes old dates late). */
export function newestFirst(records: readonly RunRecord[]): RunRecord[] {
  const when = (r: RunRecord) => r.finishedAt ?? r.startedAt ?? r.logicalDate;
  return [...records].sort((a, b) => when(b).localeCompare(when(a)) || b.logicalDate.localeCompare(a.logicalDate));
}

/** Where run records come from: the runs table in AWS, or the items a simulation left in it. */
export interface RunRecordSource {
  /** Every record of `workflowKey`, newest logical dates first, at most `limit` (all with `execution`). */
  records(workflowKey: string, opts: { limit: number; execution?: string }): Promise<RunRecord[]>;
  /**
   * Every record of `workflowKey` whose logical date falls on the UTC days `fromDay`..`toDay` (`YYYY-MM-DD`,
   * inclusive), oldest first, without their summaries: what `run` and `backfill` read to know the attempts
   * Step Functions no longer keeps.
   */
  onDays(workflowKey: string, fromDay: string, toDay: string): Promise<RunRecord[]>;
}

/**
 * The sort keys of the days `fromDay`..`toDay`: every one starts with its logical date's day (`2026-11-25T…#…`),
 * so they lie between the first day and the day after the last (which no key equals: each holds a `#`).
 */
function dayRange(fromDay: string, toDay: string): [string, string] {
  const after = new Date(Date.parse(`${toDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return [fromDay, after];
}

/** The attributes `onDays` reads: every one {@link runRecordOf} knows but the summary, which may be large. */
const HISTORY_ATTRIBUTES = ['sk', 'status', 'logical_date', 'execution_arn', 'trigger', 'started_at', 'finished_at', 'error', 'cause'];

/**
 * The records of a `Query` of the runs table, page after page, while `more` says so after a page
 * (by default to the last page).
 */
async function queryRecords(client: DynamoDBClient, input: Omit<QueryInput, 'ExclusiveStartKey'>, more: (found: RunRecord[]) => boolean = () => true): Promise<RunRecord[]> {
  const out: RunRecord[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of page.Items ?? []) {
      const r = runRecordOf(item);
      if (r) out.push(r);
    }
    start = more(out) ? page.LastEvaluatedKey : undefined;
  } while (start);
  return out;
}

/** Records of the runs table `tableName`, read with `Query` on the dag's partition (newest sort keys first). */
export function dynamoRecords(client: DynamoDBClient, tableName: string): RunRecordSource {
  return {
    async records(workflowKey, opts) {
      const found = await queryRecords(
        client,
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: workflowKey }, ...(opts.execution === undefined ? {} : { ':name': { S: `#${opts.execution}` } }) },
          // The execution name ends the sort key; `contains` narrows the page, the exact match is checked below.
          ...(opts.execution === undefined ? { Limit: opts.limit } : { FilterExpression: 'contains(sk, :name)' }),
          ScanIndexForward: false,
        },
        (out) => opts.execution !== undefined || out.length < opts.limit,
      );
      return found.filter((r) => opts.execution === undefined || r.execution === opts.execution).slice(0, opts.limit);
    },
    async onDays(workflowKey, fromDay, toDay) {
      const [lo, hi] = dayRange(fromDay, toDay);
      const names = Object.fromEntries(HISTORY_ATTRIBUTES.map((a) => [`#${a}`, a]));
      return queryRecords(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND #sk BETWEEN :lo AND :hi',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':pk': { S: workflowKey }, ':lo': { S: lo }, ':hi': { S: hi } },
        ProjectionExpression: Object.keys(names).join(', '),
      });
    },
  };
}

/** Records among `items` of a runs table (a simulation's), same contract as {@link dynamoRecords}. */
export function itemRecords(items: readonly RecordItem[]): RunRecordSource {
  return {
    async records(workflowKey, opts) {
      const mine = items.filter((i) => s(i, 'pk') === workflowKey).sort((a, b) => (s(b, 'sk') ?? '').localeCompare(s(a, 'sk') ?? ''));
      const records = mine.map(runRecordOf).filter((r): r is RunRecord => r !== undefined);
      return (opts.execution === undefined ? records : records.filter((r) => r.execution === opts.execution)).slice(0, opts.limit);
    },
    async onDays(workflowKey, fromDay, toDay) {
      const [lo, hi] = dayRange(fromDay, toDay);
      const mine = items.filter((i) => s(i, 'pk') === workflowKey && (s(i, 'sk') ?? '') >= lo && (s(i, 'sk') ?? '') <= hi);
      return mine
        .sort((a, b) => (s(a, 'sk') ?? '').localeCompare(s(b, 'sk') ?? ''))
        .map((i) => runRecordOf({ ...i, summary: undefined }))
        .filter((r): r is RunRecord => r !== undefined);
    },
  };
}

/** The newest record of a dag, or the one named `execution`; an {@link OpsError} when there is none. */
export async function pickRecord(source: RunRecordSource, workflowKey: string, execution?: string): Promise<RunRecord | undefined> {
  // Sort keys order by logical date; the newest run is the newest finish among the latest few.
  const found = await source.records(workflowKey, execution === undefined ? { limit: 20 } : { limit: 1, execution });
  if (execution !== undefined && !found.length) throw new OpsError('EXECUTION_NOT_FOUND', `${workflowKey} has no run record for execution ${execution} (lakestep status lists the executions)`);
  return newestFirst(found)[0];
}
