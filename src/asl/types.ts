/**
 * Amazon States Language, the subset lakestep emits (JSONPath query language).
 * @see https://states-language.net/spec.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html
 */

export interface StateMachineDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, State>;
  TimeoutSeconds?: number;
  QueryLanguage?: 'JSONPath';
}

interface Base {
  Comment?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
}

interface Flow {
  Next?: string;
  End?: true;
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

export interface TaskState extends Base, Flow {
  Type: 'Task';
  Resource: string;
  Parameters?: Record<string, unknown>;
  ResultSelector?: Record<string, unknown>;
  ResultPath?: string | null;
  TimeoutSeconds?: number;
  HeartbeatSeconds?: number;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface PassState extends Base, Flow {
  Type: 'Pass';
  Parameters?: Record<string, unknown>;
  Result?: unknown;
  ResultPath?: string | null;
}

export interface ChoiceRule {
  Variable?: string;
  Next?: string;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
  Not?: ChoiceRule;
  [operator: string]: unknown;
}

export interface ChoiceState extends Base {
  Type: 'Choice';
  Choices: ChoiceRule[];
  Default?: string;
}

export interface WaitState extends Base, Flow {
  Type: 'Wait';
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
}

export interface MapState extends Base, Flow {
  Type: 'Map';
  ItemsPath?: string;
  ItemSelector?: Record<string, unknown>;
  ItemProcessor: { ProcessorConfig?: { Mode: 'INLINE' } | { Mode: 'DISTRIBUTED'; ExecutionType: 'STANDARD' | 'EXPRESS' }; StartAt: string; States: Record<string, State> };
  MaxConcurrency?: number;
  ResultSelector?: Record<string, unknown>;
  ResultPath?: string | null;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface ParallelState extends Base, Flow {
  Type: 'Parallel';
  Branches: { StartAt: string; States: Record<string, State> }[];
  ResultSelector?: Record<string, unknown>;
  ResultPath?: string | null;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface SucceedState extends Base {
  Type: 'Succeed';
}

export interface FailState {
  Type: 'Fail';
  Comment?: string;
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
}

export type State = TaskState | PassState | ChoiceState | WaitState | MapState | ParallelState | SucceedState | FailState;
export type StateType = State['Type'];
