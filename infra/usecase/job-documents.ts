/**
 * Uploads a use case's job documents (`build/<use-case>/jobs/**`) to
 * `s3://<artifacts>/lakestep/<use-case>/jobs/`, the key the state machines pass
 * to the runtime as `--job`.
 *
 * The files travel as a CDK asset (a zip in the bootstrap bucket, published by
 * `cdk deploy`), and one custom resource of the use case's stack has the platform's
 * upload function — the handler of CDK's `BucketDeployment` that uploads the Spark
 * runtime (runtime-deployment.ts) — copy them into place, with the properties
 * `BucketDeployment` itself gives that handler (test/infra/job-documents.test.ts
 * holds them equal). A `BucketDeployment` per use case would bring its own
 * function, role, policy, log group and 22 MB AWS CLI layer into every use-case
 * stack (1,000 functions and layer versions at 1,000 use cases, against the
 * region's 75 GB of Lambda storage), give each of them read-write access to the
 * whole artifacts bucket (the shared runtime and every other use case's
 * documents), and tag the artifacts bucket once per use case: S3 keeps at most
 * 50 tags per bucket, so the platform stack would fail to deploy past ~46 use
 * cases and change with every use case added.
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_s3_deployment-readme.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CustomResource } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import type { ManifestUseCase } from '../../src/build/types.ts';
import { ARTIFACTS_PREFIX } from '../platform/runtime-deployment.ts';

/** S3 key of a job document: its manifest path (relative to build/) under `lakestep/`. */
export function jobDocumentKey(jobPath: string): string {
  return `${ARTIFACTS_PREFIX}${jobPath}`;
}

/** The resource type `BucketDeployment` gives its custom resource, which its handler answers. */
export const UPLOAD_RESOURCE_TYPE = 'Custom::CDKBucketDeployment';

export function deployJobDocuments(
  scope: Construct,
  buildDir: string,
  useCase: ManifestUseCase,
  bucket: s3.IBucket,
  uploader: lambda.IFunction | undefined,
): CustomResource | undefined {
  const jobs = useCase.workflows.flatMap((w) => w.jobs);
  const folder = `${useCase.name}/jobs/`;
  const stray = jobs.find((j) => !j.startsWith(folder));
  if (stray) throw new Error(`job document ${stray} of use case ${useCase.name} is not under build/${folder}`);
  const dir = join(buildDir, useCase.name, 'jobs');
  if (jobs.length === 0) return undefined;
  if (!existsSync(dir)) throw new Error(`${dir} is missing but the manifest lists job documents: run \`npx lakestep compile\` again`);
  if (!uploader) {
    throw new Error(`use case ${useCase.name} has Spark jobs but the platform stack has no Spark runtime to upload, so no upload function for their job documents either: see the platform stack's warning`);
  }
  const zip = new Asset(scope, 'JobDocumentFiles', { path: dir });
  return new CustomResource(scope, 'JobDocumentUpload', {
    serviceToken: uploader.functionArn,
    resourceType: UPLOAD_RESOURCE_TYPE,
    properties: {
      SourceBucketNames: [zip.s3BucketName],
      SourceObjectKeys: [zip.s3ObjectKey],
      DestinationBucketName: bucket.bucketName,
      DestinationBucketKeyPrefix: jobDocumentKey(folder),
      WaitForDistributionInvalidation: true,
      // Objects stay when the stack goes; a later upload replaces them.
      RetainOnDelete: true,
      // Documents of dags no longer in the use case are deleted from its prefix.
      Prune: true,
      OutputObjectKeys: true,
    },
  });
}
