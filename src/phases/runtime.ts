/**
 * EMR Serverless jobs of the lakestep runtime (`infra/spark/lakestep_runtime.py`):
 * the job document, the result file and the run parameters, plus the Spark
 * configuration every such job needs for Iceberg in the Glue Data Catalog.
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/using-iceberg.html
 */
import { emrJobTask } from '../asl/emr.ts';
import type { TaskState } from '../asl/types.ts';
import { DEFAULT_RELEASE_LABEL, engineVersionsOrDefault, JDBC_DRIVER_VERSIONS } from '../ir/engine-versions.ts';
import type { Platform, Workflow } from '../ir/types.ts';
import { VARIABLE_SUBSTITUTION_OFF } from '../sql/conf.ts';
import { SESSION_TIME_ZONE_CONF } from '../sql/watermark.ts';
import { jobRunName } from './spark.ts';

/** Run parameters every runtime job gets (`lakestep_runtime.py` requires them). */
export const ALWAYS_PASSED: readonly string[] = ['ds', 'ts', 'run_id'];

export const RUNTIME_ENTRYPOINT = 's3://${ArtifactsBucket}/lakestep/runtime/lakestep_runtime.py';
/** The `lakestep` package the entry point imports (infra/platform/runtime-deployment.ts builds it). */
export const RUNTIME_PACKAGE = 's3://${ArtifactsBucket}/lakestep/runtime/lakestep.zip';

/**
 * Connectors for JDBC and Kafka sources; the Kafka connector follows the Spark and
 * Scala versions of the release label, the drivers the table's `jdbcDrivers`
 * (`infra/spark/engine-versions.json`).
 * See https://spark.apache.org/docs/3.5.6/structured-streaming-kafka-integration.html#deploying
 */
export function ingestionPackages(releaseLabel: string): string[] {
  const v = engineVersionsOrDefault(releaseLabel);
  return [
    `org.apache.spark:spark-sql-kafka-0-10_${v.scala}:${v.spark}`,
    `org.postgresql:postgresql:${JDBC_DRIVER_VERSIONS.postgresql}`,
    `com.oracle.database.jdbc:ojdbc11:${JDBC_DRIVER_VERSIONS.oracle}`,
  ];
}

/** {@link ingestionPackages} of the default release label. */
export const INGESTION_PACKAGES: readonly string[] = ingestionPackages(DEFAULT_RELEASE_LABEL);


/** `--conf` flags that bind the platform's Spark catalog to Iceberg in Glue. */
export function icebergConf(platform: Platform): string {
  const c = platform.catalog;
  return [
    'spark.jars=/usr/share/aws/iceberg/lib/iceberg-spark3-runtime.jar',
    'spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions',
    `spark.sql.catalog.${c}=org.apache.iceberg.spark.SparkCatalog`,
    `spark.sql.catalog.${c}.catalog-impl=org.apache.iceberg.aws.glue.GlueCatalog`,
    `spark.sql.catalog.${c}.io-impl=org.apache.iceberg.aws.s3.S3FileIO`,
    `spark.sql.catalog.${c}.warehouse=s3://${platform.buckets.raw}/`,
    `spark.sql.defaultCatalog=${c}`,
    SESSION_TIME_ZONE_CONF,
    VARIABLE_SUBSTITUTION_OFF,
  ]
    .map((kv) => `--conf ${kv}`)
    .join(' ');
}

/**
 * `--conf` flags of every job of the lakestep runtime: {@link icebergConf} and the
 * runtime package on the Python path (`spark.submit.pyFiles`).
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/using-python-libraries.html
 */
export function runtimeConf(platform: Platform): string {
  return `${icebergConf(platform)} --conf spark.submit.pyFiles=${RUNTIME_PACKAGE}`;
}

/** Path of a job document relative to build/ (and to `s3://<artifacts>/lakestep/`). */
export function jobPath(w: Pick<Workflow, 'useCase' | 'name'>, job: string): string {
  return `${w.useCase}/jobs/${w.name}/${job}.json`;
}

/** Key of a job's result file in the artifacts bucket, per execution (intrinsic expression). */
export function resultKeyExpr(w: Pick<Workflow, 'useCase' | 'name'>, job: string | { path: string }): string {
  const base = `lakestep/results/${w.useCase}/${w.name}/{}/`;
  return typeof job === 'string' ? `States.Format('${base}${job}.json', $$.Execution.Name)` : `States.Format('${base}{}.json', $$.Execution.Name, ${job.path})`;
}

export interface RuntimeJob {
  workflow: Workflow;
  platform: Platform;
  /** Job name, or a JSONPath to it (Map items). */
  job: string | { path: string };
  /** Extra parameters: name → JSONPath of the value, or a fixed text. */
  params?: Record<string, string | { text: string }>;
  sparkSubmitParameters: string | { path: string };
  comment: string;
  next: string;
  failure: string;
}

export function runtimeJobTask(j: RuntimeJob): TaskState {
  const w = j.workflow;
  const jobUri =
    typeof j.job === 'string'
      ? { text: `s3://\${ArtifactsBucket}/lakestep/${jobPath(w, j.job)}` }
      : { expr: `States.Format('s3://\${ArtifactsBucket}/lakestep/${w.useCase}/jobs/${w.name}/{}.json', ${j.job.path})` };
  const param = (name: string, value: string | { text: string }) =>
    typeof value === 'string' ? [{ text: '--param' }, { expr: `States.Format('${name}={}', ${value})` }] : [{ text: '--param' }, { text: `${name}=${value.text}` }];
  return emrJobTask({
    comment: j.comment,
    jobName: jobRunName(w, typeof j.job === 'string' ? j.job : undefined),
    entryPoint: RUNTIME_ENTRYPOINT,
    arguments: [
      { text: '--job' },
      jobUri,
      { text: '--result' },
      { expr: `States.Format('s3://\${ArtifactsBucket}/{}', ${resultKeyExpr(w, j.job)})` },
      ...param('ds', '$.run.ds'),
      ...param('ts', '$.run.logical_date'),
      ...param('run_id', '$$.Execution.Name'),
      ...Object.entries(j.params ?? {}).flatMap(([k, v]) => param(k, v)),
    ],
    sparkSubmitParameters: j.sparkSubmitParameters,
    timeoutSeconds: w.timeoutSeconds,
    retries: w.retries,
    next: j.next,
    failure: j.failure,
  });
}
