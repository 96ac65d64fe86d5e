/**
 * The common shape of a user expression — column paths and literals compared,
 * tested with `IS [NOT] NULL|TRUE|FALSE|UNKNOWN` or `[NOT] IN (…)`, combined
 * with `NOT`, `AND`, `OR` and parentheses (`op = 'D'`,
 * `status IN ('closed', 'void') AND deleted_at IS NOT NULL`) — read straight
 * from its tokens, into the tree the Spark grammar's parse would give
 * (expression-tree.ts). The grammar's first parse in a process costs
 * ~0.15 s (its prediction tables are built on demand); an incremental compile
 * that re-reads one changed condition should not pay it.
 *
 * Anything else, and anything this reader is not sure of, is left to the
 * grammar (`undefined`): it never reports an error itself. The two are
 * compared on generated inputs by test/sql/expression-simple.test.ts.
 */
import type { Token } from 'antlr4ng';
import { Fail } from './expression-fail.ts';
import type { Expr } from './expression.ts';
import { L, isNumber } from './grammar.ts';
import { namePart as columnNamePart } from './expression-tree.ts';
import { stringValue } from './literal.ts';

const COMPARISONS = new Set([L.EQ, L.NSEQ, L.NEQ, L.NEQJ, L.LT, L.LTE, L.GT, L.GTE]);
const IS_WHAT = new Map([
  [L.KW_NULL, 'NULL'],
  [L.KW_TRUE, 'TRUE'],
  [L.KW_FALSE, 'FALSE'],
  [L.KW_UNKNOWN, 'UNKNOWN'],
]);
/** What may follow a complete operand of AND / OR (the end of the input included). */
const ENDS_OPERAND = new Set([L.KW_AND, L.KW_OR, L.RIGHT_PAREN, L.COMMA, L.EOF]);

class NotSimple extends Error {}

/** The tree of `tokens` when they are a simple expression, else undefined (the grammar decides). */
export function simpleExpression(tokens: readonly Token[]): Expr | undefined {
  const r = new Reader(tokens);
  try {
    const e = r.or();
    return r.done() ? e : undefined;
  } catch (e) {
    if (e instanceof NotSimple) return undefined;
    throw e;
  }
}

class Reader {
  private i = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  done(): boolean {
    return this.i === this.tokens.length;
  }

  private peek(offset = 0): number {
    return this.tokens[this.i + offset]?.type ?? L.EOF;
  }

  private take(type?: number): Token {
    const t = this.tokens[this.i];
    if (!t || (type !== undefined && t.type !== type)) throw new NotSimple();
    this.i++;
    return t;
  }

  /** `a OR b AND c` is `a OR (b AND c)`; each chain is read left to right, as the grammar's left recursion does. */
  or(): Expr {
    return this.chain(L.KW_OR, () => this.and());
  }

  private and(): Expr {
    return this.chain(L.KW_AND, () => this.not());
  }

  private chain(type: number, operand: () => Expr): Expr {
    let e = operand();
    while (this.peek() === type) {
      const op = this.take().text!.toUpperCase();
      e = { k: 'bin', op, l: e, r: operand() };
    }
    return e;
  }

  /** `NOT` binds tighter than AND and OR, looser than a comparison or a predicate. */
  private not(): Expr {
    if (this.peek() === L.KW_NOT) {
      this.i++;
      return { k: 'unary', op: 'NOT', e: this.not() };
    }
    const e = this.predicated();
    if (!ENDS_OPERAND.has(this.peek())) throw new NotSimple();
    return e;
  }

  /** An operand, compared with another, or tested by one predicate. */
  private predicated(): Expr {
    const e = this.operand();
    const next = this.peek();
    if (COMPARISONS.has(next)) {
      const op = this.take();
      return { k: 'bin', op: op.text!, l: e, r: this.operand() };
    }
    if (next === L.KW_IS) {
      this.i++;
      const not = this.peek() === L.KW_NOT;
      if (not) this.i++;
      const what = IS_WHAT.get(this.peek());
      if (what === undefined) throw new NotSimple();
      this.i++;
      return { k: 'is', e, not, what };
    }
    if (next === L.KW_IN || (next === L.KW_NOT && this.peek(1) === L.KW_IN)) {
      const not = next === L.KW_NOT;
      this.i += not ? 2 : 1;
      this.take(L.LEFT_PAREN);
      const list = [this.or()];
      while (this.peek() === L.COMMA) {
        this.i++;
        list.push(this.or());
      }
      this.take(L.RIGHT_PAREN);
      return { k: 'in', e, not, list };
    }
    return e;
  }

  /** A column path, a plain literal or a parenthesized expression. */
  private operand(): Expr {
    const t = this.take();
    if (t.type === L.LEFT_PAREN) {
      const e = this.or();
      this.take(L.RIGHT_PAREN);
      return { k: 'paren', e };
    }
    if (t.type === L.STRING_LITERAL || t.type === L.DOUBLEQUOTED_STRING) {
      return { k: 'str', prefix: '', value: stringValue(t.text!) };
    }
    if (isNumber(t.type)) return { k: 'lit', text: t.text! };
    if (t.type === L.KW_NULL) return { k: 'lit', text: 'NULL' };
    if (t.type === L.KW_TRUE || t.type === L.KW_FALSE) return { k: 'lit', text: t.text!.toUpperCase() };
    const parts = [namePart(t, true)];
    while (this.peek() === L.DOT) {
      this.i++;
      parts.push(namePart(this.take(), false));
    }
    // A name followed by `(` is a call, by `-` a name the grammar reads in its own way.
    if (this.peek() === L.LEFT_PAREN) throw new NotSimple();
    return { k: 'col', parts };
  }
}

/** A plain or backquoted name, checked as the grammar's reading checks it (expression-tree.ts). */
function namePart(t: Token, first: boolean): string {
  if (t.type !== L.IDENTIFIER && t.type !== L.BACKQUOTED_IDENTIFIER) throw new NotSimple();
  try {
    return columnNamePart(t, first, !first);
  } catch (e) {
    throw e instanceof Fail ? new NotSimple() : e;
  }
}
