/**
 * EventBridge Scheduler schedules of a workflow, mapped one to one from the manifest's
 * `schedules[]` (CloudFormation property names) with placeholders filled.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-scheduler-schedule.html
 */
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import type { ScheduleDefinition } from '../../src/build/types.ts';
import type { Substitutions } from './placeholders.ts';

export function createSchedule(scope: Construct, id: string, s: ScheduleDefinition, subs: Substitutions): scheduler.CfnSchedule {
  const where = `schedule ${s.Name}`;
  return new scheduler.CfnSchedule(scope, id, {
    name: s.Name,
    groupName: subs.resolve(s.GroupName, where),
    description: s.Description,
    scheduleExpression: s.ScheduleExpression,
    scheduleExpressionTimezone: s.ScheduleExpressionTimezone,
    flexibleTimeWindow: { mode: s.FlexibleTimeWindow.Mode, ...(s.FlexibleTimeWindow.MaximumWindowInMinutes ? { maximumWindowInMinutes: s.FlexibleTimeWindow.MaximumWindowInMinutes } : {}) },
    state: s.State,
    target: {
      arn: subs.resolve(s.Target.Arn, where),
      roleArn: subs.resolve(s.Target.RoleArn, where),
      input: subs.resolve(s.Target.Input, where),
      retryPolicy: { maximumEventAgeInSeconds: s.Target.RetryPolicy.MaximumEventAgeInSeconds, maximumRetryAttempts: s.Target.RetryPolicy.MaximumRetryAttempts },
      deadLetterConfig: { arn: subs.resolve(s.Target.DeadLetterConfig.Arn, where) },
    },
  });
}
