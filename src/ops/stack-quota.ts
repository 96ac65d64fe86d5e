/**
 * Preflight of `lakestep deploy`: do the CloudFormation stacks the deploy creates fit the
 * region? CloudFormation counts every stack of the account in a region against one quota
 * (`StackLimit`), and a deploy that crosses it is refused at the stack that does, after every
 * stack before it was created: half a platform deployed. A use case is one stack, more when it
 * is split (infra/usecase/shards.ts), and the platform one more, so a large platform — or a
 * second environment of it in the same account — meets the quota. `DescribeAccountLimits`
 * gives the account's `StackLimit`; the stacks in the region are those `DescribeStacks` lists
 * (every stack not deleted, lakestep's or not), read anyway to know what changed. Only stacks
 * the deploy creates count: a use case that is deployed keeps its stacks, a part of a split
 * use case not deployed yet is created. A check that cannot be made (no
 * `cloudformation:DescribeAccountLimits` permission) does not stop the deploy.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeAccountLimits.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
import { type CloudFormationClient, paginateDescribeAccountLimits } from '@aws-sdk/client-cloudformation';
import { withThousands } from '../build/limits.ts';
import type { Manifest, ManifestUseCase } from '../build/types.ts';
import { type DeployedStack, stacksOfUseCase } from './deploy-changes.ts';
import { errorMessage } from './errors.ts';
import { type DeployScope, forUseCases } from './role-quota.ts';

/** The stacks a deploy creates, with the use cases that add any; `exact` false: at most that many. */
export interface StacksAdded {
  stacks: number;
  useCases: string[];
  exact: boolean;
}

/**
 * The stacks a deploy creates: the platform's when it is not deployed, and each use case's stacks not deployed
 * yet. Without `stackCount` nothing is read but the manifest and the count is an upper bound: a stack holds a
 * workflow at least, so a use case is at most as many stacks as it has workflows (and one without any is one).
 */
export function stacksAdded(
  manifest: Pick<Manifest, 'platform' | 'useCases'>,
  scope: DeployScope,
  deployed: readonly DeployedStack[],
  /** How many stacks a use case deploys in, as infra/usecase/shards.ts splits it (reads its definitions). */
  stackCount?: (u: ManifestUseCase) => number,
): StacksAdded {
  const { prefix } = manifest.platform;
  let stacks = scope.platform && !deployed.some((s) => s.name === `${prefix}-platform`) ? 1 : 0;
  const useCases: string[] = [];
  const named = new Set(scope.useCases.map((u) => u.name));
  for (const u of manifest.useCases) {
    if (!named.has(u.name)) continue;
    const count = stackCount ? stackCount(u) : Math.max(1, u.workflows.length);
    const more = Math.max(0, count - stacksOfUseCase(u.name, deployed, prefix).length);
    if (more === 0) continue;
    stacks += more;
    useCases.push(u.name);
  }
  return { stacks, useCases, exact: stackCount !== undefined };
}

export type StackQuotaCheck =
  | { ok: true; stacks: number; limit: number; adds: number; message: string }
  /** `stop`: the deploy would cross the limit; otherwise the check could not be made and the deploy goes on. */
  | { ok: false; stop: boolean; message: string };

export async function checkStackQuota(opts: {
  cloudFormation: CloudFormationClient;
  /** The stacks of the region now (every one DescribeStacks lists). */
  inRegion: number;
  /** An upper bound first (nothing read); `exactly` counts them when the bound would not fit. */
  adds: StacksAdded;
  exactly: () => StacksAdded;
  region: string;
}): Promise<StackQuotaCheck> {
  let limit: number | undefined;
  try {
    for await (const page of paginateDescribeAccountLimits({ client: opts.cloudFormation }, {})) {
      limit ??= page.AccountLimits?.find((l) => l.Name === 'StackLimit')?.Value;
    }
  } catch (err) {
    return { ok: false, stop: false, message: `CloudFormation stack quota not checked (cloudformation:DescribeAccountLimits: ${errorMessage(err)})` };
  }
  if (limit === undefined) return { ok: false, stop: false, message: 'CloudFormation stack quota not checked (cloudformation:DescribeAccountLimits returned no StackLimit)' };
  const adds = opts.inRegion + opts.adds.stacks <= limit ? opts.adds : opts.exactly();
  const after = opts.inRegion + adds.stacks;
  const counts = `${opts.region} has ${withThousands(opts.inRegion)} CloudFormation stacks of the account's limit of ${withThousands(limit)} and this deploy creates ${adds.exact ? '' : 'at most '}${withThousands(adds.stacks)}`;
  if (after <= limit) return { ok: true, stacks: opts.inRegion, limit, adds: adds.stacks, message: `CloudFormation: ${counts} (${withThousands(after)} after it)` };
  const who = forUseCases(adds.useCases);
  return {
    ok: false,
    stop: true,
    message:
      `${counts}${who}: ${withThousands(after)} would pass the limit, and CloudFormation would refuse the stack that crosses it after creating every stack before it; ` +
      'request a higher CloudFormation stack quota in Service Quotas, delete stacks the region no longer needs, or deploy the platform to another account or region',
  };
}
