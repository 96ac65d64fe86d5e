/**
 * Everything one manifest workflow deploys: its DataSync transfers, its state machine
 * (tagged with what the platform's dispatcher reads), its watch machine (dags with
 * `max_duration`), its schedules, its route parameters (one per upstream) and the topic
 * of its own e-mails.
 */
import { Tags } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { ManifestWorkflow } from '../../src/build/types.ts';
import type { PlatformResources } from '../platform/platform-stack.ts';
import { type CreatedDataSync, DataSyncTransfer } from './datasync.ts';
import { platformSubstitutions, Substitutions } from './placeholders.ts';
import { createSchedule } from './schedules.ts';
import { WorkflowMachine } from './workflow-machine.ts';
import { createWorkflowTopic } from './workflow-topic.ts';

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
  /** The role the machines of the stack share (`state_machine_roles: per_use_case`); absent: one role per machine. */
  machineRole?: iam.Role;
}

export class WorkflowResources extends Construct {
  readonly machine: WorkflowMachine;
  readonly watch?: WorkflowMachine;
  readonly routes: ssm.CfnParameter[] = [];
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
    const common = {
      substitutions,
      platform,
      datasyncTaskArns,
      dag: wf.name,
      ...(props.useCase === undefined ? {} : { useCase: props.useCase }),
      ...(props.machineRole ? { sharedRole: props.machineRole } : {}),
    };
    this.machine = new WorkflowMachine(this, 'StateMachine', {
      ...common,
      stateMachineName: wf.stateMachineName,
      definition: props.readDefinition(wf.definition),
      definitionPath: wf.definition,
    });
    for (const [k, v] of Object.entries(wf.stateMachineTags)) Tags.of(this.machine.stateMachine).add(k, v);
    if (wf.watch) {
      this.watch = new WorkflowMachine(this, 'Watch', {
        ...common,
        stateMachineName: wf.watch.stateMachineName,
        watches: wf.stateMachineName,
        definition: props.readDefinition(wf.watch.definition),
        definitionPath: wf.watch.definition,
      });
    }
    createWorkflowTopic(this, wf, platform);
    for (const [i, schedule] of (wf.schedules ?? []).entries()) createSchedule(this, `Schedule${i}`, schedule, substitutions);
    // Routes live in the downstream's stack: a quarantined use case keeps its last good links.
    for (const [i, route] of (wf.routes ?? []).entries()) {
      this.routes.push(new ssm.CfnParameter(this, `Route${i}`, { name: route.Name, type: route.Type, value: route.Value, description: route.Description }));
    }
    Tags.of(this).add('lakestep:spec-file', wf.specFile);
  }
}
