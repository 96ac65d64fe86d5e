/** The only place that touches the disk for specs and build artifacts. */
import { readFileSync } from 'node:fs';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EMRServerlessClient } from '@aws-sdk/client-emr-serverless';
import type { GlueClient } from '@aws-sdk/client-glue';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { STSClient } from '@aws-sdk/client-sts';
import type { CredentialsCheck, SpawnFn } from '../ops/index.ts';
import type { SourceFile } from '../spec/files.ts';
import { replaceBuild, type BuildGuard } from './build-dir.ts';
import { readSpecTree } from './spec-reader.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (colors, interactive deploy). */
  tty: boolean;
  /** Step Functions client for a region; default `new SFNClient({ region })` (tests pass a mocked one). */
  sfn?: (region: string) => SFNClient;
  /** DynamoDB client for a region (pause flags of pause, resume, status; run records and publish times of checks, status); default `new DynamoDBClient({ region })`. */
  dynamodb?: (region: string) => DynamoDBClient;
  /** EventBridge Scheduler client for a region (pause, resume, status); default `new SchedulerClient({ region })`. */
  scheduler?: (region: string) => SchedulerClient;
  /** EMR Serverless client for a region (logs, cancel); default `new EMRServerlessClient({ region })`. */
  emr?: (region: string) => EMRServerlessClient;
  /** Glue client for a region (doctor: table optimizers); default `new GlueClient({ region })`. */
  glue?: (region: string) => GlueClient;
  /** STS client for a region (doctor: the caller's account when neither --account nor the platform names one). */
  sts?: (region: string) => STSClient;
  /** CloudFormation client for a region (deploy: the deployed stacks' inputs hashes); default `new CloudFormationClient({ region })`. */
  cloudFormation?: (region: string) => CloudFormationClient;
  /** CloudWatch client for a region (`failures` reads the Step Functions metrics); default `new CloudWatchClient({ region })`. */
  cloudWatch?: (region: string) => CloudWatchClient;
  /** IAM client (deploy: the account's roles and their quota); default `new IAMClient({ region })`. */
  iam?: (region: string) => IAMClient;
  /** Replaces the credentials preflight of `deploy` (tests). */
  checkCredentials?: () => Promise<CredentialsCheck>;
  /** Replaces the `cdk` child process of `deploy` (tests). */
  spawn?: SpawnFn;
  /** The clock of the operator commands (default: the wall clock). */
  now?: () => Date;
  /** How `backfill` waits between looks at its runs in flight (default: a timer; tests pass their own). */
  sleep?: (ms: number) => Promise<void>;
  /** Stops `validate --watch` and `compile --watch` when aborted, as Ctrl-C does (tests). */
  signal?: AbortSignal;
}

export const processIo: Io = {
  out: (t) => void process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => void process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  cwd: process.cwd(),
  env: process.env,
  tty: Boolean(process.stdout.isTTY),
};

/** Every spec file under `dir` (YAML and SQL), paths relative to it with `/` (see {@link readSpecTree}). */
export function readSpecs(dir: string): SourceFile[] {
  return readSpecTree(dir).files;
}

/**
 * Replaces the lakestep build in `outDir` with `files`, removing only the files
 * of the previous build; refuses anything else (see {@link replaceBuild}).
 */
export function writeBuild(outDir: string, files: ReadonlyMap<string, string>, guard: BuildGuard = {}): void {
  replaceBuild(outDir, files, guard);
}

/** The version in package.json, recorded in the manifest and in resource tags. */
export function lakestepVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
