/**
 * What a migration carries per table, in its definition and in its state: the
 * Map items and the outcomes they end with. Up to {@link COMPACT_FROM} tables an
 * item is the whole `$.table` object and an outcome names its status; from
 * there on both are compact — an item holds only what differs per table (its
 * name, watermark flag and, when they vary, task, filter and Spark parameters),
 * the ItemSelector derives the rest (job) and adds what all share,
 * and an outcome is `{}`, or `{f: [table, error]}` for a failed table — so 2,000 tables stay far inside the
 * 256 KiB payload quota and the definition stays small. Checks and freshness cost no item a byte: when any
 * table has checks, every item reads its conversion result (whose `quality` is present only for an audited
 * table, from its job document) and goes through the quality gate; when any has a freshness SLA, every item
 * records its publish under the `database.table` derived from its name.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemselector.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
import { createHash } from 'node:crypto';
import { literal } from '../asl/intrinsics.ts';
import type { Migration, MigrationTable } from '../ir/types.ts';
import type { MigrationItem } from './migration-payload.ts';

/** From this many tables on, items and outcomes are compact. */
export const COMPACT_FROM = 100;

/** A compact item: name, watermark flag, and task / filter / Spark parameters / job when they differ between tables. */
export interface CompactItem {
  n: string;
  w: boolean;
  j?: string;
  t?: string;
  i?: string;
  s?: string;
}

export interface EncodedItems {
  compact: boolean;
  /** The `List tables` result. */
  items: MigrationItem[] | CompactItem[];
  /** The Map's ItemSelector: `$.table`, `$.run` and the shared Spark configuration. */
  itemSelector: Record<string, unknown>;
}

/** Key of a migrated table's watermark item: `migration/<database>.<table>`. */
export function migrationWatermarkKey(t: { database: string; table: string }): string {
  return `migration/${t.database}.${t.table}`;
}

/**
 * The same key inside a migration's Map, from the item's table name (a migration writes one database): a
 * `States.Format` whose literal prefix names the database, so the machine's role can be held to
 * `migration/<database>.*` (infra/iam/registry.ts reads the prefix back).
 */
export function migrationWatermarkKeyExpr(database: string): string {
  return prefixed(migrationWatermarkKey({ database, table: '' }), '$.table.name');
}

/** `<prefix><the value at path>`: the prefix as an escaped literal of a `States.Format`, then the value's place. */
function prefixed(prefix: string, path: string): string {
  return `States.Format('${literal(prefix).slice(1, -1)}{}', ${path})`;
}

/**
 * Job names become a file name (`<job>.json`, at most 255 bytes) and part of the
 * EMR Serverless job run name (`<use-case>-<dag>-<job>-<execution>`, at most 256
 * characters): a table name longer than {@link JOB_TABLE_MAX} keeps its start and
 * ends with 8 hex characters of its SHA-256, so two long names stay distinct.
 * @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_StartJobRun.html
 */
export function convertJob(t: Pick<MigrationTable, 'name'>): string {
  if (t.name.length <= JOB_TABLE_MAX) return `convert-${t.name}`;
  const hash = createHash('sha256').update(t.name).digest('hex').slice(0, 8);
  return `convert-${t.name.slice(0, JOB_TABLE_MAX - hash.length - 1)}-${hash}`;
}

/** Longest table name kept whole in a job name (`convert-<table>`: 64 characters). */
const JOB_TABLE_MAX = 56;

/**
 * Full items (the tables' `$.table` objects as they are) and their compact form.
 * In a migration whose tables both share tasks and have their own, a table of
 * its own task carries the filter `""` (the item's Choice starts it unfiltered).
 */
export function encodeItems(m: Migration, full: MigrationItem[], sharedConf: string): EncodedItems {
  const filtered = full.some((x) => x.datasync_includes !== undefined);
  const withFilter = full.map((x) => (filtered && x.datasync_includes === undefined ? { ...x, datasync_includes: '' } : x));
  const base = { 'run.$': '$.run', spark_conf: sharedConf };
  if (m.tables.length < COMPACT_FROM) return { compact: false, items: withFilter, itemSelector: { 'table.$': '$$.Map.Item.Value', ...base } };
  const tasks = new Set(full.map((x) => x.datasync_task));
  const submits = new Set(full.map((x) => x.submit));
  // A long table name's job is not `convert-<name>` (convertJob): then every item names its job.
  const jobs = full.some((x) => x.job !== `convert-${x.name}`);
  const items: CompactItem[] = withFilter.map((x) => ({
    n: x.name,
    w: x.watermark,
    ...(jobs ? { j: x.job } : {}),
    ...(tasks.size > 1 ? { t: x.datasync_task } : {}),
    ...(filtered ? { i: x.datasync_includes! } : {}),
    ...(submits.size > 1 ? { s: x.submit } : {}),
  }));
  const value = (key: keyof CompactItem) => `$$.Map.Item.Value.${key}`;
  // `<prefix><table name>`.
  const withName = (prefix: string) => prefixed(prefix, value('n'));
  const table: Record<string, unknown> = {
    'name.$': value('n'),
    ...(tasks.size > 1 ? { 'datasync_task.$': value('t') } : { datasync_task: full[0]!.datasync_task }),
    ...(filtered ? { 'datasync_includes.$': value('i') } : {}),
    'job.$': jobs ? value('j') : withName('convert-'),
    ...(submits.size > 1 ? { 'submit.$': value('s') } : { submit: full[0]!.submit }),
    'watermark.$': value('w'),
    ...(full.some((x) => x.checks) ? { checks: true } : {}),
    ...(full.some((x) => x.fqn !== undefined) ? { 'fqn.$': withName(`${m.database}.`) } : {}),
  };
  return { compact: true, items, itemSelector: { table, ...base } };
}
