/**
 * Tokens of DynamoDB condition and update expressions.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
 */
export type Token =
  | { kind: 'name'; text: string; pos: number }
  | { kind: 'alias'; text: string; pos: number }
  | { kind: 'value'; text: string; pos: number }
  | { kind: 'number'; text: string; pos: number }
  | { kind: 'punct'; text: string; pos: number }
  | { kind: 'end'; text: ''; pos: number };

const PUNCT = ['<>', '<=', '>=', '(', ')', '[', ']', ',', '.', '=', '<', '>', '+', '-'];

export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const word = /^[#:]?[A-Za-z0-9_]+/.exec(text.slice(i));
    if (word) {
      const w = word[0];
      const kind = w.startsWith('#') ? 'alias' : w.startsWith(':') ? 'value' : /^[0-9]+$/.test(w) ? 'number' : 'name';
      tokens.push({ kind, text: w, pos: i });
      i += w.length;
      continue;
    }
    const punct = PUNCT.find((p) => text.startsWith(p, i));
    if (!punct) throw new ExpressionError(`Invalid expression: unexpected "${ch}" at ${i} in "${text}"`);
    tokens.push({ kind: 'punct', text: punct, pos: i });
    i += punct.length;
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}
