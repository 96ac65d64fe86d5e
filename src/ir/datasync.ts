/**
 * A migrated table's DataSync transfer: its own task (`task_arn`), a location
 * infra creates a task for (`location`), or a task shared by several tables —
 * the migration's `datasync`, or tables naming the same task with its
 * `source_path`. A shared task's run transfers one table's folder: an `Includes`
 * filter `/<path below the source root>` on StartTaskExecution; runs of the same
 * task with different filters queue (task queueing, on by default), so one task
 * serves any number of tables of the 100 DataSync allows per account and region.
 * A platform's shared task (`shared_task`, ./shared-datasync.ts) serves several
 * use cases, each from its own folder into its own landing sub-prefix.
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/filtering.html
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/run-task.html
 */
import { joinPointer } from '../spec/files.ts';
import type { DataSyncSpec } from '../spec/types.ts';
import { closest } from '../spec/suggest.ts';
import { allEntries, fail, noteRead, warn, type PhaseContext, type PlatformIndex } from './context.ts';
import type { MigrationTable, SharedDataSyncTask } from './types.ts';

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

const usersByTask = new WeakMap<PlatformIndex, Map<string, string[]>>();

/** The use cases naming a DataSync task ARN, in the index's order (one map per index: a scan per call is quadratic). */
export function taskUsers(index: PlatformIndex, arn: string): readonly string[] {
  noteRead(index, `datasync:${arn}`);
  let byArn = usersByTask.get(index);
  if (!byArn) {
    byArn = new Map();
    for (const [useCase, entry] of allEntries(index)) for (const a of entry.datasyncTasks) byArn.set(a, [...(byArn.get(a) ?? []), useCase]);
    usersByTask.set(index, byArn);
  }
  return byArn.get(arn) ?? [];
}

/** Checks a block once, where it is written: one form, its root path, the region of its task or agents. */
export function checkDataSync(ctx: PhaseContext, block: DataSyncBlock): boolean {
  const { spec: ds, pointer: p } = block;
  let ok = true;
  const err = (code: string, message: string, at: string) => {
    fail(ctx, code, message, at);
    ok = false;
  };
  if (ds.shared_task !== undefined) {
    if (!block.shared) err('MIGRATION_DATASYNC_FORM', "a platform's shared task serves a whole migration: name it in the migration's `datasync`, not a table's", `${p}/shared_task`);
    else if (Object.keys(ds).length > 1) err('MIGRATION_DATASYNC_FORM', "`shared_task` comes alone: the platform's task has its own ARN and source path", p);
    else if (!sharedTask(ctx, ds.shared_task, `${p}/shared_task`)) ok = false;
    return ok;
  }
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
  const platformTask = ctx.platform.grants.sharedDataSyncTasks.find((t) => t.taskArn === ds.task_arn);
  // Named by ARN, the platform's task would run with filters of this use case's choosing and
  // write into the task's destination, outside this use case's landing.
  if (platformTask) err('MIGRATION_DATASYNC_SHARED_TASK', `${ds.task_arn} is the platform's shared DataSync task '${platformTask.name}': name it with \`shared_task\` on the migration's \`datasync\`, if platform.yaml lists this use case`, `${p}/task_arn`);
  if (ds.task_arn !== undefined) {
    const region = ds.task_arn.split(':')[3];
    // The workflow calls DataSync in its own region, where a task of another region does not exist.
    if (region !== ctx.platform.region) err('MIGRATION_DATASYNC_REGION', `DataSync task is in ${region}, the platform in ${ctx.platform.region}: StartTaskExecution would fail at run time; use a task (or an agent, with \`location:\`) of ${ctx.platform.region}`, `${p}/task_arn`);
    // A task has one destination: the use cases that start it all write there, into one landing,
    // so only the platform shares one (with a folder per use case). Which of them the task is
    // for, the specs cannot tell: an error would let a newcomer quarantine the rightful one.
    const others = taskUsers(ctx.index, ds.task_arn).filter((uc) => uc !== ctx.useCase).map((uc) => `'${uc}'`);
    if (others.length && !platformTask) warn(ctx, 'MIGRATION_DATASYNC_TASK_SHARED', `DataSync task ${ds.task_arn} is also named by use case ${others.join(', ')}: one task writes to one destination, so each of them can start transfers into the other's landing; share a task only as a platform task (platform.yaml \`shared_datasync_tasks\`, then \`datasync: {shared_task: <name>}\`)`, `${p}/task_arn`);
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
  const platformTask = ds.shared_task === undefined ? undefined : ctx.platform.grants.sharedDataSyncTasks.find((t) => t.name === ds.shared_task);
  if (platformTask) return platformTransfer(ctx, platformTask, table, landing, tablePointer);
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
  if (!plainFolder(ctx, relative, root, tablePointer)) return undefined;
  return { datasyncTaskArn: taskArn, ...(location ? { datasyncLocation: location } : {}), datasyncIncludes: `/${relative}`, landingPath: `${landing}${relative}/` };
}

/** Whether a table's folder below a task's root can be an exact `Includes` filter and landing prefix; reports it when not. */
function plainFolder(ctx: PhaseContext, relative: string, root: string, tablePointer: string): boolean {
  // `|` separates filter patterns and `*` is their wildcard: such a folder cannot be named exactly.
  if (/[|*]/.test(relative)) {
    fail(ctx, 'MIGRATION_DATASYNC_FILTER', `'${relative}' holds '|' or '*', which a DataSync filter reads as a separator or wildcard`, `${tablePointer}/source/hdfs_path`);
    return false;
  }
  // The folder is also the table's landing prefix: `..` would land (and convert) it outside the
  // migration's landing once Hadoop normalizes the path, and an empty or `.` segment names the
  // same folder twice.
  if (relative.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    fail(ctx, 'MIGRATION_DATASYNC_FILTER', `'${relative}' holds an empty, '.' or '..' segment: give the table's folder as a plain path below '${root}'`, `${tablePointer}/source/hdfs_path`);
    return false;
  }
  return true;
}

/**
 * The platform task `name` when it exists and lists the context's use case;
 * reported at `pointer` otherwise.
 */
export function sharedTask(ctx: PhaseContext, name: string, pointer: string): SharedDataSyncTask | undefined {
  if (!ctx.platform.grants.checked) {
    fail(ctx, 'MIGRATION_DATASYNC_SHARED_TASK', `platform.yaml has errors, so its \`shared_datasync_tasks\` are not read: shared DataSync task '${name}' is known once platform.yaml is fixed`, pointer);
    return undefined;
  }
  const tasks = ctx.platform.grants.sharedDataSyncTasks;
  const task = tasks.find((t) => t.name === name);
  if (!task) {
    const near = closest(name, tasks.map((t) => t.name));
    fail(ctx, 'MIGRATION_DATASYNC_SHARED_TASK', `no shared DataSync task '${name}' in platform.yaml \`shared_datasync_tasks\`${near ? ` (did you mean '${near}'?)` : ''}`, pointer);
    return undefined;
  }
  if (!task.useCases.includes(ctx.useCase)) {
    fail(ctx, 'MIGRATION_DATASYNC_SHARED_TASK', `shared DataSync task '${name}' does not list use case '${ctx.useCase}' in its \`use_cases\` (platform.yaml): only the use cases the platform lists may start it`, pointer);
    return undefined;
  }
  return task;
}

/** The migration's landing through a platform task: the use case's folder below the task's destination. */
export function sharedTaskLanding(ctx: PhaseContext, task: SharedDataSyncTask): string {
  return `s3://${ctx.platform.buckets.landing}/${task.landingPrefix}${ctx.useCase}/`;
}

/** A table through a platform task: its folder must be in the use case's own folder `<source_path>/<use case>/`. */
function platformTransfer(ctx: PhaseContext, task: SharedDataSyncTask, table: { hdfsPath: string }, landing: string, tablePointer: string): Transfer | undefined {
  const source = trimSlash(task.sourcePath);
  const own = `${source}/${ctx.useCase}`;
  const path = trimSlash(table.hdfsPath);
  if (!path.startsWith(`${own}/`)) {
    const other = path.startsWith(`${source}/`) ? path.slice(source.length + 1).split('/')[0] : undefined;
    const whose = other && other !== ctx.useCase ? ` (it is in folder '${other}', ${ctx.platform.grants.sharedDataSyncTasks.some((t) => t.useCases.includes(other)) ? "another use case's" : 'no use case'})` : '';
    fail(ctx, 'MIGRATION_DATASYNC_SOURCE_PATH', `'${table.hdfsPath}' is not below '${own}/', the use case's own folder of shared DataSync task '${task.name}'${whose}: a use case migrates only its own folder`, `${tablePointer}/source/hdfs_path`);
    return undefined;
  }
  const relative = path.slice(own.length + 1);
  if (!plainFolder(ctx, relative, `${own}/`, tablePointer)) return undefined;
  return { datasyncTaskArn: task.taskArn, datasyncIncludes: `/${ctx.useCase}/${relative}`, landingPath: `${landing}${relative}/` };
}
