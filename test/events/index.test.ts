import { describe, expect, it } from 'vitest';
import { checkRuleQuotas, platformRules, ruleName, workflowRules } from '../../src/events/index.ts';
import { validateEventPattern } from '../../src/events/pattern.ts';
import type { PlatformIR } from '../../src/ir/types.ts';
import { maintenanceTask, origin, platform, workflow } from './helpers.ts';

const notify = { onFailure: true, onSuccess: true, emails: [] };
const ir: PlatformIR = {
  platform: platform(),
  useCases: [
    {
      name: 'orders',
      owner: 'orders-data@example.com',
      specHash: 'h',
      files: [],
      workflows: [
        workflow('orders-migration', { notification: notify }),
        workflow('orders-ingestion', { schedule: 'rate(30 minutes)', dependsOn: ['orders-migration'], notification: notify }),
        workflow('orders-upserts', { dependsOn: ['orders-ingestion', 'customers/customers-ingestion'] }),
        workflow('orders-maintenance', {
          type: 'maintenance',
          body: { kind: 'maintenance', maintenance: { origin: origin(), managed: [], tasks: [maintenanceTask('expire_snapshots', 'orders', 'rate(1 day)')] } },
        }),
      ],
    },
    { name: 'customers', owner: 'c@example.com', specHash: 'h', files: [], workflows: [workflow('customers-ingestion', { useCase: 'customers', schedule: 'rate(1 hour)' })] },
  ],
};

describe('workflowRules and platformRules', () => {
  it('lists schedule, dependency, then notification rules', () => {
    const wf = ir.useCases[0]!.workflows[1]!;
    expect(workflowRules(ir.platform, wf).map((r) => r.Name)).toEqual([
      'acme-orders-orders-ingestion.schedule',
      'acme-orders-orders-ingestion.after.orders-migration',
      'acme-orders-orders-ingestion.notify-failure',
      'acme-orders-orders-ingestion.notify-success',
    ]);
  });

  it('produces valid, uniquely named rules for a whole platform', () => {
    const sets = platformRules(ir);
    const rules = sets.flatMap((s) => s.rules);
    expect(rules).toHaveLength(10);
    expect(new Set(rules.map((r) => r.Name)).size).toBe(rules.length);
    for (const r of rules) {
      expect(r.Name).toMatch(/^[.\-_A-Za-z0-9]{1,64}$/);
      for (const t of r.Targets) expect(t.Id).toMatch(/^[.\-_A-Za-z0-9]{1,64}$/);
      expect(r.Targets.length).toBeGreaterThan(0);
      if (r.EventPattern) expect(validateEventPattern(r.EventPattern), r.Name).toEqual([]);
      else expect(r.ScheduleExpression).toBeDefined();
    }
    expect(checkRuleQuotas(ir.platform, sets).diagnostics).toEqual([]);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(platformRules(ir))).toBe(JSON.stringify(platformRules(ir)));
  });
});

describe('ruleName', () => {
  it('keeps short valid names as they are', () => {
    expect(ruleName('acme-orders-x', 'schedule')).toBe('acme-orders-x.schedule');
  });

  it('shortens long names to 64 characters with a stable hash', () => {
    const long = ruleName('acme-' + 'very-long-use-case-name-'.repeat(3), 'dag', 'notify-failure');
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^acme-very-long-use-case-name-.*-[0-9a-f]{8}$/);
    expect(ruleName('acme-' + 'very-long-use-case-name-'.repeat(3), 'dag', 'notify-failure')).toBe(long);
    expect(ruleName('acme-' + 'very-long-use-case-name-'.repeat(3), 'dag', 'notify-success')).not.toBe(long);
  });

  it('replaces characters EventBridge refuses, without merging distinct names', () => {
    const a = ruleName('acme', 'a b');
    const b = ruleName('acme', 'a/b');
    expect(a).toMatch(/^[.\-_A-Za-z0-9]+$/);
    expect(a).not.toBe(b);
  });
});
