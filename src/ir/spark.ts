/**
 * The `spark:` block of a dag → {@link SparkJob}. Every S3 location it names —
 * entry point, files in its Spark parameters, URIs in its arguments, `reads`
 * and `writes` prefixes — must be one the use case may use (./locations.ts);
 * only `reads` and `writes` (and the entry point and files) become grants, never
 * the free-form arguments.
 */
import { joinPointer } from '../spec/files.ts';
import { parseDuration } from '../spec/duration.ts';
import { parseTemplates } from '../spec/templates.ts';
import type { SparkBlock } from '../spec/types.ts';
import { submitParameters, tableRef } from './checks.ts';
import { at, fail, platformDatabases, warn, type PhaseContext } from './context.ts';
import { locationProblem, s3UrisIn, type LocationScope, type LocationUse } from './locations.ts';
import type { ArgPart, SparkAccess, SparkJob } from './types.ts';

export function normalizeSpark(spark: SparkBlock, pointer: string, timeoutSeconds: number, ctx: PhaseContext): SparkJob | undefined {
  let ok = true;
  const scope: LocationScope = { platform: ctx.platform, useCase: ctx.useCase, databases: platformDatabases(ctx.index) };
  const constants = { dag: ctx.dag, useCase: ctx.useCase };
  /** Reports every S3 location of `text` the use case may not use; false when any. */
  const located = (text: string, use: LocationUse, p: string, code: string): boolean => {
    let fine = true;
    for (const { uri, offset } of s3UrisIn(text, constants)) {
      const problem = locationProblem(uri, use, scope);
      if (problem) {
        fail(ctx, code, problem, p, false, offset);
        fine = false;
      }
    }
    return fine;
  };
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
    if (!located(arg, 'any', `${pointer}/arguments/${i}`, 'SPARK_LOCATION')) ok = false;
  }
  const entry = parseTemplates(spark.entrypoint);
  if ('error' in entry || entry.parts.some((p) => 'template' in p)) {
    fail(ctx, 'TEMPLATE_INVALID', 'entrypoint cannot contain run templates; pass them as arguments', `${pointer}/entrypoint`);
    ok = false;
  } else if (!located(spark.entrypoint, 'read', `${pointer}/entrypoint`, 'SPARK_LOCATION')) ok = false;
  const reads = access(ctx, spark.reads ?? [], joinPointer(pointer, 'reads'), 'read', scope);
  const writes = access(ctx, spark.writes ?? [], joinPointer(pointer, 'writes'), 'write', scope);
  if (!reads || !writes) ok = false;
  else warnUndeclared(ctx, spark.arguments ?? [], pointer, [...reads.paths, ...writes.paths].map((p) => p.uri), scope);
  const jobTimeout = spark.timeout === undefined ? timeoutSeconds : parseDuration(spark.timeout) ?? timeoutSeconds;
  // Protected settings and files outside the use case's locations are errors of their own: the use case is quarantined either way.
  const submit = submitParameters(ctx, spark.spark_submit_parameters, `${pointer}/spark_submit_parameters`);
  if (!ok) return undefined;
  return { entrypoint: spark.entrypoint, arguments: args, sparkSubmitParameters: submit, timeoutSeconds: jobTimeout, reads: reads!, writes: writes!, origin: at(ctx, pointer) };
}

/** `spark.reads` / `spark.writes` → tables and S3 prefixes, each checked where it is written. */
function access(ctx: PhaseContext, entries: readonly string[], pointer: string, use: LocationUse, scope: LocationScope): SparkAccess | undefined {
  const out: SparkAccess = { tables: [], paths: [] };
  let ok = true;
  for (const [i, e] of entries.entries()) {
    const p = joinPointer(pointer, i);
    if (e.startsWith('s3://')) {
      const problem = locationProblem(e, use, scope);
      if (problem) {
        fail(ctx, 'SPARK_LOCATION', problem, p);
        ok = false;
      } else out.paths.push({ uri: e, origin: at(ctx, p) });
    } else {
      const table = tableRef(ctx, e, p);
      if (table) out.tables.push({ table, origin: at(ctx, p) });
      else ok = false;
    }
  }
  return ok ? out : undefined;
}

/** An argument naming a location no `reads`/`writes` prefix covers: the job's role cannot reach it. */
function warnUndeclared(ctx: PhaseContext, args: readonly string[], pointer: string, declared: readonly string[], scope: LocationScope): void {
  for (const [i, arg] of args.entries()) {
    for (const { uri } of s3UrisIn(arg, { dag: ctx.dag, useCase: ctx.useCase })) {
      const plain = uri.replace(/^s3[an]?:/i, 's3:');
      // A location it may not use at all is an error already.
      if (declared.some((d) => plain.startsWith(d) || d.startsWith(plain)) || locationProblem(uri, 'any', scope)) continue;
      warn(ctx, 'SPARK_LOCATION_UNDECLARED', `argument ${i + 1} names ${uri}, which no \`spark.reads\` or \`spark.writes\` prefix covers: the job's role gets no access to it from arguments`, `${pointer}/arguments/${i}`);
    }
  }
}
