/**
 * Which S3 locations a use case may name. Its own prefixes are
 * `s3://<platform bucket>/<use-case>/…` in every platform bucket; the
 * artifacts bucket's `lakestep/` prefix belongs to the platform runtime (job
 * documents, results, checkpoints, the PySpark runtime) and is never a spec
 * location, while its `shared/` prefix holds platform-wide files every use case
 * may read. Table data lives under the layer buckets' `<database>/` prefixes and
 * is reached through tables, never as paths. A location in any other bucket
 * must lie under a platform.yaml `external_locations` prefix declared for the
 * use case (with `access: write` to be written). Everything else is an error at
 * the location: the grants of the use case's roles follow from these locations.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-prefixes.html
 */
import type { Platform } from './types.ts';

/** How a location is used: read, written, or unknown (a free-form argument). */
export type LocationUse = 'read' | 'write' | 'any';

/** The artifacts bucket's prefix every use case may read (platform-wide libraries). */
export const SHARED_PREFIX = 'shared/';
/** The artifacts bucket's prefix of the platform runtime. */
export const RUNTIME_PREFIX = 'lakestep/';

export interface LocationScope {
  platform: Platform;
  useCase: string;
  /** Every Glue database of the platform (their table data is not a location). */
  databases: ReadonlySet<string>;
}

const S3_URI = /^s3[an]?:\/\/([^/]*)(?:\/(.*))?$/i;

/**
 * `s3://`, `s3a://` and `s3n://` URIs (any case) in free text, with offsets. A
 * `{{ dag }}` or `{{ use_case }}` inside one is replaced by its value; any other
 * run template ends it, so only its literal start is checked.
 */
export function s3UrisIn(text: string, constants: { dag: string; useCase: string }): { uri: string; offset: number }[] {
  const re = /s3[an]?:\/\/(?:\{\{\s*(?:dag|use_case)\s*\}\}|(?!\{\{)[^\s,;'"()[\]{}])*/gi;
  return [...text.matchAll(re)].map((m) => ({
    uri: m[0].replace(/\{\{\s*(dag|use_case)\s*\}\}/g, (_, t: string) => (t === 'dag' ? constants.dag : constants.useCase)),
    offset: m.index,
  }));
}

/** The problem with a use case naming `uri` for `use`, or undefined when it may. */
export function locationProblem(uri: string, use: LocationUse, scope: LocationScope): string | undefined {
  if (!scope.platform.grants.checked) return undefined;
  const m = S3_URI.exec(uri);
  if (!m) return `'${uri}' is not an s3://<bucket>/<key> location`;
  const bucket = m[1]!;
  const key = m[2] ?? '';
  const own = `s3://<bucket>/${scope.useCase}/`;
  if (bucket === '') return `'${uri}' names no bucket: the bucket and the use-case folder must be written out`;
  const segments = key.split('/');
  if (segments.slice(0, -1).some((s) => s === '' || s === '.' || s === '..') || segments[segments.length - 1] === '..' || segments[segments.length - 1] === '.') {
    return `'${uri}' holds an empty, '.' or '..' path segment: write the location out plainly`;
  }
  const b = scope.platform.buckets;
  const platformBucket = (Object.keys(b) as (keyof typeof b)[]).find((k) => b[k] === bucket);
  if (platformBucket) {
    if (platformBucket === 'artifacts' && key.startsWith(RUNTIME_PREFIX)) return `'${uri}' is under the artifacts bucket's ${RUNTIME_PREFIX} prefix, which belongs to the platform runtime; use ${own.replace('<bucket>', bucket)}…`;
    if (platformBucket === 'artifacts' && key.startsWith(SHARED_PREFIX)) {
      return use === 'write' ? `'${uri}' is under the artifacts bucket's ${SHARED_PREFIX} prefix, which every use case reads and none writes` : undefined;
    }
    const top = key.split('/')[0]!;
    const database = top.endsWith('.db') ? top.slice(0, -3) : top;
    // A database named after this use case lies in its own prefix, and only it may create tables there
    // (src/ir/ownership.ts): another use case's claim of that name never makes the own prefix table data.
    if (platformBucket !== 'landing' && platformBucket !== 'artifacts' && database !== scope.useCase && scope.databases.has(database)) {
      return `'${uri}' is table data of database '${database}': name its tables in \`spark.reads\` or \`spark.writes\` instead`;
    }
    if (key.startsWith(`${scope.useCase}/`)) return undefined;
    return `'${uri}' is outside the use case's own prefix ${own.replace('<bucket>', bucket)} (a use case names s3://<platform bucket>/${scope.useCase}/…, the artifacts bucket's ${SHARED_PREFIX} for reading, or locations platform.yaml declares in \`external_locations\`)`;
  }
  const foreign = scope.platform.grants.foreignBuckets?.[bucket];
  if (foreign !== undefined) {
    const env = scope.platform.environment === undefined ? 'this environment' : `environment '${scope.platform.environment}'`;
    const sharedRead = foreign === 'artifacts' && key.startsWith(SHARED_PREFIX) && use !== 'write';
    if (!key.startsWith(`${scope.useCase}/`) && !sharedRead) {
      return `'${uri}' is in s3://${bucket}/, platform.yaml's ${foreign} bucket, which ${env} renames: another environment's platform bucket, where a use case names only its own prefix s3://${bucket}/${scope.useCase}/ (and the artifacts bucket's ${SHARED_PREFIX} for reading), whatever \`external_locations\` declares`;
    }
  }
  const normal = `s3://${bucket}/${key}`;
  const declared = scope.platform.grants.externalLocations.filter((l) => normal.startsWith(l.prefix) && l.useCases.includes(scope.useCase));
  if (declared.some((l) => use !== 'write' || l.access === 'write')) return undefined;
  if (declared.length > 0) return `'${uri}' is declared in platform.yaml \`external_locations\` for reading only; writing needs \`access: write\``;
  return `'${uri}' is in bucket '${bucket}', which is not a platform bucket: platform.yaml \`external_locations\` must declare a prefix holding it for use case '${scope.useCase}'`;
}
