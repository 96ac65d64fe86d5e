/** Rendering diagnostics and summaries for people. */
import { relative, resolve, sep } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../diagnostics.ts';

export function printDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, specsDir: string): string {
  return diagnostics.map((d) => formatDiagnostic({ ...d, file: displayPath(specsDir, d.file) }, sources.get(d.file))).join('\n');
}

/** `specs/orders/migration.yaml` when the specs dir is `specs`. */
export function displayPath(specsDir: string, file: string): string {
  const dir = specsDir.replace(/\/+$/, '');
  return dir === '.' || dir === '' ? file : `${dir}/${file}`;
}

/** A plain text table with a header row; columns listed in `right` are right-aligned. */
export function table(rows: string[][], right: readonly number[] = []): string {
  const widths = rows[0]!.map((_, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), 0));
  const cell = (c: string, i: number) => (right.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!));
  return rows.map((r) => r.map(cell).join('  ').trimEnd()).join('\n');
}

/** Notification bodies are often a JSON string literal (an EventBridge input template). */
export function messageText(message: string): string {
  if (!message.startsWith('"')) return message;
  try {
    const parsed: unknown = JSON.parse(message);
    return typeof parsed === 'string' ? parsed : message;
  } catch {
    return message;
  }
}

/** The first `max` lines, then one line saying how many more there are. */
export function limited(lines: string[], max: number): string[] {
  return lines.length > max ? [...lines.slice(0, max), `  … and ${lines.length - max} more`] : lines;
}

/**
 * The diagnostics as GitHub Actions workflow commands (`::error title=CODE,file=…,line=…,col=…::message`),
 * which a workflow run shows as annotations on the lines of the pull request. `file` is relative to the
 * workspace (the repository), wherever the command ran; values escaped as the runner reads them back.
 * @see https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#setting-an-error-message
 */
export function githubAnnotations(diagnostics: readonly Diagnostic[], specsDir: string, cwd: string, workspace: string): string {
  return diagnostics
    .map((d) => {
      const file = relative(workspace, resolve(cwd, displayPath(specsDir, d.file))).split(sep).join('/');
      const props = [`title=${property(d.code)}`, `file=${property(file)}`, `line=${d.line}`, `col=${d.column}`].join(',');
      return `::${d.severity} ${props}::${data(d.message)}`;
    })
    .join('\n');
}

/** A workflow command's message: `%`, CR and LF escaped. */
function data(s: string): string {
  return s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** A workflow command's property value: as {@link data}, and `:` and `,` too. */
function property(s: string): string {
  return data(s).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
