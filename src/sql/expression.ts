/**
 * User-written boolean expressions (`delete_when`, `where` of rewrite_data_files)
 * are parsed, never scanned: a recursive-descent parser over the tokens of
 * expression-lexer.ts accepts a documented subset of Spark SQL expressions
 * (README, "Expressions") and the SQL that lakestep emits is rendered from the
 * parse tree — names quoted, literals re-escaped — so no input can end, comment
 * out or extend the statement it lands in.
 * See https://spark.apache.org/docs/latest/sql-ref-expression.html
 */
import { EXPRESSION_FUNCTIONS, EXPRESSION_KEYWORDS, EXPRESSION_TYPES, INTERVAL_UNITS } from './expression-functions.ts';
import { lexExpression, type ExprToken } from './expression-lexer.ts';
import { isValidIdentifier, MAX_IDENTIFIER_LENGTH, quoteIdent, sqlString } from './identifiers.ts';

export { EXPRESSION_KEYWORDS } from './expression-functions.ts';
export type { ExprToken } from './expression-lexer.ts';

/** A node of the parse tree; `render` turns it back into SQL. */
export type Expr =
  | { k: 'col'; parts: string[] }
  | { k: 'lit'; text: string }
  | { k: 'str'; prefix: string; value: string }
  | { k: 'hex'; value: string }
  | { k: 'interval'; text: string }
  | { k: 'unary'; op: string; e: Expr }
  | { k: 'bin'; op: string; l: Expr; r: Expr }
  | { k: 'paren'; e: Expr }
  | { k: 'call'; name: string; args: Expr[] }
  | { k: 'cast'; e: Expr; type: string }
  | { k: 'case'; operand?: Expr; whens: [Expr, Expr][]; otherwise?: Expr }
  | { k: 'is'; e: Expr; not: boolean; what: string; other?: Expr }
  | { k: 'in'; e: Expr; not: boolean; list: Expr[] }
  | { k: 'between'; e: Expr; not: boolean; lo: Expr; hi: Expr }
  | { k: 'like'; e: Expr; not: boolean; op: string; pattern: Expr; escape?: string };

export type ParseResult = { expr: Expr } | { error: string; at: number };

/** Deepest nesting of parentheses and operators accepted (keeps the parser's stack small). */
export const MAX_EXPRESSION_DEPTH = 64;
const TYPED_LITERALS = new Set(['DATE', 'TIMESTAMP', 'TIMESTAMP_NTZ', 'TIMESTAMP_LTZ']);
const COMPARISONS = new Set(['=', '==', '<>', '!=', '<', '<=', '>', '>=', '<=>']);

class Fail extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly tokens: ExprToken[],
    private readonly length: number,
  ) {}

  parse(): Expr {
    if (this.tokens.length === 0) throw new Fail('the expression is empty', 0);
    const e = this.or();
    const t = this.peek();
    if (t) throw new Fail(`unexpected ${describe(t)}: an operator or the end of the expression was expected`, t.at);
    return e;
  }

  private peek(offset = 0): ExprToken | undefined {
    return this.tokens[this.i + offset];
  }

  private word(offset = 0): string | undefined {
    const t = this.peek(offset);
    return t?.kind === 'ident' && !t.quoted ? t.name.toUpperCase() : undefined;
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'op' && t.text === text;
  }

  private next(): ExprToken {
    const t = this.tokens[this.i++];
    if (!t) throw new Fail('the expression ends too early', this.length);
    return t;
  }

  private expectWord(w: string): void {
    const t = this.peek();
    if (this.word() !== w) throw new Fail(`expected ${w}${t ? `, found ${describe(t)}` : ' before the end'}`, t?.at ?? this.length);
    this.i++;
  }

  private expectKind(kind: ExprToken['kind']): ExprToken {
    const t = this.peek();
    if (t?.kind !== kind) throw new Fail(`expected "${kind}"${t ? `, found ${describe(t)}` : ' before the end'}`, t?.at ?? this.length);
    return this.next();
  }

  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_EXPRESSION_DEPTH) throw new Fail(`the expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep`, this.peek()?.at ?? this.length);
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private or(): Expr {
    return this.nested(() => {
      let l = this.and();
      while (this.word() === 'OR') {
        this.i++;
        l = { k: 'bin', op: 'OR', l, r: this.and() };
      }
      return l;
    });
  }

  private and(): Expr {
    let l = this.not();
    while (this.word() === 'AND') {
      this.i++;
      l = { k: 'bin', op: 'AND', l, r: this.not() };
    }
    return l;
  }

  private not(): Expr {
    if (this.word() === 'NOT') {
      this.i++;
      return this.nested(() => ({ k: 'unary', op: 'NOT', e: this.not() }));
    }
    return this.predicate();
  }

  private predicate(): Expr {
    const e = this.comparison();
    const w = this.word();
    if (w === 'IS') {
      this.i++;
      const not = this.word() === 'NOT';
      if (not) this.i++;
      const what = this.word();
      if (what === 'DISTINCT') {
        this.i++;
        this.expectWord('FROM');
        return { k: 'is', e, not, what: 'DISTINCT FROM', other: this.comparison() };
      }
      if (what !== 'NULL' && what !== 'TRUE' && what !== 'FALSE' && what !== 'UNKNOWN') throw new Fail('expected NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS', this.peek()?.at ?? this.length);
      this.i++;
      return { k: 'is', e, not, what };
    }
    const not = w === 'NOT' && ['IN', 'BETWEEN', 'LIKE', 'ILIKE', 'RLIKE', 'REGEXP'].includes(this.word(1) ?? '');
    if (not) this.i++;
    const op = this.word();
    if (op === 'IN') {
      this.i++;
      this.expectKind('(');
      const list = this.list();
      this.expectKind(')');
      return { k: 'in', e, not, list };
    }
    if (op === 'BETWEEN') {
      this.i++;
      const lo = this.comparison();
      this.expectWord('AND');
      return { k: 'between', e, not, lo, hi: this.comparison() };
    }
    if (op === 'LIKE' || op === 'ILIKE' || op === 'RLIKE' || op === 'REGEXP') {
      this.i++;
      const pattern = this.comparison();
      let escape: string | undefined;
      if (op !== 'RLIKE' && op !== 'REGEXP' && this.word() === 'ESCAPE') {
        this.i++;
        const s = this.expectKind('string') as Extract<ExprToken, { kind: 'string' }>;
        if ([...s.value].length !== 1) throw new Fail('ESCAPE takes a single character', s.at);
        escape = s.value;
      }
      return { k: 'like', e, not, op, pattern, ...(escape === undefined ? {} : { escape }) };
    }
    return e;
  }

  private list(): Expr[] {
    const items = [this.or()];
    while (this.peek()?.kind === ',') {
      this.i++;
      items.push(this.or());
    }
    return items;
  }

  private binary(ops: readonly string[], operand: () => Expr, words: readonly string[] = []): Expr {
    let l = operand();
    for (;;) {
      const t = this.peek();
      const op = t?.kind === 'op' && ops.includes(t.text) ? t.text : words.includes(this.word() ?? '') ? this.word()! : undefined;
      if (op === undefined) return l;
      this.i++;
      l = { k: 'bin', op, l, r: operand() };
    }
  }

  private comparison(): Expr {
    return this.binary([...COMPARISONS], () => this.bitOr());
  }
  private bitOr(): Expr {
    return this.binary(['|'], () => this.bitXor());
  }
  private bitXor(): Expr {
    return this.binary(['^'], () => this.bitAnd());
  }
  private bitAnd(): Expr {
    return this.binary(['&'], () => this.additive());
  }
  private additive(): Expr {
    return this.binary(['+', '-', '||'], () => this.multiplicative());
  }
  private multiplicative(): Expr {
    return this.binary(['*', '/', '%'], () => this.unary(), ['DIV']);
  }

  private unary(): Expr {
    const t = this.peek();
    if (t?.kind === 'op' && (t.text === '-' || t.text === '+' || t.text === '~')) {
      this.i++;
      return this.nested(() => ({ k: 'unary', op: t.text, e: this.unary() }));
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    if (!t) throw new Fail('a value was expected before the end of the expression', this.length);
    if (t.kind === 'comment') throw new Fail('comments are not allowed', t.at);
    if (t.kind === 'number') return this.next(), { k: 'lit', text: t.text };
    if (t.kind === 'string') return this.next(), { k: 'str', prefix: '', value: t.value };
    if (t.kind === 'hex') return this.next(), { k: 'hex', value: t.value };
    if (t.kind === '(') {
      this.i++;
      const e = this.or();
      this.expectKind(')');
      return { k: 'paren', e };
    }
    if (t.kind !== 'ident') throw new Fail(`a value was expected, found ${describe(t)}`, t.at);
    const w = this.word();
    const after = this.peek(1);
    if (w === 'NULL' || w === 'TRUE' || w === 'FALSE') return this.next(), { k: 'lit', text: w };
    if (w !== undefined && TYPED_LITERALS.has(w) && after?.kind === 'string') {
      this.i += 2;
      return { k: 'str', prefix: w, value: (after as Extract<ExprToken, { kind: 'string' }>).value };
    }
    if (w === 'CAST' && after?.kind === '(') return this.cast();
    if (w === 'CASE') return this.caseExpr();
    if (w === 'INTERVAL') return this.interval();
    if (after?.kind === '(') return this.call();
    if (w !== undefined && EXPRESSION_KEYWORDS.has(w)) throw new Fail(`"${t.name}" is not allowed here (write \`${t.name}\` for a column of that name)`, t.at);
    return this.column();
  }

  private column(): Expr {
    const parts = [this.name(this.next())];
    while (this.peek()?.kind === '.') {
      this.i++;
      const t = this.peek();
      if (t?.kind !== 'ident') throw new Fail('a field name was expected after "."', t?.at ?? this.length);
      if (this.peek(1)?.kind === '(') throw new Fail('qualified function names are not allowed', t.at);
      parts.push(this.name(this.next()));
    }
    return { k: 'col', parts };
  }

  private name(t: ExprToken): string {
    const name = t.kind === 'ident' ? t.name : t.text;
    if (!isValidIdentifier(name)) throw new Fail(`"${name}" is not a valid name (letters, digits and _, not starting with a digit, at most ${MAX_IDENTIFIER_LENGTH} characters)`, t.at);
    return name;
  }

  private call(): Expr {
    const t = this.next() as Extract<ExprToken, { kind: 'ident' }>;
    const name = t.name.toLowerCase();
    if (t.quoted || !EXPRESSION_FUNCTIONS.has(name)) throw new Fail(`function "${t.name}" is not allowed (see the list of expression functions in the README)`, t.at);
    this.i++;
    const args = this.peek()?.kind === ')' ? [] : this.list();
    this.expectKind(')');
    return { k: 'call', name, args };
  }

  private cast(): Expr {
    this.i += 2;
    const e = this.or();
    this.expectWord('AS');
    const type = this.type();
    this.expectKind(')');
    return { k: 'cast', e, type };
  }

  private type(): string {
    return this.nested(() => {
      const t = this.peek();
      const w = this.word();
      if (!t || w === undefined || !EXPRESSION_TYPES.has(w.toLowerCase())) throw new Fail(`a type was expected (${[...EXPRESSION_TYPES].join(', ')})`, t?.at ?? this.length);
      this.i++;
      const name = w.toLowerCase();
      if (name === 'array' || name === 'map') {
        if (!this.isOp('<')) throw new Fail(`${name} needs element types: ${name}<…>`, this.peek()?.at ?? this.length);
        this.i++;
        const inner = [this.type()];
        if (name === 'map') {
          this.expectKind(',');
          inner.push(this.type());
        }
        if (!this.isOp('>')) throw new Fail(`expected ">" to close ${name}<…>`, this.peek()?.at ?? this.length);
        this.i++;
        return `${name}<${inner.join(', ')}>`;
      }
      if (this.peek()?.kind === '(' && ['decimal', 'dec', 'numeric', 'varchar', 'char'].includes(name)) {
        this.i++;
        const sizes = [this.expectKind('number').text];
        if (this.peek()?.kind === ',') {
          this.i++;
          sizes.push(this.expectKind('number').text);
        }
        this.expectKind(')');
        if (!sizes.every((s) => /^\d{1,5}$/.test(s))) throw new Fail('type sizes are whole numbers', t.at);
        return `${name}(${sizes.join(', ')})`;
      }
      return name;
    });
  }

  private caseExpr(): Expr {
    this.i++;
    const operand = this.word() === 'WHEN' ? undefined : this.or();
    const whens: [Expr, Expr][] = [];
    while (this.word() === 'WHEN') {
      this.i++;
      const cond = this.or();
      this.expectWord('THEN');
      whens.push([cond, this.or()]);
    }
    if (whens.length === 0) throw new Fail('CASE needs at least one WHEN … THEN …', this.peek()?.at ?? this.length);
    let otherwise: Expr | undefined;
    if (this.word() === 'ELSE') {
      this.i++;
      otherwise = this.or();
    }
    this.expectWord('END');
    return { k: 'case', ...(operand ? { operand } : {}), whens, ...(otherwise ? { otherwise } : {}) };
  }

  /** `INTERVAL 7 DAYS`, `INTERVAL '1' HOUR`, `INTERVAL 1 DAY 2 HOURS`, `INTERVAL '1 2' DAY TO HOUR`. */
  private interval(): Expr {
    const start = this.next();
    const parts: string[] = [];
    for (;;) {
      const v = this.peek();
      const neg = v?.kind === 'op' && v.text === '-' ? '-' : '';
      const value = this.peek(neg ? 1 : 0);
      if (value?.kind !== 'number' && value?.kind !== 'string') break;
      if (value.kind === 'number' && !/^\d+(\.\d+)?$/.test(value.text)) throw new Fail('an interval amount is a plain number', value.at);
      const unit = this.word(neg ? 2 : 1);
      if (unit === undefined || !INTERVAL_UNITS.has(unit)) throw new Fail(`an interval unit was expected (${[...INTERVAL_UNITS].join(', ')})`, this.peek(neg ? 2 : 1)?.at ?? this.length);
      this.i += neg ? 3 : 2;
      let text = `${neg}${value.kind === 'string' ? sqlString(value.value) : value.text} ${unit}`;
      if (value.kind === 'string' && this.word() === 'TO') {
        const to = this.word(1);
        if (to === undefined || !INTERVAL_UNITS.has(to)) throw new Fail('an interval unit was expected after TO', this.peek(1)?.at ?? this.length);
        this.i += 2;
        text += ` TO ${to}`;
        parts.push(text);
        break;
      }
      parts.push(text);
    }
    if (parts.length === 0) throw new Fail('INTERVAL needs an amount and a unit, e.g. INTERVAL 7 DAYS', start.at);
    return { k: 'interval', text: `INTERVAL ${parts.join(' ')}` };
  }
}

function describe(t: ExprToken): string {
  if (t.kind === 'comment') return 'a comment';
  const shown = t.text.length > 40 ? t.text.slice(0, 40) + '…' : t.text;
  return JSON.stringify(shown);
}

/** The parse tree of `text`, or the first problem with its character offset. */
export function parseExpression(text: string): ParseResult {
  const tokens = lexExpression(text);
  if (!Array.isArray(tokens)) return tokens;
  const comment = tokens.find((t) => t.kind === 'comment');
  if (comment) return { error: 'comments are not allowed', at: comment.at };
  try {
    return { expr: new Parser(tokens, text.length).parse() };
  } catch (e) {
    if (e instanceof Fail) return { error: e.message, at: e.at };
    throw e;
  }
}

/**
 * An error message (ending with the character offset) when `text` is not an
 * expression of the accepted subset; else null.
 */
export function validateExpression(text: string): string | null {
  const r = parseExpression(text);
  return 'error' in r ? `${r.error} (offset ${r.at})` : null;
}

/** Renders a parse tree as Spark SQL; column names become `alias`.`col` when an alias is given. */
export function renderExpression(e: Expr, alias?: string): string {
  const r = (x: Expr) => renderExpression(x, alias);
  const not = (n: boolean) => (n ? 'NOT ' : '');
  switch (e.k) {
    case 'col': {
      const [first, ...fields] = e.parts.map(quoteIdent);
      return (alias === undefined ? '' : `${alias}.`) + [first, ...fields].join('.');
    }
    case 'lit':
    case 'interval':
      return e.text;
    case 'str':
      return (e.prefix ? `${e.prefix} ` : '') + sqlString(e.value);
    case 'hex':
      return `X'${e.value}'`;
    case 'unary': {
      const inner = r(e.e);
      // `- -1` must never print as `--1`, which starts a comment.
      return e.op === 'NOT' ? `NOT ${inner}` : `${e.op}${/^[-+~]/.test(inner) ? `(${inner})` : inner}`;
    }
    case 'bin':
      return `${r(e.l)} ${e.op} ${r(e.r)}`;
    case 'paren':
      return `(${r(e.e)})`;
    case 'call':
      return `${e.name}(${e.args.map(r).join(', ')})`;
    case 'cast':
      return `CAST(${r(e.e)} AS ${e.type})`;
    case 'case':
      return `CASE ${e.operand ? r(e.operand) + ' ' : ''}${e.whens.map(([c, v]) => `WHEN ${r(c)} THEN ${r(v)}`).join(' ')}${e.otherwise ? ` ELSE ${r(e.otherwise)}` : ''} END`;
    case 'is':
      return `${r(e.e)} IS ${not(e.not)}${e.what}${e.other ? ' ' + r(e.other) : ''}`;
    case 'in':
      return `${r(e.e)} ${not(e.not)}IN (${e.list.map(r).join(', ')})`;
    case 'between':
      return `${r(e.e)} ${not(e.not)}BETWEEN ${r(e.lo)} AND ${r(e.hi)}`;
    case 'like':
      return `${r(e.e)} ${not(e.not)}${e.op} ${r(e.pattern)}${e.escape === undefined ? '' : ` ESCAPE ${sqlString(e.escape)}`}`;
  }
}

/** The canonical SQL of a valid expression (names quoted, literals re-escaped). Throws on an invalid one (validated earlier). */
export function canonicalExpression(text: string, alias?: string): string {
  const r = parseExpression(text);
  if ('error' in r) throw new Error(`invalid expression: ${r.error} (offset ${r.at})`);
  if (alias !== undefined && !isValidIdentifier(alias)) throw new Error(`invalid alias ${JSON.stringify(alias)}`);
  return renderExpression(r.expr, alias);
}

/**
 * Rewrites the column names of a valid expression as `alias`.`col`, so a
 * condition written against source columns cannot be ambiguous inside a MERGE.
 */
export function qualifyExpression(text: string, alias: string): string {
  return canonicalExpression(text, alias);
}
