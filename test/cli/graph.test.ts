/**
 * `lakestep graph` and the renderers of src/graph: structure, escaping, and that Graphviz
 * (test/helpers/graphviz.ts) lays out the DOT output.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph, dagsOfOrchestration, dotString, mermaidText, renderDot, renderMermaid } from '../../src/graph/index.ts';
import { manifest, workflow } from '../ops/fixtures.ts';
import { sparkUseCase } from '../compile/support.ts';
import { layoutDot } from '../helpers/graphviz.ts';
import { folder, runCli } from './support.ts';

const SPECS = {
  'specs/sales/orchestration.yaml': sparkUseCase('sales@example.com', [
    { name: 'extract', schedule: 'rate(1 day)' },
    { name: 'clean', dependsOn: ['extract'] },
  ]),
  'specs/crm/orchestration.yaml': sparkUseCase('crm@example.com', [{ name: 'scores', dependsOn: ['sales/clean', 'hr/people'] }]),
  // Quarantined (5-field cron); its dags are still read for the graph.
  'specs/hr/orchestration.yaml': 'owner: hr@example.com\ndags:\n  - name: people\n    type: transformation\n    schedule: cron(0 6 * * *)\n    spark: {entrypoint: s3://lakestep-artifacts/hr/people.py}\n',
};

describe('lakestep graph', () => {
  it('prints a Mermaid flowchart: subgraphs per use case, join labels, schedules, the quarantined use case dashed', async () => {
    const r = await runCli(['graph', 'specs'], folder(SPECS));
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('flowchart LR');
    expect(r.out).toContain('  subgraph uc_sales["sales"]\n    n_sales__extract["extract<br/>rate(1 day)"]\n    n_sales__clean["clean"]\n  end');
    expect(r.out).toContain('  subgraph uc_hr["hr (quarantined: 1 error)"]\n    n_hr__people["people<br/>cron(0 6 * * *)"]\n  end');
    expect(r.out).toContain('  n_sales__extract --> n_sales__clean');
    expect(r.out).toContain('  n_sales__clean -->|join| n_crm__scores');
    expect(r.out).toContain('  n_hr__people -.->|join| n_crm__scores');
    expect(r.out).toContain('  class n_hr__people quarantined');
    expect(r.out).toContain('  style uc_hr ');
    expect(r.err).toContain('1 use case(s) quarantined, drawn dashed: hr');
  });

  it('prints DOT that Graphviz accepts', async () => {
    const r = await runCli(['graph', 'specs', '--format', 'dot'], folder(SPECS));
    expect(r.code).toBe(0);
    expect(r.out).toContain('subgraph cluster_uc_hr {');
    expect(r.out).toContain('n_hr__people -> n_crm__scores [label="join", style=dashed];');
    expect(await layoutDot(r.out)).toContain('<title>n_hr__people&#45;&gt;n_crm__scores</title>');
  });

  it('reads an existing build with --build: a quarantined use case of unknown dags is one node', async () => {
    const dir = folder(SPECS);
    expect((await runCli(['compile', 'specs', '--out', 'build'], dir)).code).toBe(1);
    const r = await runCli(['graph', '--build', 'build'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('  subgraph uc_hr["hr (quarantined: 1 error)"]\n    n_hr["hr (dags unknown)"]\n  end');
    expect(r.out).toContain('  n_hr -.->|join| n_crm__scores');
    // With the specs too, the quarantined dags are read from them.
    expect((await runCli(['graph', 'specs', '--build', 'build'], dir)).out).toContain('n_hr__people -.->|join| n_crm__scores');
  });

  it('exits 2 for an unknown format and 1 for a missing build', async () => {
    const dir = folder(SPECS);
    expect(await runCli(['graph', 'specs', '--format', 'png'], dir)).toMatchObject({ code: 2, err: expect.stringContaining('--format must be mermaid or dot') });
    expect((await runCli(['graph', '--build', 'nope'], dir)).code).toBe(1);
  });
});

describe('graph rendering', () => {
  const hostile = 'end "x" #1 <b>&amp; `t` | ] \\ \n';
  const graph = () => {
    const m = manifest();
    const off = { ...workflow('orders', 'orders-legacy'), enabled: false, schedule: 'cron(0 1 * * ? *)' };
    const joined = { ...workflow('customers', 'customers-join'), dependsOn: ['orders/orders-ingestion', 'payments/payments-ingestion', 'ghost/gone'] };
    m.useCases[0]!.workflows.push(off);
    m.useCases[1]!.workflows.push(joined);
    return buildGraph(m, [{ useCase: 'payments', errors: 1, dags: [{ name: 'payments-ingestion', dependsOn: [], enabled: true }, { name: hostile, dependsOn: ['payments-ingestion'], enabled: true }] }]);
  };

  it('gives every node an id of safe characters, unique even when names collide after cleaning', () => {
    const m = manifest();
    m.useCases[0]!.workflows = [workflow('orders', 'a-b'), workflow('orders', 'a_b'), workflow('orders', 'end')];
    const ids = buildGraph(m, []).groups[0]!.nodes.map((n) => n.id);
    expect(ids).toEqual(['n_orders__a_b', 'n_orders__a_b_2', 'n_orders__end']);
    for (const id of graph().groups.flatMap((g) => g.nodes.map((n) => n.id))) expect(id).toMatch(/^[A-Za-z0-9_]+$/);
  });

  it('styles disabled and missing nodes, labels every edge into a 2+ upstream dag as join, dashes edges touching quarantine', () => {
    const g = graph();
    const mermaid = renderMermaid(g);
    expect(mermaid).toContain('n_orders__orders_legacy["orders-legacy<br/>cron(0 1 * * ? *)<br/>disabled"]');
    expect(mermaid).toContain('class n_orders__orders_legacy disabled');
    expect(mermaid).toContain('n_ghost__gone["gone<br/>not in the build"]');
    expect(mermaid).toContain('n_orders__orders_ingestion -->|join| n_customers__customers_join');
    expect(mermaid).toContain('n_payments__payments_ingestion -.->|join| n_customers__customers_join');
    expect(mermaid).toContain('n_ghost__gone -.->|join| n_customers__customers_join');
    expect(g.edges.filter((e) => e.to === 'n_customers__customers_join')).toHaveLength(3);
  });

  it('escapes labels so quotes, entities and markup cannot break out', () => {
    expect(mermaidText(hostile)).toBe('end #34;x#34; #35;1 #60;b#62;#38;amp; #96;t#96; | ] \\ ');
    expect(dotString(hostile)).toBe('"end \\"x\\" #1 <b>&amp; `t` | ] \\\\ \\n"');
    const dot = renderDot(graph());
    for (const line of dot.split('\n').filter((l) => l.includes('label='))) expect(line).toMatch(/label="([^"\\]|\\.)*"/);
  });

  it('renders hostile names to DOT that Graphviz accepts, as text: no markup of theirs reaches the drawing', async () => {
    const svg = await layoutDot(renderDot(graph()));
    expect(svg).toContain('<svg');
    expect(svg).not.toMatch(/<b>/);
    expect(svg).toContain('&lt;b&gt;');
  });

  it('has an oracle that refuses broken DOT (an unclosed quote, a dangling edge)', async () => {
    await expect(layoutDot('digraph { a [label="x] }')).rejects.toThrow(/syntax error/);
    await expect(layoutDot('digraph { a -> }')).rejects.toThrow(/syntax error/);
  });
});

describe('dagsOfOrchestration', () => {
  it('reads names, schedules, dependencies and enabled leniently', () => {
    expect(dagsOfOrchestration('owner: x\ndags:\n  - {name: a, schedule: rate(1 day), bogus: 1}\n  - {name: b, depends_on: [a, 3], enabled: false}\n  - {type: migration}\n')).toEqual([
      { name: 'a', schedule: 'rate(1 day)', dependsOn: [], enabled: true },
      { name: 'b', dependsOn: ['a'], enabled: false },
    ]);
  });

  it.each([['owner: [unclosed\n'], ['dags: 3\n'], ['- a\n'], ['dags: []\n']])('gives undefined for %j', (text) => {
    expect(dagsOfOrchestration(text)).toBeUndefined();
  });
});
