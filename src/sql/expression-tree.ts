/**
 * From the Spark grammar's parse tree of a boolean expression to lakestep's
 * expression tree (`Expr`), keeping only the documented subset (README,
 * "Expressions"): every other construct the grammar knows — subqueries,
 * lambdas, window and aggregate clauses, special-syntax functions — is an
 * error at its first character. Binary chains are walked down their left
 * spine in a loop, so a 100,000-term `OR` costs no stack.
 * See https://spark.apache.org/docs/latest/sql-ref-expression.html
 */
import { TerminalNode, type Token } from 'antlr4ng';
import {
  ColumnNamePathContext,
  ConstantContext,
  ExpressionContext,
  FunctionNameContext,
  PrimaryExpressionContext,
  type BooleanExpressionContext,
  type MultipartIdentifierContext,
  type PredicateContext,
  type ValueExpressionContext,
} from 'dt-sql-parser/dist/lib/spark/SparkSqlParser.js';
import { EXPRESSION_FUNCTIONS, EXPRESSION_KEYWORDS } from './expression-functions.ts';
import { Fail, first, keywordHere, unexpected } from './expression-fail.ts';
import { constantExpr, dataTypeText } from './expression-values.ts';
import type { Expr } from './expression.ts';
import { L } from './grammar.ts';
import { isValidIdentifier, MAX_IDENTIFIER_LENGTH } from './identifiers.ts';
import { identifierValue, stringValue } from './literal.ts';

const notAFunction = (name: string, at: number) => new Fail(`function "${name}" is not allowed (see the list of expression functions in the README)`, at);

/** The expression of a parsed `booleanExpression`; throws Fail outside the subset. */
export function booleanExpr(ctx: BooleanExpressionContext): Expr {
  const spine: BooleanExpressionContext[] = [];
  let node = ctx;
  while (node._left) spine.push(node), (node = node._left);
  let e = booleanLeaf(node);
  for (const b of spine.reverse()) e = { k: 'bin', op: b._operator!.text!.toUpperCase(), l: e, r: booleanExpr(b._right!) };
  return e;
}

function booleanLeaf(ctx: BooleanExpressionContext): Expr {
  const head = ctx.getChild(0)!;
  if (head instanceof TerminalNode && head.symbol.type === L.KW_NOT) return { k: 'unary', op: 'NOT', e: booleanExpr(ctx.booleanExpression(0)!) };
  if (head instanceof TerminalNode) throw notAFunction(head.symbol.text!, head.symbol.start);
  const e = valueExpr(ctx.valueExpression()!);
  const p = ctx.predicate();
  return p ? predicate(e, p) : e;
}

function predicate(e: Expr, p: PredicateContext): Expr {
  const not = p.KW_NOT() !== null;
  const kind = p._kind!.text!.toUpperCase();
  if (p.KW_IS()) return { k: 'is', e, not, what: p.KW_DISTINCT() ? 'DISTINCT FROM' : kind, ...(p._right ? { other: valueExpr(p._right) } : {}) };
  if (kind === 'BETWEEN') return { k: 'between', e, not, lo: valueExpr(p._lower!), hi: valueExpr(p._upper!) };
  if (kind === 'IN') {
    const q = p.query();
    if (q) throw keywordHere(q.start!);
    return { k: 'in', e, not, list: p.expression().map((x) => booleanExpr(x.booleanExpression())) };
  }
  if (p._quantifier) throw keywordHere(p._quantifier);
  let escape: string | undefined;
  if (p._escapeChar) {
    escape = stringValue(p._escapeChar.start!.text!);
    if ([...escape].length !== 1) throw new Fail('ESCAPE takes a single character', p._escapeChar.start!.start);
  }
  return { k: 'like', e, not, op: kind, pattern: valueExpr(p._pattern!), ...(escape === undefined ? {} : { escape }) };
}

function valueExpr(ctx: ValueExpressionContext): Expr {
  const spine: ValueExpressionContext[] = [];
  let node = ctx;
  while (node._left) spine.push(node), (node = node._left);
  let e = valueLeaf(node);
  for (const b of spine.reverse()) {
    const op = b.comparisonOperator()?.start ?? b._operator!;
    e = { k: 'bin', op: op.type === L.KW_DIV ? 'DIV' : op.text!, l: e, r: valueExpr(b._right!) };
  }
  return e;
}

function valueLeaf(ctx: ValueExpressionContext): Expr {
  const primary = ctx.primaryExpression();
  if (primary) return primaryExpr(primary);
  return { k: 'unary', op: ctx._operator!.text!, e: valueExpr(ctx.valueExpression(0)!) };
}

function primaryExpr(ctx: PrimaryExpressionContext): Expr {
  const head = ctx.getChild(0)!;
  if (head instanceof ConstantContext) return constantExpr(head);
  if (head instanceof ColumnNamePathContext) return columns(head.multipartIdentifier());
  if (head instanceof FunctionNameContext) return call(ctx, head);
  if (head instanceof PrimaryExpressionContext) {
    const base = primaryExpr(head);
    const dot = ctx.children![1] as TerminalNode;
    if (base.k !== 'col' || dot.symbol.type !== L.DOT) throw unexpected(dot.symbol);
    return { k: 'col', parts: [...base.parts, namePart(ctx._fieldName!.start!, false, true)] };
  }
  if (!(head instanceof TerminalNode)) throw unexpected(first(head));
  const t = head.symbol;
  switch (t.type) {
    case L.KW_CURRENT_DATE:
    case L.KW_CURRENT_TIMESTAMP:
      if (ctx.getChildCount() === 1) return { k: 'call', name: t.text!.toLowerCase(), args: [] };
      break;
    case L.KW_CASE:
      return caseExpr(ctx);
    case L.KW_CAST:
      return { k: 'cast', e: booleanExpr(ctx.expression(0)!.booleanExpression()), type: dataTypeText(ctx.dataType()!) };
    case L.KW_SUBSTR:
    case L.KW_SUBSTRING:
      if (ctx.KW_FROM() === null && ctx.KW_FOR() === null) return { k: 'call', name: t.text!.toLowerCase(), args: ctx.valueExpression().map(valueExpr) };
      throw new Fail(`${t.text}(… FROM … FOR …) is not allowed: separate the arguments with commas`, t.start);
    case L.LEFT_PAREN: {
      const q = ctx.query();
      if (q) throw keywordHere(q.start!);
      const comma = ctx.COMMA(0);
      if (comma) throw new Fail(`expected ")", found ","`, comma.symbol.start);
      return { k: 'paren', e: booleanExpr(ctx.expression(0)!.booleanExpression()) };
    }
    case L.ASTERISK:
      throw new Fail('a value was expected, found "*"', t.start);
  }
  const special = [L.KW_POSITION, L.KW_EXTRACT, L.KW_TRIM, L.KW_OVERLAY, L.KW_DATEADD, L.KW_DATE_ADD, L.KW_TIMESTAMPADD, L.KW_DATEDIFF, L.KW_DATE_DIFF, L.KW_TIMEDIFF, L.KW_TIMESTAMPDIFF];
  if (special.includes(t.type) && EXPRESSION_FUNCTIONS.has(t.text!.toLowerCase())) {
    throw new Fail(`the special form of ${t.text}(…) is not allowed: pass plain values separated by commas`, t.start);
  }
  throw notAFunction(t.text!, t.start);
}

/**
 * A column path. The grammar reads `a-b` and `a - b` as one name with an
 * "error capturing" tail (Spark would reject `a-b` as a table name); in an
 * expression that tail is a subtraction of columns.
 */
function columns(ctx: MultipartIdentifierContext): Expr {
  const cols: { parts: string[] }[] = [{ parts: [] }];
  for (const [i, part] of ctx._parts.entries()) {
    cols.at(-1)!.parts.push(namePart(part.identifier().start!, i === 0, i > 0));
    for (const id of part.errorCapturingIdentifierExtra().identifier()) cols.push({ parts: [namePart(id.start!, true, false)] });
  }
  return cols.slice(1).reduce<Expr>((l, r) => ({ k: 'bin', op: '-', l, r: { k: 'col', ...r } }), { k: 'col', ...cols[0]! });
}

/** A name of a column path; the first part of a path may not be an unquoted keyword of the subset. */
export function namePart(t: Token, firstPart: boolean, afterDot: boolean): string {
  if (t.type === L.DOUBLEQUOTED_STRING) throw afterDot ? new Fail('a field name was expected after "."', t.start) : unexpected(t);
  const name = identifierValue(t.text!);
  if (firstPart && t.type !== L.BACKQUOTED_IDENTIFIER && EXPRESSION_KEYWORDS.has(name.toUpperCase())) throw keywordHere(t);
  if (!isValidIdentifier(name)) throw new Fail(`"${name}" is not a valid name (letters, digits and _, not starting with a digit, at most ${MAX_IDENTIFIER_LENGTH} characters)`, t.start);
  return name;
}

function call(ctx: PrimaryExpressionContext, fn: FunctionNameContext): Expr {
  const qualified = fn.qualifiedName();
  const ids = qualified?.identifier() ?? [];
  if (ids.length > 1) throw new Fail('qualified function names are not allowed', ids[1]!.start!.start);
  const t = fn.start!;
  const name = identifierValue(t.text!);
  if (t.type === L.BACKQUOTED_IDENTIFIER || fn.KW_IDENTIFIER() || !EXPRESSION_FUNCTIONS.has(name.toLowerCase())) throw notAFunction(name, t.start);
  const quantifier = ctx.setQuantifier();
  if (quantifier) throw keywordHere(quantifier.start!);
  const args = ctx.functionArgument().map((a) => {
    const e = a.expression();
    if (!e) throw unexpected(a.start!);
    return booleanExpr(e.booleanExpression());
  });
  // FILTER (WHERE …), IGNORE NULLS, OVER (…)
  const trailing = ctx.children![ctx.children!.indexOf(ctx.RIGHT_PAREN(0)!) + 1];
  if (trailing) throw unexpected(first(trailing));
  return { k: 'call', name: name.toLowerCase(), args };
}

function caseExpr(ctx: PrimaryExpressionContext): Expr {
  const second = ctx.children![1];
  const operand = second instanceof ExpressionContext ? booleanExpr(second.booleanExpression()) : undefined;
  const whens = ctx.whenClause().map((w): [Expr, Expr] => [booleanExpr(w._condition!.booleanExpression()), booleanExpr(w._result!.booleanExpression())]);
  const otherwise = ctx._elseExpression ? booleanExpr(ctx._elseExpression.booleanExpression()) : undefined;
  return { k: 'case', ...(operand ? { operand } : {}), whens, ...(otherwise ? { otherwise } : {}) };
}
