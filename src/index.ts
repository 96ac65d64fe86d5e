/**
 * lakestep's public API. The CLI (src/cli/) is a thin layer over these; infra/
 * reads only the build artifacts described by the types below.
 */
export { compile, type CompileOptions, type CompileResult } from './compile.ts';
export { formatDiagnostic, sortDiagnostics, type Diagnostic, type Origin, type Severity } from './diagnostics.ts';
export type { SourceFile } from './spec/files.ts';
export type { Manifest, ManifestWorkflow, RuleDefinition, JobDocument, JobStep, BuildReport, TableShare } from './build/types.ts';
export type { PlatformIR, UseCase, Workflow } from './ir/types.ts';
export type { StateMachineDefinition } from './asl/types.ts';
export { matchEventPattern, validateEventPattern } from './events/pattern.ts';
export { simulate, parseScenario, formatTimeline } from './simulator/index.ts';
export { cli } from './cli/main.ts';
export {
  analyzeSql,
  type AnalyzeOptions,
  type SqlAnalysis,
  type SqlOperation,
  type SqlPosition,
  type SqlProblem,
  type SqlStatement,
  type TableName,
  type TableUse,
} from './sql/analysis/index.ts';
export { rowExpression } from './sql/expression.ts';
