/**
 * Uploads the PySpark runtime to `s3://<artifacts>/lakestep/runtime/`: the entry point
 * `lakestep_runtime.py` and the `lakestep` package as one `lakestep.zip`, which every
 * job run of the runtime lists in `--py-files` (src/phases/runtime.ts).
 * The zip is built at synth time, byte for byte the same for the same sources (sorted
 * entries, fixed times), so an unchanged runtime never changes the asset.
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_s3_deployment-readme.html
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/using-python-libraries.html
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Annotations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { zipSync, type Zippable } from 'fflate';
import { scratchDir } from './scratch.ts';

/** Key prefix of everything lakestep puts in the artifacts bucket. */
export const ARTIFACTS_PREFIX = 'lakestep/';
export const ENTRY_POINT = 'lakestep_runtime.py';
export const PACKAGE = 'lakestep';
export const PACKAGE_ZIP = `${PACKAGE}.zip`;
/** 1980-01-01, the first time a zip entry can hold: no build time leaks into the archive. */
const ZIP_TIME = new Date(1980, 0, 1, 0, 0, 0);

export function isRuntimeFile(name: string): boolean {
  return name.endsWith('.py') && !name.startsWith('test_') && !name.endsWith('_test.py') && name !== 'conftest.py';
}

/** The package's modules (`lakestep/**.py`, sorted), as zip entries. */
function packageFiles(sparkDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== '__pycache__') walk(p);
      } else if (isRuntimeFile(name)) out.push(relative(sparkDir, p).split('\\').join('/'));
    }
  };
  walk(join(sparkDir, PACKAGE));
  return out;
}

/** `lakestep.zip`: the package, deflated, entries sorted, times fixed. */
export function runtimeZip(sparkDir: string): Uint8Array {
  const entries: Zippable = {};
  for (const f of packageFiles(sparkDir)) entries[f] = [new Uint8Array(readFileSync(join(sparkDir, f))), { mtime: ZIP_TIME }];
  return zipSync(entries, { level: 9, mtime: ZIP_TIME });
}

/** A folder holding what lands under `lakestep/runtime/`: the entry point and the package zip. */
export function stageRuntime(sparkDir: string): string {
  const dir = join(scratchDir('lakestep-runtime'), 'runtime');
  mkdirSync(dir);
  writeFileSync(join(dir, ENTRY_POINT), readFileSync(join(sparkDir, ENTRY_POINT)));
  writeFileSync(join(dir, PACKAGE_ZIP), runtimeZip(sparkDir));
  return dir;
}

/**
 * Uploads the runtime; returns the upload function (CDK's `BucketDeployment` handler, which
 * the use-case stacks' job document uploads share: usecase/job-documents.ts), or undefined
 * without a runtime to upload.
 */
export function deployRuntime(scope: Construct, sparkDir: string, bucket: s3.IBucket): lambda.IFunction | undefined {
  if (!existsSync(join(sparkDir, ENTRY_POINT)) || !existsSync(join(sparkDir, PACKAGE, '__init__.py'))) {
    Annotations.of(scope).addWarningV2('lakestep:no-spark-runtime', `${sparkDir} has no ${ENTRY_POINT} and ${PACKAGE}/ package: the Spark jobs will not find their entry point`);
    return undefined;
  }
  const deployment = new s3deploy.BucketDeployment(scope, 'SparkRuntime', {
    sources: [s3deploy.Source.asset(stageRuntime(sparkDir))],
    destinationBucket: bucket,
    destinationKeyPrefix: `${ARTIFACTS_PREFIX}runtime/`,
    // Old objects stay until the next deployment replaces them; nothing is deleted when the stack goes.
    retainOnDelete: true,
  });
  return uploadFunction(deployment);
}

/** The singleton function a `BucketDeployment` runs (aws-cdk-lib exposes its role, not the function). */
function uploadFunction(deployment: s3deploy.BucketDeployment): lambda.IFunction {
  const handler = deployment.node.tryFindChild(HANDLER_ID);
  if (!(handler instanceof lambda.SingletonFunction)) throw new Error(`aws-cdk-lib's BucketDeployment has no ${HANDLER_ID} function child: infra/platform/runtime-deployment.ts needs updating`);
  return handler;
}

/** Construct ID of the `lambda.SingletonFunction` inside a `BucketDeployment` (aws-cdk-lib 2.276). */
const HANDLER_ID = 'CustomResourceHandler';
