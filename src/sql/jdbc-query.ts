/**
 * A JDBC source `query` runs inside a subquery: Spark's `query` option reads
 * `SELECT * FROM (<query>) SPARK_GEN_SUBQ_n`, and the runtime's incremental and
 * partitioned reads wrap it as `(<query>) q`. The query is in the source
 * database's dialect (PostgreSQL or Oracle), not Spark SQL, so it is not parsed:
 * a lexer finds its strings, quoted names and comments in that dialect and
 * refuses what cannot sit inside parentheses — a `;` (a second statement, or
 * one that ends the first), a `--` comment that runs to the end (it would
 * swallow the closing parenthesis), unbalanced parentheses, an unterminated
 * string, name or comment, and a query that does not start as a SELECT.
 * @see https://spark.apache.org/docs/3.5.6/sql-data-sources-jdbc.html (option `query`)
 * @see https://www.postgresql.org/docs/15/sql-syntax-lexical.html
 * @see https://docs.oracle.com/en/database/oracle/oracle-database/19/sqlrf/Literals.html
 */

export type JdbcEngine = 'postgresql' | 'oracle';

export interface QueryProblem {
  /** Offset in the query text. */
  offset: number;
  message: string;
}

const WRAP = 'the query runs inside `SELECT * FROM (<query>)`';
/** What may start a query that runs as a subquery. */
const FIRST_WORDS: Record<JdbcEngine, ReadonlySet<string>> = {
  postgresql: new Set(['SELECT', 'WITH', 'VALUES', 'TABLE']),
  oracle: new Set(['SELECT', 'WITH']),
};
/** Oracle's alternative quoting `q'[…]'`: the closing delimiter of each opening one. */
const Q_CLOSE: Record<string, string> = { '[': ']', '{': '}', '(': ')', '<': '>' };

/** The first problem of `query` as a subquery of `engine`, or undefined. */
export function jdbcQueryProblem(query: string, engine: JdbcEngine): QueryProblem | undefined {
  const q = query.replace(/\s+$/, '');
  const parens: number[] = [];
  let first: { word: string; offset: number } | undefined;
  let i = 0;
  const unterminated = (what: string, at: number): QueryProblem => ({ offset: at, message: `${what} is not closed: ${WRAP}` });
  while (i < q.length) {
    const c = q[i]!;
    const rest = q.slice(i, i + 3);
    if (/\s/.test(c)) i++;
    else if (rest.startsWith('--')) {
      const end = q.indexOf('\n', i);
      if (end === -1) return { offset: i, message: `a \`--\` comment runs to the end of the query and would comment out the closing parenthesis: ${WRAP}; use /* … */ or end the line` };
      i = end + 1;
    } else if (rest.startsWith('/*')) {
      // PostgreSQL nests block comments; Oracle ends one at the first `*/`.
      let depth = 0;
      let j = i;
      for (; j < q.length; j++) {
        if (q.startsWith('/*', j) && (engine === 'postgresql' || depth === 0)) {
          depth++;
          j++;
        } else if (q.startsWith('*/', j)) {
          depth--;
          j++;
          if (depth === 0) break;
        }
      }
      if (depth !== 0) return unterminated('a /* comment', i);
      i = j + 1;
    } else if (c === "'" || ((c === 'E' || c === 'e') && q[i + 1] === "'" && engine === 'postgresql')) {
      const start = i;
      const backslash = c !== "'";
      i += backslash ? 2 : 1;
      for (;;) {
        if (i >= q.length) return unterminated('a string', start);
        if (backslash && q[i] === '\\') i += 2;
        else if (q[i] === "'" && q[i + 1] === "'") i += 2;
        else if (q[i] === "'") break;
        else i++;
      }
      i++;
    } else if (engine === 'oracle' && /^[nN]?[qQ]'/.test(rest)) {
      const start = i;
      i += rest[0] === 'q' || rest[0] === 'Q' ? 2 : 3;
      const open = q[i];
      if (open === undefined || /\s/.test(open)) return unterminated("a q'…' string", start);
      const close = `${Q_CLOSE[open] ?? open}'`;
      const end = q.indexOf(close, i + 1);
      if (end === -1) return unterminated("a q'…' string", start);
      i = end + 2;
    } else if (c === '"') {
      const end = q.indexOf('"', i + 1);
      if (end === -1) return unterminated('a quoted name', i);
      i = end + 1;
    } else if (c === '$' && engine === 'postgresql' && /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.test(q.slice(i))) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(q.slice(i))![0];
      const end = q.indexOf(tag, i + tag.length);
      if (end === -1) return unterminated(`a ${tag} string`, i);
      i = end + tag.length;
    } else if (c === ';') {
      return { offset: i, message: `a \`;\` ends the statement (or starts a second one): ${WRAP}; remove it` };
    } else if (c === '(') {
      parens.push(i++);
    } else if (c === ')') {
      if (parens.pop() === undefined) return { offset: i, message: `this \`)\` closes nothing: ${WRAP}` };
      i++;
    } else {
      const word = /^[A-Za-z_][A-Za-z0-9_$#]*/.exec(q.slice(i));
      if (word) {
        first ??= { word: word[0].toUpperCase(), offset: i };
        i += word[0].length;
      } else i++;
    }
  }
  if (parens.length > 0) return { offset: parens[parens.length - 1]!, message: `this \`(\` is not closed: ${WRAP}` };
  if (!first) return { offset: 0, message: `the query is empty: ${WRAP}` };
  if (!FIRST_WORDS[engine].has(first.word)) {
    return { offset: first.offset, message: `a query starts with ${[...FIRST_WORDS[engine]].join(', ')}, not ${first.word}: ${WRAP}` };
  }
  return undefined;
}
