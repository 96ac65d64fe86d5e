/**
 * The relations a statement reads: every table name in a FROM clause, a join,
 * a subquery (also inside expressions), a MERGE source, `TABLE t`, a
 * table-valued function's `TABLE t` argument — each with the common table
 * expressions (WITH) in scope where it appears. Spark's WITH is not
 * recursive: a CTE sees the ones defined before it, not itself, so
 * `WITH t AS (SELECT * FROM t)` reads the table t. The walk keeps its own
 * stack: a thousand-way UNION costs no recursion.
 * See https://spark.apache.org/docs/latest/sql-ref-syntax-qry-select-cte.html
 */
import { TerminalNode, type ParseTree, type ParserRuleContext } from 'antlr4ng';
import {
  DmlStatementContext,
  IdentifierReferenceContext,
  LateralViewContext,
  MergeIntoTableContext,
  QueryStatementContext,
  TableNameContext,
  TableSourceContext,
  ViewNameContext,
  type CtesContext,
} from 'dt-sql-parser/dist/lib/spark/SparkSqlParser.js';
import { nameOf, referenceName, type Name, type Prefixes } from './names.ts';

/** A relation read, with the CTE names (lower case) in scope where it appears. */
export interface Reference {
  name: Name;
  ctes: ReadonlySet<string>;
}

/** Every relation read under `root`, except inside the nodes of `skip` (the statement's targets). */
export function readsOf(root: ParseTree, skip: ReadonlySet<ParseTree>, prefixes: Prefixes): Reference[] {
  const out: Reference[] = [];
  const stack: { node: ParseTree; ctes: ReadonlySet<string> }[] = [{ node: root, ctes: new Set() }];
  while (stack.length > 0) {
    const { node, ctes } = stack.pop()!;
    if (node instanceof TerminalNode || skip.has(node)) continue;
    const ctx = node as ParserRuleContext;
    const withClause = ctx instanceof QueryStatementContext || ctx instanceof DmlStatementContext ? ctx.ctes() : null;
    if (withClause) {
      stack.push(...scoped(withClause, ctx, ctes));
      continue;
    }
    const name = relationName(ctx, prefixes);
    if (name === 'skip') continue;
    if (name) {
      out.push({ name, ctes });
      continue;
    }
    for (const child of ctx.children ?? []) stack.push({ node: child, ctes });
  }
  return out;
}

/** The children of a node with a WITH clause, each with its scope: CTE i sees CTEs 0…i-1, the body sees them all. */
function scoped(withClause: CtesContext, ctx: ParserRuleContext, outer: ReadonlySet<string>): { node: ParseTree; ctes: ReadonlySet<string> }[] {
  const out: { node: ParseTree; ctes: ReadonlySet<string> }[] = [];
  let scope = outer;
  for (const q of withClause.namedQuery()) {
    out.push({ node: q.query(), ctes: scope });
    scope = new Set([...scope, nameOf([q.errorCapturingIdentifier()], new Map()).parts[0]!.toLowerCase()]);
  }
  for (const child of ctx.children ?? []) if (child !== withClause) out.push({ node: child, ctes: scope });
  return out;
}

/** The name a node reads, `skip` for names that are not relations (a LATERAL VIEW's generator, a USE namespace), else undefined. */
function relationName(ctx: ParserRuleContext, prefixes: Prefixes): Name | 'skip' | undefined {
  if (ctx instanceof TableNameContext) return nameOf(ctx.tableIdentifier().errorCapturingIdentifier(), prefixes);
  if (ctx instanceof ViewNameContext) return ctx.parent instanceof LateralViewContext ? 'skip' : nameOf(ctx.viewIdentifier().errorCapturingIdentifier(), prefixes);
  if (!(ctx instanceof IdentifierReferenceContext)) return undefined;
  if (!(ctx.parent instanceof TableSourceContext || ctx.parent instanceof MergeIntoTableContext)) return 'skip';
  return referenceName(ctx, prefixes);
}
