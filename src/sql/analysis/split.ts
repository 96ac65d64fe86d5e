/**
 * A SQL file cut into statements at the `;` tokens of the Spark grammar's
 * lexer: a `;` inside a string literal, a quoted name or a comment is part of
 * that token and cuts nothing (Spark's own CLI splits the same way).
 * See https://spark.apache.org/docs/latest/sql-ref-syntax.html
 */
import type { Token } from 'antlr4ng';
import { L, isHidden, lexSql } from '../grammar.ts';
import type { SqlPosition } from './types.ts';

export interface StatementSource {
  /** The statement text as it runs (see SqlStatement.text). */
  text: string;
  /** Default-channel tokens, separators excluded; never empty. */
  tokens: Token[];
  /** Offset just past the statement's last token (where its EOF sits). */
  end: number;
}

/** The statements of `text`, in order; statements holding only comments are dropped. */
export function splitSql(text: string): StatementSource[] {
  const out: StatementSource[] = [];
  let start = 0;
  let tokens: Token[] = [];
  const flush = (stop: number) => {
    const last = tokens.at(-1);
    if (last) out.push({ text: text.slice(start, stop).trim(), tokens, end: last.stop + 1 });
    tokens = [];
  };
  for (const t of lexSql(text)) {
    if (t.type === L.SEMICOLON) {
      flush(t.start);
      start = t.stop + 1;
    } else if (!isHidden(t)) tokens.push(t);
  }
  flush(text.length);
  return out;
}

/**
 * Splits a SQL file into statements (see splitSql), each as it runs: without
 * the `;`, comments kept. `spark.sql` runs one statement per call.
 */
export function splitStatements(text: string): string[] {
  return splitSql(text).map((s) => s.text);
}

/** 1-based line and column of UTF-16 offsets in one text. */
export class Positions {
  private readonly lineStarts = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  at(offset: number): SqlPosition {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }
}
