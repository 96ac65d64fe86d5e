/**
 * What `governance: lake_formation` governs, from the manifest alone: the Glue
 * databases infra creates (every database platform.yaml declares an owner for)
 * and the S3 locations it registers with Lake Formation (each database's
 * prefixes, `databaseLocations` in src/naming.ts). Pure data.
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/register-location.html
 */
import type { ManifestPlatform } from '../../src/build/types.ts';
import { databaseLocations } from '../../src/naming.ts';

export function lakeFormationEnabled(platform: Pick<ManifestPlatform, 'governance'>): boolean {
  return platform.governance === 'lake_formation';
}

/**
 * Databases infra creates and registers: those platform.yaml declares, and only
 * those, so the platform stack never changes with which use cases compile (a
 * database that left the template would be deleted, or, retained, fail the next
 * create). The compiler refuses an undeclared database under `lake_formation`.
 */
export function governedDatabases(platform: Pick<ManifestPlatform, 'databaseOwners'>): string[] {
  return Object.keys(platform.databaseOwners ?? {}).sort();
}

/** One registered location: an `s3://bucket/prefix/` URI and the database it holds. */
export interface RegisteredLocation {
  database: string;
  uri: string;
}

export function registeredLocations(platform: Pick<ManifestPlatform, 'databaseOwners' | 'buckets'>): RegisteredLocation[] {
  return governedDatabases(platform).flatMap((database) => databaseLocations(platform.buckets, database).map((uri) => ({ database, uri })));
}

/** True when `uri` (an `s3://` URI, object or prefix) lies in one of `locations`, or contains one. */
export function overlapsRegistered(uri: string, locations: readonly RegisteredLocation[]): boolean {
  return locations.some((l) => uri.startsWith(l.uri) || l.uri.startsWith(uri));
}

/**
 * `s3://bucket/prefix/` → `bucket/prefix`, the form Lake Formation names a
 * location in (its ARN is `arn:<partition>:s3:::bucket/prefix`, no trailing slash).
 */
export function locationPath(uri: string): string {
  const m = /^s3:\/\/(.+?)\/*$/.exec(uri);
  if (!m) throw new Error(`not an s3:// URI: ${uri}`);
  return m[1]!;
}
