/**
 * DataSync allows 100 tasks per account and region by default. Every task a
 * build names (`task_arn`) or has infra create (`location`) counts once,
 * however many tables share it; past the quota a warning names the migration
 * that crosses it and how to share tasks.
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/datasync-limits.html
 */
import type { Report } from '../diagnostics.ts';
import { type UseCaseFacts, workflowOrigin } from '../ir/facts.ts';
import type { Manifest, ManifestWorkflow } from './types.ts';

export const DATASYNC_TASKS_PER_REGION = 100;

/** DataSync transfers (location, destination, task) infra creates for a workflow: one per `location` placeholder. */
export function createdTransfers(w: Pick<ManifestWorkflow, 'resources'>): number {
  return new Set(w.resources.datasync.flatMap((d) => ('location' in d ? [d.placeholder] : []))).size;
}

/** Distinct DataSync tasks per region of a build; adds DATASYNC_TASK_QUOTA past the quota. */
export function checkDataSyncQuota(manifest: { platform: Pick<Manifest['platform'], 'region'>; useCases: readonly { name: string; workflows: readonly { name: string; datasync: ManifestWorkflow['resources']['datasync'] }[] }[] }, useCases: readonly UseCaseFacts[], report: Report): Map<string, number> {
  const tasks = new Map<string, Set<string>>();
  const warned = new Set<string>();
  for (const u of manifest.useCases) {
    for (const w of u.workflows) {
      for (const d of w.datasync) {
        const region = 'taskArn' in d ? (d.taskArn.split(':')[3] ?? manifest.platform.region) : manifest.platform.region;
        const set = tasks.get(region) ?? new Set<string>();
        set.add('taskArn' in d ? d.taskArn : `${u.name}/${d.placeholder}`);
        tasks.set(region, set);
        if (set.size <= DATASYNC_TASKS_PER_REGION || warned.has(region)) continue;
        warned.add(region);
        const origin = workflowOrigin(useCases, u.name, w.name);
        if (!origin) continue;
        report.warning(
          'DATASYNC_TASK_QUOTA',
          `with '${w.name}' the platform uses more than ${DATASYNC_TASKS_PER_REGION} DataSync tasks in ${region}, the default quota per account and region: let tables share a task (a migration's \`datasync\` with \`source_path\`, or a \`location\` with \`subdirectory\`), let use cases share one (platform.yaml \`shared_datasync_tasks\`) or raise the quota`,
          origin,
          u.name,
        );
      }
    }
  }
  return new Map([...tasks].map(([r, s]) => [r, s.size]));
}
