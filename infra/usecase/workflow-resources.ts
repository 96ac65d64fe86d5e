/**
 * Everything one manifest workflow deploys: its DataSync transfers, its state
 * machine, its join machine (dags with upstreams), its watch machine (dags with
 * `max_duration`) and its rules.
 */
import { Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ManifestWorkflow } from '../../src/build/types.ts';
import type { PlatformResources } from '../platform/platform-stack.ts';
import { type CreatedDataSync, DataSyncTransfer } from './datasync.ts';
import { platformSubstitutions, Substitutions } from './placeholders.ts';
import { createRule } from './rules.ts';
import { WorkflowMachine } from './workflow-machine.ts';
import { createWorkflowTopic, PLATFORM_TOPIC } from './workflow-topic.ts';

export interface WorkflowResourcesProps {
  workflow: ManifestWorkflow;
  platform: PlatformResources;
  /** Reads a build file by its manifest path. */
  readDefinition: (path: string) => string;
  /** ARN of the use case's Spark job role (`${SparkJobRoleArn}`). */
  sparkJobRoleArn: string;
  /** The use case's table optimizer role, when it has `managed: true` tables (fills `${TableOptimizerRoleArn}`). */
  tableOptimizerRoleArn?: string;
  /** The use case's name. */
  useCase?: string;
}

export class WorkflowResources extends Construct {
  readonly machine: WorkflowMachine;
  readonly gate?: WorkflowMachine;
  readonly watch?: WorkflowMachine;
  readonly transfers: DataSyncTransfer[] = [];

  constructor(scope: Construct, id: string, props: WorkflowResourcesProps) {
    super(scope, id);
    const { workflow: wf, platform } = props;
    const values: Record<string, string> = {
      ...platformSubstitutions(platform, props.sparkJobRoleArn),
      ...(props.tableOptimizerRoleArn === undefined ? {} : { TableOptimizerRoleArn: props.tableOptimizerRoleArn }),
    };
    const datasyncTaskArns: string[] = [];
    for (const [i, resource] of wf.resources.datasync.entries()) {
      if ('location' in resource) {
        // Tables of a shared location name the same placeholder: one task for all of them.
        if (values[resource.placeholder] !== undefined) continue;
        const transfer = new DataSyncTransfer(this, `Transfer${i}`, {
          resource: resource as CreatedDataSync,
          platform,
          taskName: `${wf.stateMachineName}-${resource.includes === undefined ? resource.table : 'shared'}`.slice(0, 256),
        });
        this.transfers.push(transfer);
        values[resource.placeholder] = transfer.task.attrTaskArn;
        datasyncTaskArns.push(transfer.task.attrTaskArn);
      } else if (!datasyncTaskArns.includes(resource.taskArn)) {
        datasyncTaskArns.push(resource.taskArn);
      }
    }
    const substitutions = new Substitutions(values, wf.definition);
    // Fail early, naming the workflow, when the manifest lists a placeholder infra cannot fill.
    substitutions.pick(wf.placeholders, `workflow ${wf.name}`);
    const common = { substitutions, platform, datasyncTaskArns, dag: wf.name, ...(props.useCase === undefined ? {} : { useCase: props.useCase }) };
    this.machine = new WorkflowMachine(this, 'StateMachine', {
      ...common,
      stateMachineName: wf.stateMachineName,
      definition: props.readDefinition(wf.definition),
      definitionPath: wf.definition,
    });
    if (wf.gate) {
      this.gate = new WorkflowMachine(this, 'Join', {
        ...common,
        stateMachineName: wf.gate.stateMachineName,
        definition: props.readDefinition(wf.gate.definition),
        definitionPath: wf.gate.definition,
      });
    }
    if (wf.watch) {
      this.watch = new WorkflowMachine(this, 'Watch', {
        ...common,
        stateMachineName: wf.watch.stateMachineName,
        definition: props.readDefinition(wf.watch.definition),
        definitionPath: wf.watch.definition,
      });
    }
    const topic = createWorkflowTopic(this, wf, platform);
    const dagTopic = topic && { placeholder: PLATFORM_TOPIC, arn: topic.topicArn };
    for (const [i, rule] of wf.rules.entries()) createRule(this, `Rule${i}`, rule, substitutions, dagTopic);
    Tags.of(this).add('lakestep:spec-file', wf.specFile);
  }
}
