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
import { grantCatalogToSparkJobs } from './spark-catalog.ts';
import { grantSecretsToSparkJobs } from './spark-secrets.ts';

export interface UseCaseStackProps extends StackProps {
  build: LoadedBuild;
  useCase: ManifestUseCase;
  /** The workflows of this shard. */
  workflows: ManifestWorkflow[];
  /** 0 for the first shard, which also holds the use case's job documents and secret grants. */
  shard: number;
  platform: PlatformResources;
}

export class UseCaseStack extends Stack {
  readonly workflows: WorkflowResources[] = [];

  constructor(scope: Construct, id: string, props: UseCaseStackProps) {
    super(scope, id, props);
    const { useCase, platform, build } = props;
    Tags.of(this).add('lakestep:use-case', useCase.name);
    Tags.of(this).add('lakestep:owner', useCase.owner);
    Tags.of(this).add('lakestep:spec-hash', useCase.specHash);
    if (props.shard === 0) {
      deployJobDocuments(this, build.buildDir, useCase, platform.buckets.artifacts);
      const secrets = [...new Set(useCase.workflows.flatMap((w) => w.resources.secrets))].sort();
      grantSecretsToSparkJobs(this, platform.sparkJobRole, secrets);
      const databases = [...new Set(useCase.workflows.flatMap((w) => w.resources.tables.map((t) => t.split('.')[0]!)))].sort();
      grantCatalogToSparkJobs(this, platform.sparkJobRole, databases);
    }
    for (const workflow of props.workflows) {
      this.workflows.push(
        new WorkflowResources(this, workflow.name, {
          workflow,
          platform,
          readDefinition: (path) => readBuildFile(build, path),
        }),
      );
    }
  }
}
