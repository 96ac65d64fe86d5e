/**
 * Schedules on EventBridge Scheduler (`AWS::Scheduler::Schedule`): one per scheduled
 * workflow, and for maintenance one per distinct task schedule, all in the platform's
 * schedule group. Scheduler cannot name the executions it starts, so the target is the
 * schedule starter (src/starter/scheduled.ts), whose input names the workflow, its
 * schedule, time zone and logical-date convention, the maintenance group, and the
 * scheduled time (`<aws.scheduler.scheduled-time>`, fixed whatever the flexible window).
 * Failed invocations are retried for an hour, then land in the platform's dead-letter queue.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-scheduler-schedule.html
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
 */
import { createHash } from 'node:crypto';
import type { ScheduleDefinition } from '../build/types.ts';
import type { Maintenance, MaintenanceTask, Platform, Workflow } from '../ir/types.ts';
import type { ScheduledStart } from '../starter/scheduled.ts';
import { limitDescription, machineArn, ownMachineName, ruleName, ruleState } from './common.ts';
import { deployedExpression } from './schedule-expression.ts';

/** The platform's schedule starter (a Lambda function created by infra). */
export const SCHEDULE_STARTER_ARN = '${ScheduleStarterArn}';
/** The role EventBridge Scheduler assumes to invoke it, its schedule group and dead-letter queue (infra). */
export const SCHEDULER_ROLE_ARN = '${SchedulerRoleArn}';
export const SCHEDULE_GROUP = '${ScheduleGroupName}';
export const SCHEDULER_DEAD_LETTER_ARN = '${SchedulerDeadLetterArn}';
/** How long, and how often, Scheduler retries a failed invocation before the dead-letter queue. */
export const SCHEDULE_RETRY = { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 };
/** The context attribute Scheduler replaces with the time the invocation was due. */
export const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';

export interface ScheduleGroup {
  /** Stable id: a slug of the expression (`rate-1-day`), unique within the workflow. */
  group: string;
  schedule: string;
  /** Tasks in spec order. */
  tasks: MaintenanceTask[];
}

const SLUG_MAX = 32;

/**
 * Maintenance tasks grouped by schedule (whitespace-insensitive), in order of first
 * appearance. Group ids derive from the expression, not the position, so adding a
 * schedule never renames the rules of the others.
 */
export function scheduleGroups(maintenance: Maintenance): ScheduleGroup[] {
  const bySchedule = new Map<string, MaintenanceTask[]>();
  for (const task of maintenance.tasks) {
    const schedule = normalizeSchedule(task.schedule);
    const tasks = bySchedule.get(schedule) ?? [];
    tasks.push(task);
    bySchedule.set(schedule, tasks);
  }
  const entries = [...bySchedule.entries()];
  const slugs = entries.map(([schedule]) => slug(schedule));
  return entries.map(([schedule, tasks], i) => {
    const base = slugs[i] ?? '';
    const clash = slugs.filter((s) => s === base).length > 1;
    const group = clash || base.length > SLUG_MAX || base === '' ? `${base.slice(0, SLUG_MAX - 7)}-${hash(schedule)}` : base;
    return { group: group.replace(/^-/, ''), schedule, tasks };
  });
}

/** The schedules of one workflow (none when it has no schedule). */
export function workflowSchedules(platform: Platform, workflow: Workflow): ScheduleDefinition[] {
  const machine = ownMachineName(platform, workflow);
  const arn = machineArn(platform, workflow.useCase, workflow.name);
  if (workflow.body.kind === 'maintenance') {
    return scheduleGroups(workflow.body.maintenance).map((g) =>
      schedule(workflow, {
        Name: ruleName(machine, g.group),
        Description: limitDescription(`Start ${machine} on ${g.schedule} for ${g.tasks.length} maintenance task${g.tasks.length === 1 ? '' : 's'} (group ${g.group}); use case ${workflow.useCase}`),
        expression: g.schedule,
        request: { state_machine_arn: arn, schedule: g.schedule, timezone: 'UTC', logical_date: workflow.logicalDate, group: g.group },
      }),
    );
  }
  if (workflow.schedule === undefined) return [];
  const expression = normalizeSchedule(workflow.schedule);
  const timezone = workflow.scheduleTimezone ?? 'UTC';
  return [
    schedule(workflow, {
      Name: ruleName(machine),
      Description: limitDescription(`Start ${machine} on ${expression}${timezone === 'UTC' ? '' : ` in ${timezone}`}; use case ${workflow.useCase}`),
      expression,
      timezone,
      request: { state_machine_arn: arn, schedule: expression, timezone, logical_date: workflow.logicalDate },
    }),
  ];
}

function schedule(
  workflow: Workflow,
  s: { Name: string; Description: string; expression: string; timezone?: string; request: Omit<ScheduledStart, 'scheduled_time'> },
): ScheduleDefinition {
  const window = workflow.flexibleWindowMinutes;
  return {
    Name: s.Name,
    GroupName: SCHEDULE_GROUP,
    Description: s.Description,
    ScheduleExpression: deployedExpression(s.expression),
    ScheduleExpressionTimezone: s.timezone ?? 'UTC',
    FlexibleTimeWindow: window ? { Mode: 'FLEXIBLE', MaximumWindowInMinutes: window } : { Mode: 'OFF' },
    State: ruleState(workflow),
    Target: {
      Arn: SCHEDULE_STARTER_ARN,
      RoleArn: SCHEDULER_ROLE_ARN,
      Input: JSON.stringify({ ...s.request, scheduled_time: SCHEDULED_TIME }),
      RetryPolicy: { ...SCHEDULE_RETRY },
      DeadLetterConfig: { Arn: SCHEDULER_DEAD_LETTER_ARN },
    },
  };
}

function normalizeSchedule(schedule: string): string {
  return schedule.trim().replace(/\s+/g, ' ');
}

/** `rate(1 day)` → `rate-1-day`; `cron(0 3 * * ? *)` → `cron-0-3-x-x-q-x`. */
function slug(schedule: string): string {
  return schedule
    .toLowerCase()
    .replaceAll('*', 'x')
    .replaceAll('?', 'q')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 6);
}
