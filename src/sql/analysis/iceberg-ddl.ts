/**
 * Iceberg's `ALTER TABLE` extensions, which the grammar does not know:
 * partition evolution (`ADD|DROP|REPLACE PARTITION FIELD`), write order and
 * distribution (`WRITE …`), identifier fields (`SET|DROP IDENTIFIER FIELDS`)
 * and branches and tags (`CREATE [OR REPLACE]|REPLACE|DROP BRANCH|TAG`). All
 * alter the one table named after `ALTER TABLE`; the rest of the statement
 * names columns, transforms and retention, never another relation.
 * See https://iceberg.apache.org/docs/latest/spark-ddl/#alter-table-sql-extensions
 */
import type { Token } from 'antlr4ng';
import { L, isNamePart } from '../grammar.ts';
import { Refused, part } from './names.ts';
import type { Found } from './statement-kinds.ts';

const FORMS = [
  ['ADD', 'PARTITION', 'FIELD'],
  ['DROP', 'PARTITION', 'FIELD'],
  ['REPLACE', 'PARTITION', 'FIELD'],
  ['WRITE'],
  ['SET', 'IDENTIFIER', 'FIELDS'],
  ['DROP', 'IDENTIFIER', 'FIELDS'],
  ['CREATE', 'BRANCH'],
  ['CREATE', 'TAG'],
  ['CREATE', 'OR', 'REPLACE', 'BRANCH'],
  ['CREATE', 'OR', 'REPLACE', 'TAG'],
  ['REPLACE', 'BRANCH'],
  ['REPLACE', 'TAG'],
  ['DROP', 'BRANCH'],
  ['DROP', 'TAG'],
];

/** Words that would start a query or name another table: never part of these clauses. */
const FOREIGN = new Set([L.KW_SELECT, L.KW_FROM, L.KW_TABLE, L.KW_VALUES, L.KW_JOIN, L.KW_INSERT, L.KW_MERGE, L.KW_DELETE, L.KW_UPDATE]);

/** The table an Iceberg `ALTER TABLE` extension alters, or undefined when the statement is not one. */
export function analyzeIcebergAlter(tokens: readonly Token[]): Found | undefined {
  if (tokens[0]?.type !== L.KW_ALTER || tokens[1]?.type !== L.KW_TABLE) return undefined;
  let i = 2;
  const parts: string[] = [];
  while (isNamePart(tokens[i]?.type ?? L.EOF)) {
    parts.push(part(tokens[i]!));
    if (tokens[i + 1]?.type !== L.DOT) break;
    i += 2;
  }
  const rest = tokens.slice(i + 1);
  const words = rest.map((t) => t.text!.toUpperCase());
  const form = FORMS.find((f) => f.every((w, j) => words[j] === w));
  if (parts.length === 0 || !form) return undefined;
  let depth = 0;
  for (const t of rest.slice(form.length)) {
    if (t.type === L.LEFT_PAREN) depth++;
    if (t.type === L.RIGHT_PAREN) depth--;
    const allowed = isNamePart(t.type) || t.type === L.DOT || t.type === L.COMMA || t.type === L.LEFT_PAREN || t.type === L.RIGHT_PAREN || t.type === L.STRING_LITERAL || t.type === L.INTEGER_VALUE || t.type === L.EQ;
    if (!allowed || FOREIGN.has(t.type) || depth < 0) throw new Refused('SQL_SYNTAX', `unexpected ${JSON.stringify(t.text)} in ALTER TABLE … ${form.join(' ')}`, t.start);
  }
  if (depth !== 0) throw new Refused('SQL_SYNTAX', `unbalanced parentheses in ALTER TABLE … ${form.join(' ')}`, rest.at(-1)!.start);
  return { uses: [{ name: { parts, at: tokens[2]!.start }, operation: 'alter', role: 'write' }], references: [] };
}
