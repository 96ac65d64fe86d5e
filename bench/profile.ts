/**
 * Where the time of one synchronous call goes, measured from outside with the
 * V8 sampling profiler (node:inspector): every sample is charged to the nearest
 * frame that has a source file (so `JSON.stringify` called from build/ counts as
 * build/), and files are grouped into pipeline stages.
 */
import { Session } from 'node:inspector/promises';
import type { Profiler } from 'node:inspector';

/** Pipeline stages by source path, first match wins. */
const STAGES: [RegExp, string][] = [
  [/\/node_modules\/yaml\//, 'YAML parse (yaml)'],
  [/\/node_modules\/ajv\/|\/src\/spec\/schema\.ts$/, 'schema validation (ajv)'],
  [/\/src\/spec\//, 'spec/ (files, locate, checks)'],
  [/\/src\/ir\//, 'normalize (ir/)'],
  [/\/src\/phases\//, 'phase compilers (phases/)'],
  [/\/src\/sql\//, 'SQL generation (sql/)'],
  [/\/src\/asl\//, 'ASL (asl/)'],
  [/\/src\/events\//, 'rules (events/)'],
  [/\/src\/(build\/|compile\.ts$|diagnostics\.ts$|naming\.ts$)/, 'pipeline, assemble, JSON (build/)'],
  [/\/node_modules\/([^/]+)\//, 'other packages'],
  [/\/src\//, 'other src/'],
];
export const GC = 'garbage collection';
const OTHER = 'other';

export const STAGE_ORDER = [...STAGES.map(([, s]) => s), GC, OTHER].filter((s, i, a) => a.indexOf(s) === i);

function stageOf(url: string): string | undefined {
  if (!url || url.startsWith('node:')) return undefined;
  for (const [re, stage] of STAGES) if (re.test(url)) return stage;
  return undefined;
}

export interface StageProfile {
  /** Sampled milliseconds per stage. */
  stages: Map<string, number>;
  totalMs: number;
}

let session: Session | undefined;

async function connected(): Promise<Session> {
  if (!session) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
  }
  return session;
}

/** Runs `fn` under the sampling profiler; returns its value and the time per stage. */
export async function profile<T>(fn: () => T): Promise<{ value: T; profile: StageProfile }> {
  const s = await connected();
  await s.post('Profiler.start');
  let value: T;
  try {
    value = fn();
  } catch (e) {
    await s.post('Profiler.stop');
    throw e;
  }
  const { profile: p } = await s.post('Profiler.stop');
  return { value, profile: aggregate(p) };
}

function aggregate(p: Profiler.Profile): StageProfile {
  const parent = new Map<number, number>();
  const byId = new Map<number, Profiler.ProfileNode>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const stageCache = new Map<number, string>();
  const stageOfNode = (id: number): string => {
    const cached = stageCache.get(id);
    if (cached) return cached;
    const n = byId.get(id)!;
    let stage: string;
    if (n.callFrame.functionName === '(garbage collector)') stage = GC;
    else {
      const own = stageOf(n.callFrame.url);
      const up = parent.get(id);
      stage = own ?? (up === undefined ? OTHER : stageOfNode(up));
    }
    stageCache.set(id, stage);
    return stage;
  };
  const stages = new Map<string, number>();
  let total = 0;
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!)!;
    const fn = node.callFrame.functionName;
    if (fn === '(idle)' || fn === '(root)') continue;
    // The delta before sample i+1 is the time spent in sample i.
    const dt = (deltas[i + 1] ?? 0) / 1000;
    const stage = fn === '(program)' ? OTHER : stageOfNode(node.id);
    stages.set(stage, (stages.get(stage) ?? 0) + dt);
    total += dt;
  }
  return { stages, totalMs: total };
}

export function disconnect(): void {
  session?.disconnect();
  session = undefined;
}
