import { describe, expect, it } from 'vitest';
import type { RuleDefinition } from '../../src/build/types.ts';
import { generateSpecs } from '../../bench/generate.ts';
import { Report } from '../../src/diagnostics.ts';
import { checkRouteQuota, checkRuleQuotas, formatRuleSummary, SSM_STANDARD_PARAMETERS } from '../../src/events/quotas.ts';
import type { UseCaseFacts } from '../../src/ir/facts.ts';
import { compileTree } from '../compile/support.ts';
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
      '2 of 300 rules (1 patterns, 2 targets), 0 Scheduler schedules, 0 routes (SSM parameters); longest pattern 25 of 2048 characters (p)',
    );
  });
});

describe('SSM_PARAMETER_QUOTA', () => {
  const origin = (uc: string, wf: string) => ({ file: `${uc}/orchestration.yaml`, line: 3, column: 5, pointer: `/dags/${wf}` });
  const platformOf = (useCases: number, routes: (u: number, w: number) => number) => {
    const summaries = Array.from({ length: useCases }, (_, i) => ({ name: `u${i}`, workflows: Array.from({ length: 4 }, (_, j) => ({ name: `w${j}`, routes: routes(i, j) })) }));
    const facts = summaries.map((u) => ({ name: u.name, workflows: u.workflows.map((w) => ({ name: w.name, origin: origin(u.name, w.name) })) })) as unknown as UseCaseFacts[];
    return { summaries, facts };
  };

  it("warns once, at the dag whose routes pass the standard parameters of an account, and not at exactly as many", () => {
    // 2,500 use cases of 4 dags with a route each: 10,000 routes, the quota itself.
    const full = platformOf(2_500, () => 1);
    const quiet = new Report();
    expect(checkRouteQuota(full.summaries, full.facts, quiet)).toBe(SSM_STANDARD_PARAMETERS);
    expect(quiet.diagnostics).toEqual([]);
    // Two routes to every second dag, 6 per use case: 9,996 after u1665, and u1666's w3 makes 10,002.
    const over = platformOf(2_500, (_, w) => (w % 2 === 1 ? 2 : 1));
    const report = new Report();
    expect(checkRouteQuota(over.summaries, over.facts, report)).toBe(15_000);
    expect(report.diagnostics.map((d) => [d.severity, d.code, d.useCase, d.file, d.line, d.column, d.pointer])).toEqual([['warning', 'SSM_PARAMETER_QUOTA', 'u1666', 'u1666/orchestration.yaml', 3, 5, '/dags/w3']]);
    expect(report.diagnostics[0]!.message).toBe(
      "with 'w3' the dispatcher's routes pass 10,000 Parameter Store parameters (one per upstream of each dag), the most standard parameters an account holds in a region, " +
        "so the deploy fails at the stack that crosses it: set the account's default parameter tier to Intelligent-Tiering, which creates advanced parameters past the standard ones (charged per parameter), or deploy the use cases to more accounts",
    );
  });

  it("counts the build's routes in the compile summary, a Parameter Store parameter each", () => {
    const r = compileTree(generateSpecs({ useCases: 30 }).sources);
    const routes = r.manifest.useCases.reduce((n, u) => n + u.workflows.reduce((m, w) => m + (w.routes?.length ?? 0), 0), 0);
    expect(routes).toBeGreaterThan(30);
    expect(r.rulesSummary).toContain(`Scheduler schedules, ${routes} routes (SSM parameters)`);
    expect(r.diagnostics.filter((d) => d.code === 'SSM_PARAMETER_QUOTA')).toEqual([]);
  });
});
