/**
 * Step Functions behind `arn:aws:states:::states:startExecution[.sync[:2]]` (and the SDK
 * integration's `describeExecution`, `listExecutions`, `listTagsForResource`): starts a
 * state machine of the simulation. A name already used for the same machine is refused
 * with `StepFunctions.ExecutionAlreadyExistsException` (unless the execution with that
 * name is still running with the same input, which StartExecution treats as idempotent).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
import { taskError } from '../errors.ts';
import { record, str, type TaskCall, type TaskHandler } from './types.ts';

export interface StartRequest {
  stateMachineArn: string;
  name?: string;
  input: unknown;
  /** The execution that called StartExecution. */
  parentArn: string;
  now: number;
}

export interface ExecutionView {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  input: unknown;
  output: unknown;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  /** From when ListExecutions lists it (eventually consistent); default its start. */
  listedDate?: number;
}

/** What the simulator offers the integration. */
export interface ExecutionStarter {
  /** Queues an execution; throws the service's errors. */
  startExecution(request: StartRequest): ExecutionView;
  /** Runs an execution to its end (for `.sync`). */
  runExecution(executionArn: string): Promise<ExecutionView>;
  /** The execution with this ARN, if any (DescribeExecution). */
  describeExecution(executionArn: string): ExecutionView | undefined;
  /** The executions of a state machine of the simulation, newest first (ListExecutions); undefined for another ARN. */
  listExecutions(stateMachineArn: string): ExecutionView[] | undefined;
  /** Tags of a state machine of the simulation, undefined for another ARN (ListTagsForResource). */
  tagsOf(resourceArn: string): Record<string, string> | undefined;
}

/**
 * An execution as it stands at simulated time `now`. The simulator may have run an execution to its end (a timeout
 * reached in one long call) before another acts at an earlier simulated time: to that one it is still running.
 */
function asOf(e: ExecutionView, now: number): ExecutionView {
  if (e.stopDate === undefined || e.stopDate <= now) return e;
  const { stopDate: _stop, output: _output, error: _error, cause: _cause, ...running } = e;
  return { ...running, status: 'RUNNING', output: undefined };
}

function request(call: TaskCall): StartRequest {
  const p = record(call.input);
  const raw = p.Input;
  const input = typeof raw === 'string' ? JSON.parse(raw) : (raw ?? {});
  const name = str(p.Name);
  return { stateMachineArn: str(p.StateMachineArn) ?? '', input, parentArn: call.executionArn, now: call.now, ...(name ? { name } : {}) };
}

export function stepFunctionsHandlers(starter: ExecutionStarter): Record<string, TaskHandler> {
  const sync = async (call: TaskCall, parseOutput: boolean): Promise<unknown> => {
    const started = starter.startExecution(request(call));
    const done = await starter.runExecution(started.executionArn);
    const output = {
      ExecutionArn: done.executionArn,
      StateMachineArn: done.stateMachineArn,
      Name: done.name,
      Status: done.status,
      StartDate: done.startDate,
      StopDate: done.stopDate,
      Input: parseOutput ? done.input : JSON.stringify(done.input),
      Output: parseOutput ? done.output : JSON.stringify(done.output),
      ...(done.error ? { Error: done.error, Cause: done.cause } : {}),
    };
    if (done.status !== 'SUCCEEDED') throw taskError('States.TaskFailed', JSON.stringify(output));
    return output;
  };
  return {
    'arn:aws:states:::states:startExecution': (call) => {
      const started = starter.startExecution(request(call));
      return { ExecutionArn: started.executionArn, StartDate: started.startDate };
    },
    'arn:aws:states:::aws-sdk:sfn:describeExecution': (call) => {
      const arn = str(record(call.input).ExecutionArn) ?? '';
      const found = starter.describeExecution(arn);
      const e = found && asOf(found, call.now);
      if (!e) throw taskError('Sfn.ExecutionDoesNotExistException', `Execution Does Not Exist: '${arn}'`);
      return {
        ExecutionArn: e.executionArn,
        StateMachineArn: e.stateMachineArn,
        Name: e.name,
        Status: e.status,
        StartDate: e.startDate,
        ...(e.stopDate ? { StopDate: e.stopDate } : {}),
        Input: JSON.stringify(e.input),
        ...(e.status === 'SUCCEEDED' ? { Output: JSON.stringify(e.output) } : {}),
      };
    },
    'arn:aws:states:::aws-sdk:sfn:listExecutions': (call) => {
      const p = record(call.input);
      const arn = str(p.StateMachineArn) ?? '';
      const all = starter.listExecutions(arn);
      if (!all) throw taskError('Sfn.StateMachineDoesNotExistException', `State Machine Does Not Exist: '${arn}'`);
      const status = str(p.StatusFilter);
      const max = typeof p.MaxResults === 'number' && p.MaxResults > 0 ? p.MaxResults : 100;
      const listed = all.map((e) => asOf(e, call.now)).filter((e) => (e.listedDate ?? e.startDate) <= call.now && (status === undefined || e.status === status));
      return {
        Executions: listed.slice(0, max).map((e) => ({ ExecutionArn: e.executionArn, StateMachineArn: e.stateMachineArn, Name: e.name, Status: e.status, StartDate: e.startDate, ...(e.stopDate ? { StopDate: e.stopDate } : {}) })),
        ...(listed.length > max ? { NextToken: String(max) } : {}),
      };
    },
    'arn:aws:states:::aws-sdk:sfn:listTagsForResource': (call) => {
      const arn = str(record(call.input).ResourceArn) ?? '';
      const tags = starter.tagsOf(arn);
      if (!tags) throw taskError('Sfn.ResourceNotFoundException', `Resource not found: '${arn}'`);
      return { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
    },
    'arn:aws:states:::states:startExecution.sync': (call) => sync(call, false),
    'arn:aws:states:::states:startExecution.sync:2': (call) => sync(call, true),
  };
}
