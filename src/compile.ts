/**
 * The whole pipeline as one pure function: spec sources in, build artifacts
 * and diagnostics out (DESIGN §1). Only the CLI reads and writes files.
 *
 *   discover → parse → index + cycles → normalize per use case → quarantine
 *   → compile phases → rules → artifacts
 */
import { Report, sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import { assembleBuild, compactJson, type BuildOutput } from './build/assemble.ts';
import { checkLakeFormation } from './build/governance.ts';
import { buildIndex, checkCycles } from './ir/index-platform.ts';
import { normalizeUseCase } from './ir/normalize.ts';
import { loadPlatform } from './ir/load-platform.ts';
import { migratedTables } from './ir/migration-order.ts';
import { checkMissingDependencies, indexUpstreams } from './ir/dependency-missing.ts';
import { checkDatabaseOwners, checkTableOwnership } from './ir/ownership.ts';
import { setTableOwners } from './ir/context.ts';
import type { Platform, UseCase, Workflow } from './ir/types.ts';
import type { RuleDefinition } from './build/types.ts';
import { checkRuleQuotas, formatRuleSummary, statusRule } from './events/index.ts';
import { checkWorkflowLimits } from './build/limits.ts';
import { checkEnvironment } from './build/environment-check.ts';
import { checkDataSyncQuota } from './build/datasync-quota.ts';
import { discover, type SkippedEntry } from './spec/discover.ts';
import { parseSpecFile, type SourceFile, type SpecFile } from './spec/files.ts';
import { checkReservedSyntax, checkReservedText } from './spec/reserved.ts';
import { checkSecrets, checkTextSecrets } from './spec/secrets-check.ts';

export interface CompileResult extends BuildOutput {
  diagnostics: Diagnostic[];
  /** Use cases that compiled, in name order. */
  useCases: UseCase[];
  /** Use cases left out, with why. */
  quarantined: { useCase: string; diagnostics: Diagnostic[] }[];
  platform: Platform;
  /** Every spec file's text by path, to print diagnostics with their source line. */
  sources: Map<string, string>;
  /** One line on EventBridge rule counts and pattern sizes. */
  rulesSummary: string;
  /** One line on the largest workflow's worst-case history and payload. */
  limitsSummary: string;
}

export interface CompileOptions {
  lakestepVersion: string;
  /** Environment whose overlay `platform.<env>.yaml` applies over platform.yaml (src/spec/environment.ts). */
  env?: string;
  /** Paths the reader left out of `sources` (links, special files), reported as warnings. */
  skipped?: readonly SkippedEntry[];
}

export function compile(sources: readonly SourceFile[], options: CompileOptions): CompileResult {
  const report = new Report();
  const tree = discover(sources, report, options.skipped);

  const loaded = loadPlatform(tree, options.env, report);
  const { platform, ok: platformOk, baseFile: platformFile } = loaded;
  const platformFiles = new Set(loaded.files);

  const parsed = new Map<string, Map<string, SpecFile>>();
  for (const uc of tree.useCases) {
    const files = new Map<string, SpecFile>();
    for (const [rel, src] of uc.yaml) {
      const f = parseSpecFile(src, uc.name);
      f.diagnostics.forEach((d) => report.add(d));
      checkReservedSyntax(f, report);
      checkSecrets(f, report);
      files.set(rel, f);
    }
    for (const src of uc.other.values()) {
      checkTextSecrets(src, uc.name, report);
      checkReservedText(src, uc.name, report);
    }
    parsed.set(uc.name, files);
  }
  const index = buildIndex(tree.useCases, parsed, platform);
  const { owners, created } = checkTableOwnership(tree.useCases, parsed, report, { owners: platform.databaseOwners, ...(platformFile ? { file: platformFile } : {}) }, platform.catalog);
  checkDatabaseOwners(platform, platformFile, tree.useCases, report);
  setTableOwners(index, owners, created);
  checkCycles(tree.useCases, parsed, report);

  const normalized = new Map<string, UseCase>();
  for (const uc of tree.useCases) {
    const u = normalizeUseCase(uc, { platform, index, report, parsed: parsed.get(uc.name)! });
    if (u) normalized.set(uc.name, u);
    // Positions are resolved by now: let the YAML documents go (large trees keep heap and GC low).
    parsed.delete(uc.name);
  }

  if (platformOk) checkLakeFormation(platform, [...normalized.values()], platformFile, report);

  const broken = new Set(report.diagnostics.filter((d) => d.severity === 'error' && d.useCase).map((d) => d.useCase!));
  const healthy: UseCase[] = [];
  const quarantined: CompileResult['quarantined'] = [];
  for (const uc of tree.useCases) {
    const u = normalized.get(uc.name);
    if (platformOk && u && !broken.has(uc.name)) healthy.push(u);
    else quarantined.push({ useCase: uc.name, diagnostics: [] });
  }
  const quarantinedNames = new Set(quarantined.map((q) => q.useCase));
  for (const u of healthy) {
    for (const w of u.workflows) {
      for (const dep of w.dependsOn) {
        if (quarantinedNames.has(dep.useCase)) {
          report.warning(
            'DEPENDENCY_QUARANTINED',
            `'${w.name}' depends on '${dep.useCase}/${dep.dag}', whose use case is quarantined: its last deployment keeps emitting events, but changes to it are not deployed until its errors are fixed`,
            dep.origin,
            u.name,
          );
        }
      }
    }
  }

  // The platform's rules (one, whatever the number of workflows), checked against EventBridge quotas.
  const quotas = checkRuleQuotas(platform, healthy.length ? [statusRule(platform)] : []);
  quotas.diagnostics.forEach((d) => report.add(d));

  // Readers and writers of the use cases that compile; chains of depends_on through any dag the specs name.
  checkMissingDependencies({ useCases: healthy, upstreams: indexUpstreams(index) }, report);

  // Migrations of quarantined use cases count: their last deployment may still be converting.
  const migrated = migratedTables([...normalized.values()]);
  const build = assembleBuild({ platform, useCases: healthy, migrated, owners, index, lakestepVersion: options.lakestepVersion });
  const limits = checkWorkflowLimits(build.manifest, healthy, report);
  quotas.summary.schedules = build.manifest.useCases.reduce((n, u) => n + u.workflows.reduce((m, w) => m + (w.schedules?.length ?? 0), 0), 0);
  checkEnvironment(build.manifest, healthy, loaded.renamedBuckets, report);
  checkDataSyncQuota(build.manifest, healthy, report);
  const diagnostics = sortDiagnostics(report.diagnostics);
  for (const q of quarantined) {
    q.diagnostics = diagnostics.filter((d) => d.useCase === q.useCase || (!platformOk && platformFiles.has(d.file)));
  }
  const summary = {
    useCases: tree.useCases.length,
    compiled: healthy.length,
    quarantined: quarantined.length,
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
  build.manifest.quarantined = quarantined;
  build.files.set('manifest.json', compactJson(build.manifest));
  build.files.set('report.json', json({ version: 1, summary, diagnostics }));
  return {
    ...build,
    diagnostics,
    useCases: healthy,
    quarantined,
    platform,
    sources: new Map(sources.map((s) => [s.path, s.text])),
    rulesSummary: formatRuleSummary(quotas.summary),
    limitsSummary: limits,
  };
}

/** Stable JSON: two-space indent, trailing newline; key order is construction order. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
