/**
 * `<prefix>-<use-case>[-N]`: the state machines, rules and DataSync transfers of
 * (a shard of) one use case (DESIGN §7).
 */
import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ManifestUseCase, ManifestWorkflow } from '../../src/build/types.ts';
import { type LoadedBuild, readBuildFile } from '../manifest.ts';
import type { PlatformResources } from '../platform/platform-stack.ts';
import { WorkflowResources } from './workflow-resources.ts';
import { machineRole as createMachineRole } from './workflow-machine.ts';
import { deployJobDocuments } from './job-documents.ts';
import { createSparkJobRole } from './spark-job-role.ts';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { lakeFormationGrants } from '../lakeformation/grants.ts';
import { lakeFormationEnabled } from '../lakeformation/locations.ts';
import { SparkRolePermissions } from '../lakeformation/permissions.ts';
import { freshnessAlarms } from './freshness-alarms.ts';
import { createTableOptimizerRole, managedTables } from './table-optimizer-role.ts';
import { sparkJobRoleName, tableOptimizerRoleName } from '../../src/naming.ts';
import { sharesMachineRoles } from '../../src/build/iam-quota.ts';

export interface UseCaseStackProps extends StackProps {
  build: LoadedBuild;
  useCase: ManifestUseCase;
  /** The workflows of this shard. */
  workflows: ManifestWorkflow[];
  /** 0 for the first shard, which also holds the use case's job documents and its Spark job role. */
  shard: number;
  platform: PlatformResources;
  /** The first shard's stack, which later shards deploy after (they pass its Spark job role). */
  firstShard?: Stack;
}

export class UseCaseStack extends Stack {
  readonly workflows: WorkflowResources[] = [];
  /** The use case's Spark job role (first shard only). */
  readonly sparkJobRole?: iam.Role;
  /** The role its state machines share (`state_machine_roles: per_use_case`). */
  readonly machineRole?: iam.Role;
  /** Its Lake Formation grants (first shard, `governance: lake_formation` only). */
  readonly lakeFormation?: SparkRolePermissions;

  constructor(scope: Construct, id: string, props: UseCaseStackProps) {
    super(scope, id, props);
    const { useCase, platform, build } = props;
    Tags.of(this).add('lakestep:use-case', useCase.name);
    Tags.of(this).add('lakestep:owner', useCase.owner);
    let roleArn: string;
    let optimizerRoleArn: string | undefined;
    const managed = managedTables(useCase).length > 0;
    if (props.shard === 0) {
      if (managed) optimizerRoleArn = createTableOptimizerRole(this, build.manifest.platform, platform, useCase, build.manifest.tables ?? {}).roleArn;
      deployJobDocuments(this, build.buildDir, useCase, platform.buckets.artifacts, platform.uploader);
      freshnessAlarms(this, useCase.freshness ?? [], platform.topic.topicArn);
      const { manifest } = build;
      this.sparkJobRole = createSparkJobRole(this, manifest.platform, platform, useCase, manifest.tables ?? {});
      roleArn = this.sparkJobRole.roleArn;
      if (lakeFormationEnabled(manifest.platform)) {
        this.lakeFormation = new SparkRolePermissions(this, 'LakeFormation', {
          roleArn,
          grants: lakeFormationGrants(manifest.platform, useCase, manifest.tables ?? {}, manifest.useCases),
        });
      }
    } else {
      // By name, not by export: use-case stacks import from the platform stack only.
      roleArn = roleArnByName(this, sparkJobRoleName(platform.prefix, useCase.name));
      if (managed) optimizerRoleArn = roleArnByName(this, tableOptimizerRoleName(platform.prefix, useCase.name));
      if (props.firstShard) this.addDependency(props.firstShard);
    }
    // One role for the machines of this stack (each shard has its own), or one per machine (WorkflowMachine).
    if (sharesMachineRoles(build.manifest.platform) && props.workflows.length > 0) {
      this.machineRole = createMachineRole(this, 'StateMachineRole', `Runs the state machines of use case ${useCase.name}${props.shard > 0 ? ` (part ${props.shard + 1})` : ''}`);
    }
    const { machineRole } = this;
    for (const workflow of props.workflows) {
      this.workflows.push(
        new WorkflowResources(this, workflow.name, {
          workflow,
          platform,
          readDefinition: (path) => readBuildFile(build, path),
          sparkJobRoleArn: roleArn,
          ...(optimizerRoleArn === undefined ? {} : { tableOptimizerRoleArn: optimizerRoleArn }),
          useCase: useCase.name,
          ...(machineRole ? { machineRole } : {}),
        }),
      );
    }
  }
}

/** ARN of a role the use case's first stack creates, from its deterministic name (for the stacks that do not create it). */
function roleArnByName(scope: Construct, roleName: string): string {
  return Stack.of(scope).formatArn({ service: 'iam', region: '', resource: 'role', resourceName: roleName });
}
