/**
 * An environment with `schedules_enabled: false` (a dev overlay, say) deploys
 * every EventBridge Scheduler schedule `State: DISABLED`; dependency and
 * notification rules stay as they are, so a run started by hand still starts
 * its downstreams and still notifies.
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-state.html
 */
import type { ScheduleDefinition } from '../build/types.ts';
import type { Platform } from '../ir/types.ts';

export function applySchedulesEnabled(platform: Pick<Platform, 'schedulesEnabled'>, schedules: ScheduleDefinition[]): ScheduleDefinition[] {
  if (platform.schedulesEnabled !== false) return schedules;
  return schedules.map((s) => ({ ...s, State: 'DISABLED' }));
}
