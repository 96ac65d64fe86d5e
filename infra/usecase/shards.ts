/**
 * Splits a use case's workflows over stacks `<prefix>-<use-case>`,
 * `<prefix>-<use-case>-2`, … so no stack reaches CloudFormation's 500-resource
 * or 1 MB template limits.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
import { createdTransfers } from '../../src/build/datasync-quota.ts';
import type { ManifestPlatform, ManifestTable, ManifestUseCase, ManifestWorkflow, TableAccessKind, TableShare } from '../../src/build/types.ts';
import { DAG_TOPIC_TAG } from '../../src/events/routes.ts';
import { lakeFormationGrants, UngovernedDatabaseError } from '../lakeformation/grants.ts';
import { lakeFormationEnabled } from '../lakeformation/locations.ts';
import { type LoadedBuild, readBuildFile } from '../manifest.ts';

/** CloudFormation resources one DataSync transfer (datasync.ts) adds. */
export const DATASYNC_TRANSFER_RESOURCES = 5;

export interface ShardBudget {
  /**
   * Resources per stack, leaving room under the 500 limit.
   * @default 450
   */
  maxResources?: number;
  /**
   * Bytes of ASL per stack (definitions are inlined in the template, 1 MB max).
   * @default 600_000
   */
  maxDefinitionBytes?: number;
  /**
   * Resources of the first shard beyond its fixed ones (the Lake Formation grants of the Spark job role).
   * @default 0
   */
  firstShardExtraResources?: number;
}

/**
 * Resources of the first shard that do not belong to a workflow: job documents upload, secrets policy, CDK
 * metadata, slack. The upload had a function, role, policy, log group and layer of its own (6 resources)
 * and is one custom resource now; the figure stays 9 so that no deployed workflow moves to another shard
 * (a state machine's name cannot be in two stacks while CloudFormation moves it): the first shard keeps
 * 5 resources to spare.
 */
export const FIRST_SHARD_FIXED_RESOURCES = 9;
/** Every shard: CDK metadata and slack. */
export const SHARD_FIXED_RESOURCES = 2;

/**
 * Resources one workflow adds: machine + role + policy (and the same for its watch machine), its schedules, its route parameters,
 * the topic of its own `notification.emails` (topic, policy, one subscription each: workflow-topic.ts)
 * and its DataSync transfers. With `state_machine_roles: per_use_case` a machine adds only itself (the stack's
 * role and its policies are few): the estimate stays 3 per machine, so that switching the setting moves no
 * deployed workflow to another shard.
 */
export function workflowResourceCount(wf: ManifestWorkflow): number {
  const emails = wf.notificationEmails?.length ?? 0;
  const topic = emails > 0 && wf.stateMachineTags?.[DAG_TOPIC_TAG] !== undefined ? 2 + emails : 0;
  return 3 * (1 + (wf.watch ? 1 : 0)) + (wf.schedules?.length ?? 0) + (wf.routes?.length ?? 0) + topic + createdTransfers(wf) * DATASYNC_TRANSFER_RESOURCES;
}

export interface WorkflowSize {
  workflow: ManifestWorkflow;
  /** Size of its ASL as {@link definitionSize} measures it. */
  definitionBytes: number;
}

/**
 * The size a definition counts for in a shard: the length of its two-space
 * indented rendering, as the build wrote it before it wrote compact JSON. The
 * measure stays so that no deployed workflow moves to another stack (a state
 * machine's name cannot be in two stacks while CloudFormation moves it).
 */
export function definitionSize(definitionJson: string): number {
  return JSON.stringify(JSON.parse(definitionJson), null, 2).length + 1;
}

/** What a workflow weighs in a shard: its resources ({@link workflowResourceCount}) and its definitions' size ({@link definitionSize}). */
export interface ShardWeight {
  resources: number;
  definitionBytes: number;
}

/** The size of a workflow's definitions in a shard, its watch machine's included; `read` gives a build file's text. */
export function workflowDefinitionBytes(workflow: Pick<ManifestWorkflow, 'definition' | 'watch'>, read: (path: string) => string): number {
  return definitionSize(read(workflow.definition)) + (workflow.watch ? definitionSize(read(workflow.watch.definition)) : 0);
}

/** Greedy, order-preserving packing: an item goes to the current shard while it fits. */
export function packShards<T extends ShardWeight>(items: readonly T[], budget: ShardBudget = {}): T[][] {
  const maxResources = budget.maxResources ?? 450;
  const maxBytes = budget.maxDefinitionBytes ?? 600_000;
  const shards: T[][] = [];
  let current: T[] = [];
  let resources = FIRST_SHARD_FIXED_RESOURCES + (budget.firstShardExtraResources ?? 0);
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && (resources + item.resources > maxResources || bytes + item.definitionBytes > maxBytes)) {
      shards.push(current);
      current = [];
      resources = SHARD_FIXED_RESOURCES;
      bytes = 0;
    }
    current.push(item);
    resources += item.resources;
    bytes += item.definitionBytes;
  }
  if (current.length > 0 || shards.length === 0) shards.push(current);
  return shards;
}

/** {@link packShards} of workflows. */
export function planShards(sizes: WorkflowSize[], budget: ShardBudget = {}): ManifestWorkflow[][] {
  return packShards(
    sizes.map((s) => ({ ...s, resources: workflowResourceCount(s.workflow) })),
    budget,
  ).map((shard) => shard.map((s) => s.workflow));
}

/**
 * The stacks of a compiled use case, each with its workflows: what the CDK app builds (infra/app.ts), and what
 * `lakestep deploy` counts a use case's roles by before it synthesizes anything (src/ops/role-quota.ts).
 */
export function useCaseShards(build: LoadedBuild, useCase: ManifestUseCase): ManifestWorkflow[][] {
  const { platform } = build.manifest;
  const sizes = useCase.workflows.map((workflow) => ({ workflow, definitionBytes: workflowDefinitionBytes(workflow, (path) => readBuildFile(build, path)) }));
  const grants = lakeFormationEnabled(platform) ? lakeFormationGrants(platform, useCase, build.manifest.tables ?? {}, build.manifest.useCases).length : 0;
  return planShards(sizes, { firstShardExtraResources: grants });
}

/**
 * What the split of a use case over stacks reads of it, kept by the compile (src/compile/unit.ts) so that it
 * counts the stacks as {@link useCaseShards} makes them, without the build's files.
 */
export interface StackLayout {
  /** Each workflow's weight in a stack, in manifest order. */
  weights: ShardWeight[];
  /** The tables its workflows touch, each with the access kinds of any of them (its Lake Formation grants). */
  access: Record<string, TableAccessKind[]>;
  /** The shares it declares: they add grants to the use cases they name. */
  shares?: TableShare[];
}

/**
 * The stacks of each use case of `layouts`, split as {@link useCaseShards} splits them; `layouts` are those of
 * every compiled use case (the shares of each may add grants to another's first stack).
 */
export function layoutStacks(platform: ManifestPlatform, tables: Readonly<Record<string, ManifestTable>>, layouts: readonly { name: string; layout: StackLayout }[]): Map<string, number> {
  const sharing = layouts.map((u) => ({ name: u.name, shares: u.layout.shares }));
  const grantsOf = (u: { name: string; layout: StackLayout }): number => {
    if (!lakeFormationEnabled(platform)) return 0;
    try {
      return lakeFormationGrants(platform, { name: u.name, workflows: [{ access: u.layout.access }] }, tables, sharing).length;
    } catch (e) {
      // A database platform.yaml does not declare: the compile reports it (LAKE_FORMATION_DATABASE_UNDECLARED).
      if (e instanceof UngovernedDatabaseError) return 0;
      throw e;
    }
  };
  return new Map(layouts.map((u) => [u.name, packShards(u.layout.weights, { firstShardExtraResources: grantsOf(u) }).length]));
}

/** `<prefix>-<use-case>` for the first shard, then `-2`, `-3`, … */
export function shardStackName(prefix: string, useCase: string, index: number): string {
  return index === 0 ? `${prefix}-${useCase}` : `${prefix}-${useCase}-${index + 1}`;
}
