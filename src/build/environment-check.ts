/**
 * Use cases are shared by every environment, so what they name literally is the
 * same in all of them. An S3 URI (a custom job's entry point or output, a
 * migration's `landing`) in a bucket the environment renamed would read or write
 * the other environment's data; an ARN (DataSync task, secret, KMS key) of
 * another account than the environment's is another environment's resource
 * (DataSync tasks cannot be used across accounts at all). Both are warned at the dag.
 */
import type { Report } from '../diagnostics.ts';
import { workflowOrigin } from '../ir/facts.ts';
import type { UseCase } from '../ir/types.ts';
import type { Manifest, ManifestWorkflow } from './types.ts';

/** What the checks read of a build: the environment, and each workflow's resources. */
export interface EnvironmentView {
  platform: Pick<Manifest['platform'], 'account' | 'environment'>;
  useCases: readonly { name: string; workflows: readonly Pick<ManifestWorkflow, 'name' | 'resources'>[] }[];
}

const BUCKET = /^s3:\/\/([^/]+)/;

/** ENV_BASE_BUCKET and ENV_FOREIGN_ACCOUNT warnings of one environment's build. */
export function checkEnvironment(manifest: EnvironmentView, useCases: readonly UseCase[], renamed: ReadonlyMap<string, string>, report: Report): void {
  checkRenamedBuckets(manifest, useCases, renamed, report);
  checkForeignAccounts(manifest, useCases, report);
}


function checkForeignAccounts(manifest: EnvironmentView, useCases: readonly UseCase[], report: Report): void {
  const { account, environment } = manifest.platform;
  if (account === undefined || environment === undefined) return;
  for (const u of manifest.useCases) {
    for (const w of u.workflows) {
      const arns = [
        ...w.resources.datasync.flatMap((d) => ('taskArn' in d ? [d.taskArn] : [])),
        ...w.resources.secrets,
        ...(w.resources.secretKeys ?? []),
      ];
      const foreign = [...new Set(arns.filter((a) => (a.split(':')[4] ?? account) !== account))].sort();
      const origin = workflowOrigin(useCases, u.name, w.name);
      if (!origin || foreign.length === 0) continue;
      report.warning(
        'ENV_FOREIGN_ACCOUNT',
        `'${w.name}' names ${foreign.length === 1 ? 'a resource' : `${foreign.length} resources`} of another account than environment '${environment}''s ${account} (${foreign.slice(0, 2).join(', ')}${foreign.length > 2 ? ', …' : ''}): secrets and keys need a resource policy for this account, DataSync tasks cannot be started from it; prefer \`location:\` for transfers`,
        origin,
        u.name,
      );
    }
  }
}

function checkRenamedBuckets(manifest: EnvironmentView, useCases: readonly UseCase[], renamed: ReadonlyMap<string, string>, report: Report): void {
  if (renamed.size === 0) return;
  const env = manifest.platform.environment ?? '';
  for (const u of manifest.useCases) {
    for (const w of u.workflows) {
      const uris = [...(w.resources.storage?.read ?? []), ...(w.resources.storage?.readWrite ?? [])];
      const buckets = [...new Set(uris.map((x) => BUCKET.exec(x)?.[1]).filter((b): b is string => b !== undefined && renamed.has(b)))].sort();
      const origin = workflowOrigin(useCases, u.name, w.name);
      if (!origin) continue;
      for (const b of buckets) {
        report.warning(
          'ENV_BASE_BUCKET',
          `'${w.name}' names s3://${b}/, a bucket of platform.yaml that environment '${env}' renames to ${renamed.get(b)}: in this environment it would use the other environment's bucket; leave the bucket to the platform (a migration's default landing) or keep such paths in a bucket every environment shares`,
          origin,
          u.name,
        );
      }
    }
  }
}
