/**
 * Building intrinsic-function expressions safely: every literal that comes
 * from a spec is escaped, so a value like `States.Format(...)` or `$.x` stays text.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
 */
import type { ArgPart, RunTemplate } from '../ir/types.ts';

/** A string literal inside an intrinsic call: `'`, `{`, `}` and `\` are escaped with `\`. */
export function literal(s: string): string {
  return `'${s.replace(/[\\'{}]/g, (c) => `\\${c}`)}'`;
}

/** Where each run template comes from at run time (compile-time constants are inlined). */
export function templateSource(t: RunTemplate, constants: { dag: string; useCase: string }): { path: string } | { text: string } {
  switch (t) {
    case 'ds':
      return { path: '$.run.ds' };
    case 'ts':
      return { path: '$.run.logical_date' };
    case 'run_id':
      return { path: '$$.Execution.Name' };
    case 'dag':
      return { text: constants.dag };
    case 'use_case':
      return { text: constants.useCase };
  }
}

/** One argument: plain text, or an intrinsic expression when it holds run templates. */
export function argument(parts: ArgPart[], constants: { dag: string; useCase: string }): { text: string } | { expr: string } {
  const resolved = parts.map((p) => ('text' in p ? { text: p.text } : templateSource(p.template, constants)));
  const paths = resolved.filter((r): r is { path: string } => 'path' in r);
  if (paths.length === 0) return { text: resolved.map((r) => ('text' in r ? r.text : '')).join('') };
  const isOnlyPath = resolved.length === 1 && 'path' in resolved[0]!;
  if (isOnlyPath) return { expr: paths[0]!.path };
  const fmt = resolved.map((r) => ('text' in r ? r.text.replace(/[\\'{}]/g, (c) => `\\${c}`) : '{}')).join('');
  return { expr: `States.Format('${fmt}', ${paths.map((p) => p.path).join(', ')})` };
}

/**
 * A list of arguments as an ASL field: a literal array when nothing depends on the
 * run, else a `States.Array(...)` expression.
 */
export function argumentList(args: { text: string } | { expr: string } extends infer A ? A[] : never): { key: '' | '.$'; value: string[] | string } {
  if (args.every((a) => 'text' in a)) return { key: '', value: args.map((a) => (a as { text: string }).text) };
  return { key: '.$', value: `States.Array(${args.map((a) => ('text' in a ? literal(a.text) : a.expr)).join(', ')})` };
}
