/**
 * Splits a use case's workflows over stacks `<prefix>-<use-case>`,
 * `<prefix>-<use-case>-2`, … so no stack reaches CloudFormation's 500-resource
 * or 1 MB template limits.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
import { createdTransfers } from '../../src/build/datasync-quota.ts';
import type { ManifestUseCase, ManifestWorkflow } from '../../src/build/types.ts';
import { DAG_TOPIC_TAG } from '../../src/events/routes.ts';
import { lakeFormationGrants } from '../lakeformation/grants.ts';
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

/** Greedy, order-preserving packing: a workflow goes to the current shard while it fits. */
export function planShards(sizes: WorkflowSize[], budget: ShardBudget = {}): ManifestWorkflow[][] {
  const maxResources = budget.maxResources ?? 450;
  const maxBytes = budget.maxDefinitionBytes ?? 600_000;
  const shards: ManifestWorkflow[][] = [];
  let current: ManifestWorkflow[] = [];
  let resources = FIRST_SHARD_FIXED_RESOURCES + (budget.firstShardExtraResources ?? 0);
  let bytes = 0;
  for (const { workflow, definitionBytes } of sizes) {
    const count = workflowResourceCount(workflow);
    if (current.length > 0 && (resources + count > maxResources || bytes + definitionBytes > maxBytes)) {
      shards.push(current);
      current = [];
      resources = SHARD_FIXED_RESOURCES;
      bytes = 0;
    }
    current.push(workflow);
    resources += count;
    bytes += definitionBytes;
  }
  if (current.length > 0 || shards.length === 0) shards.push(current);
  return shards;
}

/**
 * The stacks of a compiled use case, each with its workflows: what the CDK app builds (infra/app.ts), and what
 * `lakestep deploy` counts a use case's roles by before it synthesizes anything (src/ops/role-quota.ts).
 */
export function useCaseShards(build: LoadedBuild, useCase: ManifestUseCase): ManifestWorkflow[][] {
  const { platform } = build.manifest;
  const sizes = useCase.workflows.map((workflow) => ({
    workflow,
    definitionBytes: definitionSize(readBuildFile(build, workflow.definition)) + (workflow.watch ? definitionSize(readBuildFile(build, workflow.watch.definition)) : 0),
  }));
  const grants = lakeFormationEnabled(platform) ? lakeFormationGrants(platform, useCase, build.manifest.tables ?? {}, build.manifest.useCases).length : 0;
  return planShards(sizes, { firstShardExtraResources: grants });
}

/** `<prefix>-<use-case>` for the first shard, then `-2`, `-3`, … */
export function shardStackName(prefix: string, useCase: string, index: number): string {
  return index === 0 ? `${prefix}-${useCase}` : `${prefix}-${useCase}-${index + 1}`;
}
