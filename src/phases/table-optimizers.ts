/**
 * Glue Data Catalog table optimizers of the `managed: true` tables of maintenance.yaml:
 * one `createTableOptimizer` per table and type (compaction, retention,
 * orphan_file_deletion), at the start of each maintenance run, so they are created
 * once the table exists rather than at deploy. An optimizer that already exists is
 * left as it is; a table not created yet is skipped and tried again at the next run;
 * any other error fails the run.
 * @see https://docs.aws.amazon.com/glue/latest/dg/table-optimizers.html
 * @see https://docs.aws.amazon.com/glue/latest/webapi/API_CreateTableOptimizer.html
 */
import { ON_FAILURE } from '../asl/frame.ts';
import { errorName, retryFor } from '../asl/policy.ts';
import type { State } from '../asl/types.ts';
import type { ManagedTable } from '../ir/types.ts';

/** Optimizer types, with the configuration each one takes (AWS's defaults otherwise). */
const TYPES = {
  compaction: {},
  retention: { retentionConfiguration: { icebergConfiguration: { cleanExpiredFiles: true } } },
  orphan_file_deletion: {},
} as const;

/** Placeholder of the use case's table optimizer role (trusted by glue.amazonaws.com). */
export const TABLE_OPTIMIZER_ROLE = '${TableOptimizerRoleArn}';

/** Task states creating every optimizer of the managed tables, chained before `next`. */
export function tableOptimizerStates(managed: readonly ManagedTable[], next: string): { startAt: string; states: Record<string, State> } {
  const names = managed.flatMap((m) => Object.keys(TYPES).map((type) => ({ m, type: type as keyof typeof TYPES, name: `Glue ${type} optimizer of ${m.table.database}.${m.table.table}` })));
  const states: Record<string, State> = {};
  names.forEach(({ m, type, name }, i) => {
    const after = names[i + 1]?.name ?? next;
    states[name] = {
      Type: 'Task',
      Comment: `managed: true at ${m.origin.file}:${m.origin.line}`,
      Resource: 'arn:aws:states:::aws-sdk:glue:createTableOptimizer',
      Parameters: {
        CatalogId: '${Account}',
        DatabaseName: m.table.database,
        TableName: m.table.table,
        Type: type,
        TableOptimizerConfiguration: { roleArn: TABLE_OPTIMIZER_ROLE, enabled: true, ...TYPES[type] },
      },
      ResultPath: null,
      Retry: retryFor('glue'),
      Catch: [
        // Created by an earlier run (or by hand): left as it is.
        { ErrorEquals: [errorName('Glue', 'AlreadyExistsException')], ResultPath: null, Next: after },
        // The table does not exist yet: the next run creates the optimizer.
        { ErrorEquals: [errorName('Glue', 'EntityNotFoundException')], ResultPath: null, Next: after },
        // Anything else (access denied, a bad role) fails the run and records it.
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: ON_FAILURE },
      ],
      Next: after,
    };
  });
  return { startAt: names[0]?.name ?? next, states };
}
