/**
 * What one use case's Spark jobs may touch, from the manifest alone: its
 * secrets, its Glue databases, and S3 keys grouped by bucket — the table
 * prefixes of its databases, its landing paths, its keys under `lakestep/` of
 * the artifacts bucket, and the entry points and prefixes its custom jobs name
 * (`resources.storage`). Pure data; `spark-job-role.ts` turns it into a policy.
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/security-iam-runtime-role.html
 */
import type { ManifestPlatform, ManifestUseCase } from '../../src/build/types.ts';

/**
 * Keys of one bucket. Every `readWrite` entry is a key prefix; a `read` entry
 * ending in `/` is a prefix, any other names one object (an entry point).
 */
export interface BucketAccess {
  read: string[];
  readWrite: string[];
}

export interface SparkAccess {
  secrets: string[];
  /** Customer managed KMS keys of those secrets. */
  secretKeys: string[];
  databases: string[];
  /** Bucket name → keys; keys covered by a shorter prefix of the same list are dropped. */
  buckets: Map<string, BucketAccess>;
}

/** Where the runtime and per-use-case keys live in the artifacts bucket (DESIGN §6). */
export function artifactKeys(useCase: string): BucketAccess {
  return {
    read: ['lakestep/runtime/', `lakestep/${useCase}/jobs/`],
    readWrite: [`lakestep/results/${useCase}/`, `lakestep/checkpoints/${useCase}/`],
  };
}

/** The access of one use case's Spark job role. */
export function sparkAccess(platform: ManifestPlatform, useCase: ManifestUseCase): SparkAccess {
  const workflows = useCase.workflows;
  const secrets = [...new Set(workflows.flatMap((w) => w.resources.secrets))].sort();
  const secretKeys = [...new Set(workflows.flatMap((w) => w.resources.secretKeys ?? []))].sort();
  const databases = [...new Set(workflows.flatMap((w) => w.resources.tables.map((t) => t.split('.')[0]!)))].sort();
  const read: string[] = [];
  const readWrite: string[] = [];
  const art = artifactKeys(useCase.name);
  read.push(...art.read.map((k) => uri(platform.buckets.artifacts, k)));
  readWrite.push(...art.readWrite.map((k) => uri(platform.buckets.artifacts, k)));
  for (const db of databases) {
    // Tables live at `<layer bucket>/<database>/<table>` (migration DDL), or, created
    // without a location, under the catalog warehouse (the raw bucket) as `<database>.db/`.
    for (const layer of ['raw', 'process', 'analytics'] as const) readWrite.push(uri(platform.buckets[layer], `${db}/`));
    readWrite.push(uri(platform.buckets.raw, `${db}.db/`));
  }
  for (const w of workflows) {
    read.push(...(w.resources.storage?.read ?? []));
    readWrite.push(...(w.resources.storage?.readWrite ?? []));
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
  return { secrets, secretKeys, databases, buckets: new Map([...buckets].sort(([a], [b]) => a.localeCompare(b))) };
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
