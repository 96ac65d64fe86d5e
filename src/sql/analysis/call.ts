/**
 * `CALL [catalog.]system.<procedure>(…)`: Iceberg's SQL extension, which the
 * grammar does not know. The statement is read from its tokens — procedure
 * name, then arguments split at top-level commas, each positional or `name =>
 * value` — and every argument value is parsed as an expression with the
 * grammar. Table arguments must be string constants; their parts are read as
 * Spark reads them, at the literal's position.
 * See https://iceberg.apache.org/docs/latest/spark-procedures/#usage
 */
import type { Token } from 'antlr4ng';
import { L, isNamePart, parseTokens } from '../grammar.ts';
import { stringValue } from '../literal.ts';
import { Refused, nameInString, part } from './names.ts';
import { PROCEDURES } from './procedures.ts';
import type { Found } from './statement-kinds.ts';
import { readsOf } from './walk.ts';

/** True when the statement is a CALL (a keyword the grammar does not have). */
export function isCall(tokens: readonly Token[]): boolean {
  return tokens[0]?.type === L.IDENTIFIER && tokens[0].text!.toUpperCase() === 'CALL';
}

/** The tables a CALL uses; throws Refused when it cannot be read. */
export function analyzeCall(tokens: readonly Token[]): Found {
  let i = 1;
  const name: string[] = [];
  while (isNamePart(tokens[i]?.type ?? L.EOF)) {
    name.push(part(tokens[i]!).toLowerCase());
    if (tokens[i + 1]?.type !== L.DOT) break;
    i += 2;
  }
  const open = tokens[i + 1];
  if (name.length === 0 || open?.type !== L.LEFT_PAREN || tokens.at(-1)!.type !== L.RIGHT_PAREN) throw new Refused('SQL_SYNTAX', 'expected CALL <catalog>.system.<procedure>(<arguments>)', (open ?? tokens[0]!).start);
  const procedure = name.at(-1)!;
  const spec = name.at(-2) === 'system' && name.length <= 3 ? PROCEDURES[procedure] : undefined;
  if (!spec) throw new Refused('SQL_UNSUPPORTED', `procedure ${name.join('.')} is not one of Iceberg's system procedures`, tokens[1]!.start);
  const found: Found = { uses: [], references: [] };
  const seen = new Set<string>();
  let namedSeen = false;
  for (const [index, { arg, next }] of splitArguments(tokens.slice(i + 2)).entries()) {
    const named = arg.length > 2 && arg[1]!.type === L.FAT_ARROW && isNamePart(arg[0]!.type);
    const value = named ? arg.slice(2) : arg;
    const at = (arg[0] ?? next).start;
    if (value.length === 0) throw new Refused('SQL_SYNTAX', 'an argument is missing', at);
    if (!named && namedSeen) throw new Refused('SQL_SYNTAX', 'a positional argument cannot follow named ones', at);
    namedSeen ||= named;
    const param = named ? part(arg[0]!).toLowerCase() : spec.params[index];
    if (param === undefined || !spec.params.includes(param)) {
      throw new Refused('SQL_UNSUPPORTED', named ? `${procedure} has no argument ${param}` : `${procedure} takes at most ${spec.params.length} arguments`, at);
    }
    if (seen.has(param)) throw new Refused('SQL_SYNTAX', `argument ${param} is given twice`, at);
    seen.add(param);
    const marker = value.find((t) => t.type === L.COLON || t.type === L.QUESTION);
    if (marker) throw new Refused('SQL_SYNTAX', "Iceberg's CALL takes no parameter markers: write the value", marker.start);
    const parsed = parseTokens(value, value.at(-1)!.stop + 1, (p) => p.expression());
    if ('error' in parsed) throw new Refused('SQL_SYNTAX', `syntax error: ${parsed.error.message}`, parsed.error.at);
    const role = spec.tables[param];
    if (role) found.uses.push({ name: tableArgument(value, param), operation: 'call', role, procedure, ...(name.length === 3 ? { catalog: name[0]! } : {}) });
    else found.references.push(...readsOf(parsed.tree, new Set(), new Map()));
    if (procedure === 'create_changelog_view' && param === 'changelog_view') found.defines = viewName(value);
  }
  for (const param of Object.keys(spec.tables)) {
    if (!seen.has(param)) throw new Refused('SQL_SYNTAX', `${procedure} needs its ${param} argument`, tokens[1]!.start);
  }
  // Iceberg names the view after the table's last part unless told otherwise.
  if (procedure === 'create_changelog_view') found.defines ??= `${found.uses[0]!.name.parts.at(-1)!.toLowerCase()}_changes`;
  return found;
}

/**
 * Argument token lists of a call (`tokens`: its arguments and closing
 * parenthesis), split at commas outside parentheses and brackets; `next` is
 * the comma or parenthesis after each.
 */
function splitArguments(tokens: readonly Token[]): { arg: Token[]; next: Token }[] {
  if (tokens.length === 1) return [];
  const args: { arg: Token[]; next: Token }[] = [];
  let arg: Token[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.type === L.LEFT_PAREN || t.type === L.LEFT_BRACKET) depth++;
    if (t.type === L.RIGHT_PAREN || t.type === L.RIGHT_BRACKET) depth--;
    if ((t.type === L.COMMA && depth === 0) || depth < 0) {
      if (depth < 0 && t !== tokens.at(-1)) throw new Refused('SQL_SYNTAX', `unexpected ${JSON.stringify(tokens[tokens.indexOf(t) + 1]!.text)} after the arguments`, tokens[tokens.indexOf(t) + 1]!.start);
      args.push({ arg, next: t });
      arg = [];
    } else arg.push(t);
  }
  return args;
}

/** The parts named by a table argument: a single string constant holding a name. */
export function tableArgument(value: readonly Token[], param: string): { parts: string[]; at: number } {
  const t = value[0]!;
  const literal = value.length === 1 && (t.type === L.STRING_LITERAL || t.type === L.DOUBLEQUOTED_STRING);
  const parts = literal ? nameInString(stringValue(t.text!)) : undefined;
  if (!parts) throw new Refused('SQL_UNSUPPORTED', `the ${param} argument must be a string constant naming the table, like '<database>.<table>'`, t.start);
  return { parts, at: t.start };
}

function viewName(value: readonly Token[]): string {
  const t = value[0]!;
  if (value.length !== 1 || (t.type !== L.STRING_LITERAL && t.type !== L.DOUBLEQUOTED_STRING)) throw new Refused('SQL_UNSUPPORTED', 'changelog_view must be a string constant', t.start);
  return stringValue(t.text!).toLowerCase();
}
