/** Manifests described by what each workflow does to each table, for the lineage and table-graph tests. */
import type { Manifest, TableAccessKind } from '../../src/build/types.ts';
import { manifestPlatform, manifestWorkflow } from '../helpers/manifest.ts';

export type Access = Record<string, TableAccessKind[]>;

export interface WorkflowSpec {
  access: Access;
  /** Default: a custom Spark job. */
  type?: 'ingestion' | 'migration' | 'maintenance';
  enabled?: boolean;
  schedule?: string;
}

/** A manifest of `<use-case>/<dag>` → its access (or a {@link WorkflowSpec}); `owners` by table. */
export function lineageManifest(workflows: Record<string, Access | WorkflowSpec>, owners: Record<string, string> = {}): Manifest {
  const useCases = new Map<string, Manifest['useCases'][number]>();
  const tables: Manifest['tables'] = {};
  for (const [ref, given] of Object.entries(workflows)) {
    const [uc, dag] = ref.split('/') as [string, string];
    const spec: WorkflowSpec = 'access' in given && !Array.isArray(given.access) ? (given as WorkflowSpec) : { access: given as Access };
    const u = useCases.get(uc) ?? { name: uc, owner: `${uc}@example.com`, specHash: 'h', files: [], workflows: [] };
    u.workflows.push(
      manifestWorkflow(uc, dag, {
        access: spec.access,
        ...(spec.type ? { type: spec.type, kind: spec.type } : {}),
        ...(spec.enabled === false ? { enabled: false } : {}),
        ...(spec.schedule ? { schedule: spec.schedule } : {}),
      }),
    );
    useCases.set(uc, u);
    for (const t of Object.keys(spec.access)) tables[t] = { ...(owners[t] ? { owner: owners[t] } : {}), location: `s3://r/${t}/`, writers: [], readers: [] };
  }
  return { version: 1, lakestepVersion: '0', platform: manifestPlatform(), useCases: [...useCases.values()], tables, quarantined: [] };
}
