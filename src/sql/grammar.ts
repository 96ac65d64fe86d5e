/**
 * The one Spark SQL grammar of lakestep: dt-sql-parser's ANTLR port of Spark's
 * SqlBaseLexer/SqlBaseParser (Spark 3.5). User SQL files and user expressions
 * are both read with it. One lexer and one parser serve the whole process (the
 * grammar's prediction cache is what makes later parses fast); each parse
 * first runs in SLL mode and bails out at the first error, then, only when
 * that failed, runs again in full LL mode to confirm the error and word it.
 * Token offsets are turned into UTF-16 offsets of the source text (ANTLR counts
 * code points), so every position refers to the JavaScript string.
 * See https://github.com/apache/spark/blob/v3.5.0/sql/api/src/main/antlr4/org/apache/spark/sql/catalyst/parser/SqlBaseParser.g4
 */
import {
  BailErrorStrategy,
  BaseErrorListener,
  CharStreams,
  CommonToken,
  CommonTokenFactory,
  CommonTokenStream,
  DefaultErrorStrategy,
  ParseCancellationException,
  PredictionMode,
  Token,
  type ATNSimulator,
  type CharStream,
  type ParserRuleContext,
  type Recognizer,
  type RecognitionException,
  type TokenFactory,
  type TokenSource,
} from 'antlr4ng';
import { SparkSqlLexer } from 'dt-sql-parser/dist/lib/spark/SparkSqlLexer.js';
import { SparkSqlParser } from 'dt-sql-parser/dist/lib/spark/SparkSqlParser.js';

/** Token types of the grammar (`L.SEMICOLON`, `L.KW_SELECT`…). */
export { SparkSqlLexer as L };

let lexer: SparkSqlLexer | undefined;
let parser: SparkSqlParser | undefined;

/**
 * Every token of `text`, comments and whitespace included (channel HIDDEN).
 * `start`/`stop` are UTF-16 offsets into `text` (stop inclusive). The lexer
 * never fails: a character it cannot read becomes an `UNRECOGNIZED` token.
 */
export function lexSql(text: string): Token[] {
  lexer ??= new SparkSqlLexer(CharStreams.fromString(''));
  lexer.removeErrorListeners();
  lexer.inputStream = CharStreams.fromString(text);
  lexer.has_unclosed_bracketed_comment = false;
  const tokens = lexer.getAllTokens();
  // Spark's lexer reads TEMP as TEMPORARY (`TEMPORARY: 'TEMPORARY' | 'TEMP'`); this port does not.
  for (const t of tokens) if (t.type === SparkSqlLexer.IDENTIFIER && t.text!.toUpperCase() === 'TEMP') t.type = SparkSqlLexer.KW_TEMPORARY;
  if ([...text].length === text.length) return tokens;
  // ANTLR counts code points; past an astral character, offsets are remapped to UTF-16 units.
  const unit: number[] = [];
  let u = 0;
  for (const ch of text) unit.push(u), (u += ch.length);
  unit.push(u);
  for (const t of tokens) {
    (t as CommonToken).text = t.text;
    const stop = unit[t.stop + 1]! - 1;
    t.start = unit[t.start]!;
    t.stop = stop;
  }
  return tokens;
}

/** True for keyword tokens (`SELECT`, `TABLE`…); most are also valid names. */
export function isKeyword(type: number): boolean {
  return type >= SparkSqlLexer.KW_ADD && type <= SparkSqlLexer.KW_ZORDER;
}

/** True for numeric literal tokens (`1`, `1.5`, `1e3`, `10L`, `2BD`…). */
export function isNumber(type: number): boolean {
  return type >= SparkSqlLexer.BIGINT_LITERAL && type <= SparkSqlLexer.BIGDECIMAL_LITERAL;
}

/** True for tokens that can be a part of a name: plain and backquoted identifiers and keywords. */
export function isNamePart(type: number): boolean {
  return type === SparkSqlLexer.IDENTIFIER || type === SparkSqlLexer.BACKQUOTED_IDENTIFIER || isKeyword(type);
}

/** True for comment and whitespace tokens. */
export function isHidden(t: Token): boolean {
  return t.channel !== Token.DEFAULT_CHANNEL;
}

/** The tokens of `tokens` handed to the parser, then EOF. */
class ListSource implements TokenSource {
  line = 0;
  column = 0;
  _tokenStartColumn = 0;
  inputStream: CharStream | null = null;
  sourceName = 'sql';
  tokenFactory: TokenFactory<Token> = CommonTokenFactory.DEFAULT;
  private i = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly eof: Token,
  ) {}

  nextToken(): Token {
    return this.tokens[this.i++] ?? this.eof;
  }
}

/** A syntax error: the offending token (EOF: offset of the end) and ANTLR's message. */
export interface SyntaxError {
  at: number;
  message: string;
  /** The offending token; its type is Token.EOF at the end of the input. */
  token: Token | undefined;
  /** The rule ended without error before this token: the input goes on after one complete rule. */
  early?: boolean;
}

class FirstError extends BaseErrorListener {
  error: SyntaxError | undefined;
  override syntaxError<S extends Token, T extends ATNSimulator>(_r: Recognizer<T>, offending: S | null, _l: number, _c: number, message: string, _e: RecognitionException | null): void {
    this.error ??= { at: offending?.start ?? -1, message: shorten(message), token: offending ?? undefined };
  }
}

/**
 * Parses `tokens` (default-channel tokens of one input, in order) with one rule
 * of the grammar, which must cover them all. `end` is the offset where EOF
 * sits. Returns the tree or the first syntax error.
 */
export function parseTokens<T extends ParserRuleContext>(tokens: readonly Token[], end: number, rule: (p: SparkSqlParser) => T): { tree: T } | { error: SyntaxError } {
  const p = (parser ??= new SparkSqlParser(new CommonTokenStream(new ListSource([], eofAt(0)))));
  p.removeErrorListeners();
  const eof = eofAt(end);
  const run = (mode: number, strategy: DefaultErrorStrategy, listener?: FirstError) => {
    const stream = new CommonTokenStream(new ListSource(tokens, eof));
    p.tokenStream = stream;
    p.errorHandler = strategy;
    p.interpreter.predictionMode = mode;
    p.removeErrorListeners();
    if (listener) p.addErrorListener(listener);
    const tree = rule(p);
    return { tree, next: stream.LT(1) };
  };
  try {
    const { tree, next } = run(PredictionMode.SLL, new BailErrorStrategy());
    if (next?.type === Token.EOF) return { tree };
  } catch (e) {
    if (!(e instanceof ParseCancellationException)) throw e;
  }
  const listener = new FirstError();
  const { tree, next } = run(PredictionMode.LL, new DefaultErrorStrategy(), listener);
  if (listener.error) return { error: listener.error };
  if (next && next.type !== Token.EOF) return { error: { at: next.start, message: `extraneous input '${next.text}' expecting <EOF>`, token: next, early: true } };
  return { tree };
}

/** ANTLR lists every token it expected (hundreds of keywords): keep a few. */
function shorten(message: string): string {
  return message.replace(/expecting \{([^}]*)\}/, (all, list: string) => {
    const items = list.split(', ');
    return items.length <= 6 ? all : `expecting one of ${items.slice(0, 6).join(', ')}, … (${items.length} in all)`;
  });
}

/** A token that is not in the input, placed at `offset` (context given to a rule). */
export function syntheticToken(type: number, text: string, offset: number): Token {
  const t = new CommonToken(CommonToken.EMPTY_SOURCE, type, Token.DEFAULT_CHANNEL, offset, offset - 1);
  t.text = text;
  return t;
}

function eofAt(offset: number): Token {
  const t = new CommonToken(CommonToken.EMPTY_SOURCE, Token.EOF, Token.DEFAULT_CHANNEL, offset, offset - 1);
  t.text = '<EOF>';
  return t;
}

/** The display name of a token type (`'SELECT'`, `IDENTIFIER`). */
export function tokenName(type: number): string {
  return SparkSqlLexer.literalNames[type] ?? SparkSqlLexer.symbolicNames[type] ?? String(type);
}
