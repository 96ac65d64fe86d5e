/**
 * EventBridge quotas checked over the platform's rules: 300 rules per event bus
 * (default quota; every lakestep rule is on the default bus), 5 targets per rule,
 * event patterns of at most 2,048 characters. Also a summary to print. The rules are
 * the platform's, not the workflows' (src/events/status-rule.ts), so a problem is the
 * platform's. The dispatcher's routes are Parameter Store parameters, one per upstream of
 * each dag (src/events/routes.ts), of the standard tier: 10,000 per account and region.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
 */
import type { RuleDefinition } from '../build/types.ts';
import { withThousands } from '../build/limits.ts';
import type { Diagnostic, Origin, Report } from '../diagnostics.ts';
import { type UseCaseFacts, workflowOrigin } from '../ir/facts.ts';
import type { Platform } from '../ir/types.ts';
import { RULE_NAME_MAX, TARGET_ID_MAX } from './common.ts';
import { EVENT_PATTERN_MAX_LENGTH, eventPatternLength, validateEventPattern } from './pattern-validate.ts';

export const RULES_PER_BUS = 300;
export const TARGETS_PER_RULE = 5;
/** Share of the rule quota from which a warning is reported. */
export const RULES_WARNING_SHARE = 0.8;
/** Standard-tier Parameter Store parameters an account holds per region (the tier lakestep's routes are created in). */
export const SSM_STANDARD_PARAMETERS = 10_000;

export interface RuleSummary {
  rules: number;
  rulesPerBus: number;
  /** EventBridge Scheduler schedules (not rules: they count toward no bus quota). */
  schedules: number;
  /** The dispatcher's routes: a Parameter Store parameter each. */
  routes: number;
  patterns: number;
  targets: number;
  /** The longest event pattern, if any rule has one. */
  longestPattern?: { rule: string; length: number };
}

export interface QuotaReport {
  diagnostics: Diagnostic[];
  summary: RuleSummary;
}

/** Diagnostics for every quota the rules break or approach, and the summary. */
export function checkRuleQuotas(platform: Platform, rules: readonly RuleDefinition[]): QuotaReport {
  const diagnostics: Diagnostic[] = [];
  const summary: RuleSummary = { rules: 0, rulesPerBus: RULES_PER_BUS, schedules: 0, routes: 0, patterns: 0, targets: 0 };
  const seen = new Set<string>();
  const report = (code: string, message: string): void => void diagnostics.push(diagnostic('error', code, message, platform.origin));
  for (const rule of rules) {
    summary.rules++;
    summary.targets += rule.Targets.length;
    if (seen.has(rule.Name)) report('EVENTS_RULE_NAME_DUPLICATE', `rule name ${rule.Name} is used twice`);
    seen.add(rule.Name);
    if (rule.Name.length > RULE_NAME_MAX) report('EVENTS_RULE_NAME_TOO_LONG', `rule name ${rule.Name} is over ${RULE_NAME_MAX} characters`);
    if (rule.Targets.length > TARGETS_PER_RULE) {
      report('EVENTS_TOO_MANY_TARGETS', `rule ${rule.Name} has ${rule.Targets.length} targets; EventBridge allows ${TARGETS_PER_RULE}`);
    }
    for (const t of rule.Targets) {
      if (t.Id.length > TARGET_ID_MAX) report('EVENTS_TARGET_ID_TOO_LONG', `target id ${t.Id} of rule ${rule.Name} is over ${TARGET_ID_MAX} characters`);
    }
    if (rule.EventPattern === undefined) continue;
    summary.patterns++;
    const length = eventPatternLength(rule.EventPattern);
    if (!summary.longestPattern || length > summary.longestPattern.length) summary.longestPattern = { rule: rule.Name, length };
    if (length > EVENT_PATTERN_MAX_LENGTH) {
      report(
        'EVENTS_PATTERN_TOO_LONG',
        `event pattern of rule ${rule.Name} is ${length} characters; EventBridge allows ${EVENT_PATTERN_MAX_LENGTH}`,
      );
    }
    const problems = validateEventPattern(rule.EventPattern).filter((p) => !p.startsWith('pattern is '));
    for (const p of problems) report('EVENTS_PATTERN_INVALID', `event pattern of rule ${rule.Name}: ${p}`);
  }
  const count = `${summary.rules} EventBridge rules on the default event bus`;
  if (summary.rules > RULES_PER_BUS) {
    // An adjustable quota, not a hard limit: warn, and say how to raise it.
    diagnostics.push(
      diagnostic('warning', 'EVENTS_RULE_QUOTA', `${count}; the default quota is ${RULES_PER_BUS} per bus: request an increase of "Maximum number of rules per event bus" in Service Quotas before deploying`, platform.origin),
    );
  } else if (summary.rules >= RULES_PER_BUS * RULES_WARNING_SHARE) {
    diagnostics.push(
      diagnostic('warning', 'EVENTS_RULE_QUOTA', `${count}, ${Math.round((summary.rules / RULES_PER_BUS) * 100)}% of the default quota of ${RULES_PER_BUS} per bus`, platform.origin),
    );
  }
  return { diagnostics, summary };
}

/**
 * The routes of the workflows, in manifest order, against the standard-tier parameters of an account: a warning at
 * the workflow whose routes pass them. Other applications' parameters count too, which the compile cannot know.
 * Returns how many routes there are.
 */
export function checkRouteQuota(useCases: readonly { name: string; workflows: readonly { name: string; routes: number }[] }[], facts: readonly UseCaseFacts[], report: Report): number {
  let routes = 0;
  for (const u of useCases) {
    for (const w of u.workflows) {
      const before = routes;
      routes += w.routes;
      if (before > SSM_STANDARD_PARAMETERS || routes <= SSM_STANDARD_PARAMETERS) continue;
      const origin = workflowOrigin(facts, u.name, w.name);
      if (!origin) continue;
      report.warning(
        'SSM_PARAMETER_QUOTA',
        `with '${w.name}' the dispatcher's routes pass ${withThousands(SSM_STANDARD_PARAMETERS)} Parameter Store parameters (one per upstream of each dag), the most standard parameters an account holds in a region, ` +
          "so the deploy fails at the stack that crosses it: set the account's default parameter tier to Intelligent-Tiering, which creates advanced parameters past the standard ones (charged per parameter), or deploy the use cases to more accounts",
        origin,
        u.name,
      );
    }
  }
  return routes;
}

/** One line for the CLI: `42 of 300 rules (42 patterns, 42 targets), 12 Scheduler schedules, 40 routes (SSM parameters); longest pattern 312 of 2048 characters (name)`. */
export function formatRuleSummary(s: RuleSummary): string {
  const head = `${s.rules} of ${s.rulesPerBus} rules (${s.patterns} patterns, ${s.targets} targets), ${s.schedules} Scheduler schedules, ${s.routes} routes (SSM parameters)`;
  if (!s.longestPattern) return head;
  return `${head}; longest pattern ${s.longestPattern.length} of ${EVENT_PATTERN_MAX_LENGTH} characters (${s.longestPattern.rule})`;
}

function diagnostic(severity: Diagnostic['severity'], code: string, message: string, at: Origin): Diagnostic {
  return { code, severity, message, ...at };
}
