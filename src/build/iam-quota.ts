/**
 * IAM allows 1,000 roles per account by default and 5,000 at most ("Roles in an AWS account",
 * adjustable in Service Quotas up to 5,000). Each state machine runs under a role of its own, so
 * that it may do exactly what its Task states do: a dag's machine, its watch machine and each
 * DataSync transfer infra creates (`location` tables) have one; each use case adds its Spark job
 * role and, with managed tables, its table optimizer role; the platform has a few of its own.
 * With `state_machine_roles: per_use_case` the machines of a use-case stack share one role instead
 * (one per stack of a use case split over several: the compile counts its stacks as infra splits it). A
 * build counts them here, as infra creates them (test/infra/scale.test.ts holds the count to the
 * roles of the synthesized templates), and warns when the count passes the default quota, and
 * again when it passes the most an account can hold: the deploy would fail at the stack that
 * crosses it, after every stack before it was created.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
import type { Report } from '../diagnostics.ts';
import { type UseCaseFacts, workflowOrigin } from '../ir/facts.ts';
import { createdTransfers } from './datasync-quota.ts';
import { withThousands } from './limits.ts';
import type { Manifest, ManifestPlatform, ManifestUseCase, ManifestWorkflow, PlatformSettings } from './types.ts';

export const IAM_ROLES_DEFAULT_QUOTA = 1_000;
export const IAM_ROLES_MAX_QUOTA = 5_000;

/** How the platform gives its state machines roles (platform.yaml `state_machine_roles`). */
export type MachineRoles = Pick<PlatformSettings, 'stateMachineRoles'>;

/** True when the state machines of a use-case stack share one role (`state_machine_roles: per_use_case`). */
export function sharesMachineRoles(platform: MachineRoles): boolean {
  return platform.stateMachineRoles === 'per_use_case';
}

/** What to do past the quota, worded once for the compile's warning and the deploy's check (src/ops/role-quota.ts). */
export const ROLE_QUOTA_REMEDIES = {
  raise: `raise "Roles in an AWS account" in Service Quotas (IAM, up to ${withThousands(IAM_ROLES_MAX_QUOTA)})`,
  share: 'set `state_machine_roles: per_use_case` in platform.yaml (one state machine role per use case)',
  accounts: 'more than one platform (each its own `prefix`), in more than one account',
};

/**
 * Roles of one workflow: its state machine's and its watch machine's (unless the machines of its
 * use case share one), one per DataSync transfer infra creates.
 */
export function workflowRoles(w: Pick<ManifestWorkflow, 'watch' | 'resources'>, platform: MachineRoles = {}): number {
  return (sharesMachineRoles(platform) ? 0 : 1 + (w.watch ? 1 : 0)) + createdTransfers(w);
}

/**
 * Roles of a use case beside its workflows': its Spark job role, its table optimizer role when it
 * manages tables, and with `state_machine_roles: per_use_case` the role its state machines share in
 * each of its `stacks` (infra/usecase/shards.ts; a compile summary counts one, and the compile adds
 * the others once it has split every use case: src/compile.ts `withStackRoles`).
 */
export function useCaseRoles(u: Pick<ManifestUseCase, 'workflows'>, platform: MachineRoles = {}, stacks = 1): number {
  const shared = sharesMachineRoles(platform) && u.workflows.length > 0 ? stacks : 0;
  return 1 + (u.workflows.some((w) => (w.managedTables ?? []).length > 0) ? 1 : 0) + shared;
}

/**
 * Roles of the platform stack: EventBridge's, the schedule starter's and the scheduler's, the upload
 * function's, the backfill and dispatcher machines' when the build has them, and with Lake Formation
 * the role that registers the data locations.
 */
export function platformRoles(platform: Pick<ManifestPlatform, 'governance'>, machines: Manifest['machines']): number {
  return 4 + (machines?.backfill ? 1 : 0) + (machines?.dispatcher ? 1 : 0) + (platform.governance === 'lake_formation' ? 1 : 0);
}

/** The roles of one compiled use case's stacks, deployed in `stacks` stacks: its own and its workflows'. */
export function manifestUseCaseRoles(u: Pick<ManifestUseCase, 'workflows'>, platform: MachineRoles, stacks = 1): number {
  return useCaseRoles(u, platform, stacks) + u.workflows.reduce((m, w) => m + workflowRoles(w, platform), 0);
}

/** The roles of a compiled build's stacks, from its manifest (what {@link checkIamRoleQuota} counts during the compile). */
export function manifestRoles(manifest: Pick<Manifest, 'platform' | 'machines' | 'useCases'>): number {
  const { platform } = manifest;
  return platformRoles(platform, manifest.machines) + manifest.useCases.reduce((n, u) => n + manifestUseCaseRoles(u, platform), 0);
}

/** What the quota check needs of a compiled use case. */
export interface UseCaseRoles {
  name: string;
  /** {@link useCaseRoles} */
  roles: number;
  workflows: readonly { name: string; roles: number }[];
}

/** IAM roles the build's stacks create; adds IAM_ROLE_QUOTA where the count passes the default quota, and the maximum. */
export function checkIamRoleQuota(platform: number, useCases: readonly UseCaseRoles[], facts: readonly UseCaseFacts[], report: Report, machineRoles: MachineRoles = {}): number {
  let roles = platform;
  const shared = sharesMachineRoles(machineRoles);
  const why = shared ? 'the state machines of every use case share a role, and every use case has a Spark job role' : 'every state machine has a role of its own, and every use case a Spark job role';
  // One role per use case instead of one per dag: the remedy that keeps a single account.
  const share = shared ? '' : `; or ${ROLE_QUOTA_REMEDIES.share}`;
  const limits = [
    {
      quota: IAM_ROLES_DEFAULT_QUOTA,
      advice: `the default quota of an account: ${ROLE_QUOTA_REMEDIES.raise} before deploying, or the deploy fails at the stack that crosses it${share}`,
    },
    {
      quota: IAM_ROLES_MAX_QUOTA,
      advice: `the most an account can hold, whatever its quota: deploy the use cases as ${ROLE_QUOTA_REMEDIES.accounts}${share}`,
    },
  ];
  for (const u of useCases) {
    // The use case's own roles come with its first workflow (a use case without one has no stack).
    for (const [i, w] of u.workflows.entries()) {
      const before = roles;
      roles += w.roles + (i === 0 ? u.roles : 0);
      const crossed = limits.find((l) => before <= l.quota && roles > l.quota);
      if (!crossed) continue;
      const origin = workflowOrigin(facts, u.name, w.name);
      if (!origin) continue;
      report.warning(
        'IAM_ROLE_QUOTA',
        `with '${w.name}' the platform creates more than ${withThousands(crossed.quota)} IAM roles (${why}), ${crossed.advice}`,
        origin,
        u.name,
      );
    }
  }
  return roles;
}

/** `1,806 roles (default quota 1,000 per account, at most 5,000)`. */
export function formatRoleSummary(roles: number): string {
  return `${withThousands(roles)} roles (default quota ${withThousands(IAM_ROLES_DEFAULT_QUOTA)} per account, at most ${withThousands(IAM_ROLES_MAX_QUOTA)})`;
}
