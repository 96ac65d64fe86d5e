/**
 * `max_duration` of a dag: notify when a run takes longer, without stopping it.
 *
 * The run's first state starts the dag's watch machine (`<machine>-slow`), named after
 * the run, and goes on without waiting for it. The watch machine waits `max_duration`
 * (a Wait state: no polling function, billed as two transitions), describes the run and,
 * if it is still RUNNING, publishes once to the platform topic; a run that finished in
 * time ends the watch silently. A CloudWatch alarm on the `ExecutionTime` metric would
 * only see executions that have completed (too late), and a one-time EventBridge Scheduler
 * schedule would need the start time plus a duration as a date, which ASL's intrinsic
 * functions cannot compute. A watch that cannot start never fails the run.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */
import type { Workflow } from '../ir/types.ts';
import { stateMachineArnPlaceholder, WATCH_SUFFIX } from '../naming.ts';
import { durationText } from '../spec/duration.ts';
import { workflowKey } from './frame.ts';
import { retryFor } from './policy.ts';
import { template } from './templates.ts';
import type { State, StateMachineDefinition } from './types.ts';

export interface WatchMachine {
  stateMachineName: string;
  definition: StateMachineDefinition;
  /** `max_duration` in seconds. */
  afterSeconds: number;
}

/** Name of the state that starts the watch, right after the run summary is set up. */
export const WATCH_STATE = 'Watch run duration';

/** Time the watch machine has beyond its wait for describing and publishing. */
const WATCH_SLACK_SECONDS = 900;

/** The watch machine of `w`, or undefined without `max_duration`. */
export function watchFor(w: Workflow): WatchMachine | undefined {
  if (w.maxDurationSeconds === undefined) return undefined;
  const limit = durationText(w.maxDurationSeconds);
  const subject = `lakestep ${workflowKey(w)}: run longer than ${limit}`;
  return {
    stateMachineName: `${w.stateMachineName}${WATCH_SUFFIX}`,
    afterSeconds: w.maxDurationSeconds,
    definition: template<StateMachineDefinition>('watch', {
      comment: `Watch of ${workflowKey(w)}: notifies once when a run is still going after max_duration ${limit}`,
      timeoutSeconds: w.maxDurationSeconds + WATCH_SLACK_SECONDS,
      seconds: w.maxDurationSeconds,
      // SNS subjects are at most 100 ASCII characters.
      subject: subject.length <= 100 ? subject : `${subject.slice(0, 99)}…`.replace(/[^\x20-\x7e]/g, ''),
      message: `States.Format('lakestep ${workflowKey(w)}: execution {} is still running after max_duration ${limit}. It was not stopped; lakestep status ${workflowKey(w)} shows it.', $.execution)`,
      sfnRetry: retryFor('sfnApi'),
      snsRetry: retryFor('sns'),
    }),
  };
}

/** The state that starts the watch of `w` (named after the run) and continues to `next`. */
export function watchStart(w: Workflow, next: string): Record<string, State> {
  return {
    [WATCH_STATE]: {
      Type: 'Task',
      Comment: `Starts ${w.stateMachineName}${WATCH_SUFFIX}, which notifies if this run is still going after max_duration; the run does not wait for it.`,
      Resource: 'arn:aws:states:::states:startExecution',
      Parameters: {
        StateMachineArn: stateMachineArnPlaceholder(`${w.stateMachineName}${WATCH_SUFFIX}`),
        'Name.$': '$$.Execution.Name',
        Input: { 'execution_arn.$': '$$.Execution.Id', 'execution.$': '$$.Execution.Name', 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' },
      },
      ResultPath: null,
      Retry: retryFor('states'),
      // A watch that cannot start (or was started by an earlier attempt of this state) must not stop the run.
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: next }],
      Next: next,
    },
  };
}
