/**
 * Uploads a use case's job documents (`build/<use-case>/jobs/**`) to
 * `s3://<artifacts>/lakestep/<use-case>/jobs/`, the key the state machines pass
 * to the runtime as `--job`.
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_s3_deployment-readme.html
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import type { ManifestUseCase } from '../../src/build/types.ts';
import { ARTIFACTS_PREFIX } from '../platform/runtime-deployment.ts';

/** S3 key of a job document: its manifest path (relative to build/) under `lakestep/`. */
export function jobDocumentKey(jobPath: string): string {
  return `${ARTIFACTS_PREFIX}${jobPath}`;
}

export function deployJobDocuments(
  scope: Construct,
  buildDir: string,
  useCase: ManifestUseCase,
  bucket: s3.IBucket,
): s3deploy.BucketDeployment | undefined {
  const jobs = useCase.workflows.flatMap((w) => w.jobs);
  const folder = `${useCase.name}/jobs/`;
  const stray = jobs.find((j) => !j.startsWith(folder));
  if (stray) throw new Error(`job document ${stray} of use case ${useCase.name} is not under build/${folder}`);
  const dir = join(buildDir, useCase.name, 'jobs');
  if (jobs.length === 0) return undefined;
  if (!existsSync(dir)) throw new Error(`${dir} is missing but the manifest lists job documents: run \`npx lakestep compile\` again`);
  return new s3deploy.BucketDeployment(scope, 'JobDocuments', {
    sources: [s3deploy.Source.asset(dir)],
    destinationBucket: bucket,
    destinationKeyPrefix: jobDocumentKey(folder),
    retainOnDelete: true,
  });
}
