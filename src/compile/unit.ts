/**
 * The per-use-case stages after the scan: normalize (spec → IR, reading the
 * platform index) and assemble (IR → ASL, job documents, its manifest part, and
 * the checks of its own workflows against Step Functions quotas and the
 * environment). Each returns plain data the cache keeps (src/compile/cache.ts).
 */
import { Report, type Diagnostic } from '../diagnostics.ts';
import { assembleUseCase } from '../build/assemble.ts';
import { checkEnvironment } from '../build/environment-check.ts';
import { sharesMachineRoles, useCaseRoles, workflowRoles } from '../build/iam-quota.ts';
import { checkGateQueues, checkWorkflowLimits } from '../build/limits.ts';
import type { ManifestUseCase } from '../build/types.ts';
import type { PlatformIndex } from '../ir/context.ts';
import { useCaseFacts, type UseCaseFacts } from '../ir/facts.ts';
import { migrationWaits, type MigrationRef } from '../ir/migration-order.ts';
import { normalizeUseCase } from '../ir/normalize.ts';
import type { Platform, UseCase } from '../ir/types.ts';
import type { UseCaseFiles } from '../spec/discover.ts';
import type { SpecFile } from '../spec/files.ts';
import { tableKinds } from '../../infra/lakeformation/grants.ts';
import { type StackLayout, workflowDefinitionBytes, workflowResourceCount } from '../../infra/usecase/shards.ts';
import { canonical, digest, type CacheEntry, type UseCaseSummary } from './cache.ts';
import { recordReads, type ReadAnswers } from './reads.ts';

/** The normalize stage's result: what the cache keeps, and the IR when it was made or read in this run. */
export type Normalized = NonNullable<CacheEntry['normalized']> & { useCase?: UseCase };

/** Normalizes one use case, noting what it read of the index and the answers it got. */
export function normalizeUnit(uc: UseCaseFiles, parsed: Map<string, SpecFile>, platform: Platform, index: PlatformIndex, answers: ReadAnswers): Normalized {
  const report = new Report();
  const { value, keys } = recordReads(index, () => normalizeUseCase(uc, { platform, index, report, parsed }));
  const facts = value ? useCaseFacts(value) : undefined;
  // The spec hash (of the use case's files, changed by any edit) is left out: the whole-platform stages never read it.
  const factsId = digest(canonical(facts ? { ...facts, specHash: '' } : null));
  const made = { reads: answers.answers(keys), facts, factsId, digest: value ? digest(canonical(value)) : '-', diagnostics: report.diagnostics };
  return { ...made, id: digest(canonical(made)), ...(value ? { useCase: value } : {}) };
}

/** What the assembled output of a use case depends on: its IR and the migrations its workflows wait for. */
export function assemblyInput(normalized: Normalized, migrated: ReadonlyMap<string, MigrationRef>): string {
  const waits = normalized.facts!.workflows.map((w) => migrationWaits(w, migrated));
  return digest(normalized.digest, JSON.stringify(waits));
}

export interface Assembled {
  part: ManifestUseCase;
  files: Map<string, string>;
  summary: UseCaseSummary;
  diagnostics: Diagnostic[];
}

/** Assembles one healthy use case and checks its workflows. */
export function assembleUnit(uc: UseCase, facts: UseCaseFacts, platform: Platform, migrated: ReadonlyMap<string, MigrationRef>, renamedBuckets: ReadonlyMap<string, string>): Assembled {
  const files = new Map<string, string>();
  const part = assembleUseCase(uc, { platform, migrated }, files, facts);
  const report = new Report();
  checkWorkflowLimits(uc, part.workflows, report);
  checkGateQueues(uc, part.workflows, (path) => JSON.parse(files.get(path)!) as { TimeoutSeconds?: number }, report);
  checkEnvironment({ platform: { account: platform.account, environment: platform.environment }, useCases: [part] }, [uc], renamedBuckets, report);
  return { part, files, summary: summarize(part, platform, files), diagnostics: report.diagnostics };
}

function summarize(part: ManifestUseCase, platform: Platform, files: ReadonlyMap<string, string>): UseCaseSummary {
  return {
    name: part.name,
    roles: useCaseRoles(part, platform),
    ...(sharesMachineRoles(platform) ? { layout: stackLayout(part, files) } : {}),
    workflows: part.workflows.map((w) => ({
      name: w.name,
      type: w.type,
      kind: w.kind,
      enabled: w.enabled,
      dependsOn: w.dependsOn,
      stats: w.stats,
      schedules: w.schedules?.length ?? 0,
      routes: w.routes?.length ?? 0,
      datasync: w.resources.datasync,
      roles: workflowRoles(w, platform),
      ...(w.schedule === undefined ? {} : { schedule: w.schedule }),
      ...(w.scheduleTimezone === undefined ? {} : { scheduleTimezone: w.scheduleTimezone }),
      ...(w.scheduleGroups === undefined ? {} : { scheduleGroups: w.scheduleGroups.map((g) => ({ schedule: g.schedule })) }),
    })),
  };
}

/** What the split of the use case over stacks depends on ({@link StackLayout}), from its manifest part and generated files. */
function stackLayout(part: ManifestUseCase, files: ReadonlyMap<string, string>): StackLayout {
  return {
    weights: part.workflows.map((w) => ({ resources: workflowResourceCount(w), definitionBytes: workflowDefinitionBytes(w, (path) => files.get(path)!) })),
    access: Object.fromEntries([...tableKinds(part)].map(([table, kinds]) => [table, [...kinds]])),
    ...(part.shares?.length ? { shares: part.shares } : {}),
  };
}
