/**
 * The EventBridge Scheduler schedules of a dag for `pause`, `resume` and `status`: their
 * state read with `GetSchedule`, changed with `UpdateSchedule`, which replaces the whole
 * schedule — so every field `GetSchedule` returned is sent back, with only `State` changed.
 * Schedules live in the platform's group, named after its prefix.
 * @see https://docs.aws.amazon.com/scheduler/latest/APIReference/API_UpdateSchedule.html
 */
import { GetScheduleCommand, UpdateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ManifestWorkflow } from '../build/types.ts';
import { awsErrorName } from './errors.ts';
import type { TriggerState } from './triggers.ts';

/** State of each of the dag's schedules (`MISSING` when not deployed). */
export async function scheduleStates(client: SchedulerClient, group: string, w: ManifestWorkflow): Promise<TriggerState[]> {
  const out: TriggerState[] = [];
  for (const s of w.schedules ?? []) {
    try {
      const got = await client.send(new GetScheduleCommand({ Name: s.Name, GroupName: group }));
      out.push({ kind: 'schedule', name: s.Name, state: got.State ?? 'UNKNOWN', deployed: s.State });
    } catch (err) {
      if (awsErrorName(err) !== 'ResourceNotFoundException') throw err;
      out.push({ kind: 'schedule', name: s.Name, state: 'MISSING', deployed: s.State });
    }
  }
  return out;
}

/** Sets one schedule's state, keeping everything else it has. */
export async function setScheduleState(client: SchedulerClient, group: string, name: string, state: 'ENABLED' | 'DISABLED'): Promise<void> {
  const s = await client.send(new GetScheduleCommand({ Name: name, GroupName: group }));
  await client.send(
    new UpdateScheduleCommand({
      Name: name,
      GroupName: group,
      ScheduleExpression: s.ScheduleExpression,
      FlexibleTimeWindow: s.FlexibleTimeWindow,
      Target: s.Target,
      State: state,
      ...(s.Description !== undefined ? { Description: s.Description } : {}),
      ...(s.ScheduleExpressionTimezone !== undefined ? { ScheduleExpressionTimezone: s.ScheduleExpressionTimezone } : {}),
      ...(s.StartDate !== undefined ? { StartDate: s.StartDate } : {}),
      ...(s.EndDate !== undefined ? { EndDate: s.EndDate } : {}),
      ...(s.KmsKeyArn !== undefined ? { KmsKeyArn: s.KmsKeyArn } : {}),
      ...(s.ActionAfterCompletion !== undefined ? { ActionAfterCompletion: s.ActionAfterCompletion } : {}),
    }),
  );
}
