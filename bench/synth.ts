/**
 * Synth section: what `npm run synth` costs on platforms of 100 and 1,000
 * workflows (20 and 200 use cases × 5 dags from bench/generate.ts, compiled for real).
 *
 * Each size is compiled in this process into a temporary build directory, then
 * synthesized in fresh child processes exactly as `cdk synth` runs infra/app.ts:
 * the app's context (cdk.json's feature flags and its own), cdk-nag on, CloudFormation's template validation
 * on. Each child reports construct time, synth time, its CPU time for both and its
 * own peak RSS, so one run's memory never shows in another's. Four runs per size:
 *
 * - baseline: the configuration before synth was trimmed (construct stack traces in
 *   the cloud assembly metadata, tree.json, every template validated and every stack
 *   checked by cdk-nag on every synth, Node's default flags);
 * - cold: the app as configured now (with the node flags of cdk.json's `app` command),
 *   with empty template-validation and cdk-nag caches;
 * - one changed: the same caches after one use case's state machine changed, as the
 *   synth after an edit runs (only the changed stack is validated and checked again);
 * - no validation: cold without CloudFormation's template validation (`CDK_VALIDATION=false`),
 *   to show what the rest of synth costs (with the section's validation on);
 * - shared roles: cold, the same use cases compiled with `state_machine_roles: per_use_case`
 *   (one role for the state machines of a use case instead of one each: fewer resources);
 * - deploy one: what `lakestep deploy` synthesizes after one use case changed on a fresh checkout (CI):
 *   only that use case's stack (context `lakestep:use-cases`), with empty caches.
 *
 *   npx tsx bench/run.ts synth [--synth-sizes=20,200] [--nag=off] [--validation=off]
 *
 * Printed per size and run: stacks, resources per stack (max and total), template size
 * (max), seconds to compile, to build the constructs and to synthesize, CPU, peak RSS.
 * At the largest size the CPU per workflow is compared with the baseline of the same run
 * (target ≤ 1/2) and, normalised by compile time, with the README's figure before the
 * change. A failure is a crash, a quarantined use case, a stack at 500 resources or more,
 * or templates that differ between the runs.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SectionContext, SectionOutcome } from './harness.ts';

const DEFAULT_USE_CASES = [20, 200];
const DAGS_PER_USE_CASE = 5;
const STACK_RESOURCE_LIMIT = 500;
const HERE = fileURLToPath(import.meta.url);
/** The committed README figures for 1,000 workflows before synth was trimmed: compile and synth seconds. */
const README_BEFORE = { compileSeconds: 11.2, synthSeconds: 132.1 };
const RUNS = ['baseline', 'cold', 'one changed', 'no validation'] as const;
/** The runs on the default build, then the cold run of the build with shared state machine roles, then the deploy of one use case. */
type RunName = (typeof RUNS)[number] | 'shared roles' | 'deploy one';
const ROOT = join(HERE, '..', '..');

interface ChildReport {
  stacks: number;
  maxResources: number;
  totalResources: number;
  maxTemplateBytes: number;
  buildSeconds: number;
  synthSeconds: number;
  /** User + system CPU of building the constructs and synthesizing. */
  cpuSeconds: number;
  peakRssBytes: number;
  /** sha256 of each template, by stack name. */
  templates: Record<string, string>;
  /** Templates CloudFormation validation checked (and passed) in this run. */
  validated: number;
}

export async function run(ctx: SectionContext): Promise<SectionOutcome> {
  const { compile } = await import('../src/compile.ts');
  const { lakestepVersion, writeBuild } = await import('../src/cli/io.ts');
  const { generateSpecs } = await import('./generate.ts');
  const { int, mib, option, table } = await import('./harness.ts');
  const { loadBuild } = await import('../infra/manifest.ts');

  const sizes = (option(ctx.args, 'synth-sizes') ?? DEFAULT_USE_CASES.join(',')).split(',').map(Number);
  const nag = option(ctx.args, 'nag') !== 'off';
  const validation = option(ctx.args, 'validation') !== 'off';
  ctx.out(`cdk-nag ${nag ? 'on' : 'off'}, CloudFormation template validation ${validation ? 'on' : 'off'}; each size synthesized in a fresh process`);
  const flags = appNodeFlags();
  ctx.out(`node flags of the runs after the baseline, from cdk.json's app: ${flags.join(' ') || '(none)'}; the baseline runs with Node's defaults`);

  const failures: string[] = [];
  const rows: string[][] = [];
  let largest: { workflows: number; compileCpu: number; cpu: Partial<Record<RunName, number>>; resources: Partial<Record<RunName, number>>; stacks: Partial<Record<RunName, number>> } | undefined;
  for (const useCases of sizes) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = compile(generateSpecs({ useCases }).sources, { lakestepVersion: lakestepVersion() });
    const compileSeconds = (performance.now() - t0) / 1000;
    const compileCpu = cpuSince(c0);
    const workflows = result.useCases.reduce((n, u) => n + u.workflows.length, 0);
    if (result.quarantined.length > 0) {
      failures.push(`${useCases} use cases: ${result.quarantined.length} quarantined (${result.quarantined[0]!.useCase}: ${result.quarantined[0]!.diagnostics[0]?.code})`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'lakestep-bench-synth-'));
    const buildDir = join(dir, 'build');
    const cpu: Partial<Record<RunName, number>> = {};
    const resources: Partial<Record<RunName, number>> = {};
    const stacks: Partial<Record<RunName, number>> = {};
    const reports = new Map<RunName, ChildReport>();
    const record = (runName: RunName, report: ChildReport) => {
      reports.set(runName, report);
      cpu[runName] = report.cpuSeconds;
      resources[runName] = report.totalResources;
      stacks[runName] = report.stacks;
      if (report.maxResources >= STACK_RESOURCE_LIMIT) {
        failures.push(`${useCases} use cases: a stack has ${report.maxResources} resources (limit ${STACK_RESOURCE_LIMIT})`);
      }
      rows.push([
        `${int(useCases)} × ${DAGS_PER_USE_CASE} (${int(workflows)} workflows)`,
        runName,
        int(report.stacks),
        int(report.maxResources),
        int(report.totalResources),
        `${(report.maxTemplateBytes / 1024).toFixed(0)} kB`,
        compileSeconds.toFixed(1),
        report.buildSeconds.toFixed(1),
        report.synthSeconds.toFixed(1),
        report.cpuSeconds.toFixed(1),
        // Per workflow of the platform only when the whole app is built.
        runName === 'deploy one' ? '–' : ((report.cpuSeconds * 1000) / workflows).toFixed(1),
        validation && runName !== 'no validation' ? `${int(report.validated)}/${int(report.stacks)}` : 'off',
        mib(report.peakRssBytes),
      ]);
    };
    try {
      writeBuild(buildDir, result.files);
      for (const runName of RUNS) {
        if (runName === 'one changed') changeOneStateMachine(buildDir, loadBuild(buildDir).manifest.useCases[0]!.workflows[0]!.definition);
        const report = synthInChild(buildDir, join(dir, runName === 'baseline' ? 'cdk.out.baseline' : 'cdk.out'), {
          nag,
          validation: validation && runName !== 'no validation',
          baseline: runName === 'baseline',
          flags: runName === 'baseline' ? [] : flags,
          cacheDir: join(dir, 'validation-cache'),
          // Cold: a cdk-nag cache of its own, empty.
          nagCacheDir: join(dir, runName === 'no validation' ? 'nag-cache-cold' : 'nag-cache'),
        });
        record(runName, report);
      }
      // The same use cases with one role for the state machines of each: cold, caches of its own.
      const sharedBuild = join(dir, 'build-shared');
      const shared = compile(withSharedRoles(generateSpecs({ useCases }).sources), { lakestepVersion: lakestepVersion() });
      if (shared.quarantined.length > 0) failures.push(`${useCases} use cases with shared roles: ${shared.quarantined.length} quarantined`);
      writeBuild(sharedBuild, shared.files);
      record(
        'shared roles',
        synthInChild(sharedBuild, join(dir, 'cdk.out.shared'), {
          nag,
          validation,
          baseline: false,
          flags,
          cacheDir: join(dir, 'validation-cache-shared'),
          nagCacheDir: join(dir, 'nag-cache-shared'),
        }),
      );
      // `lakestep deploy` after one use case changed, in CI: only its stacks built, validated and checked, caches empty.
      const { platform, useCases: compiled } = loadBuild(buildDir).manifest;
      const one = compiled[0]!.name;
      record(
        'deploy one',
        synthInChild(buildDir, join(dir, 'cdk.out.one'), {
          nag,
          validation,
          baseline: false,
          flags,
          cacheDir: join(dir, 'validation-cache-one'),
          nagCacheDir: join(dir, 'nag-cache-one'),
          useCases: one,
        }),
      );
      const deployedOne = reports.get('deploy one')!;
      // The platform stack is built too (the use case's stack imports from it), not deployed.
      const mine = (name: string) => name === `${platform.prefix}-platform` || name === `${platform.prefix}-${one}` || /^-\d+$/.test(name.slice(`${platform.prefix}-${one}`.length));
      const outsideOne = Object.keys(deployedOne.templates).filter((name) => !mine(name));
      if (outsideOne.length > 0) failures.push(`${useCases} use cases: deploying ${one} synthesized other stacks: ${outsideOne.slice(0, 3).join(', ')}`);
      const changed = differingTemplates(reports.get('baseline')!, reports.get('cold')!);
      if (changed.length > 0) failures.push(`${useCases} use cases: templates differ from the baseline's: ${changed.slice(0, 3).join(', ')}`);
      const edited = differingTemplates(reports.get('cold')!, reports.get('one changed')!);
      if (edited.length !== 1) failures.push(`${useCases} use cases: ${edited.length} templates changed after one state machine changed (expected 1)`);
      const unvalidated = differingTemplates(reports.get('one changed')!, reports.get('no validation')!);
      if (unvalidated.length > 0) failures.push(`${useCases} use cases: templates differ without validation: ${unvalidated.slice(0, 3).join(', ')}`);
      if (validation && reports.get('one changed')!.validated !== 1) {
        failures.push(`${useCases} use cases: ${reports.get('one changed')!.validated} templates validated again after one changed (expected 1)`);
      }
    } catch (e) {
      failures.push(`${useCases} use cases: ${(e as Error).message.split('\n').slice(0, 6).join(' | ')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    largest = { workflows, compileCpu, cpu, resources, stacks };
  }
  for (const line of table(
    ['use cases', 'run', 'stacks', 'resources/stack (max)', 'resources', 'template (max)', 'compile s', 'constructs s', 'synth s', 'CPU s', 'CPU ms/workflow', 'validated', 'peak RSS'],
    rows,
  )) {
    ctx.out(line);
  }
  ctx.out('synth s: app.synth() (prepare, cdk-nag, templates, assets, validation); constructs s: building the stacks from the manifest;');
  ctx.out('  CPU s: user + system CPU of both; validated: templates CloudFormation validation checked (the others passed before, unchanged);');
  ctx.out('  shared roles: cold, the same use cases with `state_machine_roles: per_use_case` (an option of platform.yaml; the default is a role per state machine);');
  ctx.out('  deploy one: the app `lakestep deploy` builds after one use case changed (its stacks and the platform stack), caches empty as on a fresh checkout');
  if (largest) for (const line of goalLines(largest)) ctx.out(line);
  return { failures };
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

/** Synth CPU per workflow against the same run's baseline and, normalised by compile time, the README's figure before the change. */
function goalLines(l: { workflows: number; compileCpu: number; cpu: Partial<Record<RunName, number>>; resources: Partial<Record<RunName, number>>; stacks: Partial<Record<RunName, number>> }): string[] {
  const { baseline, cold } = l.cpu;
  const one = l.cpu['deploy one'];
  const changed = l.cpu['one changed'];
  const unvalidated = l.cpu['no validation'];
  const shared = l.cpu['shared roles'];
  if (baseline === undefined || cold === undefined || changed === undefined) return [];
  const perWf = (s: number) => `${((s * 1000) / l.workflows).toFixed(1)} ms`;
  const verdict = (r: number) => (r <= 0.5 ? 'met' : 'NOT met');
  const readmeRatio = README_BEFORE.synthSeconds / README_BEFORE.compileSeconds;
  const norm = (s: number) => s / l.compileCpu / readmeRatio;
  return [
    `synth CPU per workflow at ${l.workflows.toLocaleString('en-US')} workflows: baseline ${perWf(baseline)}, cold ${perWf(cold)}, after one use case changed ${perWf(changed)}`,
    `  cold ÷ baseline: ${(cold / baseline).toFixed(2)} (target ≤ 0.5) ${verdict(cold / baseline)}`,
    `  one changed ÷ baseline: ${(changed / baseline).toFixed(2)} (target ≤ 0.5) ${verdict(changed / baseline)}`,
    ...(unvalidated === undefined
      ? []
      : [
          `  the rest of synth, cold without CloudFormation's template validation: ${perWf(unvalidated)} per workflow = ${(unvalidated / baseline).toFixed(2)} of the baseline;` +
            ` validation is ${(((cold - unvalidated) / cold) * 100).toFixed(0)}% of a cold synth's CPU`,
          `  validation: ${perWf(cold - unvalidated)} per workflow = ${(((cold - unvalidated) * 1000) / (l.resources.cold ?? 1)).toFixed(2)} ms CPU per resource × ${((l.resources.cold ?? 0) / l.workflows).toFixed(2)} resources per workflow` +
            ` (its engine's start included); cold ≤ 0.5 of the baseline would leave it at most ${perWf(Math.max(0, baseline / 2 - unvalidated))} per workflow`,
        ]),
    ...(shared === undefined
      ? []
      : [
          `  with state_machine_roles: per_use_case (not the default), cold: ${perWf(shared)} per workflow = ${(shared / baseline).toFixed(2)} of the baseline (target ≤ 0.5) ${verdict(shared / baseline)};` +
            ` ${(l.resources['shared roles'] ?? 0).toLocaleString('en-US')} resources instead of ${(l.resources.cold ?? 0).toLocaleString('en-US')}`,
        ]),
    ...(one === undefined
      ? []
      : [
          `  \`lakestep deploy\` after one use case changed, on a fresh checkout (caches empty): builds ${l.stacks['deploy one']} stacks (the use case's and the platform's, which it imports from),` +
            ` ${one.toFixed(1)} s CPU = ${(one / cold).toFixed(3)} of a cold synth of the whole app (deploys only the stacks whose use cases changed: met)`,
        ]),
    `  against the README before the change (synth ${README_BEFORE.synthSeconds} s ÷ compile ${README_BEFORE.compileSeconds} s = ${readmeRatio.toFixed(2)}), synth CPU ÷ compile CPU ${(l.compileCpu).toFixed(1)} s of this run:` +
      ` baseline ${norm(baseline).toFixed(2)}, cold ${norm(cold).toFixed(2)} ${verdict(norm(cold))}, one changed ${norm(changed).toFixed(2)} ${verdict(norm(changed))} (target ≤ 0.5)`,
  ];
}

/** The tree with `state_machine_roles: per_use_case` in its platform.yaml. */
function withSharedRoles<T extends { path: string; text: string }>(sources: readonly T[]): T[] {
  return sources.map((f) => (f.path === 'platform.yaml' ? { ...f, text: `${f.text}\nstate_machine_roles: per_use_case\n` } : f));
}

/** Edits one state machine's Comment, as a change to one use case's spec would. */
function changeOneStateMachine(buildDir: string, definition: string): void {
  const file = join(buildDir, definition);
  const asl = JSON.parse(readFileSync(file, 'utf8')) as { Comment?: string };
  asl.Comment = `${asl.Comment ?? ''} (changed)`;
  writeFileSync(file, JSON.stringify(asl));
}

function cacheEntries(dir: string): number {
  try {
    return readdirSync(dir).length;
  } catch {
    return 0;
  }
}

function differingTemplates(a: ChildReport, b: ChildReport): string[] {
  const names = new Set([...Object.keys(a.templates), ...Object.keys(b.templates)]);
  return [...names].filter((n) => a.templates[n] !== b.templates[n]);
}

/** The node flags cdk.json's `app` command runs infra/app.ts with (`node <flags> --import tsx infra/app.ts`), but tsx's loader. */
export function appNodeFlags(): string[] {
  const app = (JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { app: string }).app.split(/\s+/);
  const script = app.indexOf('infra/app.ts');
  if (app[0] !== 'node' || script < 0) throw new Error(`cdk.json: app is not "node … infra/app.ts": ${app.join(' ')}`);
  return app.slice(1, script).filter((arg, i, all) => arg !== '--import' && all[i - 1] !== '--import');
}

/** `flags`: node's, before tsx's loader. */
/** `useCases`: comma-separated, the app builds only their stacks (as `lakestep deploy` after they changed). */
function synthInChild(
  buildDir: string,
  outdir: string,
  opts: { nag: boolean; validation: boolean; baseline: boolean; flags: string[]; cacheDir: string; nagCacheDir: string; useCases?: string },
): ChildReport {
  const args = [buildDir, outdir, String(opts.nag), opts.baseline ? 'baseline' : 'current', opts.cacheDir, opts.nagCacheDir, opts.useCases ?? ''];
  const stdout = execFileSync(process.execPath, [...opts.flags, '--import', 'tsx', HERE, '--child', ...args], {
    cwd: ROOT,
    env: { ...process.env, CDK_VALIDATION: String(opts.validation) },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const last = stdout.trim().split('\n').at(-1)!;
  return JSON.parse(last) as ChildReport;
}

/** Child: synthesize one build directory like `cdk synth` does, print a {@link ChildReport}. */
async function child(buildDir: string, outdir: string, nag: boolean, baseline: boolean, cacheDir: string, nagCacheDir: string, useCases: string): Promise<void> {
  const { App } = await import('aws-cdk-lib');
  const { appContext, buildApp, LEAN_CONTEXT } = await import('../infra/app.ts');
  const context = appContext();
  // The baseline: construct stack traces on, as before synth was trimmed.
  if (baseline) for (const key of Object.keys(LEAN_CONTEXT)) delete context[key];
  const cachedBefore = cacheEntries(cacheDir);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const app = new App({ context: { ...context, buildDir }, outdir, treeMetadata: baseline });
  buildApp({ buildDir, app, nagChecks: nag, validationCache: baseline ? false : cacheDir, nagCache: baseline ? false : nagCacheDir, ...(useCases ? { useCases: useCases.split(',') } : {}) });
  const t1 = performance.now();
  const assembly = app.synth();
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  // Each template the cache validated and passed adds one file to it.
  const passed = baseline ? assembly.stacks.length : cacheEntries(cacheDir) - cachedBefore;
  const sizes = assembly.stacks.map((s) => ({
    resources: Object.keys((s.template as { Resources: object }).Resources).length,
    bytes: JSON.stringify(s.template).length,
  }));
  const report: ChildReport = {
    stacks: sizes.length,
    maxResources: Math.max(...sizes.map((s) => s.resources)),
    totalResources: sizes.reduce((n, s) => n + s.resources, 0),
    maxTemplateBytes: Math.max(...sizes.map((s) => s.bytes)),
    buildSeconds: (t1 - t0) / 1000,
    synthSeconds: (t2 - t1) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    templates: Object.fromEntries(
      assembly.stacks.map((s) => [s.stackName, createHash('sha256').update(readFileSync(s.templateFullPath)).digest('hex')]),
    ),
    validated: passed,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (process.argv[1] === HERE && process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, process.argv[5] !== 'false', process.argv[6] === 'baseline', process.argv[7]!, process.argv[8]!, process.argv[9] ?? '');
}
