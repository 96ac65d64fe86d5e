import { describe, expect, it } from 'vitest';
import { schedulerInput } from '../../src/simulator/schedule-starter.ts';
import { scheduleGroups, workflowSchedules } from '../../src/events/schedule.ts';
import type { Maintenance } from '../../src/ir/types.ts';
import { scheduledRun, type ScheduledStart } from '../../src/starter/scheduled.ts';
import { maintenanceTask, origin, platform, substitute, workflow } from './helpers.ts';

const maintenance: Maintenance = {
  origin: origin('orders/maintenance.yaml'),
  managed: [],
  tasks: [
    maintenanceTask('expire_snapshots', 'orders', 'rate(1 day)'),
    maintenanceTask('rewrite_data_files', 'orders', 'cron(0 3 * * ? *)'),
    maintenanceTask('rewrite_manifests', 'orders', 'rate(7 days)'),
    maintenanceTask('remove_orphan_files', 'orders', 'rate(7  days)'),
    maintenanceTask('expire_snapshots', 'customers', 'rate(1 day)'),
  ],
};

describe('workflowSchedules (EventBridge Scheduler)', () => {
  it('one schedule in the platform group: the starter as target, the scheduled time in its input, a retry policy and the dead-letter queue', () => {
    const [schedule, ...rest] = workflowSchedules(platform(), workflow('orders-ingestion', { schedule: 'rate(30 minutes)' }));
    expect(rest).toEqual([]);
    expect(schedule).toEqual({
      Name: 'acme-orders-orders-ingestion',
      GroupName: '${ScheduleGroupName}',
      Description: 'Start acme-orders-orders-ingestion on rate(30 minutes); use case orders',
      // A rate that divides an hour fires at the multiples of its period since the epoch.
      ScheduleExpression: 'cron(0/30 * * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: '${ScheduleStarterArn}',
        RoleArn: '${SchedulerRoleArn}',
        Input:
          '{"state_machine_arn":"arn:${Partition}:states:${Region}:${Account}:stateMachine:acme-orders-orders-ingestion","schedule":"rate(30 minutes)","timezone":"UTC","logical_date":"interval","scheduled_time":"<aws.scheduler.scheduled-time>"}',
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
        DeadLetterConfig: { Arn: '${SchedulerDeadLetterArn}' },
      },
    });
  });

  it('a time zone and a flexible window', () => {
    const [s] = workflowSchedules(platform(), workflow('daily', { schedule: 'cron(30 1 * * ? *)', scheduleTimezone: 'Europe/Lisbon', flexibleWindowMinutes: 15 }));
    expect(s).toMatchObject({ ScheduleExpression: 'cron(30 1 * * ? *)', ScheduleExpressionTimezone: 'Europe/Lisbon', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 } });
    expect(JSON.parse(s!.Target.Input)).toMatchObject({ timezone: 'Europe/Lisbon' });
  });

  it('delivers an input from which the starter derives the daily run: ds the day before, interval [D-1 02:00, D 02:00)', () => {
    const input = (w: ReturnType<typeof workflow>) => schedulerInput(substitute(workflowSchedules(platform(), w)[0]!.Target.Input), '2026-11-26T02:00:00Z');
    const { name, input: run } = scheduledRun(JSON.parse(input(workflow('daily', { schedule: 'cron(0 2 * * ? *)' }))) as ScheduledStart)!;
    expect(name).toBe('2026-11-25T020000Z');
    expect(JSON.parse(run)).toEqual({
      trigger: 'schedule',
      logical_date: '2026-11-25T02:00:00Z',
      data_interval_start: '2026-11-25T02:00:00Z',
      data_interval_end: '2026-11-26T02:00:00Z',
      prev_ds: '2026-11-24',
      next_ds: '2026-11-26',
      upstreams: [],
      attempt: 1,
    });
    expect(scheduledRun(JSON.parse(input(workflow('daily', { schedule: 'cron(0 2 * * ? *)', logicalDate: 'trigger' }))) as ScheduledStart)!.name).toBe('2026-11-26T020000Z');
  });

  it('has no schedule without one, and a disabled one for a disabled workflow', () => {
    expect(workflowSchedules(platform(), workflow('w'))).toEqual([]);
    expect(workflowSchedules(platform(), workflow('w', { schedule: 'rate(1 hour)', enabled: false }))[0]?.State).toBe('DISABLED');
  });

  it('gives maintenance one schedule per distinct task schedule, carrying the group', () => {
    const wf = workflow('orders-maintenance', { type: 'maintenance', body: { kind: 'maintenance', maintenance } });
    const schedules = workflowSchedules(platform(), wf);
    expect(schedules.map((r) => [r.Name, r.ScheduleExpression])).toEqual([
      ['acme-orders-orders-maintenance.rate-1-day', 'cron(0 0 * * ? *)'],
      ['acme-orders-orders-maintenance.cron-0-3-x-x-q-x', 'cron(0 3 * * ? *)'],
      ['acme-orders-orders-maintenance.rate-7-days', 'cron(0 0 ? * THU *)'],
    ]);
    const req = JSON.parse(schedulerInput(substitute(schedules[2]!.Target.Input), '2026-11-26T00:00:00Z')) as ScheduledStart;
    expect(req).toMatchObject({ schedule: 'rate(7 days)', group: 'rate-7-days', scheduled_time: '2026-11-26T00:00:00Z' });
    const { name, input } = scheduledRun(req)!;
    // Each group has its own runs: the group qualifies the name.
    expect(name).toBe('2026-11-19T000000Z_rate-7-days');
    expect(JSON.parse(input)).toMatchObject({ group: 'rate-7-days', data_interval_start: '2026-11-19T00:00:00Z', data_interval_end: '2026-11-26T00:00:00Z' });
    expect(schedules[0]!.Description).toBe('Start acme-orders-orders-maintenance on rate(1 day) for 2 maintenance tasks (group rate-1-day); use case orders');
  });
});

describe('scheduleGroups', () => {
  it('groups tasks by schedule in order of first appearance, whitespace-insensitive', () => {
    const groups = scheduleGroups(maintenance);
    expect(groups.map((g) => [g.group, g.schedule, g.tasks.map((t) => `${t.table.table}.${t.kind}`)])).toEqual([
      ['rate-1-day', 'rate(1 day)', ['orders.expire_snapshots', 'customers.expire_snapshots']],
      ['cron-0-3-x-x-q-x', 'cron(0 3 * * ? *)', ['orders.rewrite_data_files']],
      ['rate-7-days', 'rate(7 days)', ['orders.rewrite_manifests', 'orders.remove_orphan_files']],
    ]);
  });

  it('keeps group ids when another schedule is added before them', () => {
    const before = scheduleGroups(maintenance).map((g) => g.group);
    const more = { ...maintenance, tasks: [maintenanceTask('rewrite_manifests', 'x', 'rate(2 days)'), ...maintenance.tasks] };
    expect(scheduleGroups(more).map((g) => g.group)).toEqual(['rate-2-days', ...before]);
  });

  it('tells apart schedules whose slugs collide, with a stable hash', () => {
    const clash = { ...maintenance, tasks: [maintenanceTask('rewrite_manifests', 'x', 'cron(0 3 * * ? *)'), maintenanceTask('rewrite_manifests', 'y', 'cron(0 3 x * ? *)')] };
    const ids = scheduleGroups(clash).map((g) => g.group);
    expect(new Set(ids).size).toBe(2);
    expect(ids.every((id) => /^cron-0-3-x-x-q-x-[0-9a-f]{6}$/.test(id))).toBe(true);
    expect(scheduleGroups(clash).map((g) => g.group)).toEqual(ids);
  });
});
