/**
 * The dependency graph (or the table graph) of the dags the filters leave, laid
 * out left to right by dagre in the browser and drawn as SVG: use cases as
 * boxes around their dags (dashed and labelled with their first error when
 * quarantined), tables as rounded boxes, each dag with its last run's status in
 * words. At most {@link GRAPH_MAX} nodes are drawn, whole use cases first.
 * @see https://github.com/dagrejs/dagre/wiki
 */
import { graphlib, layout } from '@dagrejs/dagre';
import type { DependencyGraph, GraphGroup, GraphNode } from '../../graph/types.ts';
import type { UiUseCase } from '../types.ts';
import { s } from './dom.ts';
import type { Model } from './model.ts';
import { plural, STATE_TEXT } from './text.ts';

/** Nodes laid out at once: dagre's compound layout takes about a second for 250. */
export const GRAPH_MAX = 200;

const NODE_H = 40;
/** Width of a character of the 12px bold labels, rounded up: labels are cut to fit their box. */
const CHAR_W = 7.5;

export interface GraphView {
  graph: DependencyGraph;
  /** Refs of the dags (or table names) the filters leave. */
  visible: ReadonlySet<string>;
  useCases: ReadonlyMap<string, UiUseCase>;
  /** Called with a dag ref or table name when its node is chosen. */
  choose: (ref: string) => void;
}

/** Draws into `svg`; returns a sentence on what was left out, or '' when everything is drawn. */
export function drawGraph(svg: SVGSVGElement, model: Model, view: GraphView): string {
  const { nodes, groups, omitted, total, seeds } = pick(view);
  svg.replaceChildren();
  if (!nodes.size) {
    svg.setAttribute('width', '0');
    svg.setAttribute('height', '0');
    return 'Nothing to draw: no dag or table matches the filters.';
  }
  const g = new graphlib.Graph({ compound: true });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 56, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const group of groups) g.setNode(group.id, {});
  const groupOf = new Map<string, GraphGroup>();
  for (const group of groups) for (const n of group.nodes) groupOf.set(n.id, group);
  for (const n of nodes.values()) {
    g.setNode(n.id, { width: Math.max(120, Math.min(320, label(n).length * CHAR_W + 28)), height: NODE_H });
    const parent = groupOf.get(n.id);
    if (parent && nodes.has(n.id)) g.setParent(n.id, parent.id);
  }
  const edges = view.graph.edges.filter((e) => nodes.has(e.from) && nodes.has(e.to));
  for (const e of edges) g.setEdge(e.from, e.to);
  layout(g);
  const { width = 0, height = 0 } = g.graph();
  svg.setAttribute('width', String(Math.ceil(width)));
  svg.setAttribute('height', String(Math.ceil(height)));
  svg.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`);
  svg.append(
    s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' }, s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }))),
  );
  for (const group of groups) {
    const box = g.node(group.id);
    if (!box) continue;
    const uc = view.useCases.get(group.useCase);
    const title = uc?.quarantine ? `${group.useCase}: quarantined, ${plural(uc.quarantine.errors, 'error')}; first: ${uc.quarantine.first}` : group.useCase;
    const text = uc?.quarantine ? `${group.useCase} — quarantined: ${uc.quarantine.first}` : group.useCase;
    svg.append(
      s('g', { class: `group${group.quarantined ? ' quarantined' : ''}`, 'data-use-case': group.useCase },
        s('title', {}, title),
        s('rect', { x: box.x - box.width / 2, y: box.y - box.height / 2, width: box.width, height: box.height, rx: 6 }),
        s('text', { x: box.x - box.width / 2 + 8, y: box.y - box.height / 2 + 14, class: 'group-label' }, clip(text, Math.max(12, Math.floor((box.width - 16) / CHAR_W)))),
      ),
    );
  }
  for (const e of edges) {
    const points: { x: number; y: number }[] = (g.edge(e.from, e.to) as { points?: { x: number; y: number }[] } | undefined)?.points ?? [];
    if (!points.length) continue;
    const d = basis(points);
    svg.append(s('path', { d, class: `edge${e.dashed ? ' dashed' : ''}`, 'marker-end': 'url(#arrow)' }, s('title', {}, e.label === 'join' ? 'joined with other upstreams' : '')));
  }
  for (const n of nodes.values()) {
    const box = g.node(n.id);
    if (!box) continue;
    const latest = n.kind === 'workflow' ? model.latest(n.ref) : undefined;
    const state = latest ? STATE_TEXT[latest.state].long : n.kind === 'table' ? 'table' : n.quarantined ? 'quarantined' : n.missing ? 'not in the build' : 'no run';
    const context = !seeds.has(n.id);
    const x = box.x - box.width / 2;
    const y = box.y - box.height / 2;
    const node = s('g', {
      class: `node ${n.kind}${latest ? ` s-${latest.state}` : ''}${n.quarantined ? ' quarantined' : ''}${n.missing ? ' missing' : ''}${context ? ' context' : ''}${n.enabled ? '' : ' disabled'}`,
      'data-ref': n.ref,
      tabindex: -1,
      role: 'button',
      'aria-label': `${n.kind === 'table' ? 'table' : 'dag'} ${n.ref}: ${state}${n.enabled ? '' : ', disabled'}`,
    },
      s('title', {}, `${n.ref}${n.schedules.length ? `\n${n.schedules.join(', ')}` : ''}\n${state}`),
      s('rect', { x, y, width: box.width, height: box.height, rx: n.kind === 'table' ? 14 : 4 }),
      s('text', { x: x + 10, y: y + 16, class: 'node-name' }, clip(label(n), Math.floor((box.width - 16) / CHAR_W))),
      s('text', { x: x + 10, y: y + 32, class: 'node-state' }, n.kind === 'table' ? 'table' : `${state}${n.enabled ? '' : ' · disabled'}`),
    );
    node.addEventListener('click', () => view.choose(n.ref));
    node.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        view.choose(n.ref);
      }
    });
    svg.append(node);
  }
  roving(svg);
  return omitted ? `Drawing ${plural(nodes.size, 'node')} of ${total.toLocaleString('en')} (${plural(omitted, 'use case')} left out): choose a use case or type a name to draw the others.` : '';
}

/**
 * One node in the tab order; the arrow keys move to the next or previous node
 * (use case by use case, as drawn), Home and End to the first and last.
 */
function roving(svg: SVGSVGElement): void {
  const nodes = [...svg.querySelectorAll<SVGGElement>('g.node')];
  nodes[0]?.setAttribute('tabindex', '0');
  svg.onkeydown = (ev) => {
    const at = nodes.indexOf((ev.target as Element).closest('g.node') as SVGGElement);
    const to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: nodes.length - 1 }[ev.key];
    if (at < 0 || to === undefined) return;
    ev.preventDefault();
    const next = nodes[Math.max(0, Math.min(nodes.length - 1, to))]!;
    nodes[at]!.setAttribute('tabindex', '-1');
    next.setAttribute('tabindex', '0');
    next.focus();
  };
}

/** The nodes to draw: the visible ones and their direct neighbours, whole use cases while under {@link GRAPH_MAX}. */
function pick(view: GraphView): { nodes: Map<string, GraphNode>; groups: GraphGroup[]; omitted: number; total: number; seeds: Set<string> } {
  const all = [...view.graph.groups.flatMap((g) => g.nodes.map((n) => [n, g] as const)), ...view.graph.loose.map((n) => [n, undefined] as const)];
  const seeds = new Set(all.filter(([n]) => view.visible.has(n.ref)).map(([n]) => n.id));
  const neighbours = new Set<string>();
  for (const e of view.graph.edges) {
    if (seeds.has(e.from)) neighbours.add(e.to);
    if (seeds.has(e.to)) neighbours.add(e.from);
  }
  const wanted = all.filter(([n]) => seeds.has(n.id) || neighbours.has(n.id));
  const byGroup = new Map<GraphGroup | undefined, GraphNode[]>();
  for (const [n, g] of wanted) byGroup.set(g, [...(byGroup.get(g) ?? []), n]);
  const nodes = new Map<string, GraphNode>();
  const groups: GraphGroup[] = [];
  let omitted = 0;
  for (const [g, list] of byGroup) {
    if (nodes.size && nodes.size + list.length > GRAPH_MAX) {
      omitted++;
      continue;
    }
    for (const n of list) nodes.set(n.id, n);
    if (g) groups.push(g);
  }
  return { nodes, groups, omitted, total: wanted.length, seeds };
}

/**
 * A smooth path through dagre's edge points: a uniform cubic B-spline, straight at
 * both ends (the construction of d3-shape's `curveBasis`).
 * @see https://github.com/d3/d3-shape#curveBasis
 */
function basis(points: readonly { x: number; y: number }[]): string {
  const f = (n: number) => n.toFixed(1);
  if (points.length < 3) return points.map((p, i) => `${i ? 'L' : 'M'} ${f(p.x)} ${f(p.y)}`).join(' ');
  const [p0, p1] = points as [{ x: number; y: number }, { x: number; y: number }];
  const parts = [`M ${f(p0.x)} ${f(p0.y)}`, `L ${f((5 * p0.x + p1.x) / 6)} ${f((5 * p0.y + p1.y) / 6)}`];
  const curve = (a: { x: number; y: number }, b: { x: number; y: number }, c: { x: number; y: number }) =>
    `C ${f((2 * a.x + b.x) / 3)} ${f((2 * a.y + b.y) / 3)} ${f((a.x + 2 * b.x) / 3)} ${f((a.y + 2 * b.y) / 3)} ${f((a.x + 4 * b.x + c.x) / 6)} ${f((a.y + 4 * b.y + c.y) / 6)}`;
  for (let i = 2; i < points.length; i++) parts.push(curve(points[i - 2]!, points[i - 1]!, points[i]!));
  const [a, b] = [points[points.length - 2]!, points[points.length - 1]!];
  parts.push(curve(a, b, b), `L ${f(b.x)} ${f(b.y)}`);
  return parts.join(' ');
}

function label(n: GraphNode): string {
  return n.name;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}
