/**
 * DataSync behind the SDK integrations `arn:aws:states:::aws-sdk:datasync:startTaskExecution`
 * and `…:describeTaskExecution`. Each describe call moves an execution one status on
 * (QUEUED → LAUNCHING → PREPARING → TRANSFERRING → VERIFYING → SUCCESS); a task runs one
 * execution at a time, as the real service enforces: a second start with the same filter is
 * refused, one with other `Includes` is queued and stays QUEUED until the earlier ones end.
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/API_StartTaskExecution.html
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/API_DescribeTaskExecution.html
 */
import { taskError } from '../errors.ts';
import { record, str, type TaskHandler } from './types.ts';

const PREFIX = 'arn:aws:states:::aws-sdk:datasync:';
const PROGRESSION = ['QUEUED', 'LAUNCHING', 'PREPARING', 'TRANSFERRING', 'VERIFYING'] as const;
type Status = (typeof PROGRESSION)[number] | 'SUCCESS' | 'ERROR';

/** How one task's executions behave (scenario `datasync`). */
export interface DataSyncBehaviour {
  /** Final status; default SUCCESS. */
  status?: 'SUCCESS' | 'ERROR';
  errorCode?: string;
  errorDetail?: string;
  /** Extra describe calls that still report TRANSFERRING. */
  extraPolls?: number;
}

interface TaskExecution {
  arn: string;
  taskArn: string;
  /** The `Includes` filter of the run (absent: the whole source). */
  includes?: string;
  /** Statuses still to report, the last one final. */
  pending: Status[];
  status: Status;
  behaviour: DataSyncBehaviour;
}

export class DataSync {
  readonly executions: TaskExecution[] = [];

  /** @param behaviour per task ARN */
  constructor(private readonly behaviour: (taskArn: string, includes?: string) => DataSyncBehaviour) {}

  readonly handlers: Record<string, TaskHandler> = {
    [`${PREFIX}startTaskExecution`]: ({ input }) => {
      const taskArn = str(record(input).TaskArn) ?? '';
      if (!/^arn:aws[a-z-]*:datasync:[a-z0-9-]+:\d{12}:task\/task-[0-9a-f]{17}$/.test(taskArn)) {
        throw taskError('DataSync.InvalidRequestException', `Invalid TaskArn: ${taskArn} (Service: DataSync, Status Code: 400)`);
      }
      const filters = (record(input).Includes as { Value?: string }[] | undefined) ?? [];
      const includes = filters.map((f) => f.Value ?? '').join('|') || undefined;
      // Runs of one task with other filters queue behind it (task queueing); the same run twice is refused.
      const running = this.executions.find((e) => e.taskArn === taskArn && !done(e) && (e.includes === undefined || includes === undefined || e.includes === includes));
      if (running) {
        throw taskError(
          'DataSync.InvalidRequestException',
          `Cannot start a task execution: task ${taskArn} already has an execution in progress (${running.arn}). (Service: DataSync, Status Code: 400)`,
        );
      }
      const behaviour = this.behaviour(taskArn, includes);
      const transfer = Array<Status>(1 + Math.max(0, behaviour.extraPolls ?? 0)).fill('TRANSFERRING');
      const final: Status = behaviour.status === 'ERROR' ? 'ERROR' : 'SUCCESS';
      const pending: Status[] = ['LAUNCHING', 'PREPARING', ...transfer, ...(final === 'ERROR' ? [] : (['VERIFYING'] as Status[])), final];
      const arn = `${taskArn}/execution/exec-${(this.executions.length + 1).toString(16).padStart(17, '0')}`;
      this.executions.push({ arn, taskArn, ...(includes === undefined ? {} : { includes }), pending, status: 'QUEUED', behaviour });
      return { TaskExecutionArn: arn };
    },
    [`${PREFIX}describeTaskExecution`]: ({ input }) => {
      const arn = str(record(input).TaskExecutionArn) ?? '';
      const execution = this.executions.find((e) => e.arn === arn);
      if (!execution) throw taskError('DataSync.InvalidRequestException', `Task execution ${arn} not found. (Service: DataSync, Status Code: 400)`);
      const status = execution.status;
      const queued = status === 'QUEUED' && this.executions.some((e) => e.taskArn === execution.taskArn && e !== execution && this.executions.indexOf(e) < this.executions.indexOf(execution) && !done(e));
      const next = queued ? undefined : execution.pending.shift();
      if (next) execution.status = next;
      const error = status === 'ERROR'
        ? { ErrorCode: execution.behaviour.errorCode ?? 'SockTimeout', ErrorDetail: execution.behaviour.errorDetail ?? 'Transfer failed (simulated)' }
        : {};
      return {
        TaskExecutionArn: arn,
        Status: status,
        Result: { PrepareStatus: 'SUCCESS', TransferStatus: status === 'ERROR' ? 'ERROR' : 'SUCCESS', VerifyStatus: 'SUCCESS', ...error },
        BytesTransferred: status === 'SUCCESS' ? 1024 : 0,
      };
    },
  };
}

function done(e: TaskExecution): boolean {
  return e.status === 'SUCCESS' || e.status === 'ERROR';
}
