/**
 * Diagnostics are plain data: every stage reports problems through a
 * {@link Report} instead of throwing, so one run collects all of them.
 * Positions are 1-based line and column; `pointer` is the JSON pointer of the
 * offending node inside its file.
 */
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

/**
 * Renders `file:line:col severity CODE message`, then the source line and a caret
 * under the column, the way compilers do.
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const head = `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`;
  if (sourceText === undefined) return head;
  const src = sourceText.split(/\r?\n/)[d.line - 1];
  if (src === undefined) return head;
  const gutter = `${String(d.line).padStart(4)} | `;
  const caretPad = ' '.repeat(gutter.length - 2) + '| ' + src.slice(0, Math.max(0, d.column - 1)).replace(/[^\t]/g, ' ');
  return `${head}\n${gutter}${src}\n${caretPad}^`;
}
