/**
 * The table graph of `lakestep graph --tables` (src/graph/tables.ts) and how the
 * Mermaid and DOT renderers draw tables.
 */
import { describe, expect, it } from 'vitest';
import { buildTableGraph, renderDot, renderMermaid } from '../../src/graph/index.ts';
import { layoutDot } from '../helpers/graphviz.ts';
import { lineageManifest } from './support.ts';

/** shop ingests raw.orders and enriches it with crm's raw.customers; bi reads the result; ext.rates has no owner. */
const manifest = () =>
  lineageManifest(
    {
      'shop/ingest': { access: { 'raw.orders': ['create', 'write'] }, type: 'ingestion', schedule: 'rate(1 hour)' },
      'shop/enrich': { 'raw.orders': ['read'], 'crm.customers': ['read'], 'ext.rates': ['read'], 'proc.enriched': ['write', 'update'] },
      'shop/upkeep': { access: { 'raw.orders': ['maintain'] }, type: 'maintenance' },
      'crm/load': { access: { 'crm.customers': ['write'] }, type: 'ingestion', enabled: false },
      'crm/segments': {},
      'bi/report': { 'proc.enriched': ['read'] },
    },
    { 'raw.orders': 'shop', 'proc.enriched': 'shop', 'crm.customers': 'crm' },
  );

describe('buildTableGraph', () => {
  const graph = buildTableGraph(manifest(), [{ useCase: 'hr', errors: 2, dags: [{ name: 'people', dependsOn: ['shop/ingest'], enabled: true }] }]);
  const node = (ref: string) => [...graph.groups.flatMap((g) => g.nodes), ...graph.loose].find((n) => n.ref === ref);

  it('groups each use case’s workflows with the tables it owns; a table of no owner stands outside', () => {
    expect(graph.groups.map((g) => [g.useCase, g.quarantined, g.nodes.map((n) => `${n.kind}:${n.ref}`)])).toEqual([
      ['shop', false, ['workflow:shop/ingest', 'workflow:shop/enrich', 'table:proc.enriched', 'table:raw.orders']],
      ['crm', false, ['workflow:crm/load', 'table:crm.customers']],
      ['bi', false, ['workflow:bi/report']],
      ['hr', true, ['workflow:hr/people']],
    ]);
    expect(graph.loose.map((n) => n.ref)).toEqual(['ext.rates']);
    expect(node('shop/ingest')).toMatchObject({ id: 'n_shop__ingest', schedules: ['rate(1 hour)'] });
    expect(node('raw.orders')).toMatchObject({ id: 't_raw__orders', kind: 'table', name: 'raw.orders' });
  });

  it('leaves out workflows and tables without a read or a write (maintenance, no declared tables)', () => {
    expect(node('shop/upkeep')).toBeUndefined();
    expect(node('crm/segments')).toBeUndefined();
  });

  it('draws an edge from each table to its readers and from each writer to its tables; none for quarantined dags', () => {
    const edges = graph.edges.map((e) => `${e.from} -> ${e.to}`);
    expect(edges).toEqual([
      'n_shop__ingest -> t_raw__orders',
      't_crm__customers -> n_shop__enrich',
      't_ext__rates -> n_shop__enrich',
      't_raw__orders -> n_shop__enrich',
      'n_shop__enrich -> t_proc__enriched',
      'n_crm__load -> t_crm__customers',
      't_proc__enriched -> n_bi__report',
    ]);
    expect(graph.edges.every((e) => !e.dashed && e.label === undefined)).toBe(true);
  });

  it('renders tables as Mermaid cylinders with their own class, workflows as today', () => {
    const text = renderMermaid(graph);
    expect(text).toContain('  subgraph uc_shop["shop"]\n    n_shop__ingest["ingest<br/>rate(1 hour)"]\n    n_shop__enrich["enrich"]\n    t_proc__enriched[("proc.enriched")]\n    t_raw__orders[("raw.orders")]\n  end');
    expect(text).toContain('\n  t_ext__rates[("ext.rates")]\n');
    expect(text).toContain('  t_raw__orders --> n_shop__enrich\n');
    expect(text).toContain('  class t_proc__enriched,t_raw__orders,t_crm__customers,t_ext__rates table\n');
    expect(text).toContain('  class n_crm__load disabled\n');
    expect(text).toContain('  class n_hr__people quarantined\n');
  });

  it('renders tables as DOT cylinders', () => {
    const text = renderDot(graph);
    expect(text).toContain('    t_raw__orders [label="raw.orders", shape=cylinder, style=filled, fillcolor="#eef4fb", color="#4a78b0", fontcolor="#1d3f66"];');
    expect(text).toContain('  t_ext__rates [label="ext.rates", shape=cylinder,');
    expect(text).toContain('  n_shop__enrich -> t_proc__enriched;');
  });

  it('keeps the dependency graph free of table styles', () => {
    expect(renderMermaid({ groups: [], loose: [], edges: [] })).not.toContain('classDef table');
  });

  it('gives tables and workflows separate ids and lookups, whatever their names', () => {
    // A quarantined use case folder named like a table must not capture its edges.
    const g = buildTableGraph(lineageManifest({ 'a/w': { 'x.y': ['read'] } }), [{ useCase: 'x.y', errors: 1 }]);
    expect(g.edges).toEqual([{ from: 't_x__y', to: 'n_a__w', dashed: false }]);
    expect(g.groups.find((gr) => gr.useCase === 'x.y')!.nodes.map((n) => n.id)).toEqual(['n_x_y']);
  });

  it('renders DOT that Graphviz accepts', async () => {
    expect(await layoutDot(renderDot(graph))).toContain('<svg');
  });
});
