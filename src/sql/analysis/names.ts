/**
 * Table names of a statement. The grammar takes at most two name parts where a
 * statement names its target (`INSERT INTO`, `MERGE INTO`, `UPDATE`, `DELETE
 * FROM`, `… TABLE`, `… VIEW`); Spark takes any number (`glue_catalog.db.t`,
 * Iceberg's `db.t.branch_x`). Before parsing, the leading parts of a longer
 * name at those places are taken out of the token list (the other tokens keep
 * their offsets, so no position moves) and put back when the name is read.
 * See https://spark.apache.org/docs/latest/sql-ref-identifier.html
 */
import type { Token } from 'antlr4ng';
import type { ErrorCapturingIdentifierContext, IdentifierReferenceContext } from 'dt-sql-parser/dist/lib/spark/SparkSqlParser.js';
import { L, isHidden, isKeyword, isNamePart, lexSql } from '../grammar.ts';
import { identifierValue, stringValue } from '../literal.ts';

/** A name read from a statement: its parts and the offset of its first character. */
export interface Name {
  parts: string[];
  at: number;
}

/** Thrown when a statement cannot be analysed: a name Spark would not accept (`a-b`, `"db"."t"`) or a construct the analysis does not model. */
export class Refused extends Error {
  constructor(
    readonly code: 'SQL_SYNTAX' | 'SQL_UNSUPPORTED' | 'SQL_TEMPLATE',
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** Parts taken out before a kept name token, keyed by that token. */
export type Prefixes = Map<Token, { parts: string[]; at: number }>;

/** Words after which a statement's target name follows. */
const INTRODUCERS = new Set([L.KW_TABLE, L.KW_VIEW, L.KW_INTO, L.KW_OVERWRITE, L.KW_UPDATE]);

/** The tokens to parse, with the catalog (or longer) prefixes of target names taken out. */
export function hidePrefixes(tokens: readonly Token[]): { tokens: Token[]; prefixes: Prefixes } {
  const hidden = new Set<Token>();
  const prefixes: Prefixes = new Map();
  for (const [i, t] of tokens.entries()) {
    const introduces = (INTRODUCERS.has(t.type) && tokens[i - 1]?.type !== L.KW_LATERAL) || (t.type === L.KW_FROM && tokens[i - 1]?.type === L.KW_DELETE);
    if (!introduces) continue;
    const chain = nameChain(tokens, i + 1);
    // Spark itself takes two parts at most in CREATE TABLE … LIKE (a v1 command): left to the grammar.
    const createLike = tokens[0]?.type === L.KW_CREATE && t.type === L.KW_TABLE && i === 1 && chain.length > 0 && tokens[tokens.indexOf(chain.at(-1)!) + 1]?.type === L.KW_LIKE;
    if (chain.length < 3 || createLike) continue;
    const kept = chain.at(-2)!;
    const dropped = tokens.slice(tokens.indexOf(chain[0]!), tokens.indexOf(kept));
    for (const d of dropped) hidden.add(d);
    prefixes.set(kept, { parts: chain.slice(0, -2).map(part), at: chain[0]!.start });
  }
  return { tokens: tokens.filter((t) => !hidden.has(t)), prefixes };
}

/** The name parts after an introducing word at `from` (skipping `TABLE` and `IF [NOT] EXISTS`). */
function nameChain(tokens: readonly Token[], from: number): Token[] {
  let j = from;
  if (tokens[j]?.type === L.KW_TABLE) j++;
  if (tokens[j]?.type === L.KW_IF) j += tokens[j + 1]?.type === L.KW_NOT ? 3 : 2;
  const chain: Token[] = [];
  while (isNamePart(tokens[j]?.type ?? L.EOF)) {
    chain.push(tokens[j]!);
    if (tokens[j + 1]?.type !== L.DOT) break;
    j += 2;
  }
  return chain;
}

/** The name of one identifier token, as Spark reads it. */
export function part(t: Token): string {
  if (t.type === L.DOUBLEQUOTED_STRING) throw new Refused('SQL_SYNTAX', `${t.text} is a string in Spark SQL, not a name: quote names with backquotes`, t.start);
  return identifierValue(t.text ?? '');
}

/** The parts of a name made of `errorCapturingIdentifier`s (tableIdentifier, multipartIdentifier). */
export function nameOf(ids: readonly ErrorCapturingIdentifierContext[], prefixes: Prefixes): Name {
  for (const id of ids) {
    const extra = id.errorCapturingIdentifierExtra();
    if (extra.getChildCount() > 0) throw new Refused('SQL_SYNTAX', `${JSON.stringify(textOf(id))} is not a valid name: quote a name holding "-" with backquotes`, id.start!.start);
  }
  const parts = ids.map((id) => part(id.identifier().start!));
  const first = ids[0]!.start!;
  const prefix = prefixes.get(first);
  return prefix ? { parts: [...prefix.parts, ...parts], at: prefix.at } : { parts, at: first.start };
}

function textOf(id: ErrorCapturingIdentifierContext): string {
  return [id.identifier(), ...id.errorCapturingIdentifierExtra().identifier()].map((x) => x.start!.text).join('-');
}

/**
 * The parts of a name held in a string (an Iceberg procedure's `table =>
 * 'db.t'`, `IDENTIFIER('db.t')`), read as Spark reads it
 * (parseMultipartIdentifier), or undefined when the string is not a name.
 */
export function nameInString(value: string): string[] | undefined {
  const tokens = lexSql(value).filter((t) => !isHidden(t));
  const parts: string[] = [];
  for (const [i, t] of tokens.entries()) {
    if (i % 2 === 1) {
      if (t.type !== L.DOT) return undefined;
    } else if (t.type === L.IDENTIFIER || t.type === L.BACKQUOTED_IDENTIFIER || isKeyword(t.type)) parts.push(identifierValue(t.text ?? ''));
    else return undefined;
  }
  return parts.length > 0 && tokens.length % 2 === 1 ? parts : undefined;
}

/** The name of an `identifierReference`: a name as written, or `IDENTIFIER('db.t')` with a string constant. */
export function referenceName(ctx: IdentifierReferenceContext, prefixes: Prefixes): Name {
  const multipart = ctx.multipartIdentifier();
  if (multipart) return nameOf(multipart.errorCapturingIdentifier(), prefixes);
  const literal = ctx.expression()!;
  const text = literal.start === literal.stop ? literal.start!.text! : '';
  const parts = /^['"]|^[rR]['"]/.test(text) ? nameInString(stringValue(text)) : undefined;
  if (!parts) throw new Refused('SQL_UNSUPPORTED', 'IDENTIFIER(…) names a table only with a string constant holding its name', ctx.start!.start);
  return { parts, at: literal.start!.start };
}
