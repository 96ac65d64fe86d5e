/**
 * `npm run deploy`: check credentials, the IAM roles the deploy adds against the
 * account's quota (role-quota.ts), the CloudFormation stacks it creates against the
 * region's (stack-quota.ts) and the CDK bootstrap of the platform's
 * account and region first, then `cdk deploy` the stacks whose inputs changed since
 * they were deployed (deploy-changes.ts; all of them with `all`). Quarantined use cases
 * are absent from the CDK app, and `cdk deploy` never deletes a stack the app no
 * longer lists, so their last good deployment stays untouched (DESIGN §3).
 *
 * @see https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-deploy.html
 */
import { spawn as nodeSpawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { IAMClient } from '@aws-sdk/client-iam';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { MANIFEST_INDEX, ManifestError, readManifestDir } from '../build/manifest-files.ts';
import type { Manifest, ManifestUseCase } from '../build/types.ts';
import { type BootstrapCheck, checkBootstrap as realCheckBootstrap, DEFAULT_QUALIFIER } from './bootstrap.ts';
import { checkCredentials as realCheckCredentials, type CredentialsCheck } from './credentials.ts';
import { DEFAULT_SPARK_DIR } from '../../infra/inputs-hash.ts';
import { useCaseShards } from '../../infra/usecase/shards.ts';
import { sharesMachineRoles } from '../build/iam-quota.ts';
import { changesSinceDeploy, type DeployedStack, formatChanges, nothingChanged, readRegionStacks, type StackChanges } from './deploy-changes.ts';
import { errorMessage, OpsError } from './errors.ts';
import { checkRoleQuota, type DeployScope, type RoleQuotaCheck, rolesAdded } from './role-quota.ts';
import { checkStackQuota, type StackQuotaCheck, stacksAdded } from './stack-quota.ts';
import { closestNames, didYouMean } from './suggest.ts';

/** Runs a command with inherited stdio; resolves with its exit code. */
export type SpawnFn = (command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) => Promise<number>;

export const CDK_BIN = join('node_modules', '.bin', 'cdk');
/**
 * The CDK app as cdk.json runs it: node with tsx's loader (npx and tsx's own launcher would add two processes,
 * ~0.5 s), and one thread in V8's background pool instead of Node's four. Synth is one JavaScript thread; the
 * pool serves the garbage collector and the compilation of CloudFormation's WebAssembly validator, and on two
 * cores four helper threads only fight the main one: at 1,000 workflows one thread cut synth's CPU by ~16 %
 * after one change and ~9 % cold, its wall time by 8–13 % (bench/synth.ts measures the app with these flags).
 */
export const CDK_APP = 'node --v8-pool-size=1 --import tsx infra/app.ts';

/**
 * Stacks `cdk deploy` deploys at once (its `--concurrency`, dependencies permitting: the use-case stacks wait
 * for the platform stack they import from, a use case's other parts for its first). cdk's own default is one at
 * a time: a change to platform.yaml redeploys every use-case stack, which at 200 stacks is hours in a row.
 * Eight keeps CloudFormation's and the services' API rates (CreateStateMachine, IAM, Scheduler) in reach of
 * their retries; `--concurrency 1` deploys one at a time.
 */
export const DEFAULT_DEPLOY_CONCURRENCY = 8;
export const MAX_DEPLOY_CONCURRENCY = 50;

export interface DeployPlanOptions {
  /** Stacks deployed at once, 1 to {@link MAX_DEPLOY_CONCURRENCY}; default {@link DEFAULT_DEPLOY_CONCURRENCY}. */
  concurrency?: number;
  /** Deploy only these use cases (plus the platform stack); default: every stack of the app. */
  useCases?: string[];
  /** Let cdk ask before security-broadening changes; otherwise `--require-approval never`. */
  interactive?: boolean;
  /** Passed to the CDK app as context `buildDir`. */
  buildDir: string;
  cdkBin?: string;
  /**
   * Deploy only these stacks: the platform stack when `changes.platform` is set (the app is then
   * built whole, its template depends on every use case), and the changed use cases' stacks
   * (only those are built otherwise, context `lakestep:use-cases`). Ignored with `useCases`.
   */
  changes?: StackChanges;
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
  const concurrency = opts.concurrency ?? DEFAULT_DEPLOY_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_DEPLOY_CONCURRENCY) {
    throw new OpsError('USAGE', `--concurrency must be an integer from 1 to ${MAX_DEPLOY_CONCURRENCY}, got ${concurrency}`);
  }
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
    stacks = [`${prefix}-platform`, ...opts.useCases.flatMap((uc) => useCaseStackPatterns(prefix, uc))];
  }
  const changes = opts.useCases?.length ? undefined : opts.changes;
  let selection: string[] = [];
  if (changes) ({ stacks, context: selection } = changedStackSelection(prefix, changes));
  const args = [
    'deploy',
    '--app',
    CDK_APP,
    '--context',
    `buildDir=${opts.buildDir}`,
    ...selection,
    ...(opts.interactive ? [] : ['--require-approval', 'never']),
    ...(concurrency > 1 ? ['--concurrency', String(concurrency)] : []),
    // Exactly the stacks named: an unchanged platform stack is not deployed as a dependency.
    ...(changes ? ['--exclusively', ...stacks] : stacks.length ? stacks : ['--all']),
  ];
  return { command: opts.cdkBin ?? CDK_BIN, args, stacks, quarantined, notices };
}

/**
 * The stacks of what changed, for `cdk deploy` and `cdk diff` (`--exclusively`): the platform stack when it
 * changed, and the changed use cases' stacks; and, when the platform stack is unchanged, the context that
 * builds only those use cases (`lakestep:use-cases`; otherwise the app is built whole, the platform template
 * depending on every use case).
 */
export function changedStackSelection(prefix: string, changes: Pick<StackChanges, 'platform' | 'useCases'>): { stacks: string[]; context: string[] } {
  return {
    stacks: [...(changes.platform ? [`${prefix}-platform`] : []), ...changes.useCases.flatMap((u) => useCaseStackPatterns(prefix, u.name))],
    context: changes.platform ? [] : ['--context', `lakestep:use-cases=${changes.useCases.map((u) => u.name).join(',')}`],
  };
}

/** `<prefix>-<uc>-[0-9]*` matches shards only, not another use case named `<uc>-something`. */
function useCaseStackPatterns(prefix: string, useCase: string): string[] {
  return [`${prefix}-${useCase}`, `${prefix}-${useCase}-[0-9]*`];
}

export interface DeployOptions extends Omit<DeployPlanOptions, 'buildDir' | 'changes'> {
  buildDir: string;
  /** Deploy every stack, changed or not (otherwise only the changed ones, unless `useCases` names them). */
  all?: boolean;
  /** Print what would deploy and why, then stop before cdk. */
  dryRun?: boolean;
  /** Reads the deployed stacks, to know what changed and what the deployed stacks hold (default: a client of the platform's region). */
  cloudFormation?: CloudFormationClient;
  /** Reads the account's IAM roles and quota when the deploy adds roles (default: a client of the platform's region). */
  iam?: IAMClient;
  /** The Spark runtime folder the platform stack uploads (default infra/spark). */
  sparkDir?: string;
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
  /** Where it stopped: credentials, planning (also a dry run or nothing to deploy), the IAM role or CloudFormation stack quota, the bootstrap check, or after cdk ran. */
  stage: 'credentials' | 'plan' | 'quota' | 'bootstrap' | 'cdk';
  /** The stacks that changed, unless `all` or `useCases` chose them. */
  changes?: StackChanges;
  message?: string;
  credentials: CredentialsCheck;
  bootstrap?: BootstrapCheck;
  /** The IAM role quota check, when the deploy adds roles (with `all` or `useCases`, unless the deployed stacks could not be read). */
  roleQuota?: RoleQuotaCheck;
  /** The CloudFormation stack quota check, when the deploy creates stacks (unless the region's stacks could not be read). */
  stackQuota?: StackQuotaCheck;
  plan?: DeployPlan;
}

export async function deploy(opts: DeployOptions): Promise<DeployResult> {
  const buildOf = (manifest: Manifest) => ({ buildDir: resolve(opts.cwd ?? process.cwd(), opts.buildDir), manifest });
  const credentials = await (opts.checkCredentials ?? (() => realCheckCredentials({ timeoutMs: 5000 })))();
  if (!credentials.ok) {
    return { ok: false, exitCode: 1, stage: 'credentials', message: `cannot deploy: ${credentials.message}`, credentials };
  }
  let plan: DeployPlan;
  let manifest: Manifest;
  let changes: StackChanges | undefined;
  let deployed: DeployedStack[] = [];
  /** Every stack of the region, lakestep's or not: unknown when DescribeStacks could not be read. */
  let inRegion: number | undefined;
  try {
    manifest = opts.manifest ?? (await loadManifest(opts.buildDir));
    // Planned before CloudFormation is asked anything: an unknown --use-case stops here.
    plan = planDeploy(manifest, opts);
    if (!opts.all && !opts.useCases?.length) {
      const { prefix, region } = manifest.platform;
      ({ deployed, inRegion, changes } = await changesSinceDeploy(buildOf(manifest), opts.cloudFormation ?? new CloudFormationClient({ region }), opts.sparkDir ?? DEFAULT_SPARK_DIR));
      for (const line of formatChanges(changes, prefix)) opts.log?.(line);
      plan = planDeploy(manifest, { ...opts, changes });
    }
  } catch (err) {
    const exitCode = err instanceof OpsError ? err.exitCode : 1;
    return { ok: false, exitCode, stage: 'plan', message: errorMessage(err), credentials };
  }
  const withChanges = changes ? { changes } : {};
  if (changes && nothingChanged(changes)) {
    return { ok: true, exitCode: 0, stage: 'plan', message: 'nothing changed since the last deploy', credentials, plan, ...withChanges };
  }
  // The roles the deploy adds, against the account's: before anything is synthesized or created.
  let roleQuota: RoleQuotaCheck | undefined;
  let scope: DeployScope | undefined = changes;
  if (!changes) {
    // --all and --use-case deploy what they name, changed or not; the deployed stacks say what those hold already.
    try {
      ({ stacks: deployed, inRegion } = await readRegionStacks(opts.cloudFormation ?? new CloudFormationClient({ region: manifest.platform.region }), manifest.platform.prefix));
      const named = opts.useCases?.length ? manifest.useCases.filter((u) => opts.useCases!.includes(u.name)) : manifest.useCases;
      scope = { platform: 'deployed with them', useCases: named.filter((u) => !plan.quarantined.some((q) => q.useCase === u.name)) };
    } catch (err) {
      opts.log?.(`note: IAM role and CloudFormation stack quotas not checked (${errorMessage(err)})`);
    }
  }
  // The stacks of a use case, counted from the build as the app splits it (its definitions' sizes): once each.
  const shards = new Map<string, number>();
  const stackCount = (u: ManifestUseCase) => shards.get(u.name) ?? shards.set(u.name, useCaseShards(buildOf(manifest), u).length).get(u.name)!;
  // A use case split over stacks has a shared machine role in each.
  const added = scope && rolesAdded(manifest, scope, deployed, sharesMachineRoles(manifest.platform) ? stackCount : undefined);
  if (added && added.roles > 0) {
    // The IAM client loads only here: the operator commands that share this module never need it.
    const iam = opts.iam ?? new (await import('@aws-sdk/client-iam')).IAMClient({ region: manifest.platform.region });
    roleQuota = await checkRoleQuota({ iam, adds: added.roles, useCases: added.useCases, platform: manifest.platform });
    if (!roleQuota.ok && roleQuota.stop && !opts.dryRun) {
      return { ok: false, exitCode: 1, stage: 'quota', message: `cannot deploy: ${roleQuota.message}`, credentials, roleQuota, plan, ...withChanges };
    }
    opts.log?.(roleQuota.ok ? roleQuota.message : roleQuota.stop ? `would stop: ${roleQuota.message}` : `note: ${roleQuota.message}`);
  }
  // The stacks the deploy creates, against the region's quota: CloudFormation refuses the one that crosses it.
  let stackQuota: StackQuotaCheck | undefined;
  const newStacks = scope && inRegion !== undefined ? stacksAdded(manifest, scope, deployed) : undefined;
  if (newStacks && newStacks.stacks > 0) {
    const { region } = manifest.platform;
    try {
      stackQuota = await checkStackQuota({
        cloudFormation: opts.cloudFormation ?? new CloudFormationClient({ region }),
        inRegion: inRegion!,
        adds: newStacks,
        exactly: () => stacksAdded(manifest, scope!, deployed, stackCount),
        region,
      });
    } catch (err) {
      // Counting exactly reads the build's definitions, as the CDK app does: a build missing one cannot deploy.
      return { ok: false, exitCode: 1, stage: 'plan', message: errorMessage(err), credentials, plan, ...withChanges };
    }
    if (!stackQuota.ok && stackQuota.stop && !opts.dryRun) {
      return { ok: false, exitCode: 1, stage: 'quota', message: `cannot deploy: ${stackQuota.message}`, credentials, ...(roleQuota ? { roleQuota } : {}), stackQuota, plan, ...withChanges };
    }
    opts.log?.(stackQuota.ok ? stackQuota.message : stackQuota.stop ? `would stop: ${stackQuota.message}` : `note: ${stackQuota.message}`);
  }
  const withQuota = { ...(roleQuota ? { roleQuota } : {}), ...(stackQuota ? { stackQuota } : {}) };
  if (opts.dryRun) {
    opts.log?.(`dry run: would run ${plan.command} ${plan.args.join(' ')}`);
    return { ok: true, exitCode: 0, stage: 'plan', message: 'dry run', credentials, plan, ...withChanges, ...withQuota };
  }
  const { region, account } = manifest.platform;
  const env = { region, ...(account ? { account } : {}) };
  const bootstrap = await (opts.checkBootstrap ?? ((e) => defaultBootstrapCheck(e, opts.cwd ?? process.cwd())))(env);
  if (!bootstrap.ok && bootstrap.stop) return { ok: false, exitCode: 1, stage: 'bootstrap', message: `cannot deploy: ${bootstrap.message}`, credentials, bootstrap, ...withQuota };
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
    ...withChanges,
    ...withQuota,
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
