/**
 * An environment with `schedules_enabled: false` (a dev overlay, say) deploys
 * every schedule rule disabled; dependency and notification rules stay as they
 * are, so a run started by hand still starts its downstreams and still notifies.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
 */
import type { RuleDefinition } from '../build/types.ts';
import type { Platform } from '../ir/types.ts';

export function applySchedulesEnabled(platform: Pick<Platform, 'schedulesEnabled'>, rules: RuleDefinition[]): RuleDefinition[] {
  if (platform.schedulesEnabled !== false) return rules;
  return rules.map((r) => (r.ScheduleExpression === undefined ? r : { ...r, State: 'DISABLED' }));
}
