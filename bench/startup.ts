/**
 * Start-up section: wall time of the installed CLI (`node bin/lakestep.mjs`,
 * the bundle in dist/, rebuilt first) against a bare `node -e 0`, measured in
 * turns in the same run so that the machine's load weighs on each alike.
 * Targets: `--version` ≤ 3× and `validate specs` (the example) ≤ 8× bare node:
 * as a user runs it, with the compile cache of the previous run (the warm-up turn
 * fills it), and cold (`--no-cache`: every file read, checked, its SQL analysed).
 * Then where one validate's time goes (startup-profile.ts), and the clean
 * install's status (install.ts).
 *
 *   npx tsx bench/run.ts startup [--repeat=7]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, ms, option, percent, ratio, table, type SectionContext, type SectionOutcome } from './harness.ts';
import { installStatus } from './install.ts';
import { profileProcess, STARTUP_STAGES } from './startup-profile.ts';

/** The bench's own compile cache: filled by the warm-up turn, removed at the end. */
const CACHE = join(tmpdir(), `lakestep-bench-startup-cache-${process.pid}`);

const CASES = [
  { label: 'node -e 0', args: ['-e', '0'], target: undefined },
  { label: 'lakestep --version', args: ['bin/lakestep.mjs', '--version'], target: 3 },
  // The sources through tsx, as bin/lakestep.mjs ran them before dist/: the baseline.
  { label: 'tsx src/cli/main.ts --version', args: ['--import', 'tsx', 'src/cli/main.ts', '--version'], target: undefined },
  { label: 'lakestep validate specs', args: ['bin/lakestep.mjs', 'validate', 'specs', '--cache-dir', CACHE], target: 8 },
  { label: 'lakestep validate specs --no-cache', args: ['bin/lakestep.mjs', 'validate', 'specs', '--no-cache'], target: undefined },
  { label: 'tsx src/cli/main.ts validate specs', args: ['--import', 'tsx', 'src/cli/main.ts', 'validate', 'specs', '--no-cache'], target: undefined },
] as const;

export async function run(ctx: SectionContext): Promise<SectionOutcome> {
  const failures: string[] = [];
  const repeat = Math.max(1, Number(option(ctx.args, 'repeat') ?? 7));
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const walls: number[][] = CASES.map(() => []);
  for (let i = 0; i <= repeat; i++) {
    CASES.forEach((c, k) => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, c.args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const wall = performance.now() - t0;
      if (r.status !== 0) failures.push(`${c.label} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
      // The first turn warms the file cache and is left out.
      if (i > 0) walls[k]!.push(wall);
    });
  }
  const bare = median(walls[0]!);
  const rows = CASES.map((c, k) => {
    const wall = median(walls[k]!);
    return [c.label, ms(wall), k === 0 ? '1.00' : ratio(wall / bare), c.target === undefined ? '' : `≤ ${c.target}×`, c.target === undefined ? '' : wall / bare <= c.target ? 'met' : 'NOT met'];
  });
  ctx.out(`${repeat} turns of each (after one warm-up turn), medians of the wall time of the child process`);
  for (const l of table(['command', 'wall ms', '× node -e 0', 'target', ''], rows)) ctx.out(`  ${l}`);
  rmSync(CACHE, { recursive: true, force: true });
  const warm = CASES.findIndex((c) => c.label === 'lakestep validate specs');
  const validate = CASES.findIndex((c) => c.label === 'lakestep validate specs --no-cache');
  ctx.out(`validate with the cache of the previous run (how an editor or a pre-commit hook runs it): ${ratio(median(walls[warm]!) / bare)}× node -e 0 (target ≤ 8×: ${median(walls[warm]!) / bare <= 8 ? 'met' : 'NOT met'})`);
  ctx.out(`cold validate (--no-cache: every file read, checked and its SQL analysed): ${ratio(median(walls[validate]!) / bare)}× node -e 0 (target ≤ 8×: ${median(walls[validate]!) / bare <= 8 ? 'met' : 'NOT met'})`);
  const p = profileProcess(CASES[validate]!.args);
  ctx.out(`where one cold validate's time goes (node --cpu-prof, bundle mapped back to its sources; ${ms(p.totalMs)} ms sampled of ${ms(p.wallMs)} ms wall):`);
  const stageRows = STARTUP_STAGES.filter((st) => p.stages.has(st)).map((st) => [st, ms(p.stages.get(st)!), percent(p.stages.get(st)!, p.totalMs)]);
  for (const l of table(['stage', 'ms', 'share'], stageRows)) ctx.out(`  ${l}`);
  await installStatus(ctx.out);
  return { failures };
}
