import { describe, expect, it } from 'vitest';
import type { RuleDefinition } from '../../src/build/types.ts';
import { checkRuleQuotas, formatRuleSummary } from '../../src/events/quotas.ts';
import { platform } from './helpers.ts';

function rule(name: string, extra: Partial<RuleDefinition> = {}): RuleDefinition {
  return { Name: name, Description: name, ScheduleExpression: 'rate(1 day)', State: 'ENABLED', Targets: [{ Id: 't', Arn: 'a' }], ...extra };
}

function sets(count: number): RuleDefinition[] {
  return Array.from({ length: count }, (_, i) => rule(`r${i}`));
}

const codes = (r: ReturnType<typeof checkRuleQuotas>) => r.diagnostics.map((d) => `${d.severity} ${d.code}`);

describe('checkRuleQuotas', () => {
  it('is silent under 80% of the rule quota', () => {
    const report = checkRuleQuotas(platform(), sets(239));
    expect(report.diagnostics).toEqual([]);
    expect(report.summary).toMatchObject({ rules: 239, patterns: 0, rulesPerBus: 300 });
  });

  it('warns from 80% of the adjustable 300-rule quota, and above it says how to raise it, at platform.yaml', () => {
    expect(codes(checkRuleQuotas(platform(), sets(240)))).toEqual(['warning EVENTS_RULE_QUOTA']);
    expect(codes(checkRuleQuotas(platform(), sets(300)))).toEqual(['warning EVENTS_RULE_QUOTA']);
    const over = checkRuleQuotas(platform(), sets(301));
    expect(codes(over)).toEqual(['warning EVENTS_RULE_QUOTA']);
    expect(over.diagnostics[0]).toMatchObject({ file: 'platform.yaml', line: 1 });
    expect(over.diagnostics[0]!.message).toBe(
      '301 EventBridge rules on the default event bus; the default quota is 300 per bus: request an increase of "Maximum number of rules per event bus" in Service Quotas before deploying',
    );
  });

  it('fails a rule with more than 5 targets, at platform.yaml', () => {
    const targets = Array.from({ length: 6 }, (_, i) => ({ Id: `t${i}`, Arn: 'a' }));
    const report = checkRuleQuotas(platform(), [rule('r', { Targets: targets })]);
    expect(codes(report)).toEqual(['error EVENTS_TOO_MANY_TARGETS']);
    expect(report.diagnostics[0]).toMatchObject({ file: 'platform.yaml', line: 1 });
  });

  it('fails a pattern over 2,048 characters and reports the longest', () => {
    const arns = Array.from({ length: 30 }, (_, i) => `arn:aws:states:eu-west-1:123456789012:stateMachine:acme-orders-upstream-number-${i}`);
    const long = rule('long', { ScheduleExpression: undefined, EventPattern: { source: ['aws.states'], detail: { stateMachineArn: arns } } });
    const short = rule('short', { ScheduleExpression: undefined, EventPattern: { source: ['aws.states'] } });
    const report = checkRuleQuotas(platform(), [short, long]);
    expect(codes(report)).toEqual(['error EVENTS_PATTERN_TOO_LONG']);
    expect(report.summary.longestPattern?.rule).toBe('long');
    expect(report.summary.longestPattern!.length).toBeGreaterThan(2048);
  });

  it('fails invalid patterns and duplicate names', () => {
    const bad = rule('r', { ScheduleExpression: undefined, EventPattern: { detail: { status: [] } } });
    const report = checkRuleQuotas(platform(), [bad, rule('r')]);
    expect(codes(report)).toEqual(['error EVENTS_PATTERN_INVALID', 'error EVENTS_RULE_NAME_DUPLICATE']);
  });

  it('summarizes in one line', () => {
    const withPattern = rule('p', { ScheduleExpression: undefined, EventPattern: { source: ['aws.states'] } });
    const report = checkRuleQuotas(platform(), [rule('s'), withPattern]);
    expect(formatRuleSummary(report.summary)).toBe(
      '2 of 300 rules (1 patterns, 2 targets), 0 Scheduler schedules; longest pattern 25 of 2048 characters (p)',
    );
  });
});
