/**
 * Stats section: what the example platform under specs/ compiles to, per
 * workflow kind — how many workflows, how many Spark jobs one run starts and
 * how many state transitions its success path takes (static counts from the
 * manifest's `stats`, which is what Step Functions bills per transition).
 *
 *   npx tsx bench/run.ts stats [--specs=specs]
 */
import { relative, resolve } from 'node:path';
import YAML from 'yaml';
import { compile } from '../src/compile.ts';
import { lakestepVersion, readSpecs } from '../src/cli/io.ts';
import type { ManifestWorkflow } from '../src/build/types.ts';
import { int, option, ratio, table, type SectionContext, type SectionOutcome } from './harness.ts';

const KINDS = ['spark', 'migration', 'ingestion', 'processing', 'maintenance'] as const;
const KIND_OF_TYPE: Record<string, string> = { migration: 'migration', ingestion: 'ingestion', transformation: 'processing', maintenance: 'maintenance' };

interface Row {
  declared: number;
  workflows: ManifestWorkflow[];
}

/** Dags declared in the orchestration files, by the kind their body compiles from. */
function declaredKinds(files: { path: string; text: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of files) {
    if (!/^[^/]+\/orchestration\.ya?ml$/.test(f.path)) continue;
    let dags: unknown;
    try {
      dags = (YAML.parse(f.text) as { dags?: unknown } | null)?.dags;
    } catch {
      continue;
    }
    if (!Array.isArray(dags)) continue;
    for (const d of dags as { type?: unknown; spark?: unknown }[]) {
      const kind = d && typeof d === 'object' ? (d.spark ? 'spark' : KIND_OF_TYPE[String(d.type)]) : undefined;
      if (kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
  }
  return counts;
}

function sum(ws: ManifestWorkflow[], f: (w: ManifestWorkflow) => number): number {
  return ws.reduce((a, w) => a + f(w), 0);
}

function range(ws: ManifestWorkflow[], f: (w: ManifestWorkflow) => number): string {
  if (ws.length === 0) return '–';
  const xs = ws.map(f);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

export async function run(ctx: SectionContext): Promise<SectionOutcome> {
  const { out } = ctx;
  const dir = resolve(option(ctx.args, 'specs') ?? 'specs');
  const sources = readSpecs(dir);
  const t0 = performance.now();
  const r = compile(sources, { lakestepVersion: lakestepVersion() });
  const elapsed = performance.now() - t0;
  const declared = declaredKinds(sources);
  const workflows = r.manifest.useCases.flatMap((u) => u.workflows);
  const rows = new Map<string, Row>(KINDS.map((k) => [k, { declared: declared.get(k) ?? 0, workflows: [] }]));
  for (const w of workflows) {
    let row = rows.get(w.kind);
    if (!row) rows.set(w.kind, (row = { declared: declared.get(w.kind) ?? 0, workflows: [] }));
    row.workflows.push(w);
  }

  const useCases = r.useCases.length + r.quarantined.length;
  // Relative to the working folder: the README copy of this output names no path of this machine.
  out(`${relative(process.cwd(), dir) || '.'}: ${sources.length} files, ${useCases} use cases (${r.useCases.length} compiled, ${r.quarantined.length} quarantined), compiled in ${elapsed.toFixed(0)} ms (cold)`);
  for (const q of r.quarantined) {
    const codes = new Map<string, number>();
    for (const d of q.diagnostics.filter((x) => x.severity === 'error')) codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
    out(`  quarantined ${q.useCase}: ${[...codes].map(([c, k]) => `${c} ×${k}`).join(', ') || 'no error of its own'}`);
  }
  out();
  out('per workflow kind (Spark jobs and transitions: one run, success path, static count from the ASL)');
  const lines = [...rows].map(([kind, row]) => {
    const ws = row.workflows;
    const jobs = sum(ws, (w) => w.stats.sparkJobs);
    const trans = sum(ws, (w) => w.stats.successPathTransitions);
    return [
      kind,
      `${ws.length}/${row.declared}`,
      int(jobs),
      ws.length ? ratio(jobs / ws.length) : '–',
      range(ws, (w) => w.stats.sparkJobs),
      int(sum(ws, (w) => w.stats.states)),
      int(trans),
      ws.length ? ratio(trans / ws.length) : '–',
      range(ws, (w) => w.stats.successPathTransitions),
    ];
  });
  const jobs = sum(workflows, (w) => w.stats.sparkJobs);
  const trans = sum(workflows, (w) => w.stats.successPathTransitions);
  const declaredTotal = [...rows.values()].reduce((a, r) => a + r.declared, 0);
  lines.push([
    'total',
    `${workflows.length}/${declaredTotal}`,
    int(jobs),
    workflows.length ? ratio(jobs / workflows.length) : '–',
    range(workflows, (w) => w.stats.sparkJobs),
    int(sum(workflows, (w) => w.stats.states)),
    int(trans),
    workflows.length ? ratio(trans / workflows.length) : '–',
    range(workflows, (w) => w.stats.successPathTransitions),
  ]);
  for (const l of table(['kind', 'compiled/declared', 'spark jobs', 'jobs/wf', 'jobs range', 'states', 'transitions', 'trans/wf', 'trans range'], lines)) out(`  ${l}`);

  const joins = workflows.filter((w) => new Set(w.dependsOn).size > 1);
  if (joins.length > 0) out(`  + ${joins.length} dag(s) joining 2+ upstreams through the dispatcher (${joins.map((w) => w.name).join(', ')})`);

  out();
  out('per workflow');
  for (const l of table(
    ['workflow', 'kind', 'spark jobs', 'states', 'transitions', 'routes'],
    workflows.map((w) => [`${w.stateMachineName}`, w.kind, String(w.stats.sparkJobs), String(w.stats.states), String(w.stats.successPathTransitions), String(w.routes?.length ?? 0)]),
  ))
    out(`  ${l}`);
  return { failures: [] };
}
