import { describe, expect, it } from 'vitest';
import { dependencyRules } from '../../src/events/dependency.ts';
import { matchEventPattern, validateEventPattern } from '../../src/events/pattern.ts';
import { deployedPattern, platform, statusEvent, substitute, workflow } from './helpers.ts';

describe('dependencyRules with one upstream', () => {
  const wf = workflow('orders-ingestion', { dependsOn: ['orders-migration'] });
  const [rule, ...rest] = dependencyRules(platform(), wf);

  it('targets the join machine (a duplicate event then starts nothing), with the whole event', () => {
    expect(rest).toEqual([]);
    expect(rule).toEqual({
      Name: 'acme-orders-orders-ingestion.after.orders-migration',
      Description: 'Start acme-orders-orders-ingestion through acme-orders-orders-ingestion-join once per logical date when acme-orders-orders-migration succeeds',
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          status: ['SUCCEEDED'],
          stateMachineArn: ['arn:${Partition}:states:${Region}:${Account}:stateMachine:acme-orders-orders-migration'],
        },
      },
      State: 'ENABLED',
      Targets: [
        {
          Id: 'join-state-machine',
          Arn: 'arn:${Partition}:states:${Region}:${Account}:stateMachine:acme-orders-orders-ingestion-join',
          RoleArn: '${EventsRoleArn}',
        },
      ],
    });
    expect(validateEventPattern(rule!.EventPattern)).toEqual([]);
  });

  it('matches only the upstream succeeding', () => {
    const pattern = deployedPattern(rule!.EventPattern);
    expect(matchEventPattern(pattern, statusEvent('acme-orders-orders-migration', 'SUCCEEDED'))).toBe(true);
    for (const status of ['RUNNING', 'FAILED', 'TIMED_OUT', 'ABORTED']) {
      expect(matchEventPattern(pattern, statusEvent('acme-orders-orders-migration', status)), status).toBe(false);
    }
    expect(matchEventPattern(pattern, statusEvent('acme-orders-orders-ingestion', 'SUCCEEDED'))).toBe(false);
    expect(matchEventPattern(pattern, statusEvent('acme-orders-orders-migration-join', 'SUCCEEDED'))).toBe(false);
  });

  it('names an upstream of another use case the same way', () => {
    const [cross] = dependencyRules(platform(), workflow('orders-upserts', { dependsOn: ['customers/customers-ingestion'] }));
    expect(cross!.Name).toBe('acme-orders-orders-upserts.after.customers-customers-ingestion');
    expect(cross!.Description).toBe('Start acme-orders-orders-upserts through acme-orders-orders-upserts-join once per logical date when acme-customers-customers-ingestion succeeds');
    const pattern = deployedPattern(cross!.EventPattern);
    expect(matchEventPattern(pattern, statusEvent('acme-customers-customers-ingestion', 'SUCCEEDED'))).toBe(true);
    expect(matchEventPattern(pattern, statusEvent('acme-orders-customers-ingestion', 'SUCCEEDED'))).toBe(false);
  });

  it('follows the workflow state and has no rule without upstreams', () => {
    expect(dependencyRules(platform(), workflow('x', { dependsOn: ['y'], enabled: false }))[0]?.State).toBe('DISABLED');
    expect(dependencyRules(platform(), workflow('x'))).toEqual([]);
  });

  it('ignores a repeated upstream', () => {
    expect(dependencyRules(platform(), workflow('x', { dependsOn: ['y', 'y'] }))).toEqual(dependencyRules(platform(), workflow('x', { dependsOn: ['y'] })));
  });
});

describe('dependencyRules with two or more upstreams', () => {
  const wf = workflow('orders-upserts', { dependsOn: ['orders-ingestion', 'customers/customers-ingestion'] });
  const rules = dependencyRules(platform(), wf);

  it('sends every upstream success to the join machine in one rule', () => {
    expect(rules).toHaveLength(1);
    const [rule] = rules;
    expect(rule!.Name).toBe('acme-orders-orders-upserts.upstreams');
    expect(rule!.Targets).toEqual([
      {
        Id: 'join-state-machine',
        Arn: 'arn:${Partition}:states:${Region}:${Account}:stateMachine:acme-orders-orders-upserts-join',
        RoleArn: '${EventsRoleArn}',
      },
    ]);
    expect(rule!.Description).toContain('acme-orders-orders-upserts-join');
    expect(validateEventPattern(rule!.EventPattern)).toEqual([]);
  });

  it('matches each upstream succeeding, nothing else', () => {
    const pattern = deployedPattern(rules[0]!.EventPattern);
    expect(matchEventPattern(pattern, statusEvent('acme-orders-orders-ingestion', 'SUCCEEDED'))).toBe(true);
    expect(matchEventPattern(pattern, statusEvent('acme-customers-customers-ingestion', 'SUCCEEDED'))).toBe(true);
    expect(matchEventPattern(pattern, statusEvent('acme-customers-customers-ingestion', 'FAILED'))).toBe(false);
    expect(matchEventPattern(pattern, statusEvent('acme-orders-orders-upserts', 'SUCCEEDED'))).toBe(false);
    expect(matchEventPattern(pattern, statusEvent('acme-orders-orders-upserts-join', 'SUCCEEDED'))).toBe(false);
  });

  it('keeps the ARNs as placeholders until deployment', () => {
    const text = JSON.stringify(rules[0]!.EventPattern);
    expect(text).toContain('${Partition}');
    expect(substitute(text)).not.toContain('${');
  });
});
