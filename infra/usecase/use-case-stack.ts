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
import { deployJobDocuments } from './job-documents.ts';
import { createSparkJobRole, sparkJobRoleArn } from './spark-job-role.ts';
import type * as iam from 'aws-cdk-lib/aws-iam';

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

  constructor(scope: Construct, id: string, props: UseCaseStackProps) {
    super(scope, id, props);
    const { useCase, platform, build } = props;
    Tags.of(this).add('lakestep:use-case', useCase.name);
    Tags.of(this).add('lakestep:owner', useCase.owner);
    Tags.of(this).add('lakestep:spec-hash', useCase.specHash);
    let roleArn: string;
    if (props.shard === 0) {
      deployJobDocuments(this, build.buildDir, useCase, platform.buckets.artifacts);
      this.sparkJobRole = createSparkJobRole(this, build.manifest.platform, platform, useCase, build.manifest.tables ?? {});
      roleArn = this.sparkJobRole.roleArn;
    } else {
      // By name, not by export: use-case stacks import from the platform stack only.
      roleArn = sparkJobRoleArn(this, platform.prefix, useCase.name);
      if (props.firstShard) this.addDependency(props.firstShard);
    }
    for (const workflow of props.workflows) {
      this.workflows.push(
        new WorkflowResources(this, workflow.name, {
          workflow,
          platform,
          readDefinition: (path) => readBuildFile(build, path),
          sparkJobRoleArn: roleArn,
        }),
      );
    }
  }
}
