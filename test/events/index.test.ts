import { describe, expect, it } from 'vitest';
import { checkRuleQuotas, machineTags, notifyTag, ruleName, statusRule, workflowRoutes, PLATFORM_TAG, DAG_TOPIC_TAG, type RouteValue } from '../../src/events/index.ts';
import { matchEventPattern, validateEventPattern } from '../../src/events/pattern.ts';
import { deployedPattern, platform, statusEvent, workflow } from './helpers.ts';

describe('statusRule: the one rule of a platform', () => {
  const rule = statusRule(platform());
  const pattern = deployedPattern(rule.EventPattern);

  it('is a valid pattern that targets the dispatcher', () => {
    expect(validateEventPattern(rule.EventPattern)).toEqual([]);
    expect(rule.Targets).toEqual([{ Id: 'dispatcher', Arn: 'arn:${Partition}:states:${Region}:${Account}:stateMachine:acme-lakestep-dispatcher', RoleArn: '${EventsRoleArn}' }]);
    expect(checkRuleQuotas(platform(), [rule]).diagnostics).toEqual([]);
  });

  it('matches every end of any workflow of the platform, whatever the number of workflows', () => {
    for (const status of ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']) {
      expect(matchEventPattern(pattern, statusEvent('acme-orders-orders-ingestion', status)), status).toBe(true);
      expect(matchEventPattern(pattern, statusEvent('acme-customers-any-dag', status)), status).toBe(true);
    }
    expect(matchEventPattern(pattern, statusEvent('acme-orders-orders-ingestion', 'RUNNING'))).toBe(false);
  });

  it("leaves out the platform's own machines (the dispatcher never feeds itself) and other platforms", () => {
    expect(matchEventPattern(pattern, statusEvent('acme-lakestep-dispatcher', 'FAILED'))).toBe(false);
    expect(matchEventPattern(pattern, statusEvent('acme-lakestep-backfill', 'SUCCEEDED'))).toBe(false);
    expect(matchEventPattern(pattern, statusEvent('other-orders-x', 'SUCCEEDED'))).toBe(false);
    expect(matchEventPattern(pattern, statusEvent('acmex-orders-x', 'SUCCEEDED'))).toBe(false);
  });
});

describe('workflowRoutes', () => {
  it('has one SSM parameter per distinct upstream, each holding the join of the downstream', () => {
    const wf = workflow('orders-upserts', { dependsOn: ['orders-ingestion', 'customers/customers-ingestion', 'orders-ingestion'] });
    const routes = workflowRoutes(platform(), wf);
    expect(routes.map((r) => r.Name)).toEqual([
      '/lakestep/acme/after/acme-orders-orders-ingestion/acme-orders-orders-upserts',
      '/lakestep/acme/after/acme-customers-customers-ingestion/acme-orders-orders-upserts',
    ]);
    for (const r of routes) expect(JSON.parse(r.Value) as RouteValue).toEqual({ key: 'orders/orders-upserts', downstream: 'acme-orders-orders-upserts', upstreams: 2 });
  });

  it('has none without upstreams, and none for a disabled dag', () => {
    expect(workflowRoutes(platform(), workflow('x'))).toEqual([]);
    expect(workflowRoutes(platform(), workflow('x', { dependsOn: ['y'], enabled: false }))).toEqual([]);
  });
});

describe('machineTags', () => {
  it('tags the platform and each status the dag notifies, and its own topic when it has e-mails', () => {
    const wf = workflow('x', { notification: { onFailure: true, onSuccess: true, emails: ['a@example.com'] } });
    expect(machineTags(platform(), wf)).toEqual({
      [PLATFORM_TAG]: 'acme',
      [notifyTag('FAILED')]: 'yes',
      [notifyTag('TIMED_OUT')]: 'yes',
      [notifyTag('ABORTED')]: 'yes',
      [notifyTag('SUCCEEDED')]: 'yes',
      [DAG_TOPIC_TAG]: 'yes',
    });
    expect(machineTags(platform(), workflow('x'))).toEqual({ [PLATFORM_TAG]: 'acme' });
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
