/**
 * Schedule rules: one per scheduled workflow, and for maintenance one per distinct
 * task schedule. The target is the schedule starter (src/starter/scheduled.ts),
 * which derives the run's data interval, logical date and execution name from the
 * schedule and the event `time`; the input names the workflow, its schedule, its
 * logical-date convention and, for maintenance, the group of tasks to run.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
import { createHash } from 'node:crypto';
import type { RuleDefinition } from '../build/types.ts';
import type { Maintenance, MaintenanceTask, Platform, Workflow } from '../ir/types.ts';
import type { ScheduledStart } from '../starter/scheduled.ts';
import { limitDescription, machineArn, ownMachineName, ruleName, ruleState, targetId } from './common.ts';
import { deployedExpression } from './schedule-expression.ts';

/** The platform's schedule starter (a Lambda function created by infra). */
export const SCHEDULE_STARTER_ARN = '${ScheduleStarterArn}';

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

/** Schedule rules of one workflow (none when it has no schedule). */
export function scheduleRules(platform: Platform, workflow: Workflow): RuleDefinition[] {
  const machine = ownMachineName(platform, workflow);
  const arn = machineArn(platform, workflow.useCase, workflow.name);
  if (workflow.body.kind === 'maintenance') {
    return scheduleGroups(workflow.body.maintenance).map((g) => ({
      Name: ruleName(machine, 'schedule', g.group),
      Description: limitDescription(
        `Start ${machine} on ${g.schedule} for ${g.tasks.length} maintenance task${g.tasks.length === 1 ? '' : 's'} (group ${g.group})`,
      ),
      ScheduleExpression: deployedExpression(g.schedule),
      State: ruleState(workflow),
      Targets: [starterTarget({ state_machine_arn: arn, schedule: g.schedule, logical_date: workflow.logicalDate, group: g.group })],
    }));
  }
  if (workflow.schedule === undefined) return [];
  const schedule = normalizeSchedule(workflow.schedule);
  return [
    {
      Name: ruleName(machine, 'schedule'),
      Description: limitDescription(`Start ${machine} on ${schedule}`),
      ScheduleExpression: deployedExpression(schedule),
      State: ruleState(workflow),
      Targets: [starterTarget({ state_machine_arn: arn, schedule, logical_date: workflow.logicalDate })],
    },
  ];
}

/**
 * The starter's input: the fixed fields, then `scheduled_time`, a variable that
 * EventBridge replaces with the quoted event time.
 */
function starterTarget(fixed: Omit<ScheduledStart, 'scheduled_time'>): RuleDefinition['Targets'][number] {
  const json = JSON.stringify({ ...fixed, timezone: fixed.timezone ?? 'UTC' });
  return {
    Id: targetId('schedule-starter'),
    Arn: SCHEDULE_STARTER_ARN,
    InputTransformer: {
      InputPathsMap: { time: '$.time' },
      InputTemplate: `${json.slice(0, -1)},"scheduled_time":<time>}`,
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
