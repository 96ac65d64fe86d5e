/** `lakestep lineage <database.table>`: the workflows and tables upstream and downstream of one table. */
import { escapeForTerminal } from '../diagnostics.ts';
import { lineageGraph, lineageOf, renderLineageText } from '../graph/index.ts';
import { closest } from '../spec/suggest.ts';
import { plainUsage } from './args.ts';
import type { CacheSetting } from './commands.ts';
import { readGraphInput } from './graph.ts';
import type { Io } from './io.ts';

export interface LineageOptions {
  /** `<database>.<table>`, any case. */
  table: string;
  specsDir?: string;
  buildDir?: string;
  /** The incremental cache of the compile (`--cache-dir`, `--no-cache`), as `compile` uses it. */
  cache?: CacheSetting;
  json: boolean;
  /** Workflow steps to follow on each side (≥ 1); absent: all. */
  depth?: number;
}

/**
 * Prints the lineage as an indented tree, or as JSON with `--json`. Exit 0;
 * 2 for a name that is not `database.table` or a table no compiled workflow
 * reads or writes (with the closest known name).
 */
export async function lineageCommand(io: Io, opts: LineageOptions): Promise<number> {
  const table = opts.table.trim().toLowerCase();
  if (!/^[^.\s]+\.[^.\s]+$/.test(table)) throw plainUsage(escapeForTerminal(`give the table as <database>.<table>, got '${opts.table}'`));
  if (opts.depth !== undefined && opts.depth < 1) throw plainUsage(`--depth must be at least 1, got ${opts.depth}`);
  const { manifest, quarantined } = await readGraphInput(io, opts);
  const graph = lineageGraph(manifest);
  if (!graph.tables.has(table)) {
    const hint = closest(table, [...graph.tables.keys()]);
    const left = quarantined.length ? `; quarantined use cases (${quarantined.map((q) => q.useCase).join(', ')}) are not in the build` : '';
    throw plainUsage(escapeForTerminal(`no compiled workflow reads or writes table '${opts.table}'${hint ? ` (did you mean '${hint}'?)` : ''}${left}`));
  }
  const lineage = lineageOf(graph, table, opts.depth);
  io.out(opts.json ? JSON.stringify(lineage, null, 2) : renderLineageText(lineage).trimEnd().split('\n').map(escapeForTerminal).join('\n'));
  if (quarantined.length) {
    io.err(`${quarantined.length} use case(s) quarantined, their reads and writes unknown until they compile: ${quarantined.map((q) => q.useCase).join(', ')} (details: lakestep validate)`);
  }
  return 0;
}
