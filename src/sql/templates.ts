/**
 * Run templates in user SQL files (`{{ ds }}`, `{{ data_interval_start }}` …, src/ir/types.ts),
 * bound as Spark named parameter markers — never spliced into the text:
 *
 * - a string literal that is exactly one template, `'{{ ds }}'`, becomes the marker `:ds`
 *   (a typed literal `DATE '{{ ds }}'` / `TIMESTAMP '{{ ts }}'` becomes `CAST(:ds AS DATE)`);
 * - a template outside literals, `dt = {{ ds }}`, becomes `:ds` too: the value is a string;
 * - a template inside a longer literal (`'dt={{ ds }}'`) or a name (`events_{{ ds_nodash }}`)
 *   cannot be a parameter: that is a problem at the template, with the rewrite to use.
 *
 * Comments are left alone. Markers already written as `:ds` keep working; every marker
 * must name a run parameter. The runtime binds them (`spark.sql(sql, args=…)`).
 * @see https://spark.apache.org/docs/3.5.6/sql-ref-literals.html
 * @see https://spark.apache.org/docs/3.5.6/api/python/reference/pyspark.sql/api/pyspark.sql.SparkSession.sql.html
 */
import { RUN_TEMPLATES, type RunTemplate } from '../ir/types.ts';

export interface SqlTemplateProblem {
  code: 'SQL_TEMPLATE_IN_TEXT' | 'SQL_TEMPLATE_IN_NAME' | 'SQL_TEMPLATE_UNKNOWN' | 'SQL_TEMPLATE_UNCLOSED' | 'SQL_TEMPLATE_STATEMENT' | 'SQL_PARAMETER_UNKNOWN';
  message: string;
  /** Offset in the SQL text. */
  offset: number;
}

export interface BoundSql {
  sql: string;
  /** Run parameters the SQL binds, in order of first use. */
  params: RunTemplate[];
  problems: SqlTemplateProblem[];
}

const TYPED = /(DATE|TIMESTAMP_NTZ|TIMESTAMP_LTZ|TIMESTAMP)\s*$/i;
const OTHER_PREFIX = /(INTERVAL|X)\s*$/i;
const NAME_CHAR = /[A-Za-z0-9_$`]/;
const AIRFLOW_HINTS: Record<string, string> = {
  execution_date: 'the logical date is {{ ts }} (its day {{ ds }})',
  logical_date: 'the logical date is {{ ts }} (its day {{ ds }})',
  ts_nodash: 'use {{ ts }} and format it in SQL, e.g. date_format(:ts, \'yyyyMMdd\\\'T\\\'HHmmss\')',
  yesterday_ds: 'use date_sub(:ds, 1)',
  tomorrow_ds: 'use date_add(:ds, 1)',
};

/** Binds the run templates of a SQL file; see the module comment. */
export function bindSqlTemplates(text: string): BoundSql {
  const problems: SqlTemplateProblem[] = [];
  const params: RunTemplate[] = [];
  const use = (name: RunTemplate): void => void (params.includes(name) || params.push(name));
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out += text.slice(i, stop);
      i = stop;
    } else if (text.startsWith('/*', i)) {
      const stop = blockCommentEnd(text, i);
      out += text.slice(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      const raw = /[rR]$/.test(out) && !NAME_CHAR.test(out.at(-2) ?? ' ');
      const stop = literalEnd(text, i, c, raw);
      const literal = text.slice(i, stop);
      const body = literal.slice(1, stop < text.length || literal.endsWith(c) ? -1 : undefined);
      if (!body.includes('{{') && !body.includes('{%')) out += literal;
      else out = bindLiteral(raw ? out.slice(0, -1) : out, (raw ? out.slice(-1) : '') + literal, body, i, c, use, problems);
      i = stop;
    } else if (c === '`') {
      const stop = literalEnd(text, i, '`', true);
      const at = text.indexOf('{{', i);
      if (at !== -1 && at < stop) problems.push({ code: 'SQL_TEMPLATE_IN_NAME', message: 'a run template inside a quoted name cannot be bound: names are not parameters; use a fixed table or column name', offset: at });
      out += text.slice(i, stop);
      i = stop;
    } else if (text.startsWith('{{', i)) {
      const t = template(text, i, problems);
      if (!t) return { sql: text, params, problems };
      const before = text[i - 1] ?? ' ';
      const after = text[t.end] ?? ' ';
      if (NAME_CHAR.test(before) || NAME_CHAR.test(after) || before === '.' || after === '.') {
        problems.push({ code: 'SQL_TEMPLATE_IN_NAME', message: `{{ ${t.name} }} is part of a name: names cannot be parameters; use a fixed name and filter on :${t.name} instead`, offset: i });
      } else if (t.known) {
        use(t.name as RunTemplate);
        out += `:${t.name}`;
      }
      i = t.end;
    } else if (text.startsWith('{%', i) || text.startsWith('{#', i)) {
      problems.push({ code: 'SQL_TEMPLATE_STATEMENT', message: 'Jinja statements and comments are not supported: only run templates ({{ ds }} …) are bound', offset: i });
      out += c;
      i++;
    } else if (c === ':' && text[i + 1] !== ':' && text[i - 1] !== ':') {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
      if (m) {
        if ((RUN_TEMPLATES as readonly string[]).includes(m[0])) use(m[0] as RunTemplate);
        else problems.push({ code: 'SQL_PARAMETER_UNKNOWN', message: `:${m[0]} is not a run parameter; use one of ${RUN_TEMPLATES.map((t) => `:${t}`).join(', ')}`, offset: i });
        out += `:${m[0]}`;
        i += 1 + m[0].length;
      } else {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return { sql: out, params, problems };
}

/** A literal holding templates: one whole template becomes a marker; anything else is a problem with its rewrite. */
function bindLiteral(out: string, literal: string, body: string, at: number, quote: string, use: (n: RunTemplate) => void, problems: SqlTemplateProblem[]): string {
  const whole = /^\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}$/.exec(body);
  const first = at + 1 + Math.max(0, body.indexOf('{{'));
  if (whole) {
    const t = template(body, 0, problems, at + 1);
    if (!t?.known) return out + literal;
    const other = keywordBefore(out, OTHER_PREFIX);
    if (other) {
      problems.push({ code: 'SQL_TEMPLATE_IN_TEXT', message: `${other.keyword} '…' literals cannot take a parameter; ${other.keyword === 'INTERVAL' ? `use make_interval(…) or date arithmetic on :${t.name}` : 'write the value another way'}`, offset: first });
      return out + literal;
    }
    use(t.name as RunTemplate);
    const typed = keywordBefore(out, TYPED);
    if (typed) return `${out.slice(0, typed.start)}CAST(:${t.name} AS ${typed.keyword})`;
    return `${out}:${t.name}`;
  }
  // Check every template of the literal (unknown names are reported as such), then suggest the rewrite.
  const parts: string[] = [];
  let last = 0;
  for (let j = body.indexOf('{{'); j !== -1; j = body.indexOf('{{', last)) {
    const t = template(body, j, problems, at + 1);
    if (!t?.known) return out + literal;
    if (j > last) parts.push(quote + body.slice(last, j) + quote);
    parts.push(`${quote}{{ ${t.name} }}${quote}`);
    last = t.end;
  }
  if (last < body.length) parts.push(quote + body.slice(last) + quote);
  if (body.includes('{%')) problems.push({ code: 'SQL_TEMPLATE_STATEMENT', message: 'Jinja statements are not supported: only run templates ({{ ds }} …) are bound', offset: at + 1 + body.indexOf('{%') });
  else problems.push({ code: 'SQL_TEMPLATE_IN_TEXT', message: `a run template inside a longer string literal cannot be bound as a parameter; write the literal as concat(${parts.join(', ')})`, offset: first });
  return out + literal;
}

/** A keyword that ends `out` (a typed-literal prefix), unless it ends a longer name. */
function keywordBefore(out: string, pattern: RegExp): { keyword: string; start: number } | undefined {
  const m = pattern.exec(out);
  if (!m) return undefined;
  const start = out.length - m[0].length;
  if (start > 0 && /[A-Za-z0-9_`.$]/.test(out[start - 1]!)) return undefined;
  return { keyword: m[1]!.toUpperCase(), start };
}

/** The template starting at `i` (`{{ name }}`), reporting an unclosed one or an unknown name. */
function template(text: string, i: number, problems: SqlTemplateProblem[], base = 0): { name: string; end: number; known: boolean } | undefined {
  const close = text.indexOf('}}', i + 2);
  if (close === -1) {
    problems.push({ code: 'SQL_TEMPLATE_UNCLOSED', message: "'{{' without a closing '}}'", offset: base + i });
    return undefined;
  }
  const name = text.slice(i + 2, close).trim();
  const known = (RUN_TEMPLATES as readonly string[]).includes(name);
  if (!known) {
    const hint = AIRFLOW_HINTS[name] ?? (name.startsWith('macros.') || name.includes('(') ? 'macros and expressions are not supported: compute in SQL from the parameters, e.g. date_add(:ds, 1)' : undefined);
    problems.push({ code: 'SQL_TEMPLATE_UNKNOWN', message: `unknown template '{{ ${name} }}'${hint ? `: ${hint}` : ''}; the run templates are ${RUN_TEMPLATES.map((t) => `{{ ${t} }}`).join(', ')}`, offset: base + i });
  }
  return { name, end: close + 2, known };
}

/** End (exclusive) of a quoted literal or name starting at `i`; backslash escapes unless `raw`. */
function literalEnd(text: string, i: number, quote: string, raw: boolean): number {
  let j = i + 1;
  while (j < text.length) {
    if (!raw && text[j] === '\\') j += 2;
    else if (text[j] === quote) {
      if (quote === '`' && text[j + 1] === '`') j += 2;
      else return j + 1;
    } else j++;
  }
  return text.length;
}

/** Spark nests bracketed comments. */
function blockCommentEnd(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    if (text.startsWith('/*', j)) {
      depth++;
      j += 2;
    } else if (text.startsWith('*/', j)) {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else j++;
  }
  return text.length;
}
