/**
 * Preflight of `lakestep deploy`: do the IAM roles the deploy creates fit the account? IAM
 * counts every role of the account against one quota (1,000 by default, at most 5,000), and
 * CloudFormation would stop at the stack that crosses it, after every stack before it was
 * created. The compile counts the build's roles (src/build/iam-quota.ts) but knows neither the
 * account's other roles nor its quota; `iam:GetAccountSummary` gives both (`Roles`,
 * `RolesQuota`). The deploy adds the roles of the use cases it creates (no stack deployed yet)
 * and, on the first deploy, the platform's; a use case already deployed keeps about the roles
 * it has. A check that cannot be made (no `iam:GetAccountSummary` permission) does not stop the
 * deploy.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { IAM_ROLES_MAX_QUOTA, manifestUseCaseRoles, platformRoles } from '../build/iam-quota.ts';
import { withThousands } from '../build/limits.ts';
import type { Manifest } from '../build/types.ts';
import type { StackChanges } from './deploy-changes.ts';
import { errorMessage } from './errors.ts';

/** The roles a deploy creates: of the use cases it deploys for the first time, and of the platform stack on the first deploy. */
export function rolesAdded(manifest: Pick<Manifest, 'platform' | 'machines' | 'useCases'>, changes: StackChanges): { roles: number; useCases: string[] } {
  const created = new Set(changes.useCases.filter((u) => u.reason === 'new').map((u) => u.name));
  const useCases = manifest.useCases.filter((u) => created.has(u.name));
  const platform = changes.platform === 'not deployed' ? platformRoles(manifest.platform, manifest.machines) : 0;
  return { roles: platform + useCases.reduce((n, u) => n + manifestUseCaseRoles(u, manifest.platform), 0), useCases: useCases.map((u) => u.name) };
}

export type RoleQuotaCheck =
  | { ok: true; roles: number; quota: number; adds: number; message: string }
  /** `stop`: the deploy would cross the quota; otherwise the check could not be made and the deploy goes on. */
  | { ok: false; stop: boolean; message: string };

export async function checkRoleQuota(opts: {
  iam: IAMClient;
  adds: number;
  /** Use cases deployed for the first time, for the message. */
  useCases: readonly string[];
  platform: { stateMachineRoles?: 'per_use_case' };
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
  const counts = `the account has ${withThousands(roles)} IAM roles of its quota of ${withThousands(quota)} and this deploy creates ${withThousands(opts.adds)}`;
  if (after <= quota) return { ok: true, roles, quota, adds: opts.adds, message: `IAM: ${counts} (${withThousands(after)} after it)` };
  const who = opts.useCases.length > 0 ? ` for ${opts.useCases.length} new use case(s) (${opts.useCases.slice(0, 5).join(', ')}${opts.useCases.length > 5 ? ', …' : ''})` : '';
  const remedies = [
    ...(quota < IAM_ROLES_MAX_QUOTA ? [`raise "Roles in an AWS account" in Service Quotas (IAM, up to ${withThousands(IAM_ROLES_MAX_QUOTA)})`] : []),
    ...(opts.platform.stateMachineRoles === 'per_use_case' ? [] : ['set `state_machine_roles: per_use_case` in platform.yaml (one state machine role per use case)']),
    'split the use cases into more than one platform (each its own `prefix`), in more than one account',
  ];
  return {
    ok: false,
    stop: true,
    message: `${counts}${who}: ${withThousands(after)} would pass the quota, and CloudFormation would stop at the stack that crosses it; ${remedies.join(', or ')}`,
  };
}
