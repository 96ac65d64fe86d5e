/**
 * Which stacks `lakestep deploy` must deploy: each stack the CDK app builds carries the
 * hash of its inputs as an output (`infra/inputs-hash.ts`); CloudFormation's DescribeStacks
 * returns the deployed ones, and a use case deploys when its hash differs, a stack of it is
 * missing or not in a settled state. Quarantined use cases are never deployed; deployed use
 * cases no longer in the build are reported, never deleted.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-describing-stacks.html
 */
import { type CloudFormationClient, paginateDescribeStacks } from '@aws-sdk/client-cloudformation';
import { INPUTS_HASH_OUTPUT, platformInputsHash, ROLES_OUTPUT, SHARD_OUTPUT, USE_CASE_OUTPUT, useCaseInputsHash } from '../../infra/inputs-hash.ts';
import type { LoadedBuild } from '../../infra/manifest.ts';
import { codeId } from '../cli/code-id.ts';
import { withThousands } from '../build/limits.ts';
import { errorMessage, OpsError } from './errors.ts';

/** A deployed stack of the platform, as DescribeStacks returns it. */
export interface DeployedStack {
  name: string;
  status: string;
  /** Its `LakestepUseCase` output: absent on the platform stack and on stacks deployed before the outputs existed. */
  useCase?: string;
  hash?: string;
  /** `LakestepShard` as [shard, shards]. */
  shard?: [number, number];
  /** `LakestepRoles`: the IAM roles it holds (absent on stacks deployed before the output existed). */
  roles?: number;
}

/** What this build's stacks were built from. */
export interface LocalHashes {
  platform: string;
  /** Compiled (not quarantined) use cases. */
  useCases: Map<string, string>;
  quarantined: string[];
}

export interface StackChanges {
  /** Why the platform stack deploys; absent when it is up to date. */
  platform?: string;
  /** Use cases to deploy, with why. */
  useCases: { name: string; reason: string }[];
  unchanged: string[];
  /** Deployed use cases that are neither compiled nor quarantined: left in place. */
  removed: { useCase: string; stacks: string[] }[];
}

/** True when neither the platform stack nor any use case has changed since the last deploy. */
export function nothingChanged(c: Pick<StackChanges, 'platform' | 'useCases'>): boolean {
  return !c.platform && c.useCases.length === 0;
}

/** States of a stack whose outputs describe what runs (a failed update rolls back to the old outputs). */
const SETTLED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE']);

export function localHashes(build: LoadedBuild, sparkDir: string, code = codeId('app')): LocalHashes {
  const quarantined = build.manifest.quarantined.map((q) => q.useCase);
  const useCases = new Map(
    build.manifest.useCases.filter((u) => !quarantined.includes(u.name)).map((u) => [u.name, useCaseInputsHash(build, u, code)] as const),
  );
  return { platform: platformInputsHash(build, sparkDir, code), useCases, quarantined };
}

/** The stacks of the build's prefix, and how many stacks the region holds in all (the CloudFormation quota counts them all). */
export interface RegionStacks {
  stacks: DeployedStack[];
  inRegion: number;
}

/** Every stack of the region whose name starts with `<prefix>-`, through DescribeStacks' pages. */
export async function readDeployedStacks(client: CloudFormationClient, prefix: string): Promise<DeployedStack[]> {
  return (await readRegionStacks(client, prefix)).stacks;
}

/** {@link readDeployedStacks}, with the count of every stack DescribeStacks lists (those not deleted). */
export async function readRegionStacks(client: CloudFormationClient, prefix: string): Promise<RegionStacks> {
  const stacks: DeployedStack[] = [];
  let inRegion = 0;
  try {
    for await (const page of paginateDescribeStacks({ client }, {})) {
      inRegion += page.Stacks?.length ?? 0;
      for (const s of page.Stacks ?? []) {
        if (!s.StackName?.startsWith(`${prefix}-`)) continue;
        const out = new Map((s.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
        const shard = /^(\d+)\/(\d+)$/.exec(out.get(SHARD_OUTPUT) ?? '');
        const roles = /^\d+$/.test(out.get(ROLES_OUTPUT) ?? '') ? Number(out.get(ROLES_OUTPUT)) : undefined;
        stacks.push({
          name: s.StackName,
          status: s.StackStatus ?? 'UNKNOWN',
          ...(out.get(USE_CASE_OUTPUT) ? { useCase: out.get(USE_CASE_OUTPUT)! } : {}),
          ...(out.get(INPUTS_HASH_OUTPUT) ? { hash: out.get(INPUTS_HASH_OUTPUT)! } : {}),
          ...(shard ? { shard: [Number(shard[1]), Number(shard[2])] as [number, number] } : {}),
          ...(roles === undefined ? {} : { roles }),
        });
      }
    }
  } catch (err) {
    throw new OpsError('DEPLOYED_STACKS_UNREADABLE', `cannot read the deployed stacks (CloudFormation DescribeStacks): ${errorMessage(err)}`);
  }
  return { stacks, inRegion };
}

/** The deployed stacks of the build's prefix, and what changed since they were deployed (deploy and `plan --cdk`). */
export async function changesSinceDeploy(build: LoadedBuild, client: CloudFormationClient, sparkDir: string): Promise<{ deployed: DeployedStack[]; inRegion: number; changes: StackChanges }> {
  const { prefix } = build.manifest.platform;
  const local = localHashes(build, sparkDir);
  const { stacks: deployed, inRegion } = await readRegionStacks(client, prefix);
  return { deployed, inRegion, changes: changedStacks(local, deployed, prefix) };
}

/** The stacks to deploy, from the build's hashes and the deployed stacks. */
export function changedStacks(local: LocalHashes, deployed: readonly DeployedStack[], prefix: string): StackChanges {
  const platformStack = deployed.find((s) => s.name === `${prefix}-platform`);
  const platform = !platformStack
    ? 'not deployed'
    : !SETTLED.has(platformStack.status)
      ? `stack is ${platformStack.status}`
      : platformStack.hash !== local.platform
        ? platformStack.hash
          ? "platform settings, its state machines, the Spark runtime, the set of use cases or lakestep's code changed"
          : 'deployed without an inputs hash'
        : undefined;
  const useCases: StackChanges['useCases'] = [];
  const unchanged: string[] = [];
  for (const [name, hash] of local.useCases) {
    const reason = useCaseReason(name, hash, deployed, prefix);
    if (reason) useCases.push({ name, reason });
    else unchanged.push(name);
  }
  const removed = new Map<string, string[]>();
  for (const s of deployed) {
    if (!s.useCase || local.useCases.has(s.useCase) || local.quarantined.includes(s.useCase)) continue;
    removed.set(s.useCase, [...(removed.get(s.useCase) ?? []), s.name]);
  }
  return {
    ...(platform ? { platform } : {}),
    useCases,
    unchanged,
    removed: [...removed].map(([useCase, stacks]) => ({ useCase, stacks: stacks.sort() })),
  };
}

/** The deployed stacks of a use case: by their `LakestepUseCase` output, or by name for stacks deployed before the outputs existed. */
export function stacksOfUseCase(name: string, deployed: readonly DeployedStack[], prefix: string): DeployedStack[] {
  return deployed.filter((s) => s.useCase === name || (!s.useCase && (s.name === `${prefix}-${name}` || /^-\d+$/.test(s.name.slice(`${prefix}-${name}`.length)))));
}

function useCaseReason(name: string, hash: string, deployed: readonly DeployedStack[], prefix: string): string | undefined {
  const mine = stacksOfUseCase(name, deployed, prefix);
  if (mine.length === 0) return 'new';
  const unsettled = mine.find((s) => !SETTLED.has(s.status));
  if (unsettled) return `stack ${unsettled.name} is ${unsettled.status}`;
  if (mine.some((s) => s.hash === undefined)) return 'deployed without an inputs hash';
  if (mine.some((s) => s.hash !== hash)) return 'changed';
  const shards = mine[0]!.shard?.[1] ?? 1;
  const present = new Set(mine.map((s) => s.shard?.[0] ?? 1));
  for (let i = 1; i <= shards; i++) if (!present.has(i)) return `part ${i} of ${shards} is not deployed`;
  return undefined;
}

/** Use cases named one per line, or in the list of unchanged ones, before the rest is counted. */
export const CHANGES_LIST_LIMIT = 100;
/** Unchanged use cases named past {@link CHANGES_LIST_LIMIT}. */
const UNCHANGED_NAMED = 10;

/**
 * One line per stack decision, for `--dry-run` and before cdk runs. Past `limit` use cases to deploy, the
 * others are counted by reason on one line; past `limit` unchanged ones, the first are named and the rest
 * counted (a change to platform.yaml deploys every use case of a large platform).
 */
export function formatChanges(c: StackChanges, prefix: string, limit = CHANGES_LIST_LIMIT): string[] {
  const lines = [c.platform ? `deploy ${prefix}-platform: ${c.platform}` : `skip ${prefix}-platform: unchanged`];
  for (const u of c.useCases.slice(0, limit)) lines.push(`deploy use case ${u.name}: ${u.reason}`);
  const more = c.useCases.slice(limit);
  if (more.length) {
    const reasons = new Map<string, number>();
    for (const u of more) reasons.set(u.reason, (reasons.get(u.reason) ?? 0) + 1);
    const counts = [...reasons].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([reason, n]) => `${withThousands(n)} ${reason}`);
    lines.push(`deploy ${withThousands(more.length)} more use case(s): ${counts.join(', ')}`);
  }
  if (c.unchanged.length) {
    const named = c.unchanged.length > limit ? [...c.unchanged.slice(0, UNCHANGED_NAMED), `… (${withThousands(c.unchanged.length - UNCHANGED_NAMED)} more)`] : c.unchanged;
    lines.push(`skip ${withThousands(c.unchanged.length)} unchanged use case(s): ${named.join(', ')}`);
  }
  for (const r of c.removed) {
    lines.push(`use case ${r.useCase} is no longer in the specs: its stack(s) ${r.stacks.join(', ')} are left in place; delete them with \`npx cdk destroy\` or \`aws cloudformation delete-stack\` once nothing depends on them`);
  }
  return lines;
}
