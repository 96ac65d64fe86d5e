/**
 * One compiled state machine (a workflow or its watch machine) with the
 * least-privilege statements derived from the definition's Task states: in a
 * role of its own, or added to the role the machines of its stack share
 * (`state_machine_roles: per_use_case`).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-stepfunctions-statemachine.html
 */
import { Aws, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, type IDependable } from 'constructs';
import { distributedMapStatements, permissionsForTasks } from '../iam/registry.ts';
import { serviceStatements } from '../iam/service-statements.ts';
import { collectTaskStates, hasDistributedMap } from '../iam/task-states.ts';
import type { PlatformResources } from '../platform/platform-stack.ts';
import { placeholdersIn, type Substitutions } from './placeholders.ts';

export interface WorkflowMachineProps {
  /** Deterministic name from the manifest (`stateMachineName`). */
  stateMachineName: string;
  /** The ASL text with `${Placeholders}`. */
  definition: string;
  /** Manifest path of the definition, for messages. */
  definitionPath: string;
  substitutions: Substitutions;
  platform: PlatformResources;
  /** DataSync tasks the workflow may start. */
  datasyncTaskArns: string[];
  /** Use case of the workflow (the tag its DataSync tasks are granted by, past the listed maximum). */
  useCase?: string;
  /** For a watch machine: the machine it watches (whose executions it may describe). */
  watches?: string;
  /** Value of the `lakestep:dag` tag. */
  dag: string;
  /**
   * The role the machines of the stack share (`state_machine_roles: per_use_case`): the machine's
   * statements are added to it. Absent: the machine has a role and a policy of its own.
   */
  sharedRole?: iam.Role;
  /**
   * Seconds Step Functions reuses a KMS data key.
   * @default 300
   */
  kmsDataKeyReusePeriodSeconds?: number;
}

/** STANDARD machine: customer-managed KMS, ALL logging with execution data, X-Ray. */
export class WorkflowMachine extends Construct {
  readonly stateMachine: sfn.CfnStateMachine;
  /** Its own role, or the stack's shared one. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: WorkflowMachineProps) {
    super(scope, id);
    const { platform, substitutions } = props;
    const parsed: unknown = JSON.parse(props.definition);
    const tasks = collectTaskStates(parsed);
    const taskStatements = permissionsForTasks(
      Stack.of(this),
      tasks.map((state) => ({
        state: { ...state, path: `${props.definitionPath}: ${state.path}` },
        platform,
        substitutions,
        datasyncTaskArns: props.datasyncTaskArns,
        stateMachineName: props.stateMachineName,
        ...(props.useCase === undefined ? {} : { useCase: props.useCase }),
        ...(props.watches === undefined ? {} : { watches: props.watches }),
      })),
    );
    const statements = [
      ...taskStatements,
      ...(hasDistributedMap(parsed) ? distributedMapStatements(props.stateMachineName) : []),
      ...serviceStatements(platform.key),
    ];
    // What the machine waits for: Step Functions checks the log delivery permissions when it creates it.
    let policies: IDependable[];
    if (props.sharedRole) {
      this.role = props.sharedRole;
      // The role's default policy, or the managed policy its statement lands in when the role splits a policy past IAM's size.
      policies = statements.map((st) => this.role.addToPrincipalPolicy(st).policyDependable!);
    } else {
      this.role = machineRole(this, 'Role', `Runs state machine ${props.stateMachineName}`);
      policies = [new iam.Policy(this, 'Policy', { statements, roles: [this.role] })];
    }
    this.stateMachine = new sfn.CfnStateMachine(this, 'Resource', {
      stateMachineName: props.stateMachineName,
      stateMachineType: 'STANDARD',
      roleArn: this.role.roleArn,
      // Without the build file's indentation: a large migration's definition is most of its stack's template (1 MB at most).
      definitionString: JSON.stringify(parsed),
      definitionSubstitutions: substitutions.pick(placeholdersIn(props.definition), props.definitionPath),
      encryptionConfiguration: {
        type: 'CUSTOMER_MANAGED_KMS_KEY',
        kmsKeyId: platform.key.keyArn,
        kmsDataKeyReusePeriodSeconds: props.kmsDataKeyReusePeriodSeconds ?? 300,
      },
      loggingConfiguration: {
        level: 'ALL',
        includeExecutionData: true,
        destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: platform.stateMachineLogGroup.logGroupArn } }],
      },
      tracingConfiguration: { enabled: true },
    });
    this.stateMachine.node.addDependency(...policies);
    Tags.of(this).add('lakestep:dag', props.dag);
  }
}

/** A role Step Functions may assume for machines of this account only (confused deputy). */
export function machineRole(scope: Construct, id: string, description: string): iam.Role {
  return new iam.Role(scope, id, {
    description,
    assumedBy: new iam.ServicePrincipal('states.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  });
}
