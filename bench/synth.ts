/**
 * Synth section: what `npm run synth` costs on platforms of 100 and 1,000
 * workflows (20 and 200 use cases × 5 dags from bench/generate.ts, compiled for real).
 *
 * Each size is compiled in this process into a temporary build directory, then
 * synthesized in a fresh child process exactly as `cdk synth` runs infra/app.ts:
 * the feature flags of cdk.json, cdk-nag on, CloudFormation's template validation
 * on. The child reports construct time, synth time and its own peak RSS, so one
 * size's memory never shows in another's.
 *
 *   npx tsx bench/run.ts synth [--synth-sizes=20,200] [--nag=off] [--validation=off]
 *
 * Printed per size: stacks, resources per stack (max and total), template size (max),
 * seconds to compile, to build the constructs and to synthesize, peak RSS of the
 * child. A failure is a crash, a quarantined use case or a stack at 500 resources or more.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SectionContext, SectionOutcome } from './harness.ts';

const DEFAULT_USE_CASES = [20, 200];
const DAGS_PER_USE_CASE = 5;
const STACK_RESOURCE_LIMIT = 500;
const HERE = fileURLToPath(import.meta.url);
const ROOT = join(HERE, '..', '..');

interface ChildReport {
  stacks: number;
  maxResources: number;
  totalResources: number;
  maxTemplateBytes: number;
  buildSeconds: number;
  synthSeconds: number;
  peakRssBytes: number;
}

export async function run(ctx: SectionContext): Promise<SectionOutcome> {
  const { compile } = await import('../src/compile.ts');
  const { lakestepVersion, writeBuild } = await import('../src/cli/io.ts');
  const { generateSpecs } = await import('./generate.ts');
  const { int, mib, option, table } = await import('./harness.ts');

  const sizes = (option(ctx.args, 'synth-sizes') ?? DEFAULT_USE_CASES.join(',')).split(',').map(Number);
  const nag = option(ctx.args, 'nag') !== 'off';
  const validation = option(ctx.args, 'validation') !== 'off';
  ctx.out(`cdk-nag ${nag ? 'on' : 'off'}, CloudFormation template validation ${validation ? 'on' : 'off'}; each size synthesized in a fresh process`);

  const failures: string[] = [];
  const rows: string[][] = [];
  for (const useCases of sizes) {
    const t0 = performance.now();
    const result = compile(generateSpecs({ useCases }).sources, { lakestepVersion: lakestepVersion() });
    const compileSeconds = (performance.now() - t0) / 1000;
    const workflows = result.useCases.reduce((n, u) => n + u.workflows.length, 0);
    if (result.quarantined.length > 0) {
      failures.push(`${useCases} use cases: ${result.quarantined.length} quarantined (${result.quarantined[0]!.useCase}: ${result.quarantined[0]!.diagnostics[0]?.code})`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'lakestep-bench-synth-'));
    const buildDir = join(dir, 'build');
    try {
      writeBuild(buildDir, result.files);
      const report = synthInChild(buildDir, join(dir, 'cdk.out'), { nag, validation });
      if (report.maxResources >= STACK_RESOURCE_LIMIT) {
        failures.push(`${useCases} use cases: a stack has ${report.maxResources} resources (limit ${STACK_RESOURCE_LIMIT})`);
      }
      rows.push([
        `${int(useCases)} × ${DAGS_PER_USE_CASE} (${int(workflows)} workflows)`,
        int(report.stacks),
        int(report.maxResources),
        int(report.totalResources),
        `${(report.maxTemplateBytes / 1024).toFixed(0)} kB`,
        compileSeconds.toFixed(1),
        report.buildSeconds.toFixed(1),
        report.synthSeconds.toFixed(1),
        mib(report.peakRssBytes),
      ]);
    } catch (e) {
      failures.push(`${useCases} use cases: ${(e as Error).message.split('\n').slice(0, 6).join(' | ')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  for (const line of table(
    ['use cases', 'stacks', 'resources/stack (max)', 'resources', 'template (max)', 'compile s', 'constructs s', 'synth s', 'peak RSS'],
    rows,
  )) {
    ctx.out(line);
  }
  ctx.out('synth s: app.synth() (prepare, cdk-nag, templates, assets, validation); constructs s: building the stacks from the manifest.');
  return { failures };
}

function synthInChild(buildDir: string, outdir: string, opts: { nag: boolean; validation: boolean }): ChildReport {
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', HERE, '--child', buildDir, outdir, String(opts.nag)], {
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
async function child(buildDir: string, outdir: string, nag: boolean): Promise<void> {
  const { App } = await import('aws-cdk-lib');
  const { buildApp } = await import('../infra/app.ts');
  const context = (JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
  const t0 = performance.now();
  const app = new App({ context: { ...context, buildDir }, outdir });
  buildApp({ buildDir, app, nagChecks: nag });
  const t1 = performance.now();
  const assembly = app.synth();
  const t2 = performance.now();
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
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (process.argv[1] === HERE && process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, process.argv[5] !== 'false');
}
