/**
 * DataSync tasks the platform shares between use cases (platform.yaml
 * `shared_datasync_tasks`). DataSync allows 100 tasks per account and region
 * and a task has one source and one destination, so a lake of hundreds of
 * migrating teams shares a task: one HDFS directory whose folder
 * `<use case>/` holds each team's tables, one prefix of the landing bucket
 * under which each lands in `<use case>/`. Each table's run passes an
 * `Includes` filter naming its folder to StartTaskExecution.
 *
 * IAM cannot condition StartTaskExecution on its filters: the state machine
 * role may start the whole task. The confinement is therefore checked here, at
 * compile time — a use case migrates through a task only when the platform
 * lists it, only tables of its own folder, and reads only its own landing
 * sub-prefix.
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/filtering.html
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/datasync-limits.html
 */
import type { Report } from '../diagnostics.ts';
import { locate, type SpecFile } from '../spec/files.ts';
import type { PlatformSpec } from '../spec/types.ts';

/**
 * Checks `shared_datasync_tasks` of a schema-valid platform.yaml: unique names
 * and tasks, tasks of the platform's region (a landing prefix no use case owns: {@link checkLandingFolders}).
 */
export function checkSharedDataSyncTasks(file: SpecFile, spec: PlatformSpec, region: string, report: Report): void {
  const names = new Set<string>();
  const arns = new Set<string>();
  for (const [i, t] of (spec.shared_datasync_tasks ?? []).entries()) {
    const at = (field: string) => locate(file, `/shared_datasync_tasks/${i}/${field}`);
    if (names.has(t.name)) report.error('PLATFORM_SHARED_DATASYNC', `shared DataSync task '${t.name}' is declared twice`, at('name'));
    names.add(t.name);
    if (arns.has(t.task_arn)) report.error('PLATFORM_SHARED_DATASYNC', `task ${t.task_arn} is declared twice: one task has one source directory and one destination`, at('task_arn'));
    arns.add(t.task_arn);
    const taskRegion = t.task_arn.split(':')[3];
    // The workflow calls DataSync in its own region, where a task of another region does not exist.
    if (taskRegion !== region) report.error('MIGRATION_DATASYNC_REGION', `DataSync task is in ${taskRegion}, the platform in ${region}: StartTaskExecution would fail at run time; use a task of ${region}`, at('task_arn'));
  }
}

/**
 * USE_CASE_RESERVED at a use case named after the top folder of a shared task's landing prefix: it owns
 * `s3://<landing>/<its name>/` and could read every use case's landing files under it. The error is the use case's,
 * not platform.yaml's: a new use-case folder quarantines itself, not every use case the platform file serves.
 */
export function checkLandingFolders(tasks: readonly { name: string; landingPrefix: string }[], useCases: readonly { name: string; firstFile: string }[], report: Report): void {
  for (const uc of useCases) {
    const task = tasks.find((t) => t.landingPrefix.split('/')[0] === uc.name);
    if (!task) continue;
    report.error(
      'USE_CASE_RESERVED',
      `use case '${uc.name}' is named after the landing prefix '${task.landingPrefix}' of the shared DataSync task '${task.name}' (platform.yaml): its own prefix s3://<landing>/${uc.name}/ would hold every use case's landing files. Rename the use-case folder, or give the task a landing prefix that is no use case's name`,
      { file: uc.firstFile, line: 1, column: 1, pointer: '' },
      uc.name,
    );
  }
}
