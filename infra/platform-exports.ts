/**
 * The platform stack's exports, made independent of which use-case stacks the app
 * holds: `lakestep deploy` builds only the changed use cases' stacks, and a platform
 * template whose exports followed them would drop exports the others still import
 * (CloudFormation refuses to delete an export in use). Each value gets the name the
 * automatic cross-stack reference gives it, so the use-case stacks' imports are unchanged.
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.Stack.html#exportwbrvalueexportedvalue-options
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html
 */
import type { Stack } from 'aws-cdk-lib';
import type { PlatformResources } from './platform/platform-stack.ts';

/** What use-case stacks may reference of the platform stack. */
export function exportPlatformReferences(stack: Stack, r: PlatformResources): void {
  const values = [
    r.key.keyArn,
    r.buckets.artifacts.bucketName,
    r.buckets.artifacts.bucketArn,
    r.emrApplication.attrApplicationId,
    r.eventsRole.roleArn,
    r.topic.topicArn,
    ...Object.values(r.tables).flatMap((t) => [t.tableName, t.tableArn]),
    r.stateMachineLogGroup.logGroupArn,
    r.datasyncLogGroup.logGroupArn,
    r.scheduleStarter.functionArn,
    r.scheduleGroupName,
    r.schedulerRole.roleArn,
    r.scheduleDeadLetters.queueArn,
  ];
  for (const value of values) stack.exportValue(value);
}
