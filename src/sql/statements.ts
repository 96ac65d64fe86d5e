/**
 * Splits a SQL file into statements at top-level `;`, ignoring semicolons in
 * string literals, quoted identifiers and comments. `spark.sql` runs one
 * statement per call.
 */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '-' && next === '-') i = lineEnd(text, i);
    else if (c === '/' && next === '*') i = text.indexOf('*/', i + 2) === -1 ? text.length : text.indexOf('*/', i + 2) + 2;
    else if (c === "'" || c === '"' || c === '`') i = quoteEnd(text, i, c);
    else if (c === ';') {
      out.push(text.slice(start, i));
      start = ++i;
    } else i++;
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => stripComments(s).trim() !== '');
}

function lineEnd(text: string, i: number): number {
  const n = text.indexOf('\n', i);
  return n === -1 ? text.length : n + 1;
}

function quoteEnd(text: string, i: number, q: string): number {
  let j = i + 1;
  while (j < text.length) {
    if (text[j] === '\\' && q !== '`') j += 2;
    else if (text[j] === q) return j + 1;
    else j++;
  }
  return text.length;
}

function stripComments(s: string): string {
  return s.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}
