/**
 * Each table's age against its freshness SLA, for `lakestep status`: the age is measured
 * from the `published/<database.table>` item of the watermarks table (written at every
 * publish, src/phases/quality-gate.ts `recordPublishes`), the SLA is the manifest's
 * freshness alarms (`useCases[].freshness`, the same numbers CloudWatch evaluates).
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
 */
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Manifest } from '../build/types.ts';
import { attrS, type RecordItem } from './run-records.ts';

export interface TableFreshness {
  table: string;
  warnAfterSeconds?: number;
  errorAfterSeconds?: number;
  /** When the table was last published; absent when it never was. */
  publishedAt?: string;
  ageSeconds?: number;
  /** `never`: no publish recorded, which the alarms treat as breaching. */
  state: 'ok' | 'warn' | 'error' | 'never';
}

/** Where the publish times come from: the watermarks table in AWS, or a simulation's items. */
export type PublishSource = (table: string) => Promise<string | undefined>;

export const publishedKey = (table: string): string => `published/${table}`;

export function dynamoPublishes(client: DynamoDBClient, tableName: string): PublishSource {
  return async (table) => {
    const got = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: publishedKey(table) } }, ProjectionExpression: 'published_at' }));
    return got.Item?.published_at?.S;
  };
}

export function itemPublishes(items: readonly RecordItem[]): PublishSource {
  return async (table) => {
    const item = items.find((i) => attrS(i, 'pk') === publishedKey(table));
    return item && attrS(item, 'published_at');
  };
}

/** SLAs of the tables whose entries in dag `ref` declare one, by table (sorted). */
export function slasOf(manifest: Manifest, ref: string): Map<string, { warnAfterSeconds?: number; errorAfterSeconds?: number }> {
  const out = new Map<string, { warnAfterSeconds?: number; errorAfterSeconds?: number }>();
  for (const a of manifest.useCases.flatMap((u) => u.freshness ?? []).filter((f) => f.workflow === ref)) {
    out.set(a.table, { ...out.get(a.table), [a.level === 'warn' ? 'warnAfterSeconds' : 'errorAfterSeconds']: a.afterSeconds });
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

/** The state of an age against an SLA: past `error_after` is error, past `warn_after` warn. */
export function freshnessState(ageSeconds: number | undefined, sla: { warnAfterSeconds?: number; errorAfterSeconds?: number }): TableFreshness['state'] {
  if (ageSeconds === undefined) return 'never';
  if (sla.errorAfterSeconds !== undefined && ageSeconds > sla.errorAfterSeconds) return 'error';
  if (sla.warnAfterSeconds !== undefined && ageSeconds > sla.warnAfterSeconds) return 'warn';
  return 'ok';
}

/** Every table with an SLA in dag `ref`, its last publish and its state at `now`. */
export async function tableFreshness(manifest: Manifest, ref: string, published: PublishSource, now: Date): Promise<TableFreshness[]> {
  const out: TableFreshness[] = [];
  for (const [table, sla] of slasOf(manifest, ref)) {
    const at = await published(table);
    const ms = at === undefined ? Number.NaN : Date.parse(at);
    const ageSeconds = Number.isNaN(ms) ? undefined : Math.max(0, Math.round((now.getTime() - ms) / 1000));
    out.push({
      table,
      ...sla,
      ...(ageSeconds === undefined ? {} : { publishedAt: at, ageSeconds }),
      state: freshnessState(ageSeconds, sla),
    });
  }
  return out;
}
