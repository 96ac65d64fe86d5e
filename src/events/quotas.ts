/**
 * EventBridge quotas checked over the platform's rules: 300 rules per event bus
 * (default quota; every lakestep rule is on the default bus), 5 targets per rule,
 * event patterns of at most 2,048 characters. Also a summary to print. The rules are
 * the platform's, not the workflows' (src/events/status-rule.ts), so a problem is the
 * platform's.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
 */
import type { RuleDefinition } from '../build/types.ts';
import type { Diagnostic, Origin } from '../diagnostics.ts';
import type { Platform } from '../ir/types.ts';
import { RULE_NAME_MAX, TARGET_ID_MAX } from './common.ts';
import { EVENT_PATTERN_MAX_LENGTH, eventPatternLength, validateEventPattern } from './pattern-validate.ts';

export const RULES_PER_BUS = 300;
export const TARGETS_PER_RULE = 5;
/** Share of the rule quota from which a warning is reported. */
export const RULES_WARNING_SHARE = 0.8;

export interface RuleSummary {
  rules: number;
  rulesPerBus: number;
  /** EventBridge Scheduler schedules (not rules: they count toward no bus quota). */
  schedules: number;
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
  const summary: RuleSummary = { rules: 0, rulesPerBus: RULES_PER_BUS, schedules: 0, patterns: 0, targets: 0 };
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

/** One line for the CLI: `42 of 300 rules (42 patterns, 42 targets), 12 Scheduler schedules; longest pattern 312 of 2048 characters (name)`. */
export function formatRuleSummary(s: RuleSummary): string {
  const head = `${s.rules} of ${s.rulesPerBus} rules (${s.patterns} patterns, ${s.targets} targets), ${s.schedules} Scheduler schedules`;
  if (!s.longestPattern) return head;
  return `${head}; longest pattern ${s.longestPattern.length} of ${EVENT_PATTERN_MAX_LENGTH} characters (${s.longestPattern.rule})`;
}

function diagnostic(severity: Diagnostic['severity'], code: string, message: string, at: Origin): Diagnostic {
  return { code, severity, message, ...at };
}
