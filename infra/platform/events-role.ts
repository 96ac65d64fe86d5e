/**
 * The role EventBridge rules use to start lakestep state machines (schedule
 * and dependency targets). It covers every machine named `<prefix>-*`, so a
 * rule can target a machine of another use-case stack by its deterministic name.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-identity-based.html
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export function createEventsRole(scope: Construct, prefix: string): iam.Role {
  const role = new iam.Role(scope, 'EventsRole', {
    roleName: `${prefix}-events`,
    description: 'EventBridge rules of lakestep start state machines',
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  });
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'StartLakestepStateMachines',
      actions: ['states:StartExecution'],
      resources: [`arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${prefix}-*`],
    }),
  );
  return role;
}
