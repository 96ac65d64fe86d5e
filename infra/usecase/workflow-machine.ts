/**
 * One compiled state machine (a workflow or its join machine) with its own
 * least-privilege role derived from the definition's Task states.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-stepfunctions-statemachine.html
 */
import { Aws, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
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
  /** Value of the `lakestep:dag` tag. */
  dag: string;
  /**
   * Seconds Step Functions reuses a KMS data key.
   * @default 300
   */
  kmsDataKeyReusePeriodSeconds?: number;
}

/** STANDARD machine: customer-managed KMS, ALL logging with execution data, X-Ray. */
export class WorkflowMachine extends Construct {
  readonly stateMachine: sfn.CfnStateMachine;
  readonly role: iam.Role;
  readonly policy: iam.Policy;

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
      })),
    );
    this.role = new iam.Role(this, 'Role', {
      description: `Runs state machine ${props.stateMachineName}`,
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    this.policy = new iam.Policy(this, 'Policy', {
      statements: [
        ...taskStatements,
        ...(hasDistributedMap(parsed) ? distributedMapStatements(props.stateMachineName) : []),
        ...serviceStatements(platform.key),
      ],
      roles: [this.role],
    });
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
    // Step Functions checks the log delivery permissions when it creates the machine.
    this.stateMachine.addResourceDependency(this.policy.node.defaultChild as iam.CfnPolicy);
    Tags.of(this).add('lakestep:dag', props.dag);
  }
}
