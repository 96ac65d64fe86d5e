/** The `spark:` block of a dag → {@link SparkJob}. */
import { parseDuration } from '../spec/duration.ts';
import { parseTemplates } from '../spec/templates.ts';
import type { SparkBlock } from '../spec/types.ts';
import { at, fail, type PhaseContext } from './context.ts';
import type { ArgPart, SparkJob } from './types.ts';

export function normalizeSpark(spark: SparkBlock, pointer: string, timeoutSeconds: number, ctx: PhaseContext): SparkJob | undefined {
  let ok = true;
  const args: ArgPart[][] = [];
  for (const [i, arg] of (spark.arguments ?? []).entries()) {
    // A line break inside a States.Format string is not an intrinsic Step Functions accepts.
    const control = /[\u0000-\u001f\u007f\u2028\u2029]/.exec(arg);
    if (control) {
      fail(ctx, 'ARGUMENT_CONTROL_CHARACTER', `argument ${i + 1} holds a control character or line separator (U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}); pass one line per argument`, `${pointer}/arguments/${i}`);
      ok = false;
      continue;
    }
    const parsed = parseTemplates(arg);
    if ('error' in parsed) {
      fail(ctx, 'TEMPLATE_INVALID', `argument ${i + 1}: ${parsed.error}`, `${pointer}/arguments/${i}`);
      ok = false;
    } else args.push(parsed.parts);
  }
  const entry = parseTemplates(spark.entrypoint);
  if ('error' in entry || entry.parts.some((p) => 'template' in p)) {
    fail(ctx, 'TEMPLATE_INVALID', 'entrypoint cannot contain run templates; pass them as arguments', `${pointer}/entrypoint`);
    ok = false;
  }
  const jobTimeout = spark.timeout === undefined ? timeoutSeconds : parseDuration(spark.timeout) ?? timeoutSeconds;
  if (!ok) return undefined;
  const submit = [ctx.platform.defaults.sparkSubmitParameters, spark.spark_submit_parameters ?? ''].filter(Boolean).join(' ');
  return { entrypoint: spark.entrypoint, reads: { tables: [], paths: [] }, writes: { tables: [], paths: [] }, arguments: args, sparkSubmitParameters: submit, timeoutSeconds: jobTimeout, origin: at(ctx, pointer) };
}
