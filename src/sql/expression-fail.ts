/** Errors of user expressions: a message and the character offset it points at. */
import { TerminalNode, type ParseTree, type ParserRuleContext, type Token } from 'antlr4ng';

export class Fail extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** A token, shown in a message: quoted, cut at 40 characters. */
export function show(text: string): string {
  return JSON.stringify(text.length > 40 ? text.slice(0, 40) + '…' : text);
}

/** The first token of a parse tree node. */
export function first(n: ParseTree): Token {
  return n instanceof TerminalNode ? n.symbol : (n as ParserRuleContext).start!;
}

/** A statement word or keyword where a value was expected. */
export const keywordHere = (t: Token) => new Fail(`${show(t.text!)} is not allowed here (write \`${t.text}\` for a column of that name)`, t.start);

/** A token after a complete value. */
export const unexpected = (t: Token) => new Fail(`unexpected ${show(t.text!)}: an operator or the end of the expression was expected`, t.start);
