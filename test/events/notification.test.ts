import { describe, expect, it } from 'vitest';
import { applyInputTransformer } from '../../src/events/transform.ts';
import { notificationRules } from '../../src/events/notification.ts';
import { matchEventPattern, validateEventPattern } from '../../src/events/pattern.ts';
import { deployedPattern, platform, statusEvent, workflow } from './helpers.ts';

const both = workflow('orders-migration', { notification: { onFailure: true, onSuccess: true, emails: [] } });
const machine = 'acme-orders-orders-migration';

describe('notificationRules', () => {
  it('has no rule when nothing is asked', () => {
    expect(notificationRules(platform(), workflow('w'))).toEqual([]);
  });

  it('sends failures, timeouts and aborts of its own machine to the topic', () => {
    const [failure] = notificationRules(platform(), workflow('orders-migration', { notification: { onFailure: true, onSuccess: false, emails: [] } }));
    expect(failure!.Name).toBe('acme-orders-orders-migration.notify-failure');
    expect(failure!.Description).toBe('Notify acme-notifications when acme-orders-orders-migration fails, times out or is aborted');
    expect(failure!.Targets).toHaveLength(1);
    expect(failure!.Targets[0]).toMatchObject({ Id: 'notification-topic', Arn: '${NotificationTopicArn}' });
    expect(validateEventPattern(failure!.EventPattern)).toEqual([]);
    const pattern = deployedPattern(failure!.EventPattern);
    for (const status of ['FAILED', 'TIMED_OUT', 'ABORTED']) {
      expect(matchEventPattern(pattern, statusEvent(machine, status)), status).toBe(true);
    }
    for (const status of ['RUNNING', 'SUCCEEDED']) {
      expect(matchEventPattern(pattern, statusEvent(machine, status)), status).toBe(false);
    }
    expect(matchEventPattern(pattern, statusEvent('acme-orders-orders-ingestion', 'FAILED'))).toBe(false);
  });

  it('adds a success rule where asked', () => {
    const rules = notificationRules(platform(), both);
    expect(rules.map((r) => r.Name)).toEqual([`${machine}.notify-failure`, `${machine}.notify-success`]);
    const success = deployedPattern(rules[1]!.EventPattern);
    expect(matchEventPattern(success, statusEvent(machine, 'SUCCEEDED'))).toBe(true);
    expect(matchEventPattern(success, statusEvent(machine, 'FAILED'))).toBe(false);
    expect(matchEventPattern(success, statusEvent(machine, 'RUNNING'))).toBe(false);
  });

  it('renders a readable failure message with error, cause and console link', () => {
    const [failure] = notificationRules(platform(), both);
    const transformer = failure!.Targets[0]!.InputTransformer!;
    expect(transformer.InputPathsMap).toMatchObject({ error: '$.detail.error', cause: '$.detail.cause', executionArn: '$.detail.executionArn' });
    const event = statusEvent(machine, 'FAILED', { error: 'States.TaskFailed', cause: 'Spark job failed' });
    const message = JSON.parse(applyInputTransformer(transformer, event)) as Record<string, unknown>;
    expect(message).toEqual({
      message:
        'lakestep orders/orders-migration: execution 2026-11-26T060000Z of arn:aws:states:eu-west-1:123456789012:stateMachine:acme-orders-orders-migration ' +
        'ended FAILED at 2026-11-26T06:42:21Z. Console: https://console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/' +
        'arn:aws:states:eu-west-1:123456789012:execution:acme-orders-orders-migration:2026-11-26T060000Z',
      error: 'States.TaskFailed',
      cause: 'Spark job failed',
    });
  });

  it('keeps the message well-formed when the cause holds quotes, backslashes and newlines', () => {
    const [failure] = notificationRules(platform(), both);
    const cause = '{"errorMessage": "column \\"id\\" not found",\n "at": "C:\\job"}';
    const event = statusEvent(machine, 'FAILED', { error: 'Lakestep.Error"X', cause });
    const message = JSON.parse(applyInputTransformer(failure!.Targets[0]!.InputTransformer!, event)) as Record<string, unknown>;
    expect(message).toMatchObject({ error: 'Lakestep.Error"X', cause });
  });

  it('renders an abort (no error, no cause) as null fields', () => {
    const [failure] = notificationRules(platform(), both);
    const message = JSON.parse(applyInputTransformer(failure!.Targets[0]!.InputTransformer!, statusEvent(machine, 'ABORTED'))) as Record<string, unknown>;
    expect(message).toMatchObject({ error: null, cause: null });
  });

  it("notifies failures of the workflow's join machine, with or without its own failure rule", () => {
    const join = `${machine}-join`;
    for (const onFailure of [true, false]) {
      const rules = notificationRules(platform(), workflow('orders-migration', { dependsOn: ['y'], notification: { onFailure, onSuccess: false, emails: [] } }));
      expect(rules).toHaveLength(1);
      const pattern = deployedPattern(rules[0]!.EventPattern);
      expect(matchEventPattern(pattern, statusEvent(join, 'FAILED'))).toBe(true);
      expect(matchEventPattern(pattern, statusEvent(machine, 'FAILED'))).toBe(onFailure);
    }
  });

  it('renders a success message without error fields', () => {
    const rules = notificationRules(platform(), both);
    const transformer = rules[1]!.Targets[0]!.InputTransformer!;
    expect(Object.keys(transformer.InputPathsMap)).not.toContain('error');
    const message = JSON.parse(applyInputTransformer(transformer, statusEvent(machine, 'SUCCEEDED'))) as string;
    expect(message).toMatch(/^lakestep orders\/orders-migration: execution 2026-11-26T060000Z of arn:\S+:acme-orders-orders-migration ended SUCCEEDED at /);
  });

  it('uses only variables it defines, error and cause outside quotes', () => {
    for (const rule of notificationRules(platform(), both)) {
      const { InputPathsMap, InputTemplate } = rule.Targets[0]!.InputTransformer!;
      // With the value variables as bare JSON values, the template is JSON whose message is a string.
      const asJson = JSON.parse(InputTemplate.replace(/<(error|cause)>/g, 'null')) as unknown;
      expect(typeof asJson === 'string' || typeof (asJson as { message?: unknown }).message === 'string').toBe(true);
      const used = [...InputTemplate.matchAll(/<([^<>]+)>/g)].map((m) => m[1]);
      expect(used.every((v) => v !== undefined && v in InputPathsMap), used.join()).toBe(true);
      expect(Object.keys(InputPathsMap).every((k) => used.includes(k))).toBe(true);
    }
  });
});
