/**
 * Preflight of `lakestep deploy`: do the IAM roles the deploy adds fit the account? IAM
 * counts every role of the account against one quota (1,000 by default, at most 5,000), and
 * CloudFormation would stop at the stack that crosses it, after every stack before it was
 * created. The compile counts the build's roles (src/build/iam-quota.ts) but knows neither the
 * account's other roles nor its quota; `iam:GetAccountSummary` gives both (`Roles`,
 * `RolesQuota`). The deploy (of what changed, or of what `--all` and `--use-case` name) adds the
 * roles of the stacks it creates (new use cases; the platform's on the first deploy), and for a
 * stack it changes what it will hold beyond the roles
 * its last deploy reported (its `LakestepRoles` output; a stack deployed before the output
 * existed is taken to keep its roles). Only growth counts: a use case that loses roles may be
 * deployed after one that gains them. A check that cannot be made (no `iam:GetAccountSummary`
 * permission) does not stop the deploy.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { IAM_ROLES_MAX_QUOTA, type MachineRoles, manifestUseCaseRoles, platformRoles, ROLE_QUOTA_REMEDIES, sharesMachineRoles } from '../build/iam-quota.ts';
import { withThousands } from '../build/limits.ts';
import type { Manifest, ManifestUseCase } from '../build/types.ts';
import { type DeployedStack, stacksOfUseCase } from './deploy-changes.ts';
import { errorMessage } from './errors.ts';
import { fewNames } from './table.ts';

/** The stacks a deploy touches: the changed ones (deploy-changes.ts), or those `--all` and `--use-case` name, the platform's included. */
export type DeployScope = { platform?: string; useCases: readonly { name: string }[] };

/**
 * The roles a deploy adds to the account: each deployed stack's growth (the roles it will hold, as the compile
 * counts them with a shared machine role per stack of a split use case, beyond those its `LakestepRoles` output
 * reports; all of them for a stack not deployed yet), and the use cases that grow.
 */
export function rolesAdded(
  manifest: Pick<Manifest, 'platform' | 'machines' | 'useCases'>,
  changes: DeployScope,
  deployed: readonly DeployedStack[],
  /** How many stacks a use case deploys in (infra/usecase/shards.ts), which shared machine roles count by; 1 when absent. */
  stackCount?: (u: ManifestUseCase) => number,
): { roles: number; useCases: string[] } {
  const { prefix } = manifest.platform;
  /** What the stacks hold now: undefined when one of them does not say. */
  const held = (stacks: readonly DeployedStack[]) => (stacks.every((s) => s.roles !== undefined) ? stacks.reduce((n, s) => n + s.roles!, 0) : undefined);
  const growth = (will: number, stacks: readonly DeployedStack[]) => {
    if (stacks.length === 0) return will;
    const now = held(stacks);
    return now === undefined ? 0 : Math.max(0, will - now);
  };
  let roles = 0;
  if (changes.platform) roles += growth(platformRoles(manifest.platform, manifest.machines), deployed.filter((s) => s.name === `${prefix}-platform`));
  const useCases: string[] = [];
  const changed = new Set(changes.useCases.map((u) => u.name));
  for (const u of manifest.useCases) {
    if (!changed.has(u.name)) continue;
    const more = growth(manifestUseCaseRoles(u, manifest.platform, stackCount?.(u)), stacksOfUseCase(u.name, deployed, prefix));
    if (more === 0) continue;
    roles += more;
    useCases.push(u.name);
  }
  return { roles, useCases };
}

/** ` for 3 use case(s) (a, b, c)` (the first five named), or nothing for none: who a quota message blames. */
export function forUseCases(names: readonly string[]): string {
  return names.length > 0 ? ` for ${names.length} use case(s) (${fewNames(names)})` : '';
}

export type RoleQuotaCheck =
  | { ok: true; roles: number; quota: number; adds: number; message: string }
  /** `stop`: the deploy would cross the quota; otherwise the check could not be made and the deploy goes on. */
  | { ok: false; stop: boolean; message: string };

export async function checkRoleQuota(opts: {
  iam: IAMClient;
  adds: number;
  /** The use cases that add roles, for the message. */
  useCases: readonly string[];
  platform: MachineRoles;
}): Promise<RoleQuotaCheck> {
  let roles: number | undefined;
  let quota: number | undefined;
  try {
    const { GetAccountSummaryCommand } = await import('@aws-sdk/client-iam');
    const summary = (await opts.iam.send(new GetAccountSummaryCommand({}))).SummaryMap ?? {};
    roles = summary.Roles;
    quota = summary.RolesQuota;
  } catch (err) {
    return { ok: false, stop: false, message: `IAM role quota not checked (iam:GetAccountSummary: ${errorMessage(err)})` };
  }
  if (roles === undefined || quota === undefined) return { ok: false, stop: false, message: 'IAM role quota not checked (iam:GetAccountSummary returned no Roles or RolesQuota)' };
  const after = roles + opts.adds;
  const counts = `the account has ${withThousands(roles)} IAM roles of its quota of ${withThousands(quota)} and this deploy adds ${withThousands(opts.adds)}`;
  if (after <= quota) return { ok: true, roles, quota, adds: opts.adds, message: `IAM: ${counts} (${withThousands(after)} after it)` };
  const who = forUseCases(opts.useCases);
  const remedies = [
    ...(quota < IAM_ROLES_MAX_QUOTA ? [ROLE_QUOTA_REMEDIES.raise] : []),
    ...(sharesMachineRoles(opts.platform) ? [] : [ROLE_QUOTA_REMEDIES.share]),
    `split the use cases into ${ROLE_QUOTA_REMEDIES.accounts}`,
  ];
  return {
    ok: false,
    stop: true,
    message: `${counts}${who}: ${withThousands(after)} would pass the quota, and CloudFormation would stop at the stack that crosses it; ${remedies.join(', or ')}`,
  };
}
