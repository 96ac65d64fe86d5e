/**
 * `npm run deploy`: check credentials and the CDK bootstrap of the platform's
 * account and region first, then `cdk deploy` the platform
 * stack and the use-case stacks of the compiled manifest. Quarantined use cases
 * are absent from the CDK app, and `cdk deploy` never deletes a stack the app no
 * longer lists, so their last good deployment stays untouched (DESIGN §3).
 *
 * @see https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-deploy.html
 */
import { spawn as nodeSpawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { MANIFEST_INDEX, ManifestError, readManifestDir } from '../build/manifest-files.ts';
import type { Manifest } from '../build/types.ts';
import { type BootstrapCheck, checkBootstrap as realCheckBootstrap, DEFAULT_QUALIFIER } from './bootstrap.ts';
import { checkCredentials as realCheckCredentials, type CredentialsCheck } from './credentials.ts';
import { errorMessage, OpsError } from './errors.ts';
import { closestNames, didYouMean } from './suggest.ts';

/** Runs a command with inherited stdio; resolves with its exit code. */
export type SpawnFn = (command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) => Promise<number>;

export const CDK_BIN = join('node_modules', '.bin', 'cdk');
export const CDK_APP = 'npx tsx infra/app.ts';

export interface DeployPlanOptions {
  /** Deploy only these use cases (plus the platform stack); default: every stack of the app. */
  useCases?: string[];
  /** Let cdk ask before security-broadening changes; otherwise `--require-approval never`. */
  interactive?: boolean;
  /** Passed to the CDK app as context `buildDir`. */
  buildDir: string;
  cdkBin?: string;
}

export interface DeployPlan {
  command: string;
  args: string[];
  /** Stack names or cdk stack patterns, empty with `--all`. */
  stacks: string[];
  /** Quarantined use cases, with their error counts. */
  quarantined: { useCase: string; errors: number }[];
  /** Lines to show before cdk runs. */
  notices: string[];
}

/** The cdk invocation for a manifest; throws {@link OpsError} for unknown or quarantined `useCases`. */
export function planDeploy(manifest: Manifest, opts: DeployPlanOptions): DeployPlan {
  const prefix = manifest.platform.prefix;
  const quarantined = manifest.quarantined.map((q) => ({
    useCase: q.useCase,
    errors: q.diagnostics.filter((d) => d.severity === 'error').length,
  }));
  const notices = quarantined.map(
    (q) =>
      `use case ${q.useCase} is quarantined (${q.errors} error(s) in its specs): not deployed; its stacks in AWS (${prefix}-${q.useCase}*), if any, are left untouched and keep running their last good deployment`,
  );
  let stacks: string[] = [];
  if (opts.useCases?.length) {
    const known = manifest.useCases.map((u) => u.name);
    for (const uc of opts.useCases) {
      if (quarantined.some((q) => q.useCase === uc)) {
        throw new OpsError('QUARANTINED', `use case "${uc}" is quarantined: fix its specs (see build/report.json) before deploying it; its deployed stacks are left as they are`);
      }
      if (!known.includes(uc)) {
        throw new OpsError('UNKNOWN_USE_CASE', `unknown use case "${uc}"${didYouMean(closestNames(uc, known))}`);
      }
    }
    // `<prefix>-<uc>-[0-9]*` matches shards only, not another use case named `<uc>-something`.
    stacks = [`${prefix}-platform`, ...opts.useCases.flatMap((uc) => [`${prefix}-${uc}`, `${prefix}-${uc}-[0-9]*`])];
  }
  const args = [
    'deploy',
    '--app',
    CDK_APP,
    '--context',
    `buildDir=${opts.buildDir}`,
    ...(opts.interactive ? [] : ['--require-approval', 'never']),
    ...(stacks.length ? stacks : ['--all']),
  ];
  return { command: opts.cdkBin ?? CDK_BIN, args, stacks, quarantined, notices };
}

export interface DeployOptions extends Omit<DeployPlanOptions, 'buildDir'> {
  buildDir: string;
  /** The compiled manifest; read from `<buildDir>/manifest.json` when absent. */
  manifest?: Manifest;
  /** Environment of the cdk process. */
  env: NodeJS.ProcessEnv;
  spawn?: SpawnFn;
  /** Working directory of cdk: the repository root holding `cdk.json` (default `process.cwd()`). */
  cwd?: string;
  checkCredentials?: () => Promise<CredentialsCheck>;
  /** Replaces the bootstrap check of the platform's environment (default: SSM and STS of its region). */
  checkBootstrap?: (env: { region: string; account?: string }) => Promise<BootstrapCheck>;
  /** Receives the notices before cdk starts. */
  log?: (line: string) => void;
}

export interface DeployResult {
  ok: boolean;
  exitCode: number;
  /** Where it stopped: credentials, planning, the bootstrap check, or after cdk ran. */
  stage: 'credentials' | 'plan' | 'bootstrap' | 'cdk';
  message?: string;
  credentials: CredentialsCheck;
  bootstrap?: BootstrapCheck;
  plan?: DeployPlan;
}

export async function deploy(opts: DeployOptions): Promise<DeployResult> {
  const credentials = await (opts.checkCredentials ?? (() => realCheckCredentials({ timeoutMs: 5000 })))();
  if (!credentials.ok) {
    return { ok: false, exitCode: 1, stage: 'credentials', message: `cannot deploy: ${credentials.message}`, credentials };
  }
  let plan: DeployPlan;
  let manifest: Manifest;
  try {
    manifest = opts.manifest ?? (await loadManifest(opts.buildDir));
    plan = planDeploy(manifest, opts);
  } catch (err) {
    const exitCode = err instanceof OpsError ? err.exitCode : 1;
    return { ok: false, exitCode, stage: 'plan', message: errorMessage(err), credentials };
  }
  const { region, account } = manifest.platform;
  const env = { region, ...(account ? { account } : {}) };
  const bootstrap = await (opts.checkBootstrap ?? ((e) => defaultBootstrapCheck(e, opts.cwd ?? process.cwd())))(env);
  if (!bootstrap.ok && bootstrap.stop) return { ok: false, exitCode: 1, stage: 'bootstrap', message: `cannot deploy: ${bootstrap.message}`, credentials, bootstrap };
  if (!bootstrap.ok) opts.log?.(`note: ${bootstrap.message}`);
  for (const line of plan.notices) opts.log?.(line);
  const run = opts.spawn ?? defaultSpawn;
  const exitCode = await run(plan.command, plan.args, { cwd: opts.cwd ?? process.cwd(), env: opts.env });
  return {
    ok: exitCode === 0,
    exitCode,
    stage: 'cdk',
    ...(exitCode === 0 ? {} : { message: `cdk deploy exited with code ${exitCode}` }),
    credentials,
    bootstrap,
    plan,
  };
}

/** The bootstrap qualifier of the CDK app in `cwd` (cdk.json context), else the default. */
export function bootstrapQualifier(cwd: string): string {
  const file = join(cwd, 'cdk.json');
  if (!existsSync(file)) return DEFAULT_QUALIFIER;
  const context = (JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
  const q = context['@aws-cdk/core:bootstrapQualifier'];
  return typeof q === 'string' && q ? q : DEFAULT_QUALIFIER;
}

function defaultBootstrapCheck(env: { region: string; account?: string }, cwd: string): Promise<BootstrapCheck> {
  return realCheckBootstrap({ ...env, qualifier: bootstrapQualifier(cwd), ssm: new SSMClient({ region: env.region }), sts: new STSClient({ region: env.region }) });
}

/** The whole manifest of a build folder, stitched from its index and parts (src/build/manifest-files.ts). */
export async function loadManifest(buildDir: string): Promise<Manifest> {
  const path = join(buildDir, MANIFEST_INDEX);
  if (!existsSync(path)) throw new OpsError('MANIFEST_MISSING', `${path} not found: compile the specs first (lakestep compile specs --out ${buildDir})`);
  try {
    return readManifestDir(buildDir);
  } catch (e) {
    if (e instanceof ManifestError) throw new OpsError('MANIFEST_INVALID', e.message);
    throw e;
  }
}

/** `child_process.spawn` with inherited stdio; a spawn failure (cdk missing) resolves to 127. */
export const defaultSpawn: SpawnFn = (command, args, options) =>
  new Promise((resolve) => {
    const child = nodeSpawn(command, args, { cwd: options.cwd, env: options.env, stdio: 'inherit' });
    child.on('error', () => resolve(127));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
