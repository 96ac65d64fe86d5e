/**
 * Uploads the PySpark runtime (`infra/spark/*.py`, tests excluded) to
 * `s3://<artifacts>/lakestep/runtime/`, where the job runs' entry point is.
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_s3_deployment-readme.html
 */
import { existsSync, readdirSync } from 'node:fs';
import { Annotations } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';

/** Key prefix of everything lakestep puts in the artifacts bucket. */
export const ARTIFACTS_PREFIX = 'lakestep/';

/** Glob exclusions: keep top-level `*.py` files, drop tests and caches. */
export const RUNTIME_EXCLUDES = ['*', '!*.py', 'test_*.py', '*_test.py', 'conftest.py'];

export function isRuntimeFile(name: string): boolean {
  return name.endsWith('.py') && !name.startsWith('test_') && !name.endsWith('_test.py') && name !== 'conftest.py';
}

export function deployRuntime(scope: Construct, sparkDir: string, bucket: s3.IBucket): s3deploy.BucketDeployment | undefined {
  if (!existsSync(sparkDir) || !readdirSync(sparkDir).some(isRuntimeFile)) {
    Annotations.of(scope).addWarningV2('lakestep:no-spark-runtime', `${sparkDir} has no runtime *.py file: the Spark jobs will not find their entry point`);
    return undefined;
  }
  return new s3deploy.BucketDeployment(scope, 'SparkRuntime', {
    sources: [s3deploy.Source.asset(sparkDir, { exclude: RUNTIME_EXCLUDES })],
    destinationBucket: bucket,
    destinationKeyPrefix: `${ARTIFACTS_PREFIX}runtime/`,
    // Old objects stay until the next deployment replaces them; nothing is deleted when the stack goes.
    retainOnDelete: true,
  });
}
