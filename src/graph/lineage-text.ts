/**
 * `lakestep lineage` as text: the table, then each side as an indented tree
 * that alternates workflows and tables. A node already shown on that side is
 * printed again as `(see above)` without its branch, so loops and diamonds end.
 */
import type { Lineage, LineageSide } from './lineage.ts';

const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function renderLineageText(lineage: Lineage): string {
  const lines = [lineage.owner ? `${lineage.table}  (owner: ${lineage.owner})` : lineage.table];
  for (const direction of ['upstream', 'downstream'] as const) {
    const side = lineage[direction];
    const limit = lineage.depth === undefined ? '' : ` within ${count(lineage.depth, 'step')}`;
    lines.push('', `${direction}: ${count(side.workflows.length, 'workflow')}, ${count(side.tables.length, 'table')}${limit}`);
    if (side.workflows.length === 0) lines.push('  (none)');
    else lines.push(...tree(lineage.table, side, direction === 'upstream' ? '←' : '→', lineage.depth));
  }
  return lines.join('\n') + '\n';
}

function tree(root: string, side: LineageSide, arrow: string, depth: number | undefined): string[] {
  const up = arrow === '←';
  const kinds = new Map(side.workflows.map((w) => [w.workflow, `${w.kind}${w.enabled ? '' : ', disabled'}`]));
  // Upstream a table's children are its writers and a workflow's the tables it reads; downstream the reverse.
  const children = new Map<string, string[]>();
  for (const e of side.edges) {
    const [from, to] = (e.access === 'write') === up ? [e.table, e.workflow] : [e.workflow, e.table];
    children.set(from, [...(children.get(from) ?? []), to]);
  }
  const shown = new Set<string>([root]);
  const lines: string[] = [];
  const visit = (node: string, indent: string): void => {
    for (const child of [...(children.get(node) ?? [])].sort()) {
      const kind = kinds.get(child);
      const label = kind === undefined ? child : `${child}  (${kind})`;
      if (shown.has(child)) {
        lines.push(`${indent}${arrow} ${child}  (see above)`);
        continue;
      }
      shown.add(child);
      const cut = side.truncated.includes(child) ? `  (more beyond --depth ${depth})` : '';
      lines.push(`${indent}${arrow} ${label}${cut}`);
      visit(child, `${indent}  `);
    }
  };
  visit(root, '  ');
  return lines;
}
