/**
 * Building intrinsic-function expressions safely: every literal that comes
 * from a spec is escaped, so a value like `States.Format(...)` or `$.x` stays text.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
 */
import type { ArgPart, RunTemplate } from '../ir/types.ts';

/**
 * A string literal inside an intrinsic call: `'`, `{`, `}` and `\` are escaped
 * with `\` — except deployment placeholders (`${ArtifactsBucket}`), which must
 * stay intact for CloudFormation to substitute them before Step Functions reads
 * the expression. Spec text cannot contain them (SPEC_RESERVED_SYNTAX).
 */
export function literal(s: string): string {
  return `'${escapeText(s, /[\\'{}]/g)}'`;
}

const PLACEHOLDER = /(\$\{[A-Za-z][A-Za-z0-9_]*\})/;

function escapeText(s: string, chars: RegExp): string {
  return s
    .split(PLACEHOLDER)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(chars, (c) => `\\${c}`)))
    .join('');
}

/** Where each run template comes from at run time: the run context (`$.run`, src/asl/frame.ts), the execution, or a compile-time constant. */
export const TEMPLATE_PATHS: Record<Exclude<RunTemplate, 'dag' | 'use_case'>, string> = {
  ds: '$.run.ds',
  ds_nodash: '$.run.ds_nodash',
  ts: '$.run.logical_date',
  data_interval_start: '$.run.data_interval_start',
  data_interval_end: '$.run.data_interval_end',
  prev_ds: '$.run.prev_ds',
  next_ds: '$.run.next_ds',
  run_id: '$$.Execution.Name',
};

/** Where a run template's value comes from (compile-time constants are inlined). */
export function templateSource(t: RunTemplate, constants: { dag: string; useCase: string }): { path: string } | { text: string } {
  if (t === 'dag') return { text: constants.dag };
  if (t === 'use_case') return { text: constants.useCase };
  return { path: TEMPLATE_PATHS[t] };
}

/**
 * Literal text used inside intrinsic calls. Step Functions reads `\\` in an
 * intrinsic string, but asl-validator's grammar does not, so text holding a
 * backslash is moved out of the expression: into a Pass state's parameters
 * (`values`, placed at `path` before the task runs) and referenced by path.
 */
export class IntrinsicLiterals {
  readonly values: Record<string, string> = {};
  private count = 0;

  constructor(readonly path = '$.args') {}

  /** A quoted literal, or the path the text will be found at. */
  ref(text: string): string {
    if (!text.includes('\\')) return literal(text);
    const key = `t${this.count++}`;
    this.values[key] = text;
    return `${this.path}.${key}`;
  }

  get empty(): boolean {
    return this.count === 0;
  }
}

/** One argument: plain text, or an intrinsic expression when it holds run templates. */
export function argument(parts: ArgPart[], constants: { dag: string; useCase: string }, literals = new IntrinsicLiterals()): { text: string } | { expr: string } {
  const resolved = parts.map((p) => ('text' in p ? { text: p.text } : templateSource(p.template, constants)));
  if (resolved.every((r) => 'text' in r)) return { text: resolved.map((r) => ('text' in r ? r.text : '')).join('') };
  if (resolved.length === 1) return { expr: (resolved[0] as { path: string }).path };
  const args: string[] = [];
  const fmt = resolved
    .map((r) => {
      if ('path' in r) {
        args.push(r.path);
        return '{}';
      }
      if (!r.text.includes('\\')) return escapeText(r.text, /['{}]/g);
      args.push(literals.ref(r.text));
      return '{}';
    })
    .join('');
  return { expr: `States.Format('${fmt}', ${args.join(', ')})` };
}

/**
 * A list of arguments as an ASL field: a literal array when nothing depends on the
 * run, else a `States.Array(...)` expression.
 */
export function argumentList(args: ({ text: string } | { expr: string })[], literals = new IntrinsicLiterals()): { key: '' | '.$'; value: string[] | string } {
  if (args.every((a) => 'text' in a)) return { key: '', value: args.map((a) => (a as { text: string }).text) };
  return { key: '.$', value: `States.Array(${args.map((a) => ('text' in a ? literals.ref(a.text) : a.expr)).join(', ')})` };
}
