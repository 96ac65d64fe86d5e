/**
 * An EventBridge rule of the manifest (CloudFormation property names, DESIGN §6) with
 * placeholders filled: the platform's status rule (src/events/status-rule.ts).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-rule.html
 */
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import type { RuleDefinition } from '../../src/build/types.ts';
import type { Substitutions } from '../usecase/placeholders.ts';

/** EventBridge allows five targets per rule. */
export const MAX_RULE_TARGETS = 5;

export function createRule(scope: Construct, id: string, rule: RuleDefinition, subs: Substitutions): events.CfnRule {
  const where = `rule ${rule.Name}`;
  if (rule.Targets.length > MAX_RULE_TARGETS) throw new Error(`rule ${rule.Name}: ${rule.Targets.length} targets, EventBridge allows ${MAX_RULE_TARGETS}`);
  return new events.CfnRule(scope, id, {
    name: rule.Name,
    description: rule.Description,
    scheduleExpression: rule.ScheduleExpression,
    eventPattern: rule.EventPattern === undefined ? undefined : subs.resolveDeep(rule.EventPattern, where),
    state: rule.State,
    targets: rule.Targets.map((t) => ({
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
