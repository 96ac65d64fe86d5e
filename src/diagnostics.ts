/**
 * Diagnostics are plain data: every stage reports problems through a
 * {@link Report} instead of throwing, so one run collects all of them.
 * Positions are 1-based line and column; `pointer` is the JSON pointer of the
 * offending node inside its file.
 */
import { scanText } from './spec/secrets.ts';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  /** Path relative to the specs root, with `/` separators (`orders/migration.yaml`). */
  file: string;
  line: number;
  column: number;
  pointer: string;
  /** Use case the file belongs to; undefined for `platform.yaml`. */
  useCase?: string;
}

/** Where a spec node came from; kept on every IR node. */
export interface Origin {
  file: string;
  line: number;
  column: number;
  pointer: string;
}

export class Report {
  readonly diagnostics: Diagnostic[] = [];

  add(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  error(code: string, message: string, at: Origin, useCase?: string): void {
    this.add({ code, severity: 'error', message, ...at, ...(useCase === undefined ? {} : { useCase }) });
  }

  warning(code: string, message: string, at: Origin, useCase?: string): void {
    this.add({ code, severity: 'warning', message, ...at, ...(useCase === undefined ? {} : { useCase }) });
  }

  hasErrors(filter?: (d: Diagnostic) => boolean): boolean {
    return this.diagnostics.some((d) => d.severity === 'error' && (!filter || filter(d)));
  }
}

/** Stable order: file, line, column, code. Keeps report.json and printed output deterministic. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.code, b.code) || cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Characters that would act on a terminal instead of printing: C0/C1 controls, DEL, line and paragraph separators, bidi overrides. */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** `text` with every terminal-active character written as a visible escape (`\x1b`, `\u2028`). */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Per character of `line`, what is printed for it: secrets become `****`, terminal-active characters escapes. */
function displayParts(line: string): string[] {
  const parts = [...line].map((ch) => escapeForTerminal(ch));
  // Offsets of scanText are UTF-16 units; map them to code point indexes.
  const unitToIndex: number[] = [];
  let k = 0;
  for (const ch of line) {
    for (let u = 0; u < ch.length; u++) unitToIndex.push(k);
    k++;
  }
  for (const h of scanText(line)) {
    const a = unitToIndex[h.start];
    const b = h.end >= line.length ? parts.length : unitToIndex[h.end]!;
    if (a === undefined || b <= a) continue;
    parts[a] = '****';
    for (let i = a + 1; i < b; i++) parts[i] = '';
  }
  return parts;
}

let lastText: string | undefined;
let lastLines: string[] = [];

/** The lines of a source text; the last split is kept, since diagnostics come sorted by file. */
function linesOf(text: string): string[] {
  if (text !== lastText) {
    lastText = text;
    lastLines = text.split(/\r?\n/);
  }
  return lastLines;
}

/**
 * Renders `file:line:col severity CODE message`, then the source line and a caret
 * under the column, the way compilers do. Secrets in the echoed line are masked
 * and control characters from spec text are escaped, so printing a diagnostic
 * can neither leak a credential nor drive the terminal.
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const head = escapeForTerminal(`${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
  if (sourceText === undefined) return head;
  const src = linesOf(sourceText)[d.line - 1];
  if (src === undefined) return head;
  const shown = src.length > 1000 ? src.slice(0, 1000) : src;
  const parts = displayParts(shown);
  const before = [...shown.slice(0, Math.max(0, d.column - 1))].length;
  const gutter = `${String(d.line).padStart(4)} | `;
  const caretPad = ' '.repeat(gutter.length - 2) + '| ' + parts.slice(0, before).map((p, i) => (p === '\t' && [...shown][i] === '\t' ? '\t' : ' '.repeat(p.length))).join('');
  return `${head}\n${gutter}${parts.join('')}${src.length > shown.length ? '…' : ''}\n${caretPad}^`;
}
