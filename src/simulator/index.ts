/**
 * Local simulator of build/ artifacts (DESIGN §8).
 */
export { simulate } from './simulate.ts';
export type { ValidDefinitions } from './execution.ts';
export { MAX_EXECUTIONS, migratedTablesOf, migrationMarks, Simulator, unknownMigratedTables, type SimulatorOptions, type StartOptions } from './simulator.ts';
export { parseScenario, parseScenarioLocated, validateScenario, ScenarioError } from './scenario.ts';
export { SimulationLimitError } from './errors.ts';
export { formatTimeline } from './timeline.ts';
export { fireTimes } from '../events/fire-times.ts';
export { targetInput } from './input-transformer.ts';
export { loadBuild, BACKFILL_REF, DISPATCHER_REF, type LoadedBuild } from './build.ts';
export { simulatorExecutions } from './executions-api.ts';
export { toPlain, itemToPlain, type AttributeValue, type Item } from './attribute-values.ts';
export type { Notification } from './services/sns.ts';
export type { JobRun } from './services/emr-serverless.ts';
export type {
  Scenario,
  ManualStart,
  Fault,
  DataSyncScenario,
  SimulationResult,
  ExecutionResult,
  ExecutionStatus,
  TimelineEntry,
  TimelineKind,
  Trigger,
} from './types.ts';
