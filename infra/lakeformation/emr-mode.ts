/**
 * The EMR Serverless mode of `governance: lake_formation`: full-table access (FTA).
 * Set as the application's `spark-defaults`, so every job of the platform gets it,
 * and a job's own `--conf` of another key still merges with it:
 * - Iceberg's Glue catalog vends Lake Formation credentials for registered tables
 *   (`glue.lakeformation-enabled`, with the account and region it reads them in),
 *   and keeps the job role's credentials for anything not registered (landing
 *   files, checkpoints, job documents);
 * - `dropDirectoryBeforeTable` lets `DROP TABLE` remove a table's files while the
 *   table still exists to vend credentials for;
 * - fine-grained access control stays off (`spark.emr-serverless.lakeformation.enabled`):
 *   it runs user code in a separate, restricted profile that refuses Spark
 *   Structured Streaming, extra jars and packages, custom data sources and writes,
 *   all of which lakestep's jobs use (Kafka, JDBC drivers, MERGE). A job cannot run
 *   FTA and FGAC at once.
 * Iceberg full-table access needs EMR 7.9.0 or later (the compiler warns below that).
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/lake-formation-unfiltered-access.html
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/emr-serverless-lf-enable-considerations.html
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/default-configs.html
 */
import { Aws } from 'aws-cdk-lib';
import type * as emrserverless from 'aws-cdk-lib/aws-emrserverless';
import type { ManifestPlatform } from '../../src/build/types.ts';

/** The application's `spark-defaults` for full-table access on the platform's catalog. */
export function fullTableAccessDefaults(platform: Pick<ManifestPlatform, 'catalog'>): Record<string, string> {
  const c = `spark.sql.catalog.${platform.catalog}`;
  return {
    [`${c}.glue.lakeformation-enabled`]: 'true',
    [`${c}.glue.account-id`]: Aws.ACCOUNT_ID,
    [`${c}.client.region`]: Aws.REGION,
    'spark.sql.catalog.dropDirectoryBeforeTable.enabled': 'true',
    'spark.emr-serverless.lakeformation.enabled': 'false',
  };
}

export function fullTableAccessConfiguration(platform: Pick<ManifestPlatform, 'catalog'>): emrserverless.CfnApplication.ConfigurationObjectProperty[] {
  return [{ classification: 'spark-defaults', properties: fullTableAccessDefaults(platform) }];
}
