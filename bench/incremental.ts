/**
 * Incremental section: the installed CLI (`node bin/lakestep.mjs`, rebuilt first)
 * on a generated tree written to disk, each run a fresh process.
 *
 *   full         `compile --no-cache` into an empty folder (the reference)
 *   cold cache   `compile` with an empty cache (fills it)
 *   one changed  one use case's merge condition edited, `compile` into the same build with the cache
 *   validate     `validate` of the tree with one YAML file edited, with the cache, and of that file by name
 *   watch        `validate --watch` running, that YAML file edited: the time the watch prints for its run
 *   lineage, plan, simulate 1   `lineage` and `plan --against` through the cache, `simulate --start` of one workflow of the build
 *   floor        a process that parses the YAML keeping positions and writes the full compile's files (goal 4's lower bound)
 * Peak RSS of each process (process.resourceUsage().maxRSS, read by a preload). The build after
 * the incremental compile is compared byte for byte with a full compile of the changed tree.
 * Targets (goals 1 and 2): incremental ≤ 1/20 of the full compile's wall time; peak RSS of the full
 * compile ≤ 400 MiB at 1,000 use cases, growing no faster than linearly (checked against a
 * smaller tree in the same run).
 *
 *   npx tsx bench/run.ts incremental [--sizes=250,1000] [--repeat=3]
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateSpecs } from './generate.ts';
import { int, median, mib, ms, option, ratio, table, type SectionContext, type SectionOutcome } from './harness.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/lakestep.mjs');
const RSS_TARGET_MIB = 400;
const RATIO_TARGET = 1 / 20;

interface Run {
  wall: number;
  rssMiB: number;
  /** User + system CPU of the process, ms. */
  cpu: number;
  code: number;
}

function lakestep(args: string[], cwd: string, preload: string, rssFile: string, script = BIN): Run {
  rmSync(rssFile, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', preload, script, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', LAKESTEP_RSS_FILE: rssFile }, maxBuffer: 256 * 1024 * 1024 });
  const wall = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${script} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  const [rss = 0, user = 0, system = 0] = readFileSync(rssFile, 'utf8').split(' ').map(Number);
  return { wall, rssMiB: rss / 1024, cpu: (user + system) / 1000, code: r.status ?? -1 };
}

/** `<use case>/<dag>` of the first workflow of the build in `buildDir`. */
function firstWorkflow(buildDir: string): string {
  const index = JSON.parse(readFileSync(join(buildDir, 'manifest.json'), 'utf8')) as { useCases: { name: string; manifest: string }[] };
  const uc = index.useCases[0];
  if (!uc) throw new Error('the build has no use case');
  const part = JSON.parse(readFileSync(join(buildDir, uc.manifest), 'utf8')) as { workflows: { name: string }[] };
  const wf = part.workflows[0];
  if (!wf) throw new Error(`use case ${uc.name} has no workflow`);
  return `${uc.name}/${wf.name}`;
}

/**
 * `validate --watch` on `specs` under `cwd`: once it watches, `edits` times an edit of `file` (each waited for),
 * then Ctrl-C; the ms each run after an edit took, as the watch prints them (from taking up the change to its
 * closing line: the 80 ms it waits for an editor's save to settle are not in it).
 */
async function watchRuns(cwd: string, file: string, original: string, edits: number): Promise<number[]> {
  const child = spawn(process.execPath, [BIN, 'validate', 'specs', '--watch', '--cache-dir', 'cache'], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: { re: RegExp; from: number; done: (m: RegExpMatchArray) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = out.slice(w.from).match(w.re);
      if (m) waiters.splice(waiters.indexOf(w), 1), w.done(m);
    }
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => ((out += d), check()));
  child.stderr.setEncoding('utf8').on('data', () => {});
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const waitFor = (re: RegExp, from: number) =>
    Promise.race([
      new Promise<RegExpMatchArray>((done) => (waiters.push({ re, from, done }), check())),
      exited.then(() => Promise.reject(new Error(`validate --watch ended early: ${out.slice(-500)}`))),
      // unref: a timer left behind by an answered wait never holds the bench open.
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`validate --watch did not answer in 120 s: ${out.slice(-500)}`)), 120_000).unref()),
    ]);
  const times: number[] = [];
  try {
    await waitFor(/watching specs/, 0);
    for (let i = 0; i < edits; i++) {
      const from = out.length;
      writeFileSync(join(cwd, 'specs', file), original.replace(/\n?$/, `\n# watched edit ${i + 1}\n`));
      times.push(Number((await waitFor(/validated in (\d+) ms/, from))[1]));
    }
  } finally {
    writeFileSync(join(cwd, 'specs', file), original);
    child.kill('SIGINT');
    await exited;
  }
  return times;
}

function writeTree(dir: string, files: readonly { path: string; text: string }[]): void {
  for (const f of files) {
    const p = join(dir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.text);
  }
}

/** Every file under `dir` (the marker aside, its stamps differ by nature) → content. */
function snapshot(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of snapshot(dir, rel)) out.set(k, v);
    else if (e.name !== '.lakestep-build') out.set(rel, readFileSync(join(dir, rel), 'utf8'));
  }
  return out;
}

function bytesOf(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name !== '.lakestep-build') n += statSync(join(e.parentPath, e.name)).size;
  return n;
}

export async function run(ctx: SectionContext): Promise<SectionOutcome> {
  const failures: string[] = [];
  const sizes = (option(ctx.args, 'sizes') ?? '250,1000').split(',').map(Number).filter((n) => n > 0);
  const repeat = Math.max(1, Number(option(ctx.args, 'repeat') ?? 3));
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'ignore' });
  const work = mkdtempSync(join(tmpdir(), 'lakestep-bench-incremental-'));
  const preload = join(work, 'rss.mjs');
  writeFileSync(preload, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { const u = process.resourceUsage(); writeFileSync(process.env.LAKESTEP_RSS_FILE, `${u.maxRSS} ${u.userCPUTime} ${u.systemCPUTime}`); });\n");
  // The floor of goal 4: a process that only reads and parses the same YAML files (with the yaml package the compiler uses).
  const parseOnly = join(work, 'parse-only.mjs');
  writeFileSync(parseOnly, `import { readdirSync, readFileSync } from 'node:fs';\nimport { join } from 'node:path';\nimport YAML from ${JSON.stringify(join(ROOT, 'node_modules/yaml/dist/index.js'))};\nlet n = 0;\nfor (const e of readdirSync(process.argv[2], { withFileTypes: true, recursive: true })) if (e.isFile() && /\\.ya?ml$/.test(e.name)) { YAML.parse(readFileSync(join(e.parentPath, e.name), 'utf8')); n++; }\nconsole.log(n);\n`);
  // What any compile must do at the least: parse each YAML file keeping positions (its diagnostics point into the
  // file: parseDocument, as src/spec/files.ts), then write the output — here the full compile's files, same paths and sizes.
  const floor = join(work, 'floor.mjs');
  writeFileSync(
    floor,
    `import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';\nimport { dirname, join, relative } from 'node:path';\nimport { parseDocument } from ${JSON.stringify(join(ROOT, 'node_modules/yaml/dist/index.js'))};\n` +
      `const [specs, built, out] = process.argv.slice(2);\nconst files = (d) => readdirSync(d, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));\n` +
      `const sizes = files(built).map((f) => [relative(built, f), statSync(f).size]);\n` +
      `for (const f of files(specs)) if (/\\.ya?ml$/.test(f)) parseDocument(readFileSync(f, 'utf8'), { uniqueKeys: true }).toJS();\n` +
      `for (const [rel, size] of sizes) { const f = join(out, rel); mkdirSync(dirname(f), { recursive: true }); writeFileSync(f, 'x'.repeat(size)); }\n`,
  );
  const rssFile = join(work, 'rss');
  const rows: string[][] = [];
  const memory: { n: number; rss: number }[] = [];
  let last: { n: number; full: number; incremental: number; validateFull: number; validateOne: number; validateFile: number; watch: number; cpuRatio: number; warmRatio: number; floorRatio: number; parseCpu: number; floorCpu: number; fullCpu: number; files: number; outMiB: number } | undefined;
  const cpuRows: string[][] = [];
  const readRows: string[][] = [];
  try {
    for (const n of sizes) {
      const tree = generateSpecs({ useCases: n });
      const dir = join(work, `n${n}`);
      writeTree(join(dir, 'specs'), tree.sources);
      // The use case in the middle of the tree: its merge's delete condition changes (a new ASL and job document).
      const merges = tree.sources.filter((s) => s.path.endsWith('/processing.yaml') && s.text.includes("delete_when: \"op = 'D'\""));
      const changed = merges[Math.floor(merges.length / 2)];
      const yaml = tree.sources.find((s) => s.path.endsWith('/orchestration.yaml'))!;
      if (!changed) throw new Error('the generated tree has no merge to change');
      const full: Run[] = [];
      const incremental: Run[] = [];
      const validateOne: Run[] = [];
      const validateFile: Run[] = [];
      const validateFull: Run[] = [];
      const parse: Run[] = [];
      const floorRuns: Run[] = [];
      const warm: Run[] = [];
      let cold: Run | undefined;
      let tableName: string | undefined;
      const lineage: Run[] = [];
      const plan: Run[] = [];
      const simulateOne: Run[] = [];
      let workflowRef: string | undefined;
      for (let i = 0; i < repeat; i++) {
        // The reference: no cache, an empty build folder.
        rmSync(join(dir, 'full'), { recursive: true, force: true });
        full.push(lakestep(['compile', 'specs', '--out', 'full', '--no-cache'], dir, preload, rssFile));
        validateFull.push(lakestep(['validate', 'specs', '--no-cache'], dir, preload, rssFile));
        parse.push(lakestep(['specs'], dir, preload, rssFile, parseOnly));
        rmSync(join(dir, 'floor'), { recursive: true, force: true });
        floorRuns.push(lakestep(['specs', 'full', 'floor'], dir, preload, rssFile, floor));
        // A warm cache and build, then one use case's SQL file changes (alternately back and forth).
        if (i === 0) {
          rmSync(join(dir, 'cache'), { recursive: true, force: true });
          rmSync(join(dir, 'build'), { recursive: true, force: true });
          cold = lakestep(['compile', 'specs', '--out', 'build', '--cache-dir', 'cache'], dir, preload, rssFile);
        }
        writeFileSync(join(dir, 'specs', changed.path), changed.text.replace("op = 'D'", `op = 'D${i + 1}'`));
        incremental.push(lakestep(['compile', 'specs', '--out', 'build', '--cache-dir', 'cache'], dir, preload, rssFile));
        warm.push(lakestep(['compile', 'specs', '--out', 'build', '--cache-dir', 'cache'], dir, preload, rssFile));
        writeFileSync(join(dir, 'specs', yaml.path), yaml.text.replace(/\n?$/, `\n# edit ${i + 1}\n`));
        validateOne.push(lakestep(['validate', 'specs', '--cache-dir', 'cache'], dir, preload, rssFile));
        // The same file edited again and validated by name, as an editor on save or a pre-commit hook runs it.
        writeFileSync(join(dir, 'specs', yaml.path), yaml.text.replace(/\n?$/, `\n# edit ${i + 1}, by name\n`));
        validateFile.push(lakestep(['validate', `specs/${yaml.path}`, '--cache-dir', 'cache'], dir, preload, rssFile));
        writeFileSync(join(dir, 'specs', yaml.path), yaml.text);
        // Commands that read a compile of the specs (src/cli/commands.ts compileView), through the cache of the last compile.
        tableName ??= Object.keys((JSON.parse(readFileSync(join(dir, 'build/manifest.json'), 'utf8')) as { tables: Record<string, unknown> }).tables)[0];
        if (!tableName) throw new Error('the generated tree has no table');
        lineage.push(lakestep(['lineage', tableName, 'specs', '--cache-dir', 'cache'], dir, preload, rssFile));
        plan.push(lakestep(['plan', 'specs', '--against', 'build', '--cache-dir', 'cache'], dir, preload, rssFile));
        // One workflow of the build run in the simulator, as a developer tries the dag they changed.
        workflowRef ??= firstWorkflow(join(dir, 'build'));
        const sim = lakestep(['simulate', '--build', 'build', '--start', workflowRef, '--quiet'], dir, preload, rssFile);
        if (sim.code !== 0) failures.push(`N=${n}: simulate --start ${workflowRef} exited ${sim.code}`);
        simulateOne.push(sim);
      }
      // A running `validate --watch` (an editor's), the same file edited: how long each run after an edit takes.
      const watch = await watchRuns(dir, yaml.path, yaml.text, Math.max(3, repeat));
      // The last incremental build against a full compile of the same tree.
      rmSync(join(dir, 'full'), { recursive: true, force: true });
      lakestep(['compile', 'specs', '--out', 'full', '--no-cache'], dir, preload, rssFile);
      const a = snapshot(join(dir, 'build'));
      const b = snapshot(join(dir, 'full'));
      const same = a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
      if (!same) failures.push(`N=${n}: the incremental build differs from a full compile of the same tree`);
      const med = (rs: Run[]) => median(rs.map((r) => r.wall));
      rows.push([
        int(n),
        ms(med(full)),
        `${ms(cold!.wall)}`,
        ms(med(incremental)),
        (med(incremental) / med(full)).toFixed(3),
        ms(med(validateFull)),
        ms(med(validateOne)),
        ms(med(validateFile)),
        ms(median(watch)),
        `${mib(Math.max(...full.map((r) => r.rssMiB)) * 1024 * 1024)}`,
        `${mib(Math.max(...incremental.map((r) => r.rssMiB)) * 1024 * 1024)}`,
        `${ms(bytesOf(join(dir, 'full')) / n / 1024, 1)}`,
        same ? 'yes' : 'NO',
      ]);
      memory.push({ n, rss: Math.max(...full.map((r) => r.rssMiB)) });
      const peak = (rs: Run[]) => mib(Math.max(...rs.map((r) => r.rssMiB)) * 1024 * 1024);
      readRows.push([int(n), ms(med(lineage)), peak(lineage), ms(med(plan)), peak(plan), ms(med(simulateOne)), peak(simulateOne), ms(med(full)), `${mib(Math.max(...full.map((r) => r.rssMiB)) * 1024 * 1024)}`]);
      const cpu = (rs: Run[]) => median(rs.map((r) => r.cpu));
      cpuRows.push([int(n), ms(cpu(parse)), ms(cpu(floorRuns)), ratio(cpu(floorRuns) / cpu(parse)), ms(cpu(full)), ratio(cpu(full) / cpu(parse)), ms(cpu(incremental)), ratio(cpu(incremental) / cpu(parse)), ms(cpu(warm)), ratio(cpu(warm) / cpu(parse))]);
      const output = readdirSync(join(dir, 'full'), { withFileTypes: true, recursive: true }).filter((e) => e.isFile());
      last = {
        n,
        full: med(full),
        incremental: med(incremental),
        validateFull: med(validateFull),
        validateOne: med(validateOne),
        validateFile: med(validateFile),
        watch: median(watch),
        cpuRatio: cpu(full) / cpu(parse),
        warmRatio: cpu(warm) / cpu(parse),
        floorRatio: cpu(floorRuns) / cpu(parse),
        parseCpu: cpu(parse),
        floorCpu: cpu(floorRuns),
        fullCpu: cpu(full),
        files: output.length,
        outMiB: output.reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0) / 2 ** 20,
      };
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  ctx.out(`generated trees on disk (bench/generate.ts), each command a fresh process of the built CLI; ${repeat} round(s), medians of wall time`);
  ctx.out('one changed: one use case\'s merge condition edited, compile into the same build with the cache; validate 1: one YAML file edited; validate file: that file edited and validated by name;');
  ctx.out('  watch 1: that file edited under a running `validate --watch`, the time it prints for the run (the tree read again by file stamps, the cache held in memory)');
  for (const l of table(['use cases', 'full ms', 'cold cache ms', 'one changed ms', 'one/full', 'validate ms', 'validate 1 ms', 'validate file ms', 'watch 1 ms', 'full peak RSS', 'incr. peak RSS', 'KiB/use case', 'identical'], rows)) ctx.out(`  ${l}`);
  if (last) {
    const r = last.incremental / last.full;
    ctx.out(`goal 1, incremental compile at N=${int(last.n)}: ${r.toFixed(3)} of a full compile (1/${(1 / r).toFixed(1)}), target ≤ 1/20: ${r <= RATIO_TARGET ? 'met' : 'NOT met'}; validate after one change: ${ratio(last.validateOne / last.validateFull)} of a full validate, of that file by name ${ratio(last.validateFile / last.validateFull)}, under a running validate --watch ${ratio(last.watch / last.validateFull)} (${ms(last.watch)} ms)`);
  }
  ctx.out('process CPU (user + system, medians): a process that only reads and YAML.parses the same YAML files (parse-only), one that only does what any compile');
  ctx.out('  must (floor: each YAML file parsed keeping positions, for diagnostics, then the full compile\'s output files written, same paths and sizes), and the compile process');
  for (const l of table(['use cases', 'parse-only ms', 'floor ms', 'floor/parse', 'full ms', 'full/parse', 'one changed ms', 'one/parse', 'nothing changed ms', 'nothing/parse'], cpuRows)) ctx.out(`  ${l}`);
  if (last) {
    ctx.out(`goal 4, compile process CPU at N=${int(last.n)} against parse-only: ${ratio(last.cpuRatio)} from nothing (target ≤ 1.5: ${last.cpuRatio <= 1.5 ? 'met' : 'NOT met'}), ${ratio(last.warmRatio)} with the cache and nothing changed`);
    ctx.out(
      `  the floor alone (parse with positions, write ${int(last.files)} files of ${ratio(last.outMiB)} MiB) is ${ratio(last.floorRatio)} of parse-only: ` +
        (last.floorRatio > 1.5
          ? 'over the target before any checking or compiling, at this output size (goal 3)'
          : `the target leaves ${ms(1.5 * last.parseCpu - last.floorCpu)} ms of CPU (${ratio((1.5 * last.parseCpu - last.floorCpu) / last.n)} ms per use case) for all the compiler does beyond that — schema and semantic checks, SQL analysis, the IR, ASL and job documents, serializing them; it spends ${ms(last.fullCpu - last.floorCpu)} ms`),
    );
  }
  const top = memory.at(-1);
  if (top) {
    const small = memory[0]!;
    const growth = memory.length > 1 ? (top.rss - small.rss) / (top.n - small.n) : NaN;
    const linearOk = memory.length < 2 || top.rss / top.n <= (small.rss / small.n) * 1.05 || growth <= small.rss / small.n;
    ctx.out(
      `goal 2, peak RSS of a full compile at N=${int(top.n)}: ${ms(top.rss)} MiB, target ≤ ${RSS_TARGET_MIB} MiB: ${top.rss <= RSS_TARGET_MIB ? 'met' : 'NOT met'}` +
        (memory.length > 1 ? `; growth ${ratio(growth)} MiB per use case from N=${int(small.n)} (${ms(small.rss)} MiB): ${linearOk ? 'no faster than linear' : 'FASTER than linear'}` : ''),
    );
  }
  ctx.out('commands that read a compile of the specs, through the cache of the last compile into no build folder (src/cli/commands.ts compileView): `lineage <table> specs`, `plan specs --against build`;');
  ctx.out('  and one that reads the build: `simulate --start <use case>/<dag>` of the first workflow (the build\'s definitions and jobs read as the simulation runs them, src/simulator/build.ts); a full compile beside them');
  for (const l of table(['use cases', 'lineage ms', 'lineage peak RSS', 'plan ms', 'plan peak RSS', 'simulate 1 ms', 'simulate 1 peak RSS', 'full compile ms', 'full peak RSS'], readRows)) ctx.out(`  ${l}`);
  return { failures };
}
