/**
 * Compile section: how `compile()` scales with the number of use cases,
 * against the floor of merely parsing the same YAML files with `yaml`.
 *
 * For each size N (10, 100, 1,000 use cases × 5 dags, from bench/generate.ts):
 *   parse    `YAML.parse` of every YAML file's text (the baseline)
 *   compile  the full pure pipeline `compile(sources)` of the same sources
 * both in this process, after a warm-up at N=10, alternating in rounds and
 * taking the median. Wall time and
 * CPU time are both kept: the ratios use CPU time, which other processes on
 * the shared cores disturb far less. One more compile per size, untimed, runs
 * between full GCs for heap readings and under the V8 sampling profiler to
 * split its time across pipeline stages (profile.ts). The output of the
 * N=1,000 compile is summed by artifact kind against its target (≤ 50 KiB per
 * use case), with the share of the definitions every workflow repeats verbatim.
 *
 *   npx tsx bench/run.ts compile [--sizes=10,100,1000] [--budget=90]
 *
 * `--budget` caps the seconds spent on one size: more rounds run only while
 * they fit (at least one always runs).
 */
import { createHash } from 'node:crypto';
import YAML from 'yaml';
import { compile, type CompileResult } from '../src/compile.ts';
import { lakestepVersion } from '../src/cli/io.ts';
import type { SourceFile } from '../src/spec/files.ts';
import { generateSpecs, type GeneratedTree } from './generate.ts';
import { gc, heapUsed, int, machineLine, median, mib, ms, option, peakRss, percent, ratio, table, timed, type SectionContext, type SectionOutcome, type Timing } from './harness.ts';
import { disconnect, profile, STAGE_ORDER, type StageProfile } from './profile.ts';

/** Errors a valid generated tree may still report, and why. */
const EXPECTED_ERRORS: Record<string, string> = {
  PHASE_NOT_COMPILED: 'a phase compiler is not available yet; its use cases are quarantined',
  EVENTS_RULE_QUOTA: 'a whole platform of this size exceeds the default EventBridge quota of rules per bus',
};

const DEFAULT_SIZES = [10, 100, 1000];
/** Build output per use case at 1,000 use cases, in KiB. */
const OUTPUT_TARGET_KIB = 50;
const DEFAULT_BUDGET_SECONDS = 90;

interface CompileFacts {
  workflows: number;
  joins: number;
  compiled: number;
  quarantined: number;
  outputFiles: number;
  outputBytes: number;
  /** Files and bytes by artifact kind. */
  outputByKind: Map<string, { files: number; bytes: number }>;
  errors: Map<string, number>;
  warnings: Map<string, number>;
  firstUnexpected?: string;
  manifestHash: string;
  /** Bytes of workflow definitions in states identical to a state of the first definition (name and content). */
  repeatedStateBytes: number;
}

interface SizeResult {
  n: number;
  tree: GeneratedTree;
  inputBytes: number;
  parse: Timing[];
  compile: Timing[];
  heapAfter: number;
  heapRetained: number;
  peakRss: number;
  facts: CompileFacts;
  stages?: StageProfile;
}

function isYaml(path: string): boolean {
  return path.endsWith('.yaml') || path.endsWith('.yml');
}

/** The baseline: plain `YAML.parse` of every file. */
function parseAll(files: readonly SourceFile[]): number {
  let docs = 0;
  for (const f of files) if (YAML.parse(f.text) !== undefined) docs++;
  return docs;
}

function factsOf(r: CompileResult): CompileFacts {
  const errors = new Map<string, number>();
  const warnings = new Map<string, number>();
  let firstUnexpected: string | undefined;
  for (const d of r.diagnostics) {
    const m = d.severity === 'error' ? errors : warnings;
    m.set(d.code, (m.get(d.code) ?? 0) + 1);
    if (d.severity === 'error' && !(d.code in EXPECTED_ERRORS) && firstUnexpected === undefined) {
      firstUnexpected = `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`;
    }
  }
  let outputBytes = 0;
  const outputByKind = new Map<string, { files: number; bytes: number }>();
  for (const [path, text] of r.files) {
    const bytes = Buffer.byteLength(text);
    outputBytes += bytes;
    const kind = artifactKind(path);
    const k = outputByKind.get(kind) ?? { files: 0, bytes: 0 };
    k.files++;
    k.bytes += bytes;
    outputByKind.set(kind, k);
  }
  const workflows = r.manifest.useCases.flatMap((u) => u.workflows);
  return {
    repeatedStateBytes: repeatedStateBytes(r.files),
    workflows: workflows.length,
    joins: workflows.filter((w) => new Set(w.dependsOn).size > 1).length,
    compiled: r.useCases.length,
    quarantined: r.quarantined.length,
    outputFiles: r.files.size,
    outputBytes,
    outputByKind,
    errors,
    warnings,
    ...(firstUnexpected === undefined ? {} : { firstUnexpected }),
    manifestHash: manifestHash(r.files),
  };
}

/** sha256 of the manifest's index and every part, in path order. */
function manifestHash(files: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const path of [...files.keys()].filter((p) => artifactKind(p) === 'manifest').sort()) hash.update(`${path}\0${files.get(path)}\0`);
  return hash.digest('hex');
}

/**
 * How much of the workflow definitions every workflow repeats verbatim: the
 * bytes of states (compact `"name":{…},`) equal to the same-named state of the
 * first definition. Only the first definition's states are held, so the reading
 * adds no memory that grows with the tree.
 */
function repeatedStateBytes(files: ReadonlyMap<string, string>): number {
  let reference: Map<string, string> | undefined;
  let bytes = 0;
  for (const [path, text] of files) {
    if (artifactKind(path) !== 'workflow ASL') continue;
    const states = Object.entries((JSON.parse(text) as { States: Record<string, unknown> }).States).map(([name, st]) => [name, JSON.stringify(st)] as const);
    if (!reference) {
      reference = new Map(states);
      continue;
    }
    for (const [name, st] of states) if (reference.get(name) === st) bytes += Buffer.byteLength(JSON.stringify(name)) + Buffer.byteLength(st) + 2;
  }
  return bytes;
}

function artifactKind(path: string): string {
  // The manifest's index and its one part per use case count as one artifact.
  if (path === 'manifest.json' || path.endsWith('/manifest.json')) return 'manifest';
  if (!path.includes('/')) return path;
  if (path.endsWith('.join.asl.json')) return 'join ASL';
  if (path.startsWith('lakestep/')) return 'platform ASL';
  if (path.endsWith('.slow.asl.json')) return 'watch ASL';
  if (path.endsWith('.asl.json')) return 'workflow ASL';
  if (path.includes('/jobs/')) return 'job documents';
  const ext = path.slice(path.lastIndexOf('.') + 1);
  return `.${ext}`;
}

const cpu = (ts: Timing[]) => median(ts.map((t) => t.cpuMs));
const wall = (ts: Timing[]) => median(ts.map((t) => t.ms));

async function measureSize(n: number, budgetMs: number, version: string, out: (l?: string) => void, failures: string[]): Promise<SizeResult> {
  const tree = generateSpecs({ useCases: n });
  const yaml = tree.sources.filter((s) => isYaml(s.path));
  const inputBytes = tree.sources.reduce((a, s) => a + Buffer.byteLength(s.text), 0);
  const maxRounds = n <= 10 ? 5 : 3;
  const parse: Timing[] = [];
  const comp: Timing[] = [];
  let firstFacts: CompileFacts | undefined;
  let memory: Pick<SizeResult, 'heapAfter' | 'heapRetained' | 'peakRss' | 'stages'> | undefined;
  const start = performance.now();

  // Timed runs get no forced GC before them: a full GC shrinks the heap and makes
  // the next run pay for regrowing it, a fixed cost that would swamp small sizes.
  const runParse = () => parse.push(timed(() => parseAll(yaml)));
  const runCompile = () => {
    let result: CompileResult | undefined;
    const t = timed(() => (result = compile(tree.sources, { lakestepVersion: version })));
    comp.push({ ms: t.ms, cpuMs: t.cpuMs });
    const facts = factsOf(result!);
    result = undefined;
    if (!firstFacts) firstFacts = facts;
    else if (facts.manifestHash !== firstFacts.manifestHash || facts.outputBytes !== firstFacts.outputBytes) {
      failures.push(`N=${n}: two compiles of the same sources gave different output (manifest sha256 ${firstFacts.manifestHash.slice(0, 12)} vs ${facts.manifestHash.slice(0, 12)})`);
    }
  };
  /** One more compile, not timed: heap readings around it, and the stage profile. */
  const runProfiled = async () => {
    gc();
    const before = heapUsed();
    const p = await profile(() => compile(tree.sources, { lakestepVersion: version }));
    const heapAfter = heapUsed() - before;
    gc();
    const heapRetained = heapUsed() - before;
    memory = { heapAfter, heapRetained, peakRss: peakRss(), stages: p.profile };
  };

  for (let round = 0; round < maxRounds; round++) {
    const elapsed = performance.now() - start;
    if (round > 0 && elapsed + elapsed / (round + 1) > budgetMs) break;
    // Alternate the order so drift (neighbours, heap state) does not favour one side.
    if (round % 2 === 0) {
      runParse();
      runCompile();
    } else {
      runCompile();
      runParse();
    }
    if (round === 0) await runProfiled();
  }
  const r: SizeResult = { n, tree, inputBytes, parse, compile: comp, facts: firstFacts!, ...memory! };
  out(
    `  N=${int(n)}: ${comp.length} round(s) in ${ms((performance.now() - start) / 1000, 1)} s — CPU: parse ${ms(cpu(parse))} ms, compile ${ms(cpu(comp))} ms ` +
      `(×${ratio(cpu(comp) / cpu(parse))}); wall: parse ${ms(wall(parse))} ms, compile ${ms(wall(comp))} ms; ${int(r.facts.compiled)}/${int(n)} use cases compiled`,
  );
  const unexpected = [...r.facts.errors].filter(([code]) => !(code in EXPECTED_ERRORS));
  if (unexpected.length > 0) {
    failures.push(`N=${n}: compile of the generated tree reported unexpected errors: ${unexpected.map(([c, k]) => `${c} ×${k}`).join(', ')}; first: ${r.facts.firstUnexpected}`);
  }
  return r;
}

export async function run(ctx: SectionContext): Promise<SectionOutcome> {
  const { out } = ctx;
  const failures: string[] = [];
  const sizes = (option(ctx.args, 'sizes') ?? DEFAULT_SIZES.join(','))
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((x) => Number.isInteger(x) && x > 0);
  const budgetMs = Number(option(ctx.args, 'budget') ?? DEFAULT_BUDGET_SECONDS) * 1000;
  const version = lakestepVersion();

  out('generated tree: platform.yaml + N use cases × 5 dags (migration, ingestion, processing merges, maintenance, custom spark)');
  out(`warm-up at N=10, then per N up to 5/3 rounds of YAML.parse and compile() (alternating, ≤ ${budgetMs / 1000} s per N), medians;\n  one more compile per N between full GCs for heap readings, under the sampling profiler for the stage split`);
  {
    const warm = generateSpecs({ useCases: 10 });
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) {
      parseAll(warm.sources.filter((s) => isYaml(s.path)));
      compile(warm.sources, { lakestepVersion: version });
    }
    await profile(() => compile(warm.sources, { lakestepVersion: version }));
    out(`  warm-up: ${ms(performance.now() - t0)} ms (module loading, schema compilation, JIT)`);
  }

  const results: SizeResult[] = [];
  try {
    for (const n of sizes) results.push(await measureSize(n, budgetMs, version, out, failures));
  } finally {
    disconnect();
  }

  out();
  out('inputs and outputs');
  for (const l of table(
    ['use cases', 'files', 'input', 'dags', '2-upstream', 'cross-uc deps', 'workflows', 'joins', 'compiled', 'quarantined', 'output files', 'output'],
    results.map((r) => [
      int(r.n),
      int(r.tree.sources.length),
      mib(r.inputBytes),
      int(r.tree.dags),
      int(r.tree.twoUpstreamDags),
      int(r.tree.crossUseCaseDependencies),
      int(r.facts.workflows),
      int(r.facts.joins),
      `${int(r.facts.compiled)} (${percent(r.facts.compiled, r.n)})`,
      int(r.facts.quarantined),
      int(r.facts.outputFiles),
      mib(r.facts.outputBytes),
    ]),
  ))
    out(`  ${l}`);
  const largest = results.at(-1);
  if (largest && largest.facts.outputBytes > 0) {
    const parts = [...largest.facts.outputByKind]
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .map(([kind, k]) => `${kind} ${int(k.files)} file${k.files === 1 ? '' : 's'} ${mib(k.bytes)} (${percent(k.bytes, largest.facts.outputBytes)})`);
    out(`  output at N=${int(largest.n)} by artifact: ${parts.join(', ')}; ${ms(largest.facts.outputBytes / largest.n / 1024, 1)} KiB per use case`);
  }
  const sized = results.find((r) => r.n === 1000);
  if (sized) {
    const kib = sized.facts.outputBytes / sized.n / 1024;
    const perKind = [...sized.facts.outputByKind]
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .map(([kind, k]) => `${kind} ${ms(k.bytes / sized.n / 1024, 1)}`);
    out(`  KiB per use case at N=1,000: ${ms(kib, 1)} (target ≤ ${OUTPUT_TARGET_KIB}: ${kib <= OUTPUT_TARGET_KIB ? 'met' : 'NOT met'}) = ${perKind.join(' + ')}`);
    out(`    of the workflow ASL, ${ms(sized.facts.repeatedStateBytes / sized.n / 1024, 1)} KiB per use case are states every workflow repeats verbatim (the run context; ASL has no shared states)`);
    const rest = kib - sized.facts.repeatedStateBytes / sized.n / 1024;
    out(`    with those states shared once by the platform, the output would still be ${ms(rest, 1)} KiB per use case (target ≤ ${OUTPUT_TARGET_KIB}: ${rest <= OUTPUT_TARGET_KIB ? 'within' : 'still over'})`);
  }

  out();
  out('time (median over rounds; CPU time of the process, wall time in brackets) and memory');
  for (const l of table(
    ['use cases', 'rounds', 'parse ms', 'compile ms', 'ms/use case', 'compile/parse', 'heap after', 'heap retained', 'peak RSS'],
    results.map((r) => [
      int(r.n),
      String(r.compile.length),
      `${ms(cpu(r.parse))} (${ms(wall(r.parse))})`,
      `${ms(cpu(r.compile))} (${ms(wall(r.compile))})`,
      `${ms(cpu(r.compile) / r.n, 2)} (${ms(wall(r.compile) / r.n, 2)})`,
      `${ratio(cpu(r.compile) / cpu(r.parse))} (${ratio(wall(r.compile) / wall(r.parse))})`,
      mib(r.heapAfter),
      mib(r.heapRetained),
      mib(r.peakRss),
    ]),
  ))
    out(`  ${l}`);
  out('  heap after: heap growth right after compile(), garbage included; heap retained: still live while the result is');
  out('  held, after a full GC; peak RSS: of the whole process so far (sizes run in ascending order)');

  const profiled = results.filter((r) => r.stages && r.stages.totalMs > 0);
  if (profiled.length > 0) {
    out();
    out('where compile time goes: ms per use case by stage (share of samples of one profiled compile × median compile CPU time)');
    const stages = STAGE_ORDER.filter((s) => profiled.some((r) => (r.stages!.stages.get(s) ?? 0) > 0));
    const rows = stages.map((s) => [
      s,
      ...profiled.map((r) => {
        const share = (r.stages!.stages.get(s) ?? 0) / r.stages!.totalMs;
        return `${ms((share * cpu(r.compile)) / r.n, 2)} (${percent(share, 1)})`;
      }),
    ]);
    rows.push(['compile', ...profiled.map((r) => `${ms(cpu(r.compile) / r.n, 2)} (100%)`)]);
    for (const l of table(['stage', ...profiled.map((r) => `N=${int(r.n)}`)], rows)) out(`  ${l}`);
  }

  const codes = new Map<string, number>();
  for (const r of results) for (const [code, k] of r.facts.errors) codes.set(code, Math.max(codes.get(code) ?? 0, k));
  if (codes.size > 0) {
    out();
    out('errors reported on the generated tree (largest size):');
    for (const [code, k] of codes) out(`  ${code} ×${int(k)}: ${EXPECTED_ERRORS[code] ?? 'UNEXPECTED'}`);
  }
  const warnings = results.at(-1)?.facts.warnings;
  if (warnings && warnings.size > 0) out(`warnings (largest size): ${[...warnings].map(([c, k]) => `${c} ×${int(k)}`).join(', ')}`);

  out();
  const byN = new Map(results.map((r) => [r.n, r]));
  const last = results.at(-1);
  if (last) out(`use cases compiled: ${int(last.facts.compiled)} of ${int(last.n)} (${percent(last.facts.compiled, last.n)})`);
  const at1000 = byN.get(1000);
  const at100 = byN.get(100);
  if (at1000) {
    out(`ratio at 1,000 use cases: ${ratio(cpu(at1000.compile) / cpu(at1000.parse))} (target ≤ 2) [CPU time; wall: ${ratio(wall(at1000.compile) / wall(at1000.parse))}]`);
  }
  if (at100 && at1000) {
    const a = cpu(at100.compile) / 100;
    const b = cpu(at1000.compile) / 1000;
    out(`time per use case 100 → 1,000: ${ms(a, 2)} ms → ${ms(b, 2)} ms (flat target: ratio B/A ≈ 1; measured ${ratio(b / a)}) [CPU time; wall: ${ms(wall(at100.compile) / 100, 2)} → ${ms(wall(at1000.compile) / 1000, 2)} ms]`);
  }
  return { failures };
}
