/**
 * The platform's backfill state machine (`lakestep backfill --detach`, src/asl/backfill.ts):
 * a Distributed Map that starts runs of any lakestep machine with `startExecution.sync:2`.
 * Its role may start and follow executions of the machines named `<prefix>-*` (the runs),
 * run its own map (child executions), and use the platform key, logs and X-Ray.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/stepfunctions-iam.html
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { distributedMapStatements } from '../iam/registry.ts';
import { ownPlatform, serviceStatements } from '../iam/service-statements.ts';

/** Managed rule Step Functions creates for `.sync` starts of other state machines. */
export const SFN_SYNC_RULE = 'StepFunctionsGetEventsForStepFunctionsExecutionRule';

export interface BackfillMachineProps {
  prefix: string;
  stateMachineName: string;
  /** The ASL text (build/lakestep/backfill.asl.json). */
  definition: string;
  key: kms.IKey;
  logGroup: logs.ILogGroup;
}

export class BackfillMachine extends Construct {
  readonly stateMachine: sfn.CfnStateMachine;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BackfillMachineProps) {
    super(scope, id);
    const arn = (resource: string) => `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    this.role = new iam.Role(this, 'Role', {
      description: `Runs ${props.stateMachineName}: starts the runs of a detached backfill`,
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
    });
    const policy = new iam.Policy(this, 'Policy', {
      statements: [
        new iam.PolicyStatement({ sid: 'StartRuns', actions: ['states:StartExecution'], resources: [arn(`stateMachine:${props.prefix}-*`)], conditions: ownPlatform(props.prefix) }),
        new iam.PolicyStatement({ sid: 'FollowRuns', actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [arn(`execution:${props.prefix}-*:*`)] }),
        new iam.PolicyStatement({
          sid: 'SyncRule',
          actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
          resources: [`arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/${SFN_SYNC_RULE}`],
        }),
        ...distributedMapStatements(props.stateMachineName),
        ...serviceStatements(props.key),
      ],
      roles: [this.role],
    });
    this.stateMachine = new sfn.CfnStateMachine(this, 'Resource', {
      stateMachineName: props.stateMachineName,
      stateMachineType: 'STANDARD',
      roleArn: this.role.roleArn,
      definitionString: props.definition,
      encryptionConfiguration: { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: props.key.keyArn, kmsDataKeyReusePeriodSeconds: 300 },
      loggingConfiguration: { level: 'ALL', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: props.logGroup.logGroupArn } }] },
      tracingConfiguration: { enabled: true },
    });
    this.stateMachine.addResourceDependency(policy.node.defaultChild as iam.CfnPolicy);
  }
}
