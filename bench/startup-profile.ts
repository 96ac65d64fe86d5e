/**
 * Where the time of one CLI process goes: the process runs under V8's CPU
 * profiler (`node --cpu-prof`); each sample is charged to its deepest frame
 * with a source, mapped back through the bundle's source maps (dist/*.js.map)
 * to the file it came from, and files are grouped into stages. Module loading
 * (node compiling and linking the bundle's modules) is its own stage.
 * @see https://nodejs.org/api/cli.html#--cpu-prof
 * @see https://nodejs.org/api/module.html#class-modulesourcemap
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Profiler } from 'node:inspector';

const STAGES: [RegExp, string][] = [
  [/^node:internal\/modules\/|^node:internal\/vm/, 'module loading (node)'],
  [/\/dt-sql-parser\/|\/antlr4ng\/|\/antlr4-c3\/|\/src\/sql\//, 'Spark SQL parse and analysis (dt-sql-parser, sql/)'],
  [/\/node_modules\/yaml\//, 'YAML parse (yaml)'],
  [/\/src\/spec\/schema/, 'schema validation (ajv standalone)'],
  [/\/src\/(spec|ir)\//, 'spec checks, normalize (spec/, ir/)'],
  [/\/src\//, 'other lakestep (cli/, phases/, asl/, build/…)'],
  [/\/node_modules\//, 'other packages'],
];
export const GC = 'garbage collection';
const OTHER = 'node itself (start, native, unattributed)';
export const STARTUP_STAGES = [...STAGES.map(([, s]) => s), GC, OTHER];

/** Maps a bundle position back to its source file (a path or URL); one SourceMap per bundle file. */
function sourceMapper(): (url: string, line: number, column: number) => string {
  const maps = new Map<string, SourceMap | undefined>();
  return (url, line, column) => {
    if (!url.startsWith('file:') || !url.includes('/dist/')) return url;
    let map = maps.get(url);
    if (!maps.has(url)) {
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')));
      } catch {
        map = undefined;
      }
      maps.set(url, map);
    }
    const entry = map?.findEntry(line, column) as { originalSource?: string } | undefined;
    return entry?.originalSource ?? url;
  };
}

/** Profiles `node <args>` once: sampled milliseconds per stage, and the wall time of the process. */
export function profileProcess(args: readonly string[]): { stages: Map<string, number>; totalMs: number; wallMs: number } {
  const dir = mkdtempSync(join(tmpdir(), 'lakestep-cpuprof-'));
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const wallMs = performance.now() - t0;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
    const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profiler.Profile;
    return { ...aggregate(p), wallMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function aggregate(p: Profiler.Profile): { stages: Map<string, number>; totalMs: number } {
  const source = sourceMapper();
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, string>();
  const stageOf = (id: number): string => {
    const known = memo.get(id);
    if (known) return known;
    const n = byId.get(id)!;
    const { url, lineNumber, columnNumber, functionName } = n.callFrame;
    let stage: string | undefined;
    if (functionName === '(garbage collector)') stage = GC;
    else if (url) {
      const from = source(url, lineNumber, columnNumber);
      stage = STAGES.find(([re]) => re.test(from))?.[1];
    }
    const up = parent.get(id);
    stage ??= up === undefined ? OTHER : stageOf(up);
    memo.set(id, stage);
    return stage;
  };
  const stages = new Map<string, number>();
  let totalMs = 0;
  const deltas = p.timeDeltas ?? [];
  (p.samples ?? []).forEach((id, i) => {
    const fn = byId.get(id)!.callFrame.functionName;
    if (fn === '(idle)') return;
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const stage = fn === '(program)' || fn === '(root)' ? OTHER : stageOf(id);
    stages.set(stage, (stages.get(stage) ?? 0) + ms);
    totalMs += ms;
  });
  return { stages, totalMs };
}
