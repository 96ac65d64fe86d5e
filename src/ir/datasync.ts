/**
 * A migrated table's DataSync transfer: its own task (`task_arn`), a location
 * infra creates a task for (`location`), or a task shared by several tables —
 * the migration's `datasync`, or tables naming the same task with its
 * `source_path`. A shared task's run transfers one table's folder: an `Includes`
 * filter `/<path below the source root>` on StartTaskExecution; runs of the same
 * task with different filters queue (task queueing, on by default), so one task
 * serves any number of tables of the 100 DataSync allows per account and region.
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/filtering.html
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/run-task.html
 */
import { joinPointer } from '../spec/files.ts';
import type { DataSyncSpec } from '../spec/types.ts';
import { fail, type PhaseContext } from './context.ts';
import type { MigrationTable } from './types.ts';

export type Transfer = Pick<MigrationTable, 'datasyncTaskArn' | 'datasyncLocation' | 'datasyncIncludes' | 'landingPath'>;

/** A checked `datasync` block: where it was written and what it names. */
export interface DataSyncBlock {
  spec: DataSyncSpec;
  pointer: string;
  /** The migration's block (shared by the tables without their own). */
  shared: boolean;
}

/** Placeholder of a DataSync task that infra creates for one table: `DataSyncTask_<use_case>_<table>`. */
export function dataSyncPlaceholder(useCase: string, table: string): string {
  return `DataSyncTask_${useCase.replaceAll('-', '_')}_${table}`;
}

/** Placeholder of the one task infra creates for a whole migration: `DataSyncShared_<use_case>_<dag>`. */
export function sharedDataSyncPlaceholder(useCase: string, dag: string): string {
  return `DataSyncShared_${useCase.replaceAll('-', '_')}_${dag.replaceAll('-', '_')}`;
}

/** Checks a block once, where it is written: one form, its root path, the region of its task or agents. */
export function checkDataSync(ctx: PhaseContext, block: DataSyncBlock): boolean {
  const { spec: ds, pointer: p } = block;
  let ok = true;
  const err = (code: string, message: string, at: string) => {
    fail(ctx, code, message, at);
    ok = false;
  };
  if ((ds.task_arn === undefined) === (ds.location === undefined)) {
    err('MIGRATION_DATASYNC_FORM', 'give either `task_arn` (an existing task) or `location` (for infra to create the task), not both', p);
    return false;
  }
  if (ds.location && ds.source_path !== undefined) err('MIGRATION_DATASYNC_FORM', '`source_path` goes with `task_arn`; a `location` reads from its `subdirectory`', `${p}/source_path`);
  if (block.shared && ds.task_arn !== undefined && ds.source_path === undefined) {
    err('MIGRATION_DATASYNC_SOURCE_PATH', "a task shared by the migration's tables needs `source_path`: the HDFS directory it reads from, above every table's `hdfs_path`", p);
  }
  if (block.shared && ds.location && ds.location.subdirectory === undefined) {
    err('MIGRATION_DATASYNC_SOURCE_PATH', "a location shared by the migration's tables needs `subdirectory`: the HDFS directory above every table's `hdfs_path`", `${p}/location`);
  }
  if (ds.task_arn !== undefined) {
    const region = ds.task_arn.split(':')[3];
    // The workflow calls DataSync in its own region, where a task of another region does not exist.
    if (region !== ctx.platform.region) err('MIGRATION_DATASYNC_REGION', `DataSync task is in ${region}, the platform in ${ctx.platform.region}: StartTaskExecution would fail at run time; use a task (or an agent, with \`location:\`) of ${ctx.platform.region}`, `${p}/task_arn`);
  }
  for (const [j, agent] of (ds.location?.agent_arns ?? []).entries()) {
    const region = agent.split(':')[3];
    if (region !== ctx.platform.region) err('MIGRATION_DATASYNC_REGION', `DataSync agent is activated in ${region}, the platform in ${ctx.platform.region}: the HDFS location infra creates must use an agent of ${ctx.platform.region}`, joinPointer(p, 'location', 'agent_arns', j));
  }
  return ok;
}

const trimSlash = (s: string) => s.replace(/\/+$/, '');

/** The transfer of one table from its (checked) block; undefined when its path is not below the shared root. */
export function tableTransfer(ctx: PhaseContext, block: DataSyncBlock, table: { name: string; hdfsPath: string }, landing: string, tablePointer: string): Transfer | undefined {
  const ds = block.spec;
  const root = ds.task_arn !== undefined ? ds.source_path : block.shared ? ds.location?.subdirectory : undefined;
  const location = ds.location && {
    hostname: ds.location.hostname,
    port: ds.location.port ?? 8020,
    agentArns: ds.location.agent_arns,
    subdirectory: ds.location.subdirectory ?? table.hdfsPath,
    simpleUser: ds.location.simple_user ?? 'hdfs',
  };
  const taskArn = ds.task_arn ?? `\${${block.shared ? sharedDataSyncPlaceholder(ctx.useCase, ctx.dag) : dataSyncPlaceholder(ctx.useCase, table.name)}}`;
  if (root === undefined) return { datasyncTaskArn: taskArn, ...(location ? { datasyncLocation: location } : {}), landingPath: `${landing}${table.name}/` };
  const base = trimSlash(root);
  const path = trimSlash(table.hdfsPath);
  if (!path.startsWith(`${base}/`)) {
    fail(ctx, 'MIGRATION_DATASYNC_SOURCE_PATH', `'${table.hdfsPath}' is not below '${root}', the directory the shared DataSync ${ds.task_arn ? 'task' : 'location'} reads from: it could not transfer this table`, `${tablePointer}/source/hdfs_path`);
    return undefined;
  }
  const relative = path.slice(base.length + 1);
  // `|` separates filter patterns and `*` is their wildcard: such a folder cannot be named exactly.
  if (/[|*]/.test(relative)) {
    fail(ctx, 'MIGRATION_DATASYNC_FILTER', `'${relative}' holds '|' or '*', which a DataSync filter reads as a separator or wildcard`, `${tablePointer}/source/hdfs_path`);
    return undefined;
  }
  // The folder is also the table's landing prefix: `..` would land (and convert) it outside the
  // migration's landing once Hadoop normalizes the path, and an empty or `.` segment names the
  // same folder twice.
  if (relative.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    fail(ctx, 'MIGRATION_DATASYNC_FILTER', `'${relative}' holds an empty, '.' or '..' segment: give the table's folder as a plain path below '${root}'`, `${tablePointer}/source/hdfs_path`);
    return undefined;
  }
  return { datasyncTaskArn: taskArn, ...(location ? { datasyncLocation: location } : {}), datasyncIncludes: `/${relative}`, landingPath: `${landing}${relative}/` };
}
