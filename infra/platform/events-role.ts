/**
 * The role EventBridge uses to start the dispatcher, the one target of the platform's
 * status rule (src/events/status-rule.ts). It starts that machine and no other: the use
 * cases' machines are started by the dispatcher and the schedule starter, each under its
 * own role, never by a rule.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-identity-based.html
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { dispatcherMachineName } from '../../src/naming.ts';

export function createEventsRole(scope: Construct, prefix: string): iam.Role {
  const role = new iam.Role(scope, 'EventsRole', {
    roleName: `${prefix}-events`,
    description: 'The EventBridge rule of lakestep starts its dispatcher',
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  });
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'StartDispatcher',
      actions: ['states:StartExecution'],
      resources: [`arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${dispatcherMachineName(prefix)}`],
    }),
  );
  return role;
}
