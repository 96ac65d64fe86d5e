/**
 * Engine versions per EMR release label, read from `infra/spark/engine-versions.json`:
 * the platform's default label, the Spark connector versions of generated jobs and
 * the local engine tests (`test/engines`) all take their versions from that file.
 * See https://docs.aws.amazon.com/emr/latest/ReleaseGuide/Spark-release-history.html
 */
import { readFileSync } from 'node:fs';

/** What one EMR release ships (open-source versions; EMR builds are `-amzn-N` of them). */
export interface EngineVersions {
  spark: string;
  pyspark: string;
  /** Scala binary version of the Spark build, e.g. `2.12`. */
  scala: string;
  iceberg: string;
  java: number;
  python: string[];
}

interface VersionTable {
  default: string;
  jdbcDrivers: { postgresql: string; oracle: string };
  releases: Record<string, EngineVersions>;
}

const TABLE: VersionTable = JSON.parse(readFileSync(new URL('../../infra/spark/engine-versions.json', import.meta.url), 'utf8'));

/** JDBC driver versions of generated ingestion jobs (`org.postgresql:postgresql`, `com.oracle.database.jdbc:ojdbc11`). */
export const JDBC_DRIVER_VERSIONS: Readonly<VersionTable['jdbcDrivers']> = TABLE.jdbcDrivers;

/** The release label a platform without `emr.release_label` runs on. */
export const DEFAULT_RELEASE_LABEL: string = TABLE.default;

/**
 * Versions of a release label, or undefined for a label the table does not know
 * (compiled jobs then fall back to the default label's versions).
 * See https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-release-app-versions-7.x.html
 */
export function engineVersions(releaseLabel: string): EngineVersions | undefined {
  return Object.hasOwn(TABLE.releases, releaseLabel) ? TABLE.releases[releaseLabel] : undefined;
}

/** Versions of `releaseLabel`, or of the default label when the table does not know it. */
export function engineVersionsOrDefault(releaseLabel: string): EngineVersions {
  return engineVersions(releaseLabel) ?? TABLE.releases[TABLE.default]!;
}
