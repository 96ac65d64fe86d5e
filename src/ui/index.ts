/** The platform page (`lakestep ui`): its data, the runs it shows and the HTML file. */
export { pageData, simulationPage, type PageInput } from './page-data.ts';
export { pageHtml } from './html.ts';
export { runsOfSimulation, runState, simulatedNow } from './runs.ts';
export { runIdentity, type ExecutionFacts, type RunIdentity } from './identity.ts';
export { tableHealth, checksOfOutput, freshnessOf, type TableSla, type ReportedCheck } from './health.ts';
export type { UiData, UiRun, UiTable, UiDag, UiUseCase, UiCheck, UiState, UiJobRun, RunState, DateSource } from './types.ts';
export { QUALITY_CHECK_ERROR } from './types.ts';
export { readAwsRuns, parseSince, consolePrefix, AWS_SINCE_DEFAULT, type AwsRead, type AwsReadOptions } from './aws.ts';
export { paced, stepFunctionsQuotas, TokenBucket, type Clock, type PaceStats, type Quota } from './throttle.ts';
