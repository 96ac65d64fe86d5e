/**
 * The platform's dispatcher (src/asl/dispatch.ts) and the one EventBridge rule that
 * feeds it the end of every execution of the platform's workflows. Its role may read
 * executions and tags of the machines named `<prefix>-*`, the routes under
 * `/lakestep/<prefix>/after/`, the gates table, start any `<prefix>-*` machine but the
 * platform's own, and publish to the platform topic and the dags' own topics.
 *
 * It is an Express workflow (src/asl/dispatch.ts): its runs keep no history in Step Functions, so
 * its execution log goes to the platform's log group at level ALL, and an alarm on its
 * `ExecutionsFailed` and `ExecutionsTimedOut` metrics notifies the platform topic of a run that
 * ended without handling its event (a timed-out run cannot notify itself).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html
 */
import { Aws } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { CfnAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { stateMachineLogGroupName } from '../../src/naming.ts';
import type { RuleDefinition } from '../../src/build/types.ts';
import { ownPlatform, serviceStatements } from '../iam/service-statements.ts';
import { createRule } from './rule.ts';
import { placeholdersIn, Substitutions } from '../usecase/placeholders.ts';

export interface DispatcherProps {
  prefix: string;
  stateMachineName: string;
  /** The ASL text (build/lakestep/dispatch.asl.json). */
  definition: string;
  /** Absent in older builds, whose dispatcher was a Standard workflow. */
  type?: 'EXPRESS';
  rule: RuleDefinition;
  key: kms.IKey;
  logGroup: logs.ILogGroup;
  gates: dynamodb.ITable;
  topic: sns.ITopic;
  eventsRole: iam.IRole;
}

export class Dispatcher extends Construct {
  readonly stateMachine: sfn.CfnStateMachine;
  readonly role: iam.Role;
  readonly rule: events.CfnRule;
  readonly alarm: CfnAlarm;

  constructor(scope: Construct, id: string, props: DispatcherProps) {
    super(scope, id);
    const arn = (service: string, resource: string) => `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    const own = `${props.prefix}-lakestep-*`;
    this.role = new iam.Role(this, 'Role', {
      description: `Runs ${props.stateMachineName}: notifies and starts downstreams on the ends of the platform's executions`,
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
    });
    const policy = new iam.Policy(this, 'Policy', {
      statements: [
        new iam.PolicyStatement({ sid: 'ReadRuns', actions: ['states:DescribeExecution'], resources: [arn('states', `execution:${props.prefix}-*:*`)] }),
        new iam.PolicyStatement({ sid: 'ReadTags', actions: ['states:ListTagsForResource'], resources: [arn('states', `stateMachine:${props.prefix}-*`)] }),
        new iam.PolicyStatement({ sid: 'ReadRoutes', actions: ['ssm:GetParametersByPath'], resources: [arn('ssm', `parameter/lakestep/${props.prefix}/after/*`)] }),
        new iam.PolicyStatement({ sid: 'Join', actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [props.gates.tableArn] }),
        new iam.PolicyStatement({ sid: 'StartDownstreams', actions: ['states:StartExecution'], resources: [arn('states', `stateMachine:${props.prefix}-*`)], conditions: ownPlatform(props.prefix) }),
        // Never the platform's own machines: itself, the backfill machine.
        new iam.PolicyStatement({ sid: 'NotOwnMachines', effect: iam.Effect.DENY, actions: ['states:StartExecution'], resources: [arn('states', `stateMachine:${own}`)] }),
        new iam.PolicyStatement({ sid: 'Notify', actions: ['sns:Publish'], resources: [props.topic.topicArn] }),
        // The topics of dags with their own recipients, of this platform only (infra/usecase/workflow-topic.ts tags them).
        new iam.PolicyStatement({ sid: 'NotifyDags', actions: ['sns:Publish'], resources: [arn('sns', `${props.prefix}-*-notifications`)], conditions: ownPlatform(props.prefix) }),
        ...serviceStatements(props.key),
      ],
      roles: [this.role],
    });
    const values: Record<string, string> = {
      Partition: Aws.PARTITION,
      Region: Aws.REGION,
      Account: Aws.ACCOUNT_ID,
      GatesTable: props.gates.tableName,
      NotificationTopicArn: props.topic.topicArn,
      EventsRoleArn: props.eventsRole.roleArn,
    };
    const substitutions = new Substitutions(values, 'lakestep/dispatch.asl.json');
    this.stateMachine = new sfn.CfnStateMachine(this, 'Resource', {
      stateMachineName: props.stateMachineName,
      stateMachineType: props.type ?? 'STANDARD',
      roleArn: this.role.roleArn,
      definitionString: props.definition,
      definitionSubstitutions: substitutions.pick(placeholdersIn(props.definition)),
      encryptionConfiguration: { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: props.key.keyArn, kmsDataKeyReusePeriodSeconds: 300 },
      loggingConfiguration: { level: 'ALL', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: props.logGroup.logGroupArn } }] },
      tracingConfiguration: { enabled: true },
    });
    this.stateMachine.addResourceDependency(policy.node.defaultChild as iam.CfnPolicy);
    this.rule = createRule(this, 'StatusRule', props.rule, new Substitutions(values, `rule ${props.rule.Name}`));
    this.rule.addResourceDependency(this.stateMachine);
    this.alarm = dispatcherAlarm(this, props, this.stateMachine.attrArn);
  }
}

/**
 * ALARM when any run of the dispatcher failed or timed out in a minute: what it could not dispatch
 * (an upstream's downstreams not started, a notification not sent) is named in its log. Missing data
 * is not breaching (no run, nothing missed); ALARM and OK both notify the platform topic.
 */
function dispatcherAlarm(scope: Construct, props: DispatcherProps, stateMachineArn: string): CfnAlarm {
  const metric = (id: string, name: string) => ({
    id,
    returnData: false,
    metricStat: { metric: { namespace: 'AWS/States', metricName: name, dimensions: [{ name: 'StateMachineArn', value: stateMachineArn }] }, period: 60, stat: 'Sum' },
  });
  return new CfnAlarm(scope, 'FailedRuns', {
    alarmName: `${props.stateMachineName}-failed`,
    alarmDescription: `lakestep ${props.prefix}: a run of the dispatcher failed or timed out; its events are in the log group ${stateMachineLogGroupName(props.prefix)}`,
    metrics: [metric('failed', 'ExecutionsFailed'), metric('timedOut', 'ExecutionsTimedOut'), { id: 'missed', expression: 'failed + timedOut', label: 'Dispatcher runs failed or timed out', returnData: true }],
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    actionsEnabled: true,
    alarmActions: [props.topic.topicArn],
    okActions: [props.topic.topicArn],
  });
}
