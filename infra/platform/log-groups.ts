/**
 * Log groups: one for state machine execution logs, one for DataSync task logs.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/configure-logging.html
 */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { stateMachineLogGroupName } from '../../src/naming.ts';

export interface PlatformLogGroupsProps {
  prefix: string;
  key: kms.IKey;
  /**
   * How long execution and transfer logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  retention?: logs.RetentionDays;
}

export class PlatformLogGroups extends Construct {
  /** `/aws/vendedlogs/states/<prefix>` (src/naming.ts stateMachineLogGroupName). */
  readonly stateMachines: logs.LogGroup;
  readonly datasync: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PlatformLogGroupsProps) {
    super(scope, id);
    const common = {
      encryptionKey: props.key,
      retention: props.retention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    this.stateMachines = new logs.LogGroup(this, 'StateMachines', {
      ...common,
      logGroupName: stateMachineLogGroupName(props.prefix),
    });
    this.datasync = new logs.LogGroup(this, 'DataSync', { ...common, logGroupName: `/aws/datasync/${props.prefix}` });
    // DataSync writes with a resource policy, not a role.
    new logs.CfnResourcePolicy(this, 'DataSyncLogsPolicy', {
      policyName: `${props.prefix}-datasync-logs`,
      policyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DataSyncLogsToCloudWatch',
            Effect: 'Allow',
            Principal: { Service: 'datasync.amazonaws.com' },
            Action: ['logs:PutLogEvents', 'logs:CreateLogStream'],
            Resource: `${this.datasync.logGroupArn}`,
            Condition: {
              StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
              ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:datasync:${Aws.REGION}:${Aws.ACCOUNT_ID}:task/*` },
            },
          },
        ],
      }),
    });
  }
}
