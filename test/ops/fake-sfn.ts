/**
 * A Step Functions account in memory for the operator tests, behind the real SDK client
 * (aws-sdk-client-mock answers its calls): names are unique per machine, a taken name is
 * refused with ExecutionAlreadyExists, DescribeExecution answers ExecutionDoesNotExist for
 * an unknown ARN. Tests set statuses to play runs that ended.
 */
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
  type ExecutionStatus,
} from '@aws-sdk/client-sfn';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';

export interface FakeExecution {
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
}

/** The fake, on `mock` when a test file already mocks the client (a class is mocked once). */
export function fakeSfn(now: Date, mock: AwsClientStub<SFNClient> = mockClient(SFNClient)) {
  const executions = new Map<string, FakeExecution>();
  const arnOf = (machine: string, name: string) => `${machine.replace(':stateMachine:', ':execution:')}:${name}`;
  const install = () => {
    mock.on(StartExecutionCommand).callsFake((input: { stateMachineArn: string; name: string; input: string }) => {
      const arn = arnOf(input.stateMachineArn, input.name);
      if (executions.has(arn)) throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${arn}'`, $metadata: {} });
      executions.set(arn, { name: input.name, input: input.input, status: 'RUNNING', startDate: now });
      return { executionArn: arn, startDate: now };
    });
    mock.on(DescribeExecutionCommand).callsFake((input: { executionArn: string }) => {
      const e = executions.get(input.executionArn);
      if (!e) throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${input.executionArn}'`, $metadata: {} });
      return { executionArn: input.executionArn, name: e.name, status: e.status, startDate: e.startDate, ...(e.stopDate ? { stopDate: e.stopDate } : {}), stateMachineArn: 'x' };
    });
  };
  install();
  return {
    mock,
    client: new SFNClient({ region: 'eu-west-1' }),
    executions,
    /** Plays an execution that exists already. */
    seed(machine: string, name: string, status: ExecutionStatus, stopDate?: Date) {
      executions.set(arnOf(machine, name), { name, input: '{}', status, startDate: new Date(now.getTime() - 3_600_000), ...(stopDate ? { stopDate } : {}) });
    },
    /** Ends every running execution with `status`. */
    finishAll(status: ExecutionStatus = 'SUCCEEDED') {
      for (const e of executions.values()) if (e.status === 'RUNNING') Object.assign(e, { status, stopDate: now });
    },
    started(): { name: string; input: Record<string, unknown> }[] {
      return mock.commandCalls(StartExecutionCommand).map((c) => ({ name: c.args[0].input.name!, input: JSON.parse(c.args[0].input.input!) as Record<string, unknown> }));
    },
    reset() {
      mock.reset();
      executions.clear();
      install();
    },
  };
}
