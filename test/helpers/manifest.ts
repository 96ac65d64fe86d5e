/** Hand-built manifest pieces for tests that read build artifacts (infra, ops, simulator). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { manifestFiles, readManifest } from '../../src/build/manifest-files.ts';
import type { Manifest, ManifestPlatform, ManifestUseCase, ManifestWorkflow } from '../../src/build/types.ts';
import { stateMachineName } from '../../src/naming.ts';

/** A spark workflow entry of use case `uc`; `over` sets anything a test depends on. */
export function manifestWorkflow(uc: string, dag: string, over: Partial<ManifestWorkflow> = {}, prefix = 'acme'): ManifestWorkflow {
  return {
    name: dag,
    type: 'transformation',
    kind: 'spark',
    stateMachineName: stateMachineName(prefix, uc, dag),
    definition: `${uc}/${dag}.asl.json`,
    specFile: `${uc}/orchestration.yaml`,
    specLine: 3,
    enabled: true,
    tags: [],
    dependsOn: [],
    reads: [],
    writes: [],
    access: {},
    stateMachineTags: { 'lakestep:platform': prefix },
    jobs: [],
    resources: { emr: true, datasync: [], secrets: [] },
    placeholders: [],
    stats: { sparkJobs: 1, states: 5, successPathTransitions: 5 },
    ...over,
  };
}

/** The platform section of a manifest. */
export function manifestPlatform(over: Partial<ManifestPlatform> = {}): ManifestPlatform {
  return {
    prefix: 'acme',
    region: 'eu-west-1',
    catalog: 'glue_catalog',
    buckets: { landing: 'l', raw: 'r', process: 'p', analytics: 'a', artifacts: 'x' },
    emr: { releaseLabel: 'emr-7.5.0', maxVcpu: 16, maxMemoryGb: 64, idleTimeoutMinutes: 15 },
    dynamodb: { watermarks: 'w', runs: 'runs', gates: 'g' },
    notifications: { topicName: 't', emails: [] },
    tags: {},
    databaseOwners: {},
    governance: 'iam',
    ...over,
  };
}

/** A manifest of `useCases` on {@link manifestPlatform}(`platform`), with no tables and nothing quarantined. */
export function manifestWith(useCases: ManifestUseCase[], platform: Partial<ManifestPlatform> = {}): Manifest {
  return { version: 1, lakestepVersion: '0.1.0', platform: manifestPlatform(platform), useCases, tables: {}, quarantined: [] };
}

/** The whole manifest of a compile result's files (index plus parts). */
export function manifestOf(files: ReadonlyMap<string, string>): Manifest {
  return readManifest((p) => files.get(p));
}

/** Writes `m` into the build folder `dir` as compile does: the index and one part per use case. */
export function writeManifest(dir: string, m: Manifest): void {
  for (const [path, text] of manifestFiles(m)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}
