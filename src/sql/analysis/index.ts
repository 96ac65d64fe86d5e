/**
 * The analysis of a user Spark SQL file: its statements, and for each the
 * tables it reads and writes, with positions. Statements are parsed with the
 * Spark grammar (grammar.ts); what the grammar lacks — Iceberg's CALL and
 * ALTER TABLE extensions, names longer than two parts in statement targets —
 * is handled explicitly (call.ts, iceberg-ddl.ts, names.ts). A statement the
 * analysis cannot read is a problem at its position, never skipped. Tables
 * named only in comments or string literals are never reported: those are
 * single tokens of the grammar's lexer. Pure and synchronous.
 * See https://spark.apache.org/docs/latest/sql-ref-syntax.html
 */
import { L, parseTokens } from '../grammar.ts';
import { analyzeCall, isCall } from './call.ts';
import { analyzeIcebergAlter } from './iceberg-ddl.ts';
import { Refused, hidePrefixes } from './names.ts';
import { Positions, splitSql, type StatementSource } from './split.ts';
import { HANDLERS, labelOf, type Found, type Use } from './statement-kinds.ts';
import type { SqlAnalysis, SqlPosition, SqlProblem, SqlStatement, TableUse } from './types.ts';
import { readsOf } from './walk.ts';

export type * from './types.ts';
export { splitStatements } from './split.ts';
export { PROCEDURES } from './procedures.ts';

/** Deepest parenthesis nesting analysed (keeps the parser's stack small). */
const MAX_DEPTH = 200;
const DECLARE = 'declare the tables it reads and writes with `reads:` and `writes:`';

export interface AnalyzeOptions {
  /** Temporary views defined before this file runs (by an earlier file of the same Spark session). */
  tempViews?: readonly string[];
}

/**
 * Analyses one SQL file. `USE <namespace>` resolves the one-part table names
 * of later statements (TableName.resolved); temporary views and CTE names are
 * never tables.
 */
export function analyzeSql(text: string, options: AnalyzeOptions = {}): SqlAnalysis {
  const positions = new Positions(text);
  const problems: SqlProblem[] = [];
  const statements: SqlStatement[] = [];
  const temps = new Set((options.tempViews ?? []).map((v) => v.toLowerCase()));
  let use: { parts: string[]; at: SqlPosition } | undefined;
  const templateAt: number[] = [];
  for (const source of splitSql(text)) {
    const stmt: SqlStatement = { text: source.text, ...positions.at(source.tokens[0]!.start), analysed: true, uses: [], tempViews: { reads: [] } };
    statements.push(stmt);
    let found: Found;
    try {
      found = analyzeStatement(source);
    } catch (thrown) {
      // A stack overflow is the one failure of the parser itself (operators nested thousands deep). Any other
      // error is a defect of the analysis: reported at the statement, so that it stops this use case only.
      const at = source.tokens[0]!.start;
      const e =
        thrown instanceof Refused
          ? thrown
          : thrown instanceof RangeError
            ? new Refused('SQL_UNSUPPORTED', 'the statement is nested too deeply', at)
            : new Refused('SQL_UNSUPPORTED', `the analysis of this statement failed (${thrown instanceof Error ? thrown.message : String(thrown)}; a defect of lakestep)`, at);
      stmt.analysed = false;
      if (e.code === 'SQL_TEMPLATE') templateAt.push(e.at);
      const message = e.code === 'SQL_TEMPLATE' ? e.message : `${e.message}: this statement cannot be analysed; ${DECLARE}`;
      problems.push({ code: e.code, message, ...positions.at(e.at) });
      continue;
    }
    const table = (u: Use): TableUse => {
      const name: TableUse['name'] = { parts: u.name.parts };
      if (use && u.name.parts.length === 1) Object.assign(name, { resolved: [...use.parts, ...u.name.parts], use: use.at });
      return { name, operation: u.operation, role: u.role, ...(u.procedure ? { procedure: u.procedure } : {}), ...(u.catalog ? { catalog: u.catalog } : {}), ...positions.at(u.name.at) };
    };
    // DROP TABLE of a temporary view's name drops the view, as in Spark (the table of that name stays).
    const dropsView = found.uses.find((u) => u.operation === 'drop' && tempView(u.name.parts.map((p) => p.toLowerCase()), temps));
    if (dropsView) stmt.tempViews.drops = tempView(dropsView.name.parts.map((p) => p.toLowerCase()), temps);
    const uses = found.uses.filter((u) => u !== dropsView).map(table);
    for (const ref of [...found.references].sort((a, b) => a.name.at - b.name.at)) {
      const lower = ref.name.parts.map((p) => p.toLowerCase());
      if (lower.length === 1 && ref.ctes.has(lower[0]!)) continue;
      const temp = tempView(lower, temps);
      if (temp) stmt.tempViews.reads.push(temp);
      else uses.push(table({ name: ref.name, operation: 'select', role: 'read' }));
    }
    if (found.viewTarget) {
      const { name, operation, temp } = found.viewTarget;
      const view = tempView(name.parts.map((p) => p.toLowerCase()), temps);
      if (view) stmt.tempViews[temp] = view;
      else uses.push(table({ name, operation, role: 'write' }));
    }
    if (stmt.tempViews.drops) temps.delete(stmt.tempViews.drops);
    if (found.defines) temps.add((stmt.tempViews.defines = found.defines));
    stmt.uses = uses.sort((a, b) => a.line - b.line || a.column - b.column || a.role.localeCompare(b.role));
    if (found.use) {
      stmt.use = found.use;
      use = { parts: found.use, at: { line: stmt.line, column: stmt.column } };
    }
  }
  const reported = new Set(templateAt);
  for (const at of hiddenSubstitutions(text, reported)) problems.push({ code: 'SQL_TEMPLATE', message: `${SUBSTITUTED} (Spark substitutes in strings and comments too)`, ...positions.at(at) });
  return { statements, problems };
}

/** The temporary view a name refers to (`v`, `global_temp.v`), if one is defined. */
function tempView(lower: string[], temps: ReadonlySet<string>): string | undefined {
  const key = lower.length === 1 ? lower[0]! : lower.length === 2 && lower[0] === 'global_temp' ? lower.join('.') : undefined;
  return key !== undefined && temps.has(key) ? key : undefined;
}

function analyzeStatement(source: StatementSource): Found {
  const { tokens } = source;
  refuseTemplates(tokens);
  if (isCall(tokens)) return analyzeCall(tokens);
  const iceberg = analyzeIcebergAlter(tokens);
  if (iceberg) return iceberg;
  let depth = 0;
  for (const t of tokens) {
    depth += t.type === L.LEFT_PAREN ? 1 : t.type === L.RIGHT_PAREN ? -1 : 0;
    if (depth > MAX_DEPTH) throw new Refused('SQL_UNSUPPORTED', `parentheses nested more than ${MAX_DEPTH} deep`, t.start);
  }
  const { tokens: parsed, prefixes } = hidePrefixes(tokens);
  const result = parseTokens(parsed, source.end, (p) => p.singleStatement());
  if ('error' in result) throw syntaxError(parsed, source.end);
  const statement = result.tree.statement();
  const label = labelOf(statement);
  const handler = HANDLERS[label];
  if (!handler) {
    const words = tokens.slice(0, 2).map((t) => t.text).join(' ');
    throw new Refused('SQL_UNSUPPORTED', `${words} …: statements of this kind (${label}) are not modelled`, tokens[0]!.start);
  }
  const found = handler(statement as never, prefixes);
  return { ...found, references: readsOf(statement, new Set(found.skip ?? []), prefixes) };
}

/**
 * The syntax error of a statement the grammar rejects, found again with the
 * rule `program` (statements, then EOF): anchored at the end, its errors
 * point where they are. (It is not the rule of the first parse because,
 * without `;` between statements, it may cut one statement in two.)
 */
function syntaxError(tokens: StatementSource['tokens'], end: number): Refused {
  const anchored = parseTokens(tokens, end, (p) => p.program());
  if ('error' in anchored) return new Refused('SQL_SYNTAX', `syntax error: ${anchored.error.message}`, anchored.error.at);
  const second = anchored.tree.singleStatement(1);
  return new Refused('SQL_SYNTAX', 'syntax error: a second statement starts here; end the first with ";"', (second ?? anchored.tree).start!.start);
}

const SUBSTITUTED = '`${…}` is replaced by Spark from session settings before parsing, so the tables cannot be known: write the names, or run parameters as markers (:ds, :ts, :run_id)';

/**
 * `${` where no statement's tokens show it: in a string literal, a comment or a quoted name. Spark's substitution
 * reads those too (`'${env:NAME}'` would copy an environment variable into a table, `/*${x}*\/` become a table
 * name); jobs run with it off (src/phases/runtime.ts), and a file holding one is refused all the same.
 */
function hiddenSubstitutions(text: string, reported: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('${'); i !== -1; i = text.indexOf('${', i + 2)) if (!reported.has(i)) out.push(i);
  return out;
}

/** `{{ ds }}` (Jinja) and `${var}` (substituted by Spark from session settings) are not SQL the analysis can read. */
function refuseTemplates(tokens: StatementSource['tokens']): void {
  for (const [i, t] of tokens.entries()) {
    const next = tokens[i + 1];
    const adjacent = next !== undefined && next.start === t.stop + 1;
    if (t.text === '{' && adjacent && (next.text === '{' || next.text === '%')) {
      throw new Refused('SQL_TEMPLATE', '`{{ … }}` is a template, not Spark SQL: write run parameters as markers (:ds, :ts, :run_id)', t.start);
    }
    if (t.text === '$' && adjacent && next.text === '{') {
      throw new Refused('SQL_TEMPLATE', SUBSTITUTED, t.start);
    }
  }
}
