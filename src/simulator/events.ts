/**
 * Events the simulated EventBridge bus carries: Step Functions execution status
 * changes and scheduled events, shaped like the real ones.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
 */
import type { ExecutionStatus } from './types.ts';

export interface StatusChange {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate: number | null;
  input: unknown;
  output: unknown;
  error: string | null;
  cause: string | null;
}

/** ISO time without milliseconds, as EventBridge writes `time`. */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function eventId(n: number): string {
  return `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`;
}

/** Events leave out an input or output above 248 KiB (`*Details.included: false`). */
export const EVENT_PAYLOAD_MAX_BYTES = 248 * 1024;

export function statusChangeEvent(s: StatusChange, at: { id: string; region: string; account: string }): Record<string, unknown> {
  const hasOutput = s.status === 'SUCCEEDED';
  const output = hasOutput ? JSON.stringify(s.output) : null;
  const outputIncluded = output === null || Buffer.byteLength(output) <= EVENT_PAYLOAD_MAX_BYTES;
  return {
    version: '0',
    id: at.id,
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: at.account,
    time: eventTime(s.stopDate ?? s.startDate),
    region: at.region,
    resources: [s.executionArn],
    detail: {
      executionArn: s.executionArn,
      stateMachineArn: s.stateMachineArn,
      name: s.name,
      status: s.status,
      startDate: s.startDate,
      stopDate: s.stopDate,
      input: JSON.stringify(s.input),
      output: outputIncluded ? output : null,
      inputDetails: { included: true },
      outputDetails: hasOutput ? { included: outputIncluded } : null,
      error: s.error,
      cause: s.cause,
    },
  };
}

export function scheduledEvent(ruleArn: string, time: number, at: { id: string; region: string; account: string }): Record<string, unknown> {
  return {
    version: '0',
    id: at.id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: at.account,
    time: eventTime(time),
    region: at.region,
    resources: [ruleArn],
    detail: {},
  };
}
