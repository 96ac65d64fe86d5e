/**
 * The key of each of the platform's DynamoDB tables (partition key first): the platform
 * stack creates the tables with it (infra/platform/tables.ts) and the simulator's DynamoDB
 * does too, so a request whose `Key` does not match is refused there as AWS refuses it.
 * Every attribute of a key is a string.
 */
import type { ManifestPlatform } from './types.ts';

export type TableKind = keyof ManifestPlatform['dynamodb'];

export const TABLE_KEYS: Readonly<Record<TableKind, readonly [string] | readonly [string, string]>> = {
  // One item per source or table (`pk`).
  watermarks: ['pk'],
  // One item per execution.
  runs: ['pk', 'sk'],
  // One item per downstream dag (pk) and logical date (sk), as the dispatcher writes them.
  gates: ['pk', 'sk'],
};
