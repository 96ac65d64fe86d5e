/**
 * The simulated EventBridge bus: routes an event through every enabled rule's
 * `EventPattern` and hands each matching target its input.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rules.html
 */
import type { RuleDefinition, RuleTarget } from '../build/types.ts';
import { matchEventPattern } from '../events/pattern.ts';
import { targetInput } from './input-transformer.ts';

export interface Delivery {
  rule: RuleDefinition;
  ruleArn: string;
  target: RuleTarget;
  /** The text EventBridge sends to the target. */
  input: string;
}

export function ruleArn(region: string, account: string, name: string): string {
  return `arn:aws:events:${region}:${account}:rule/${name}`;
}

/** Deliveries for an event: one per target of each enabled rule whose pattern matches. */
export function route(rules: RuleDefinition[], event: Record<string, unknown>, region: string, account: string): Delivery[] {
  const out: Delivery[] = [];
  for (const rule of rules) {
    if (rule.State !== 'ENABLED' || rule.EventPattern === undefined) continue;
    if (!matchEventPattern(rule.EventPattern, event)) continue;
    out.push(...deliveries(rule, event, region, account));
  }
  return out;
}

/** What each target of `rule` receives for `event`. */
export function deliveries(rule: RuleDefinition, event: Record<string, unknown>, region: string, account: string): Delivery[] {
  const arn = ruleArn(region, account, rule.Name);
  return rule.Targets.map((target) => ({ rule, ruleArn: arn, target, input: targetInput(target, event, { ruleName: rule.Name, ruleArn: arn }) }));
}
