import { describe, expect, it } from 'vitest';
import { applyInputTransformer } from '../../src/events/transform.ts';
import { scheduleGroups, scheduleRules } from '../../src/events/schedule.ts';
import type { Maintenance } from '../../src/ir/types.ts';
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

describe('scheduleRules', () => {
  it('starts a scheduled workflow with trigger and logical date', () => {
    const [rule, ...rest] = scheduleRules(platform(), workflow('orders-ingestion', { schedule: 'rate(30 minutes)' }));
    expect(rest).toEqual([]);
    expect(rule).toEqual({
      Name: 'acme-orders-orders-ingestion.schedule',
      Description: 'Start acme-orders-orders-ingestion on rate(30 minutes)',
      ScheduleExpression: 'rate(30 minutes)',
      State: 'ENABLED',
      Targets: [
        {
          Id: 'state-machine',
          Arn: 'arn:${Partition}:states:${Region}:${Account}:stateMachine:acme-orders-orders-ingestion',
          RoleArn: '${EventsRoleArn}',
          InputTransformer: { InputPathsMap: { time: '$.time' }, InputTemplate: '{"trigger":"schedule","logical_date":<time>}' },
        },
      ],
    });
    expect(substitute(rule!.Targets[0]!.Arn)).toBe('arn:aws:states:eu-west-1:123456789012:stateMachine:acme-orders-orders-ingestion');
  });

  it('delivers valid JSON input for a scheduled event', () => {
    const [rule] = scheduleRules(platform(), workflow('daily', { schedule: 'cron(0 6 * * ? *)' }));
    const scheduled = { source: 'aws.events', 'detail-type': 'Scheduled Event', time: '2026-11-26T06:00:00Z', detail: {} };
    expect(JSON.parse(applyInputTransformer(rule!.Targets[0]!.InputTransformer!, scheduled))).toEqual({
      trigger: 'schedule',
      logical_date: '2026-11-26T06:00:00Z',
    });
  });

  it('has no rule without a schedule, and a disabled rule for a disabled workflow', () => {
    expect(scheduleRules(platform(), workflow('w'))).toEqual([]);
    expect(scheduleRules(platform(), workflow('w', { schedule: 'rate(1 hour)', enabled: false }))[0]?.State).toBe('DISABLED');
  });

  it('gives maintenance one rule per distinct schedule, carrying the group', () => {
    const wf = workflow('orders-maintenance', { type: 'maintenance', body: { kind: 'maintenance', maintenance } });
    const rules = scheduleRules(platform(), wf);
    expect(rules.map((r) => [r.Name, r.ScheduleExpression])).toEqual([
      ['acme-orders-orders-maintenance.schedule.rate-1-day', 'rate(1 day)'],
      ['acme-orders-orders-maintenance.schedule.cron-0-3-x-x-q-x', 'cron(0 3 * * ? *)'],
      ['acme-orders-orders-maintenance.schedule.rate-7-days', 'rate(7 days)'],
    ]);
    const input = JSON.parse(applyInputTransformer(rules[2]!.Targets[0]!.InputTransformer!, { time: '2026-11-29T00:00:00Z' }));
    expect(input).toEqual({ trigger: 'schedule', logical_date: '2026-11-29T00:00:00Z', group: 'rate-7-days' });
    expect(rules[0]!.Description).toBe('Start acme-orders-orders-maintenance on rate(1 day) for 2 maintenance tasks (group rate-1-day)');
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
