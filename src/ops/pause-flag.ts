/**
 * The pause flag of a dag's dependencies: an item of the gates table, `pk`
 * `lakestep/paused`, `sk` `<use-case>/<dag>`, which the dispatcher reads before it
 * records an upstream's success for the dag (asl-templates/dispatch-join.asl.json).
 * `pause` puts it, `resume` deletes it; both are idempotent.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
 */
import { DeleteItemCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PAUSED_KEY } from '../asl/dispatch.ts';

function key(ref: string) {
  return { pk: { S: PAUSED_KEY }, sk: { S: ref } };
}

/** Whether the dag's dependencies are paused, and since when. */
export async function readPauseFlag(client: DynamoDBClient, table: string, ref: string): Promise<{ paused: boolean; since?: string }> {
  const got = await client.send(new GetItemCommand({ TableName: table, Key: key(ref), ConsistentRead: true }));
  if (!got.Item) return { paused: false };
  const since = got.Item.paused_at?.S;
  return { paused: true, ...(since ? { since } : {}) };
}

/** Puts (`paused`) or deletes the flag. */
export async function writePauseFlag(client: DynamoDBClient, table: string, ref: string, paused: boolean, now: Date): Promise<void> {
  if (paused) await client.send(new PutItemCommand({ TableName: table, Item: { ...key(ref), paused_at: { S: now.toISOString() } } }));
  else await client.send(new DeleteItemCommand({ TableName: table, Key: key(ref) }));
}
