/** Operator commands: run, status, backfill, deploy, pause/resume, logs, cancel, retry, and the credentials preflight. */
export { OpsError, type OpsErrorCode } from './errors.ts';
export { parseLogicalDate, parseDay, eachDay, startInput, isoSeconds, type StartInput, type OperatorTrigger } from './dates.ts';
export {
  resolveWorkflow,
  resolveUseCase,
  checkAccount,
  locateStateMachine,
  stateMachineArn,
  executionArn,
  partitionOf,
  type ResolvedWorkflow,
  type WorkflowTarget,
  type LocateOptions,
} from './resolve.ts';
export { runWorkflow, type RunOptions, type RunResult } from './run.ts';
export { useCaseStatus, type UseCaseStatusResult, type DagOverview } from './use-case-status.ts';
export { gateState, readGate, workflowStatus, HISTORY_PAGE, type GateState, type StatusOptions, type StatusResult, type ExecutionRow } from './status.ts';
export { failureFromHistory, type FailureInfo } from './history.ts';
export {
  backfill,
  planBackfill,
  BACKFILL_MAX_DAYS,
  BACKFILL_DEFAULT_CONCURRENCY,
  BACKFILL_MAX_CONCURRENCY,
  type BackfillOptions,
  type BackfillResult,
  type BackfillItem,
} from './backfill.ts';
export { backfillStatus, statusLimit, BACKFILL_STATUS_DEFAULT, type BackfillStatusResult, type DetachedBackfillStatus } from './backfill-status.ts';
export {
  checkCredentials,
  missingCredentialsHint,
  CREDENTIALS_DEFAULT_TIMEOUT_MS,
  type CheckCredentialsOptions,
  type CredentialsCheck, type CredentialSource } from './credentials.ts';
export {
  deploy,
  planDeploy,
  changedStackSelection,
  loadManifest,
  defaultSpawn,
  CDK_APP,
  CDK_BIN,
  type DeployOptions,
  type DeployPlan,
  type DeployPlanOptions,
  type DeployResult,
  type SpawnFn,
} from './deploy.ts';
export { checkBootstrap, bootstrapCommand, DEFAULT_QUALIFIER, MIN_BOOTSTRAP_VERSION, type BootstrapCheck, type BootstrapOptions } from './bootstrap.ts';
export { formatStatus, formatUseCaseStatus, formatRun, formatBackfill, formatBackfillStatus, formatJson, formatNextRun, formatGate, type NextRun } from './format.ts';
export { formatDuration, renderTable } from './table.ts';
export { hasTriggers, triggerStates, setTriggers, setUseCaseTriggers, pausedLabel, type TriggerState, type PauseResult, type UseCasePauseResult, type TriggerClients } from './triggers.ts';
export { readPauseFlag, writePauseFlag } from './pause-flag.ts';
export { executionHistory, jobRunsFromHistory, describeJobRuns, cancelJobRuns, ACTIVE_JOB_STATES, type JobRunRef, type JobRunInfo } from './jobruns.ts';
export { executionLogs, findExecution, type LogsResult } from './logs.ts';
export { cancelExecution, CANCEL_ERROR, type CancelResult } from './cancel.ts';
export { retryExecution, type RetryResult } from './retry.ts';
export { formatPause, formatUseCasePause, formatLogs, formatCancel, formatRetry, formatTriggers } from './format-operator.ts';
