/**
 * What one use case's Spark jobs may touch, from the manifest alone: its
 * secrets, the Glue tables of the table-access model (read-only where its jobs
 * only read, write where they write, create and drop only where they do), and
 * S3 keys grouped by bucket — each table's location, its landing paths, its
 * keys under `lakestep/` of the artifacts bucket, and the prefixes its custom
 * jobs declare (`resources.storage`). Pure data; `spark-job-role.ts` turns it
 * into a policy.
 *
 * Grants are per table while the role's policy stays well inside IAM's quota
 * (10,240 characters of inline policy per role); past that, the databases with
 * the most grants are granted as a whole, largest first: reads of any
 * database, writes only of databases the use case owns every table of. A write
 * into another use case's shared table always stays per table.
 *
 * With `governance: lake_formation` the role reaches the data of the registered
 * locations only through Lake Formation (`lakeformation:GetDataAccess`, the
 * grants of `infra/lakeformation/grants.ts`): it gets no S3 key at or under a
 * registered location, and creates no database (infra does).
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/security-iam-runtime-role.html
 * @see https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
import type { ManifestPlatform, ManifestTable, ManifestUseCase, TableAccessKind } from '../../src/build/types.ts';
import { databaseLocations } from '../../src/naming.ts';
import { lakeFormationEnabled, overlapsRegistered, registeredLocations } from '../lakeformation/locations.ts';

/**
 * Keys of one bucket. Every `readWrite` entry is a key prefix; a `read` entry
 * ending in `/` is a prefix, any other names one object (an entry point).
 */
export interface BucketAccess {
  read: string[];
  readWrite: string[];
}

/** Glue resources as `<database>/<table>` (or `<database>/*`), per group of actions. */
export interface GlueAccess {
  /** Databases of every table below (GetDatabase). */
  databases: string[];
  /** GetTable and friends: every table the jobs read or write. */
  read: string[];
  /** UpdateTable (Iceberg commits: writes, row updates, maintenance, schema changes). */
  write: string[];
  /** CreateTable. */
  create: string[];
  /** DeleteTable. */
  drop: string[];
  /** Databases the jobs may create (`CREATE NAMESPACE IF NOT EXISTS` before creating a table). */
  createDatabases: string[];
}

export interface SparkAccess {
  secrets: string[];
  /** Customer managed KMS keys of those secrets. */
  secretKeys: string[];
  glue: GlueAccess;
  /** Bucket name → keys; keys covered by a shorter prefix of the same list are dropped. */
  buckets: Map<string, BucketAccess>;
  /** Databases granted as a whole because per-table grants would not fit the quota. */
  wholeDatabases: string[];
  /** Lake Formation vends the credentials of the registered locations (`lakeformation:GetDataAccess`). */
  lakeFormation: boolean;
}

/** Characters of the role's inline policy spent on table grants before databases are granted whole. */
export const TABLE_GRANT_BUDGET = 6_000;

/** Where the runtime and per-use-case keys live in the artifacts bucket (DESIGN §6). */
export function artifactKeys(useCase: string): BucketAccess {
  return {
    read: ['lakestep/runtime/', `lakestep/${useCase}/jobs/`],
    readWrite: [`lakestep/results/${useCase}/`, `lakestep/checkpoints/${useCase}/`],
  };
}

const WRITE_KINDS: readonly TableAccessKind[] = ['write', 'update', 'maintain', 'alter'];

interface TableNeed {
  table: string;
  database: string;
  location: string;
  kinds: Set<TableAccessKind>;
}

/** The access of one use case's Spark job role. */
export function sparkAccess(platform: ManifestPlatform, useCase: ManifestUseCase, tables: Readonly<Record<string, ManifestTable>> = {}): SparkAccess {
  const workflows = useCase.workflows;
  const secrets = [...new Set(workflows.flatMap((w) => w.resources.secrets))].sort();
  const secretKeys = [...new Set(workflows.flatMap((w) => w.resources.secretKeys ?? []))].sort();
  const needs = tableNeeds(platform, useCase, tables);
  const whole = wholeDatabases(platform, useCase.name, needs, tables);

  const glue: GlueAccess = { databases: [], read: [], write: [], create: [], drop: [], createDatabases: [] };
  const read: string[] = [];
  const readWrite: string[] = [];
  const art = artifactKeys(useCase.name);
  read.push(...art.read.map((k) => uri(platform.buckets.artifacts, k)));
  readWrite.push(...art.readWrite.map((k) => uri(platform.buckets.artifacts, k)));
  for (const n of needs.values()) {
    const wholeDb = whole.get(n.database);
    const writes = [...n.kinds].some((k) => k !== 'read');
    const asWhole = wholeDb !== undefined && (!writes || wholeDb.writes);
    const resource = asWhole ? `${n.database}/*` : n.table.replace('.', '/');
    glue.databases.push(n.database);
    glue.read.push(resource);
    if (WRITE_KINDS.some((k) => n.kinds.has(k))) glue.write.push(resource);
    if (n.kinds.has('create')) {
      glue.create.push(resource);
      glue.createDatabases.push(n.database);
    }
    if (n.kinds.has('drop')) glue.drop.push(resource);
    const prefixes = asWhole ? databasePrefixes(platform, n.database) : [n.location];
    (writes ? readWrite : read).push(...prefixes);
  }
  for (const w of workflows) {
    read.push(...(w.resources.storage?.read ?? []));
    readWrite.push(...(w.resources.storage?.readWrite ?? []));
  }
  const lakeFormation = lakeFormationEnabled(platform);
  if (lakeFormation) {
    const registered = registeredLocations(platform);
    const direct = (u: string) => !overlapsRegistered(u, registered);
    read.splice(0, read.length, ...read.filter(direct));
    readWrite.splice(0, readWrite.length, ...readWrite.filter(direct));
    glue.createDatabases = [];
  }
  for (const k of Object.keys(glue) as (keyof GlueAccess)[]) {
    const list = new Set(glue[k]);
    // A table of a database granted as a whole needs no entry of its own.
    glue[k] = [...list].filter((r) => r.endsWith('/*') || !list.has(`${r.split('/')[0]}/*`)).sort();
  }

  const buckets = new Map<string, BucketAccess>();
  const add = (list: string[], mode: keyof BucketAccess) => {
    for (const u of list) {
      const { bucket, key } = parseS3Uri(u);
      const entry = buckets.get(bucket) ?? { read: [], readWrite: [] };
      entry[mode].push(key);
      buckets.set(bucket, entry);
    }
  };
  add(read, 'read');
  add(readWrite, 'readWrite');
  for (const entry of buckets.values()) {
    entry.readWrite = minimalKeys(entry.readWrite, true);
    entry.read = minimalKeys(entry.read.filter((k) => !covered(k, entry.readWrite, true)), false);
  }
  return { secrets, secretKeys, glue, buckets: new Map([...buckets].sort(([a], [b]) => a.localeCompare(b))), wholeDatabases: [...whole.keys()].sort(), lakeFormation };
}

/** Each table the use case's workflows touch, with the union of their kinds and its location. */
function tableNeeds(platform: ManifestPlatform, useCase: ManifestUseCase, tables: Readonly<Record<string, ManifestTable>>): Map<string, TableNeed> {
  const needs = new Map<string, TableNeed>();
  for (const w of useCase.workflows) {
    for (const [table, kinds] of Object.entries(w.access ?? {})) {
      const database = table.split('.')[0]!;
      const n = needs.get(table) ?? { table, database, location: tables[table]?.location ?? `s3://${platform.buckets.raw}/${database}.db/${table.split('.')[1]}/`, kinds: new Set() };
      for (const k of kinds) n.kinds.add(k);
      needs.set(table, n);
    }
  }
  return new Map([...needs].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Databases to grant as a whole so that the table grants fit {@link TABLE_GRANT_BUDGET}:
 * the costliest first. `writes`: its writes are granted whole too, only for a database
 * whose every known table the use case owns — the manifest lists the tables of quarantined
 * use cases too (src/build/tables.ts), and a table without an owner (made outside lakestep)
 * is not the use case's.
 */
function wholeDatabases(platform: ManifestPlatform, useCase: string, needs: ReadonlyMap<string, TableNeed>, tables: Readonly<Record<string, ManifestTable>>): Map<string, { writes: boolean }> {
  const byDb = new Map<string, TableNeed[]>();
  for (const n of needs.values()) byDb.set(n.database, [...(byDb.get(n.database) ?? []), n]);
  const perTable = (list: readonly TableNeed[]) => list.reduce((s, n) => s + tableCost(platform, n), 0);
  /** Cost of a database's grants, per table or (with `whole`) as a whole plus the writes kept per table. */
  const costOf = (db: string, whole?: { writes: boolean }) => {
    const list = byDb.get(db)!;
    if (!whole) return perTable(list);
    return databaseCost(platform, db) + (whole.writes ? 0 : perTable(list.filter((n) => [...n.kinds].some((k) => k !== 'read'))));
  };
  const owns = (db: string) => Object.entries(tables).every(([t, m]) => !t.startsWith(`${db}.`) || m.owner === useCase);
  let total = [...byDb.keys()].reduce((s, db) => s + costOf(db), 0);
  const whole = new Map<string, { writes: boolean }>();
  for (const db of [...byDb.keys()].sort((a, b) => costOf(b) - costOf(a) || (a < b ? -1 : 1))) {
    if (total <= TABLE_GRANT_BUDGET) break;
    const w = { writes: owns(db) };
    const next = total - costOf(db) + costOf(db, w);
    if (next < total) {
      whole.set(db, w);
      total = next;
    }
  }
  return whole;
}

/** Approximate policy characters one table's grants take: its Glue ARN per action group, its S3 ARN and list prefix. */
function tableCost(platform: ManifestPlatform, n: TableNeed): number {
  const glueArn = `arn:aws:glue:${platform.region}:123456789012:table/${n.table.replace('.', '/')}`.length + 3;
  const groups = 1 + (WRITE_KINDS.some((k) => n.kinds.has(k)) ? 1 : 0) + (n.kinds.has('create') ? 1 : 0) + (n.kinds.has('drop') ? 1 : 0);
  const s3 = `arn:aws:s3:::${n.location.slice('s3://'.length)}*`.length + 3;
  return glueArn * groups + s3 + (n.location.length - n.location.indexOf('/', 5)) + 3;
}

function databaseCost(platform: ManifestPlatform, db: string): number {
  const prefixes = databasePrefixes(platform, db);
  return (`arn:aws:glue:${platform.region}:123456789012:table/${db}/*`.length + 3) * 4 + prefixes.reduce((s, p) => s + p.length * 2, 0);
}

/** Every prefix a database's tables may live under: `<layer bucket>/<database>/` and the warehouse's `<database>.db/`. */
function databasePrefixes(platform: ManifestPlatform, db: string): string[] {
  return databaseLocations(platform.buckets, db);
}

/** `s3://bucket/key` → its parts. */
export function parseS3Uri(u: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(u);
  if (!m) throw new Error(`not an s3://bucket/key URI: ${u}`);
  return { bucket: m[1]!, key: m[2]! };
}

function uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** True when an entry of `list` grants `key`: the same key, or a prefix of it. */
function covered(key: string, list: readonly string[], allPrefixes: boolean): boolean {
  return list.some((p) => key === p || (key.startsWith(p) && (allPrefixes || p.endsWith('/'))));
}

/** Sorted, unique, and without keys that another entry of the same list already grants. */
function minimalKeys(keys: string[], allPrefixes: boolean): string[] {
  const sorted = [...new Set(keys)].sort();
  return sorted.filter((k) => !covered(k, sorted.filter((p) => p !== k), allPrefixes));
}
