/**
 * The page of the example platform's failure scenario, from the real compile and
 * simulation: its runs, its data, and the HTML file (scripts, policy, escaping).
 * The browser suite (test/browser/) opens the same page in Chromium.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { GATE_SETTLE_SECONDS } from '../../src/asl/gate.ts';
import { parseScenario, simulate, type SimulationResult } from '../../src/simulator/index.ts';
import { jsonForHtml, pageHtml } from '../../src/ui/html.ts';
import { simulationPage } from '../../src/ui/page-data.ts';
import type { UiData } from '../../src/ui/types.ts';
import { compileExamplePlatform, type PlatformBuild } from '../simulator/platform.ts';

const FAILURE = 'src/simulator/scenarios/failure.yaml';
let build: PlatformBuild;
let result: SimulationResult;
let page: UiData;

beforeAll(async () => {
  build = compileExamplePlatform();
  const scenario = parseScenario(readFileSync(FAILURE, 'utf8'));
  result = await simulate({ buildDir: build.dir, scenario });
  page = simulationPage(build.manifest, [], result, scenario, FAILURE);
}, 120_000);

/** The elements `<script …>…</script>` of a page, as an HTML parser finds them (none of their text holds `</script`). */
function scripts(html: string): { attrs: string; text: string }[] {
  return [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/gi)].map((m) => ({ attrs: m[1]!, text: m[2]! }));
}

describe('the runs of the failure scenario', () => {
  it('shows the failed migration with its error, the state that raised it, its states and its failed job run', () => {
    const migration = page.runs.find((r) => r.dag === 'orders/orders-migration')!;
    // A failed execution has no output: the logical date is the one it was started with.
    expect(migration).toMatchObject({ state: 'failed', status: 'FAILED', logicalDate: '2026-11-25T00:00:00Z', dateFrom: 'input', trigger: 'manual' });
    const execution = result.executions.find((e) => e.workflow === 'orders/orders-migration')!;
    expect(migration).toMatchObject({ error: 'Lakestep.TablesFailed', failedState: 'Failed', cause: execution.cause });
    // The conversion of `orders` failed, was retried once, failed again and was caught; `order_lines` converted.
    const conversions = migration.states!.filter((s) => s.name === 'Convert landing files');
    expect(conversions.map((s) => [s.outcome, s.retries, s.error])).toEqual([
      ['caught', 1, 'States.TaskFailed'],
      ['succeeded', undefined, undefined],
    ]);
    expect(migration.jobRuns).toContainEqual(expect.objectContaining({ runState: 'FAILED', details: 'Job failed: org.apache.spark.SparkException: Job aborted (simulated)' }));
  });

  it('shows the ingestion that found its table not migrated as skipped, with why', () => {
    const ingestion = page.runs.find((r) => r.dag === 'orders/orders-ingestion')!;
    expect(ingestion).toMatchObject({ state: 'skipped', status: 'SUCCEEDED', logicalDate: '2026-11-25T01:00:00Z', trigger: 'schedule' });
    expect(ingestion.skipped).toBe('raw_orders.orders is not migrated yet (orders/orders-migration): nothing written');
  });

  it('leaves join machines out of the runs, and keeps every dag of the build', () => {
    expect(page.runs.some((r) => r.dag.endsWith('#join'))).toBe(false);
    const refs = build.manifest.useCases.flatMap((u) => u.workflows.map((w) => `${u.name}/${w.name}`)).sort();
    expect(page.dags.map((d) => d.ref)).toEqual(refs);
    const drawn = page.graphs.dependencies.groups.flatMap((g) => g.nodes.map((n) => n.ref));
    expect(drawn.sort()).toEqual(refs);
    // The page's now is the simulation's last moment: the 01:00 ingestion's end, after its max_active_runs gate let the run list settle.
    const now = new Date(Date.parse('2026-11-25T01:00:00Z') + GATE_SETTLE_SECONDS * 1000).toISOString().replace('.000Z', 'Z');
    expect(page.source).toMatchObject({ kind: 'simulation', label: 'simulation (scenario failure.yaml)', now });
  });
});

describe('pageHtml', () => {
  it('inlines one script and one style, allowed by hash, and allows no fetch', () => {
    const html = pageHtml(page);
    const found = scripts(html);
    expect(found.map((s) => s.attrs)).toEqual([' type="application/json" id="lakestep-data"', '']);
    expect(JSON.parse(found[0]!.text)).toEqual(page);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!.replaceAll('&#39;', "'");
    const hash = (t: string) => `'sha256-${createHash('sha256').update(t).digest('base64')}'`;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toBe(`default-src 'none'; script-src ${hash(found[1]!.text)}; style-src ${hash(style)}; img-src 'none'; base-uri 'none'; form-action 'none'`);
    // Nothing that loads: the only url() is the arrow marker of the graph, in the page itself.
    expect(html).not.toMatch(/<link|<iframe|<img|\ssrc=|@import|url\((?!#arrow\))/i);
    // The layout library's license goes with its code.
    expect(found[1]!.text).toMatch(/^\/\*! The lakestep platform page\. Bundled:\s+@dagrejs\/dagre 3\.1\.3\s+Copyright/);
  });

  it('keeps hostile names and messages data: they cannot close the data block or run', () => {
    const hostile = '</script><script>alert(1)</script><!-- <SCRIPT>';
    const evil: UiData = {
      ...page,
      title: hostile,
      useCases: [...page.useCases, { name: 'x', quarantine: { errors: 1, first: `x/orchestration.yaml:1:1 SCHEMA ${hostile}` } }],
    };
    const html = pageHtml(evil);
    expect(scripts(html)).toHaveLength(2);
    expect(JSON.parse(scripts(html)[0]!.text)).toEqual(evil);
    expect(html).toContain('<title>lakestep — &#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62;&#60;!-- &#60;SCRIPT&#62;</title>');
    expect(jsonForHtml({ a: '<!--' })).toBe('{"a":"\\u003c!--"}');
  });
});
