/**
 * The CDK app: reads `build/manifest.json` and creates `<prefix>-platform` plus
 * one stack per compiled use case (sharded when large). Quarantined use cases
 * are left out, so `cdk deploy` leaves their deployed stacks untouched (DESIGN §3).
 *
 *   node --v8-pool-size=1 --import tsx infra/app.ts   (or `npx cdk synth` with cdk.json)
 *   LAKESTEP_BUILD_DIR=out npx cdk synth              (build directory other than ./build)
 *
 * @see https://docs.aws.amazon.com/cdk/v2/guide/apps.html
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, CfnOutput, type Stack, Tags, Validations } from 'aws-cdk-lib';
import { CfnRole } from 'aws-cdk-lib/aws-iam';
import { DISABLE_CREATION_STACK_TRACES, DISABLE_METADATA_STACK_TRACE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_SPARK_DIR, INPUTS_HASH_OUTPUT, platformInputsHash, ROLES_OUTPUT, SHARD_OUTPUT, SPEC_HASH_OUTPUT, USE_CASE_OUTPUT, useCaseInputsHash, VERSION_OUTPUT } from './inputs-hash.ts';
import { BuildDirError, loadBuild } from './manifest.ts';
import { CachedNagChecks } from './nag/cache.ts';
import { ignoreUploadFunctionLintFindings } from './nag/cfn-lint.ts';
import { acknowledgeStackFindings } from './nag/stack.ts';
import { acknowledgeWildcards } from './nag/wildcards.ts';
import { PlatformStack } from './platform/platform-stack.ts';
import { encryptUploadFunctionLogs } from './platform/upload-function-logs.ts';
import { shardStackName, useCaseShards } from './usecase/shards.ts';
import { UseCaseStack } from './usecase/use-case-stack.ts';
import { CachedTemplateValidation } from './validation-cache.ts';
import { readBuildFile } from './manifest.ts';

const INFRA_DIR = dirname(fileURLToPath(import.meta.url));
/** Where synth's caches live by default: lakestep's own node_modules/.cache. */
const CACHE_ROOT = join(INFRA_DIR, '..', 'node_modules', '.cache', 'lakestep');

export interface BuildAppOptions {
  /** Directory holding `manifest.json`. */
  buildDir: string;
  /**
   * App to add the stacks to.
   * @default a new App
   */
  app?: App;
  /**
   * Run the cdk-nag AwsSolutions checks (they fail synth on any unacknowledged finding).
   * @default true
   */
  nagChecks?: boolean;
  /**
   * Where the cdk-nag checks remember the stacks they passed (infra/nag/cache.ts); `false`
   * checks every stack on every synth.
   * @default node_modules/.cache/lakestep/cdk-nag
   */
  nagCache?: string | false;
  /**
   * Where CloudFormation's template validation remembers the templates it passed
   * (infra/validation-cache.ts); `false` validates every template on every synth.
   * Validation is off altogether with `CDK_VALIDATION=false`.
   * @default node_modules/.cache/lakestep/cfn-validate
   */
  validationCache?: string | false;
  /**
   * Build only these use cases' stacks (with the platform stack, which they reference);
   * the others are not constructed. `lakestep deploy` passes the changed ones as context
   * `lakestep:use-cases` (comma-separated).
   * @default every compiled use case
   */
  useCases?: string[];
  /**
   * Folder of the PySpark runtime.
   * @default infra/spark
   */
  sparkDir?: string;
}

export interface BuiltApp {
  app: App;
  platformStack: PlatformStack;
  useCaseStacks: UseCaseStack[];
  /** Use cases left out because the compiler quarantined them. */
  quarantined: string[];
  /** One line per quarantined use case, for the person running synth. */
  notices: string[];
}

export function buildApp(opts: BuildAppOptions): BuiltApp {
  const app = opts.app ?? new App();
  const build = loadBuild(opts.buildDir);
  const { manifest } = build;
  const { platform } = manifest;
  if (opts.nagChecks ?? true) {
    const nag = new AwsSolutionsChecks(app, { verbose: true });
    const nagCache = opts.nagCache ?? join(CACHE_ROOT, 'cdk-nag');
    Validations.of(app).addPlugins(nagCache === false ? nag : new CachedNagChecks(nag, nagCache));
  }
  const validationCache = opts.validationCache ?? join(CACHE_ROOT, 'cfn-validate');
  if (validationCache !== false && process.env.CDK_VALIDATION !== 'false') Validations.of(app).addPlugins(new CachedTemplateValidation(validationCache));
  const env = stackEnvironment(platform);
  const sparkDir = opts.sparkDir ?? DEFAULT_SPARK_DIR;

  const backfill = manifest.machines?.backfill;
  const dispatcher = manifest.machines?.dispatcher;
  const platformStack = new PlatformStack(app, `${platform.prefix}-platform`, {
    env,
    platform,
    ...(backfill ? { backfill: { stateMachineName: backfill.stateMachineName, definition: readBuildFile(build, backfill.definition) } } : {}),
    ...(dispatcher ? { dispatcher: { ...dispatcher, definition: readBuildFile(build, dispatcher.definition) } } : {}),
    sparkDir,
    description: `lakestep ${platform.prefix}: shared platform resources`,
  });
  const quarantined = manifest.quarantined.map((q) => q.useCase);
  // Printed by main() as one line each; not construct annotations, which the CDK CLI
  // would print a second time with an "Acknowledge with" hint.
  const notices = quarantined.map(
    (name) =>
      `use case "${name}" is quarantined (spec errors, see build/report.json): no stack is synthesized for it and its deployed stack is left untouched`,
  );

  new CfnOutput(platformStack, INPUTS_HASH_OUTPUT, { value: platformInputsHash(build, sparkDir) });
  const selected = opts.useCases && new Set(opts.useCases);
  const unknown = [...(selected ?? [])].filter((name) => !manifest.useCases.some((u) => u.name === name) || quarantined.includes(name));
  if (unknown.length > 0) throw new BuildDirError(`use case(s) ${unknown.join(', ')} selected but not compiled in ${build.buildDir}`);

  const useCaseStacks: UseCaseStack[] = [];
  for (const useCase of manifest.useCases.filter((u) => !quarantined.includes(u.name) && (!selected || selected.has(u.name)))) {
    const inputsHash = useCaseInputsHash(build, useCase);
    const shards = useCaseShards(build, useCase);
    for (const [shard, workflows] of shards.entries()) {
      const id = shardStackName(platform.prefix, useCase.name, shard);
      const stack = new UseCaseStack(app, id, {
        env,
        build,
        useCase,
        workflows,
        shard,
        platform: platformStack.resources,
        firstShard: shard === 0 ? undefined : useCaseStacks.find((s) => s.stackName === shardStackName(platform.prefix, useCase.name, 0)),
        description: `lakestep ${platform.prefix}: use case ${useCase.name}${shard > 0 ? ` (part ${shard + 1})` : ''}`,
      });
      new CfnOutput(stack, USE_CASE_OUTPUT, { value: useCase.name });
      new CfnOutput(stack, SPEC_HASH_OUTPUT, { value: useCase.specHash });
      new CfnOutput(stack, INPUTS_HASH_OUTPUT, { value: inputsHash });
      new CfnOutput(stack, SHARD_OUTPUT, { value: `${shard + 1}/${shards.length}` });
      useCaseStacks.push(stack);
    }
  }

  for (const stack of [platformStack, ...useCaseStacks]) {
    new CfnOutput(stack, ROLES_OUTPUT, { value: String(rolesOf(stack)) });
    for (const [k, v] of Object.entries(platform.tags)) Tags.of(stack).add(k, v);
    new CfnOutput(stack, VERSION_OUTPUT, { value: manifest.lakestepVersion });
    encryptUploadFunctionLogs(stack, platformStack.resources.key);
    acknowledgeWildcards(stack);
    acknowledgeStackFindings(stack);
    ignoreUploadFunctionLintFindings(stack);
  }
  return { app, platformStack, useCaseStacks, quarantined, notices };
}

/** The IAM roles a stack holds (every one is made with the stack's constructs). */
function rolesOf(stack: Stack): number {
  return stack.node.findAll().filter((c) => c instanceof CfnRole).length;
}

/**
 * Where every stack deploys: the platform's region, and its account when it names
 * one. Without an account the stacks take the deploying credentials' account, but
 * never their region: `cdk deploy` with a profile of another region still deploys
 * where the platform says (and where the operator commands look).
 * @see https://docs.aws.amazon.com/cdk/v2/guide/environments.html
 */
export function stackEnvironment(platform: { region: string; account?: string }): { region: string; account?: string } {
  return { region: platform.region, ...(platform.account ? { account: platform.account } : {}) };
}

/**
 * Context the app sets itself: no construct stack traces in the cloud assembly's metadata, neither with
 * annotations nor at each construct's creation (`CDK_DEBUG=true` brings the latter back); the templates are
 * the same. These are `aws:` keys, which the CDK CLI warns of, twice per synth, when cdk.json holds them.
 */
export const LEAN_CONTEXT: Readonly<Record<string, unknown>> = { [DISABLE_METADATA_STACK_TRACE]: true, [DISABLE_CREATION_STACK_TRACES]: true };

/**
 * The context a synth starts from: {@link LEAN_CONTEXT} and cdk.json's (its feature flags), so running this
 * file directly synthesizes what `cdk synth` does; the CLI's own context (CDK_CONTEXT_JSON) goes over both.
 */
export function appContext(): Record<string, unknown> {
  const file = join(INFRA_DIR, '..', 'cdk.json');
  const cdkJson = existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {}) : {};
  return { ...LEAN_CONTEXT, ...cdkJson };
}

function main(): void {
  // Context given by the CDK CLI (CDK_CONTEXT_JSON) takes precedence over these defaults.
  // No tree.json: `cdk deploy` does not read it, and writing it costs about 4% of synth at 1,000 workflows.
  const app = new App({ context: appContext(), autoSynth: false, treeMetadata: false });
  const buildDir = process.env.LAKESTEP_BUILD_DIR ?? (app.node.tryGetContext('buildDir') as string | undefined) ?? 'build';
  try {
    const selection = app.node.tryGetContext('lakestep:use-cases') as string | undefined;
    const built = buildApp({ buildDir, app, ...(selection === undefined ? {} : { useCases: String(selection).split(',').filter(Boolean) }) });
    for (const notice of built.notices) console.error(`lakestep: ${notice}`);
    app.synth();
  } catch (e) {
    console.error(`lakestep: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
