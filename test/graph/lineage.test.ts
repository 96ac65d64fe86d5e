/**
 * The lineage model (src/graph/lineage.ts) and its text (lineage-text.ts): which
 * accesses are lineage, transitive walks both ways, loops and diamonds listed
 * once, the depth limit.
 */
import { describe, expect, it } from 'vitest';
import { lineageGraph, lineageOf, renderLineageText } from '../../src/graph/index.ts';
import { lineageManifest } from './support.ts';

/**
 * raw.orders ← shop/ingest; raw.orders → shop/enrich → proc.enriched (also reads raw.customers ← crm/load);
 * proc.enriched → bi/report → bi.daily; shop/enrich also reads and updates proc.enriched (a merge reading its target).
 */
const CHAIN = lineageManifest(
  {
    'shop/ingest': { access: { 'raw.orders': ['create', 'write'] }, type: 'ingestion' },
    'shop/migrate': { access: { 'raw.orders': ['create', 'write'] }, type: 'migration' },
    'crm/load': { access: { 'raw.customers': ['write', 'update'] }, type: 'ingestion' },
    'shop/enrich': { 'raw.orders': ['read'], 'raw.customers': ['read'], 'proc.enriched': ['read', 'write', 'update'] },
    'bi/report': { access: { 'proc.enriched': ['read'], 'bi.daily': ['create', 'write'] }, enabled: false },
    'shop/upkeep': { access: { 'raw.orders': ['maintain'], 'proc.enriched': ['maintain', 'alter'] }, type: 'maintenance' },
    'shop/cleanup': { 'raw.old': ['drop'] },
  },
  { 'raw.orders': 'shop', 'proc.enriched': 'shop' },
);

describe('lineageGraph', () => {
  const g = lineageGraph(CHAIN);

  it('makes a table by create, write or update; reads by read; maintain, alter and drop are not lineage', () => {
    expect(g.tables.get('raw.orders')).toEqual({ table: 'raw.orders', owner: 'shop', writers: ['shop/ingest', 'shop/migrate'], readers: ['shop/enrich'] });
    expect(g.tables.get('proc.enriched')).toMatchObject({ writers: ['shop/enrich'], readers: ['bi/report', 'shop/enrich'] });
    expect(g.workflows.get('shop/upkeep')).toMatchObject({ kind: 'maintenance', reads: [], writes: [] });
    // Known to the manifest, so `lineage` can name it, though nothing makes or reads it.
    expect(g.tables.get('raw.old')).toEqual({ table: 'raw.old', writers: [], readers: [] });
    expect(g.workflows.get('bi/report')).toMatchObject({ kind: 'spark', enabled: false, reads: ['proc.enriched'], writes: ['bi.daily'] });
  });

  it('reads a manifest without access (an older build) as no lineage', () => {
    const m = lineageManifest({ 'a/x': {} });
    delete (m.useCases[0]!.workflows[0] as { access?: unknown }).access;
    expect([...lineageGraph(m).workflows.values()]).toEqual([expect.objectContaining({ reads: [], writes: [] })]);
  });
});

describe('lineageOf', () => {
  const g = lineageGraph(CHAIN);

  it('walks upstream to the tables the writers read and their writers, each once, by step', () => {
    const l = lineageOf(g, 'bi.daily');
    expect(l.upstream.workflows).toEqual([
      { workflow: 'bi/report', kind: 'spark', enabled: false, step: 1 },
      { workflow: 'shop/enrich', kind: 'spark', enabled: true, step: 2 },
      { workflow: 'crm/load', kind: 'ingestion', enabled: true, step: 3 },
      { workflow: 'shop/ingest', kind: 'ingestion', enabled: true, step: 3 },
      { workflow: 'shop/migrate', kind: 'migration', enabled: true, step: 3 },
    ]);
    expect(l.upstream.tables).toEqual([
      { table: 'proc.enriched', step: 1 },
      { table: 'raw.customers', step: 2 },
      { table: 'raw.orders', step: 2 },
    ]);
    // The loop of the merge that reads its own target is an edge, not a second visit.
    expect(l.upstream.edges).toContainEqual({ workflow: 'shop/enrich', access: 'write', table: 'proc.enriched' });
    expect(l.upstream.edges).toContainEqual({ workflow: 'shop/enrich', access: 'read', table: 'proc.enriched' });
    expect(l.downstream).toEqual({ workflows: [], tables: [], edges: [], truncated: [] });
  });

  it('walks downstream to the readers and the tables they make', () => {
    const l = lineageOf(g, 'raw.customers');
    expect(l.downstream.workflows.map((w) => [w.workflow, w.step])).toEqual([
      ['shop/enrich', 1],
      ['bi/report', 2],
    ]);
    expect(l.downstream.tables).toEqual([
      { table: 'proc.enriched', step: 1 },
      { table: 'bi.daily', step: 2 },
    ]);
    expect(l.upstream.workflows.map((w) => w.workflow)).toEqual(['crm/load']);
  });

  it('stops at the depth, naming the tables that lead further', () => {
    const l = lineageOf(g, 'bi.daily', 1);
    expect(l.depth).toBe(1);
    expect(l.upstream.workflows.map((w) => w.workflow)).toEqual(['bi/report']);
    expect(l.upstream.truncated).toEqual(['proc.enriched']);
    const two = lineageOf(g, 'bi.daily', 2);
    // shop/enrich reads raw.* (cut) and proc.enriched, whose writer is already listed: drawn, not cut.
    expect(two.upstream.truncated).toEqual(['raw.customers', 'raw.orders']);
    expect(two.upstream.edges).toContainEqual({ workflow: 'shop/enrich', access: 'write', table: 'proc.enriched' });
    expect(lineageOf(g, 'bi.daily', 3).upstream.truncated).toEqual([]);
  });

  it('lists a workflow two branches reach once, at its first step, with the edges of both', () => {
    const diamond = lineageGraph(
      lineageManifest({
        'd/left': { 'x.src': ['read'], 'x.left': ['write'] },
        'd/right': { 'x.src': ['read'], 'x.right': ['write'] },
        'd/join': { 'x.left': ['read'], 'x.right': ['read'], 'x.out': ['create', 'write'] },
      }),
    );
    const l = lineageOf(diamond, 'x.src');
    expect(l.downstream.workflows.map((w) => [w.workflow, w.step])).toEqual([
      ['d/left', 1],
      ['d/right', 1],
      ['d/join', 2],
    ]);
    expect(l.downstream.edges.filter((e) => e.workflow === 'd/join')).toEqual([
      { workflow: 'd/join', access: 'read', table: 'x.left' },
      { workflow: 'd/join', access: 'write', table: 'x.out' },
      { workflow: 'd/join', access: 'read', table: 'x.right' },
    ]);
    expect(renderLineageText(l)).toContain(
      ['  → d/left  (spark)', '    → x.left', '      → d/join  (spark)', '        → x.out', '  → d/right  (spark)', '    → x.right', '      → d/join  (see above)'].join('\n'),
    );
  });

  it('refuses a table the graph does not know', () => {
    expect(() => lineageOf(g, 'raw.nope')).toThrow('no table raw.nope');
  });
});

describe('renderLineageText', () => {
  it('prints each side as a tree; a node seen before on that side is not expanded again', () => {
    expect(renderLineageText(lineageOf(lineageGraph(CHAIN), 'proc.enriched'))).toBe(
      [
        'proc.enriched  (owner: shop)',
        '',
        'upstream: 4 workflows, 2 tables',
        '  ← shop/enrich  (spark)',
        '    ← proc.enriched  (see above)',
        '    ← raw.customers',
        '      ← crm/load  (ingestion)',
        '    ← raw.orders',
        '      ← shop/ingest  (ingestion)',
        '      ← shop/migrate  (migration)',
        '',
        'downstream: 2 workflows, 1 table',
        '  → bi/report  (spark, disabled)',
        '    → bi.daily',
        '  → shop/enrich  (spark)',
        '    → proc.enriched  (see above)',
        '',
      ].join('\n'),
    );
  });

  it('says where the depth cut and when a side is empty', () => {
    const text = renderLineageText(lineageOf(lineageGraph(CHAIN), 'bi.daily', 1));
    expect(text).toBe(
      ['bi.daily', '', 'upstream: 1 workflow, 1 table within 1 step', '  ← bi/report  (spark, disabled)', '    ← proc.enriched  (more beyond --depth 1)', '', 'downstream: 0 workflows, 0 tables within 1 step', '  (none)', ''].join(
        '\n',
      ),
    );
  });
});
