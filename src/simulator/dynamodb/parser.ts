/**
 * Parser of DynamoDB condition and update expressions into a small AST. Attribute
 * name placeholders (`#n`) are resolved here; value placeholders (`:v`) at evaluation.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 */
import { ExpressionError, tokenize, type Token } from './lexer.ts';
import type { PathStep } from './values.ts';

export type Operand =
  | { kind: 'path'; path: PathStep[] }
  | { kind: 'value'; ref: string }
  | { kind: 'size'; path: PathStep[] }
  | { kind: 'if_not_exists'; path: PathStep[]; fallback: Operand }
  | { kind: 'list_append'; left: Operand; right: Operand }
  | { kind: 'arith'; op: '+' | '-'; left: Operand; right: Operand };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; value: Operand; low: Operand; high: Operand }
  | { kind: 'in'; value: Operand; list: Operand[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; condition: Condition }
  | { kind: 'function'; name: 'attribute_exists' | 'attribute_not_exists' | 'attribute_type' | 'begins_with' | 'contains'; args: Operand[] };

export interface UpdateActions {
  set: { path: PathStep[]; value: Operand }[];
  remove: PathStep[][];
  add: { path: PathStep[]; value: Operand }[];
  delete: { path: PathStep[]; value: Operand }[];
}

const CONDITION_FUNCTIONS = ['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains'] as const;
const COMPARATORS: readonly string[] = ['=', '<>', '<', '<=', '>', '>='];

class Parser {
  private pos = 0;
  private readonly tokens: Token[];

  constructor(
    private readonly text: string,
    private readonly names: Record<string, string>,
  ) {
    this.tokens = tokenize(text);
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    this.pos++;
    return token;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'name' && t.text.toUpperCase() === word;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === text;
  }

  private expect(text: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== text) this.fail(t, `expected "${text}"`);
  }

  fail(token: Token, message: string): never {
    throw new ExpressionError(`Invalid expression: ${message} at ${token.pos} in "${this.text}"`);
  }

  done(): void {
    const t = this.peek();
    if (t.kind !== 'end') this.fail(t, `unexpected "${t.text}"`);
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', condition: this.negation() };
    }
    return this.primary();
  }

  private primary(): Condition {
    if (this.isPunct('(')) {
      this.next();
      const inner = this.condition();
      this.expect(')');
      return inner;
    }
    const t = this.peek();
    const fn = CONDITION_FUNCTIONS.find((f) => t.kind === 'name' && t.text === f);
    if (fn && this.peek(1).text === '(') {
      this.next();
      return { kind: 'function', name: fn, args: this.arguments() };
    }
    const left = this.operand();
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const low = this.operand();
      if (!this.isKeyword('AND')) this.fail(this.peek(), 'expected AND in BETWEEN');
      this.next();
      return { kind: 'between', value: left, low, high: this.operand() };
    }
    if (this.isKeyword('IN')) {
      this.next();
      return { kind: 'in', value: left, list: this.arguments() };
    }
    const op = this.next();
    if (op.kind !== 'punct' || !COMPARATORS.includes(op.text)) this.fail(op, 'expected a comparator');
    return { kind: 'compare', op: op.text as Comparator, left, right: this.operand() };
  }

  private arguments(): Operand[] {
    this.expect('(');
    const args = [this.operand()];
    while (this.isPunct(',')) {
      this.next();
      args.push(this.operand());
    }
    this.expect(')');
    return args;
  }

  /** A path, a value placeholder or a function returning a value. */
  operand(): Operand {
    const t = this.peek();
    if (t.kind === 'value') {
      this.next();
      return { kind: 'value', ref: t.text };
    }
    if (t.kind === 'name' && this.peek(1).text === '(') {
      if (t.text === 'size') {
        this.next();
        this.expect('(');
        const path = this.path();
        this.expect(')');
        return { kind: 'size', path };
      }
      if (t.text === 'if_not_exists') {
        this.next();
        this.expect('(');
        const path = this.path();
        this.expect(',');
        const fallback = this.operand();
        this.expect(')');
        return { kind: 'if_not_exists', path, fallback };
      }
      if (t.text === 'list_append') {
        this.next();
        this.expect('(');
        const left = this.operand();
        this.expect(',');
        const right = this.operand();
        this.expect(')');
        return { kind: 'list_append', left, right };
      }
      this.fail(t, `unknown function "${t.text}"`);
    }
    return { kind: 'path', path: this.path() };
  }

  path(): PathStep[] {
    const steps: PathStep[] = [this.attributeName()];
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        steps.push(this.attributeName());
      } else if (this.isPunct('[')) {
        this.next();
        const index = this.next();
        if (index.kind !== 'number') this.fail(index, 'expected a list index');
        steps.push(Number(index.text));
        this.expect(']');
      } else return steps;
    }
  }

  private attributeName(): string {
    const t = this.next();
    if (t.kind === 'alias') {
      const name = this.names[t.text];
      if (name === undefined) this.fail(t, `undefined attribute name placeholder ${t.text}`);
      return name;
    }
    if (t.kind !== 'name') this.fail(t, 'expected an attribute name');
    return t.text;
  }

  update(): UpdateActions {
    const actions: UpdateActions = { set: [], remove: [], add: [], delete: [] };
    const seen = new Set<string>();
    while (this.peek().kind !== 'end') {
      const clause = this.next();
      const keyword = clause.kind === 'name' ? clause.text.toUpperCase() : '';
      if (!['SET', 'REMOVE', 'ADD', 'DELETE'].includes(keyword)) this.fail(clause, 'expected SET, REMOVE, ADD or DELETE');
      if (seen.has(keyword)) this.fail(clause, `the ${keyword} clause appears twice`);
      seen.add(keyword);
      for (let first = true; first || this.isPunct(','); first = false) {
        if (!first) this.next();
        const path = this.path();
        if (keyword === 'REMOVE') actions.remove.push(path);
        else if (keyword === 'SET') {
          this.expect('=');
          actions.set.push({ path, value: this.setValue() });
        } else actions[keyword === 'ADD' ? 'add' : 'delete'].push({ path, value: this.operand() });
      }
    }
    if (seen.size === 0) this.fail(this.peek(), 'empty update expression');
    return actions;
  }

  private setValue(): Operand {
    const left = this.operand();
    if (this.isPunct('+') || this.isPunct('-')) {
      const op = this.next().text as '+' | '-';
      return { kind: 'arith', op, left, right: this.operand() };
    }
    return left;
  }
}

export function parseCondition(text: string, names: Record<string, string> = {}): Condition {
  const parser = new Parser(text, names);
  const condition = parser.condition();
  parser.done();
  return condition;
}

export function parseUpdate(text: string, names: Record<string, string> = {}): UpdateActions {
  return new Parser(text, names).update();
}
