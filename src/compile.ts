/**
 * The whole pipeline: spec sources in, build artifacts and diagnostics out
 * (DESIGN §1). Only the CLI reads and writes files.
 *
 *   discover → platform → per use case: scan (parse, file checks, index facts)
 *   → platform index, ownership, cycles → per use case: normalize
 *   → quarantine, cross-use-case checks → per use case: assemble (ASL, jobs,
 *   manifest part) → the platform's own artifacts, manifest, report
 *
 * The platform stage and each per-use-case stage are units the incremental
 * cache can serve (src/compile/cache.ts): with a cache, platform.yaml is parsed
 * only when it (or the set of use cases) changed, and a use case whose files, platform and
 * reads of other use cases did not change is neither parsed nor compiled again,
 * and the output is byte for byte what a full compile writes.
 *
 * {@link compileStream} hands each generated file over as soon as its use case
 * is assembled, so a large platform is never held in memory whole;
 * {@link compile} collects them into a map.
 */
import { Report, sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import { assemblePlatform, compactJson, type BuildOutput } from './build/assemble.ts';
import { checkLakeFormation } from './build/governance.ts';
import { checkCycles } from './ir/index-platform.ts';
import { migratedTables } from './ir/migration-order.ts';
import { checkMissingDependencies, indexUpstreams } from './ir/dependency-missing.ts';
import { checkDatabaseOwners, checkTableOwnership } from './ir/ownership.ts';
import { RecordingIndex, setTableOwners } from './ir/context.ts';
import type { UseCaseFacts } from './ir/facts.ts';
import type { Platform, UseCase } from './ir/types.ts';
import type { Manifest, ManifestPlatform, ManifestTable } from './build/types.ts';
import { tableCatalog } from './build/tables.ts';
import { MANIFEST_INDEX, manifestPartPath, readManifest } from './build/manifest-files.ts';
import { checkRouteQuota, checkRuleQuotas, formatRuleSummary, statusRule } from './events/index.ts';
import { limitsSummary } from './build/limits.ts';
import { checkDataSyncQuota } from './build/datasync-quota.ts';
import { checkIamRoleQuota, formatRoleSummary, platformRoles } from './build/iam-quota.ts';
import { layoutStacks } from '../infra/usecase/shards.ts';
import { discover, type SkippedEntry, type UseCaseFiles } from './spec/discover.ts';
import type { SourceFile, SpecFile } from './spec/files.ts';
import { CACHE_FORMAT, canonical, digest, SpilledUseCases, type CacheEntry, type CompileCache, type FileDigest, type UseCaseSummary } from './compile/cache.ts';
import { indexPrint, ReadAnswers } from './compile/reads.ts';
import { platformStage } from './compile/platform.ts';
import { parseUseCase, scanUseCase, type UseCaseScan } from './compile/scan.ts';
import { assembleUnit, assemblyInput, normalizeUnit, type Normalized } from './compile/unit.ts';

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
  /** One line on the IAM roles the build's stacks create, against the account quota. */
  iamSummary: string;
  /** The IAM roles the build's stacks create (src/build/iam-quota.ts). */
  iamRoles: number;
}

/**
 * What {@link compileStream} returns: everything but the files, which went to `emit`, and the manifest's use
 * cases; the compiled use cases' IR only on demand (a use case served by the cache has none in memory).
 */
export interface StreamResult extends Omit<CompileResult, 'files' | 'manifest' | 'useCases'> {
  /** The IR of the use cases that compiled, in name order (read from the cache, or normalized again, when needed). */
  loadUseCases(): UseCase[];
  /** The manifest without its use cases' parts. */
  manifest: Omit<Manifest, 'useCases'>;
  /** Each compiled use case's workflows, as the whole-platform checks and the CLI summary read them. */
  summaries: UseCaseSummary[];
  /** Whether the platform stage's result, and which use cases' stage results, came from the cache (none without one). */
  reused: { platform: boolean; scanned: string[]; normalized: string[]; assembled: string[]; cross: { scanned: boolean; facts: boolean } };
}

export interface CompileOptions {
  lakestepVersion: string;
  /** Environment whose overlay `platform.<env>.yaml` applies over platform.yaml (src/spec/environment.ts). */
  env?: string;
  /** Paths the reader left out of `sources` (links, special files), reported as warnings. */
  skipped?: readonly SkippedEntry[];
  /** Results of earlier compiles to reuse (src/compile/cache.ts). */
  cache?: CompileCache;
  /**
   * What names the compiler's code in the cache's keys, beside {@link lakestepVersion}: a cache written by other
   * code is not read (src/cli/code-id.ts). Not needed when no cache outlives the process.
   */
  codeId?: string;
}

/** A generated file: its path in the build, its content's digest, and the content, produced on demand. */
export interface OutputFile extends FileDigest {
  text(): string;
  /** True when the content is in memory already (just made): `text()` costs nothing, and holding the file holds it. */
  held?: boolean;
}

export interface StreamOptions extends CompileOptions {
  /** Receives every generated file once, use case by use case, then the platform's files. */
  emit(file: OutputFile): void;
}

export function compile(sources: readonly SourceFile[], options: CompileOptions): CompileResult {
  const files = new Map<string, string>();
  const r = compileStream(sources, { ...options, emit: (f) => files.set(f.path, f.text()) });
  const manifest = readManifest((p) => files.get(p));
  const { summaries: _summaries, reused: _reused, loadUseCases, ...rest } = r;
  return { ...rest, useCases: loadUseCases(), manifest, files };
}

/** One use case on its way through the stages. */
interface Unit {
  files: UseCaseFiles;
  key: string;
  cached: CacheEntry | undefined;
  scan: UseCaseScan;
  /** Its files as the scan parsed them, kept for the normalize stage ({@link KEEP_PARSED}). */
  parsed?: Map<string, SpecFile>;
  /** Made by this compile, or the cache's (never changed: a cache may hand out the object it keeps). */
  normalized?: Normalized;
  /** Its IR while it is assembled, when {@link normalized} does not hold it. */
  ir?: UseCase;
}

/**
 * How many use cases' parsed files the scan keeps for the normalize stage: the first ones it parses. Holding
 * every use case's documents until then doubles the peak memory of a large platform, parsing one twice
 * costs less; an incremental compile that scans a few changed use cases parses each once.
 */
const KEEP_PARSED = 32;

export function compileStream(sources: readonly SourceFile[], options: StreamOptions): StreamResult {
  const report = new Report();
  const cache = options.cache;
  // Where each IR waits between its normalize and assemble stages: the cache, else a serialized copy in memory.
  const irs: Pick<CompileCache, 'readUseCase' | 'writeUseCase'> = cache ?? new SpilledUseCases();
  /** Use cases whose IR this run stored: read back without checking its digest again. */
  const storedNow = new Set<string>();
  /** Stores a freshly made IR; true when stored (the caller may then let it go). */
  const storeIr = (name: string, n: Normalized): boolean => {
    const stored = n.useCase !== undefined && irs.writeUseCase(name, { digest: n.digest, useCase: n.useCase });
    if (stored) storedNow.add(name);
    return stored;
  };
  const tree = discover(sources, report, options.skipped);
  const compiler = options.codeId === undefined ? options.lakestepVersion : `${options.lakestepVersion}+${options.codeId}`;
  const stage = platformStage(tree, options.env, report, compiler, cache);
  const loaded = stage.loaded;
  const reused: StreamResult['reused'] = { platform: stage.reused, scanned: [], normalized: [], assembled: [], cross: { scanned: false, facts: false } };

  const { platform, ok: platformOk, baseFile: platformFile } = loaded;
  const platformFiles = new Set(loaded.files);
  // Everything outside a use case's folder that any of its stages reads without going through the index.
  const platformKey = digest(String(CACHE_FORMAT), compiler, canonical({ platform, renamed: loaded.renamedBuckets }));

  // Scan: parse each use case once, or take its facts from the cache when its files did not change.
  let parsedKept = 0;
  const units: Unit[] = tree.useCases.map((uc) => {
    const key = digest(platformKey, uc.name, ...[...uc.yaml.values(), ...uc.other.values()].flatMap((f) => [f.path, f.text]));
    const hit = cache?.read(uc.name);
    const cached = hit?.format === CACHE_FORMAT && hit.key === key ? hit : undefined;
    if (cached) {
      reused.scanned.push(uc.name);
      return { files: uc, key, cached, scan: cached.scan };
    }
    const { scan, parsed } = scanUseCase(uc, platform);
    return { files: uc, key, cached: undefined, scan, ...(parsedKept++ < KEEP_PARSED ? { parsed } : {}) };
  });
  for (const u of units) u.scan.diagnostics.forEach((d) => report.add(d));

  const index = new RecordingIndex(units.map((u) => [u.scan.name, u.scan.entry]));
  const print = indexPrint(platformKey, units.map((u) => u.scan));
  // Table ownership, database owners and cycles: taken from the last compile while what they read is the same.
  const cross = cache?.readCross?.();
  const crossBefore = cross?.format === CACHE_FORMAT ? cross : undefined;
  const platformTexts = sources.filter((f) => platformFiles.has(f.path)).flatMap((f) => [f.path, f.text]);
  const scannedKey = digest(print, ...platformTexts, ...units.flatMap((u) => [u.scan.name, u.scan.edgesDigest]));
  const scanned = memo(crossBefore?.scanned, scannedKey, report, (found) => {
    const checked = checkTableOwnership(
      units.map((u) => u.scan.ownership),
      found,
      { owners: platform.databaseOwners, ...(platformFile ? { file: platformFile } : {}) },
    );
    checkDatabaseOwners(platform, platformFile, tree.useCases, found);
    checkCycles(new Map(units.map((u) => [u.scan.name, u.scan.edges])), found);
    return { owners: [...checked.owners], created: [...checked.created] };
  });
  reused.cross.scanned = scanned === crossBefore?.scanned;
  const owners = new Map(scanned.owners);
  const created = new Set(scanned.created);
  setTableOwners(index, owners, created);

  // Normalize: reuse a use case's IR while every read it made of the index answers the same — without asking
  // again while the index prints as it did when they were answered.
  const answers = new ReadAnswers(index, new Map(units.map((u) => [u.scan.name, u.scan.entryDigest])));
  const verified = cache?.readVerified?.();
  const verifiedIds = verified?.print === print ? new Map(Object.entries(verified.ids)) : new Map<string, string>();
  const facts = new Map<string, UseCaseFacts>();
  for (const u of units) {
    const previous = u.cached?.normalized;
    if (previous && ((verifiedIds.has(u.files.name) && verifiedIds.get(u.files.name) === previous.id) || answers.unchanged(previous.reads))) {
      u.normalized = previous;
      reused.normalized.push(u.files.name);
    } else {
      u.normalized = normalizeUnit(u.files, u.parsed ?? parseUseCase(u.files), platform, index, answers);
      // Into the cache at once, read back to assemble: the IR of a large platform is never held whole.
      if (storeIr(u.files.name, u.normalized)) delete u.normalized.useCase;
    }
    delete u.parsed;
    u.normalized.diagnostics.forEach((d) => report.add(d));
    if (u.normalized.facts) facts.set(u.files.name, u.normalized.facts);
  }

  // Every result now stands verified on this index (made on it or answered alike): one small file, no entry, when it
  // changed (the list of another index is empty here, so it differs).
  const ids = Object.fromEntries(units.map((u) => [u.files.name, u.normalized!.id]));
  if (cache?.writeVerified && (verifiedIds.size !== units.length || units.some((u) => verifiedIds.get(u.files.name) !== ids[u.files.name]))) {
    cache.writeVerified({ print, ids });
  }

  if (platformOk) checkLakeFormation(platform, [...facts.values()], platformFile, report);

  const broken = new Set(report.diagnostics.filter((d) => d.severity === 'error' && d.useCase).map((d) => d.useCase!));
  const healthy: Unit[] = [];
  const quarantined: CompileResult['quarantined'] = [];
  for (const u of units) {
    if (platformOk && u.normalized?.facts && !broken.has(u.files.name)) healthy.push(u);
    else quarantined.push({ useCase: u.files.name, diagnostics: [] });
  }
  const healthySet = new Set(healthy);
  const healthyFacts = healthy.map((u) => u.normalized!.facts!);
  const quarantinedNames = new Set(quarantined.map((q) => q.useCase));
  // Only with a use case quarantined: the loop reads every workflow's facts.
  for (const uc of quarantinedNames.size > 0 ? healthyFacts : []) {
    for (const w of uc.workflows) {
      for (const dep of w.dependsOn) {
        if (quarantinedNames.has(dep.useCase)) {
          report.warning(
            'DEPENDENCY_QUARANTINED',
            `'${w.name}' depends on '${dep.useCase}/${dep.dag}', whose use case is quarantined: its last deployment keeps emitting events, but changes to it are not deployed until its errors are fixed`,
            dep.origin,
            uc.name,
          );
        }
      }
    }
  }

  // The platform's rules (one, whatever the number of workflows), checked against EventBridge quotas.
  const quotas = checkRuleQuotas(platform, healthy.length ? [statusRule(platform)] : []);
  quotas.diagnostics.forEach((d) => report.add(d));

  // Readers and writers of the use cases that compile; chains of depends_on through any dag the specs name.
  // Missing dependencies and the table catalog: from the last compile while the facts of what compiles are the same.
  const factsKey = digest(scannedKey, ...healthy.flatMap((u) => [u.files.name, u.normalized!.factsId]));
  const crossFacts = memo(crossBefore?.facts, factsKey, report, (found) => {
    checkMissingDependencies({ useCases: healthyFacts, upstreams: indexUpstreams(index) }, found);
    return { tables: tableCatalog({ platform, useCases: healthyFacts, owners, index }) };
  });
  reused.cross.facts = crossFacts === crossBefore?.facts;
  const tables = crossFacts.tables;
  // Migrations of quarantined use cases count: their last deployment may still be converting.
  // Made again only when a use case's facts changed; what each assembled input was made with is its content's digest.
  const migratedFrom = digest(...units.flatMap((u) => (u.normalized?.facts ? [u.files.name, u.normalized.factsId] : [])));
  const migratedBefore = crossBefore?.migrated?.key === migratedFrom ? crossBefore.migrated : undefined;
  const migratedList = migratedBefore?.tables ?? [...migratedTables([...facts.values()])];
  const migrated = new Map(migratedList);
  const migratedKey = migratedBefore?.digest ?? digest(canonical(migratedList));
  if (cache?.writeCross && !(reused.cross.scanned && reused.cross.facts && migratedBefore)) {
    cache.writeCross({ format: CACHE_FORMAT, scanned, facts: crossFacts, migrated: { key: migratedFrom, digest: migratedKey, tables: migratedList } });
  }

  // Assemble: each healthy use case's files go out as soon as they are made (or found unchanged in the cache).
  /** The IR of a unit: held (no cache), else read from the cache, else normalized again (a cache entry without it). */
  const irOf = (u: Unit): UseCase => {
    const n = u.normalized!;
    if (n.useCase) return n.useCase;
    if (!u.ir) {
      // An IR stored by an earlier run is taken only when it still has the digest its entry was made with.
      const stored = irs.readUseCase(u.files.name, n.digest);
      if (stored && (storedNow.has(u.files.name) || digest(canonical(stored)) === n.digest)) u.ir = stored;
    }
    if (!u.ir) {
      const again = normalizeUnit(u.files, parseUseCase(u.files), platform, index, answers);
      if (again.digest !== n.digest) throw new Error(`the compile cache entry of use case '${u.files.name}' does not match what it normalizes to: delete the cache folder (or use --no-cache) and compile again`);
      u.ir = again.useCase!;
      storeIr(u.files.name, again);
    }
    return u.ir;
  };
  const entryOf = (u: Unit, assembled?: CacheEntry['assembled']): CacheEntry => {
    const { useCase: _ir, ...normalized } = u.normalized!;
    return { format: CACHE_FORMAT, key: u.key, scan: u.scan, normalized, ...(assembled ? { assembled } : {}) };
  };
  const summaries: UseCaseSummary[] = [];
  for (const u of healthy) {
    const name = u.files.name;
    const previous = u.cached?.assembled;
    // The same normalized result and migrated tables as the cached input was made from: the same input. (Not the
    // entry's own normalized result: a quarantined use case's entry takes a new one and keeps its old output.)
    const basis = digest(u.normalized!.id, migratedKey);
    const input = previous?.basis === basis ? previous.input : assemblyInput(u.normalized!, migrated);
    const assemble = () => {
      const a = assembleUnit(irOf(u), u.normalized!.facts!, platform, migrated, loaded.renamedBuckets);
      a.files.set(manifestPartPath(name), compactJson(a.part));
      return { files: a.files, assembled: { input, basis, summary: a.summary, diagnostics: a.diagnostics, files: [...a.files].map(([path, text]) => ({ path, digest: digest(text) })) } };
    };
    let assembled: NonNullable<CacheEntry['assembled']>;
    let text: (path: string) => string;
    let held = false;
    if (previous?.input === input) {
      assembled = previous.basis === basis ? previous : { ...previous, basis };
      reused.assembled.push(name);
      // A file's text is needed only when the build folder lacks it (or it changed there), or a command reads
      // it without a build folder (graph, lineage, plan: the manifest part): taken from the
      // files the cache keeps when it keeps them and they match their digests, else assembled again from the IR.
      let stored: Map<string, string> | undefined;
      text = (path) => {
        stored ??= cache!.readFiles?.(name) ?? new Map();
        const t = stored.get(path);
        if (t !== undefined && digest(t) === assembled.files.find((f) => f.path === path)?.digest) return t;
        const again = assemble();
        // Asked after this use case's turn (compile --strict writes once every use case compiled): its IR goes again.
        delete u.ir;
        const same = again.assembled.files.length === assembled.files.length && again.assembled.files.every((f, i) => f.path === assembled.files[i]!.path && f.digest === assembled.files[i]!.digest);
        // A cache edited by hand or by another program: said plainly (exit 1), the files written so far kept.
        if (!same) throw Object.assign(new Error(`the compile cache entry of use case '${name}' does not match what it compiles to: delete the cache folder (or use --no-cache) and compile again`), { exitCode: 1 });
        stored = again.files;
        // The entry is the same; a cache that keeps files (all of them in memory, the manifest part on disk) keeps these.
        if (cache!.readFiles) cache!.write(name, entryOf(u, assembled), { files: stored });
        const i = reused.assembled.indexOf(name);
        if (i >= 0) reused.assembled.splice(i, 1);
        return stored.get(path)!;
      };
    } else {
      const made = assemble();
      assembled = made.assembled;
      text = (path) => made.files.get(path)!;
      held = true;
      cache?.write(name, entryOf(u, assembled), { files: made.files });
    }
    for (const f of assembled.files) options.emit({ ...f, text: () => text(f.path), ...(held ? { held } : {}) });
    assembled.diagnostics.forEach((d) => report.add(d));
    summaries.push(assembled.summary);
    if (cache && previous?.input === input && (u.normalized !== u.cached?.normalized || u.cached?.key !== u.key || assembled !== previous)) {
      cache.write(name, entryOf(u, assembled));
    }
    // The IR is stored: let it go again (loadUseCases reads it back).
    delete u.normalized!.useCase;
    delete u.ir;
  }
  if (cache) {
    // Quarantined use cases keep their scan and IR (stored when made); their assembled output of an earlier compile stays valid by its own key.
    for (const u of units) {
      if (healthySet.has(u)) continue;
      if (u.cached?.key === u.key && u.normalized === u.cached?.normalized) continue;
      cache.write(u.files.name, entryOf(u, u.cached?.assembled));
    }
    cache.prune(new Set(units.map((u) => u.files.name)));
  }

  const build = assemblePlatform({ platform, useCases: healthyFacts, lakestepVersion: options.lakestepVersion, tables });
  const limits = limitsSummary(summaries);
  quotas.summary.schedules = summaries.reduce((n, u) => n + u.workflows.reduce((m, w) => m + w.schedules, 0), 0);
  quotas.summary.routes = checkRouteQuota(summaries, healthyFacts, report);
  checkDataSyncQuota({ platform: { region: platform.region }, useCases: summaries }, healthyFacts, report);
  const roles = checkIamRoleQuota(platformRoles(platform, build.manifest.machines), withStackRoles(summaries, build.manifest.platform, tables), healthyFacts, report, platform);
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
  for (const [path, text] of build.files) options.emit(outputFile(path, text));
  // The manifest's index; each use case's part went out with its files.
  const refs = healthyFacts.map((uc) => ({ name: uc.name, owner: uc.owner, specHash: uc.specHash, manifest: manifestPartPath(uc.name) }));
  options.emit(outputFile(MANIFEST_INDEX, compactJson({ ...build.manifest, useCases: refs })));
  options.emit(outputFile('report.json', json({ version: 1, summary, diagnostics })));
  const { useCases: _parts, ...manifest } = build.manifest;
  return {
    manifest,
    summaries,
    reused,
    diagnostics,
    loadUseCases: () => healthy.map(irOf),
    quarantined,
    platform,
    sources: new Map(sources.map((s) => [s.path, s.text])),
    rulesSummary: formatRuleSummary(quotas.summary),
    limitsSummary: limits,
    iamSummary: formatRoleSummary(roles),
    iamRoles: roles,
  };
}

/**
 * A whole-platform stage's result: `before` when it was made under `key`, else what `compute` makes with its
 * diagnostics in a report of its own; the diagnostics go into `report` either way, where the stage puts them.
 */
function memo<T extends object>(before: (T & { key: string; diagnostics: Diagnostic[] }) | undefined, key: string, report: Report, compute: (found: Report) => T): T & { key: string; diagnostics: Diagnostic[] } {
  let result = before;
  if (result?.key !== key) {
    const found = new Report();
    result = { ...compute(found), key, diagnostics: found.diagnostics };
  }
  result.diagnostics.forEach((d) => report.add(d));
  return result;
}

function outputFile(path: string, text: string): OutputFile {
  return { path, digest: digest(text), text: () => text, held: true };
}

/** Stable JSON: two-space indent, trailing newline; key order is construction order. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/**
 * The summaries with the roles of use cases split over stacks: with `state_machine_roles: per_use_case` the
 * machines of each stack share a role of that stack, so a use case has one per stack (src/build/iam-quota.ts
 * `useCaseRoles`), split as the CDK app splits it (infra/usecase/shards.ts) from what its summary keeps.
 */
function withStackRoles(summaries: readonly UseCaseSummary[], platform: ManifestPlatform, tables: Readonly<Record<string, ManifestTable>>): UseCaseSummary[] {
  // Every use case's layout, with workflows or not: its shares may add grants to another's first stack.
  const layouts = summaries.flatMap((u) => (u.layout ? [{ name: u.name, layout: u.layout }] : []));
  if (layouts.length === 0) return [...summaries];
  const stacks = layoutStacks(platform, tables, layouts);
  return summaries.map((u) => (u.workflows.length > 0 ? { ...u, roles: u.roles + (stacks.get(u.name) ?? 1) - 1 } : u));
}
