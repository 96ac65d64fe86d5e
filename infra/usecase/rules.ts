/**
 * EventBridge rules of a workflow, mapped one to one from the manifest's
 * `rules[]` (CloudFormation property names, DESIGN §6) with placeholders filled.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-rule.html
 */
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import type { RuleDefinition, RuleTarget } from '../../src/build/types.ts';
import type { Substitutions } from './placeholders.ts';

/** EventBridge allows five targets per rule. */
export const MAX_RULE_TARGETS = 5;

/**
 * The rule's targets, plus, when the dag has a topic of its own, a copy of each
 * platform-topic target (same message) aimed at that topic.
 */
export function ruleTargets(rule: RuleDefinition, dagTopic?: { placeholder: string; arn: string }): RuleTarget[] {
  const extra = dagTopic
    ? rule.Targets.filter((t) => t.Arn === dagTopic.placeholder).map((t) => ({ ...t, Id: `${t.Id}-dag`.slice(0, 64), Arn: dagTopic.arn }))
    : [];
  const targets = [...rule.Targets, ...extra];
  if (targets.length > MAX_RULE_TARGETS) throw new Error(`rule ${rule.Name}: ${targets.length} targets, EventBridge allows ${MAX_RULE_TARGETS}`);
  return targets;
}

export function createRule(
  scope: Construct,
  id: string,
  rule: RuleDefinition,
  subs: Substitutions,
  dagTopic?: { placeholder: string; arn: string },
): events.CfnRule {
  const where = `rule ${rule.Name}`;
  return new events.CfnRule(scope, id, {
    name: rule.Name,
    description: rule.Description,
    scheduleExpression: rule.ScheduleExpression,
    eventPattern: rule.EventPattern === undefined ? undefined : subs.resolveDeep(rule.EventPattern, where),
    state: rule.State,
    targets: ruleTargets(rule, dagTopic).map((t) => ({
      id: t.Id,
      arn: subs.resolve(t.Arn, where),
      roleArn: t.RoleArn === undefined ? undefined : subs.resolve(t.RoleArn, where),
      input: t.Input === undefined ? undefined : subs.resolve(t.Input, where),
      inputTransformer:
        t.InputTransformer === undefined
          ? undefined
          : {
              inputPathsMap: subs.resolveDeep(t.InputTransformer.InputPathsMap, where),
              inputTemplate: subs.resolve(t.InputTransformer.InputTemplate, where),
            },
    })),
  });
}
