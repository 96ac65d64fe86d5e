/**
 * Deterministic names shared by the compiler, infra, the simulator and the
 * operator commands. Changing any of these changes deployed resource names.
 */
import { createHash } from 'node:crypto';

/**
 * Names the platform itself takes where use-case names also go: the
 * `<prefix>-platform` stack, and the `lakestep/runtime/`, `lakestep/checkpoints/`
 * and `lakestep/results/` prefixes of the artifacts bucket, next to
 * `lakestep/<use-case>/`.
 */
export const RESERVED_USE_CASE_NAMES: ReadonlySet<string> = new Set(['platform', 'runtime', 'checkpoints', 'results', 'lakestep', 'shared']);

/**
 * Dag names may not end with this: earlier builds named each dag's join machine so,
 * and a stack that drops one may still be deleting it when a dag of that name deploys.
 */
export const JOIN_SUFFIX = '-join';

/** Dag names may not end with this either: it marks the watch machine of a dag with `max_duration`. */
export const WATCH_SUFFIX = '-slow';

/**
 * `<prefix>-<use-case>-<dag>`; Step Functions allows 80 characters. Injective:
 * use-case names hold no `-`, so the first `-` after the prefix ends the use case.
 * Across environments whose prefixes nest (`acme`, `acme-dev`) it is not, and
 * the use case that would blur them is reserved (src/ir/environment-names.ts).
 */
export function stateMachineName(prefix: string, useCase: string, dag: string): string {
  return `${prefix}-${useCase}-${dag}`;
}

export const STATE_MACHINE_NAME_MAX = 80;

/**
 * The platform's dispatcher (dependencies and notifications); `lakestep` is a reserved use-case name.
 * `-dispatcher` since it is an Express workflow: a state machine's type cannot change in place and
 * CloudFormation replaces a named resource only under another name, so the Standard `-dispatch` of
 * older builds is replaced by this one on the next deploy.
 */
export function dispatcherMachineName(prefix: string): string {
  return `${prefix}-lakestep-dispatcher`;
}

/**
 * The log group of every state machine's execution log, the dispatcher's Express runs included:
 * the vended-logs prefix keeps the Logs resource policy small.
 */
export function stateMachineLogGroupName(prefix: string): string {
  return `/aws/vendedlogs/states/${prefix}`;
}

/** Start of the names of the platform's own machines (`lakestep` is a reserved use-case name). */
export function platformMachinePrefix(prefix: string): string {
  return `${prefix}-lakestep-`;
}

/**
 * SSM parameter path under which the routes of an upstream state machine are: one child
 * parameter per downstream machine. `lakestep` first, because SSM refuses names that
 * begin with `aws` or `ssm`, which a prefix may.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html
 */
export function routesPath(prefix: string, upstreamMachine: string): string {
  return `/lakestep/${prefix}/after/${upstreamMachine}`;
}

/** The platform's backfill machine (`lakestep backfill --detach`); `lakestep` is a reserved use-case name. */
export function backfillMachineName(prefix: string): string {
  return `${prefix}-lakestep-backfill`;
}

/** The watch machine of a dag with `max_duration` (src/asl/watch.ts); as long as the join machine's name. */
export function watchMachineName(prefix: string, useCase: string, dag: string): string {
  return `${stateMachineName(prefix, useCase, dag)}${WATCH_SUFFIX}`;
}

/**
 * ARN of a state machine from its deterministic name, with platform placeholders,
 * so a rule or a join can target a machine of another stack without its outputs.
 */
export function stateMachineArnPlaceholder(name: string): string {
  return `arn:\${Partition}:states:\${Region}:\${Account}:stateMachine:${name}`;
}

/**
 * Execution name for a logical date: the ISO timestamp without colons
 * (`2026-11-26T06:00:00Z` → `2026-11-26T060000Z`). Names allow no `:`, `.` or `+`,
 * so any other accepted form (a fraction of a second that is not zero; the run context refuses
 * offsets, and drops a fraction of zeros) becomes
 * `<day>-<SHA-1 of the date>` (hex). Qualifiers follow after `_`: the schedule group
 * of a maintenance run, `a<N>` for the N-th attempt (`2026-11-26T060000Z_a2`). The
 * part before the first `_` is the logical date's, which the run context checks
 * (asl-templates/run-context.asl.json computes the same string with intrinsic
 * functions). Execution names are unique per state machine for 90 days, so two
 * starts for the same date cannot both run.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
export function executionName(logicalDate: string, ...qualifiers: (string | undefined)[]): string {
  // A fraction of zeros (toISOString's .000Z) is dropped, as the run context drops it.
  const date = logicalDate.endsWith('.000Z') ? `${logicalDate.slice(0, -'.000Z'.length)}Z` : logicalDate;
  const canonical = date.endsWith('Z') && !date.includes('.');
  const base = canonical ? date.replaceAll(':', '') : `${date.split('T')[0]}-${createHash('sha1').update(date).digest('hex')}`;
  return [base, ...qualifiers.filter((q): q is string => q !== undefined && q !== '')].join('_');
}

/** The qualifier of attempt `n` (2 and above; the first attempt has none). */
export function attemptQualifier(n: number): string | undefined {
  return n > 1 ? `a${n}` : undefined;
}

/** ARN of an execution of a state machine, from the machine's ARN and the execution name. */
export function executionArnOf(machineArn: string, name: string): string {
  return `${machineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** Logical date (`YYYY-MM-DD`) → canonical ISO timestamp at midnight UTC. */
export function logicalDateFromDay(ds: string): string {
  return `${ds}T00:00:00Z`;
}

/** IAM role names are at most 64 characters. */
export const ROLE_NAME_MAX = 64;

/**
 * The Spark job runtime role of one use case: `<prefix>-<use-case>-spark`, or,
 * past IAM's 64 characters, the use case cut short plus 8 hex characters of
 * its SHA-256 so two long names never meet. Deterministic, so every stack of
 * the use case (and its state machines' `iam:PassRole`) can name it.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export function sparkJobRoleName(prefix: string, useCase: string): string {
  return useCaseRoleName(prefix, useCase, 'spark');
}

/**
 * The role one use case's Glue table optimizers run as (`managed: true` tables):
 * `<prefix>-<use-case>-optimizer`, shortened as {@link sparkJobRoleName} is.
 * @see https://docs.aws.amazon.com/glue/latest/dg/optimization-prerequisites.html
 */
export function tableOptimizerRoleName(prefix: string, useCase: string): string {
  return useCaseRoleName(prefix, useCase, 'optimizer');
}

function useCaseRoleName(prefix: string, useCase: string, suffix: string): string {
  const name = `${prefix}-${useCase}-${suffix}`;
  if (name.length <= ROLE_NAME_MAX) return name;
  const hash = createHash('sha256').update(useCase).digest('hex').slice(0, 8);
  const room = ROLE_NAME_MAX - `${prefix}--${hash}-${suffix}`.length;
  return `${prefix}-${useCase.slice(0, room)}-${hash}-${suffix}`;
}

/**
 * S3 prefixes (ending in `/`) a Glue database's tables live under: `<database>/` of
 * each layer bucket (migrated tables) and `<database>.db/` of the raw bucket (the
 * catalog warehouse, for tables created without a location). With `governance:
 * lake_formation` each is a location registered with Lake Formation.
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/register-location.html
 */
export function databaseLocations(buckets: Readonly<Record<'raw' | 'process' | 'analytics', string>>, database: string): string[] {
  return [`s3://${buckets.raw}/${database}/`, `s3://${buckets.process}/${database}/`, `s3://${buckets.analytics}/${database}/`, `s3://${buckets.raw}/${database}.db/`];
}

/** Prefix of every audit branch (`drop_audit_branches` drops the refs that start with it). */
const AUDIT_BRANCH_PREFIX = 'audit_';

/**
 * The Iceberg audit branch of one (use case, dag, job, run id, attempt, micro-batch):
 * `audit_<dag>_<run id>[_b<batch>][_a<attempt>]_<hash>`, as the runtime names it
 * (`branch_name` in infra/spark/lakestep/quality.py; test/simulator/job-result.test.ts
 * compares the two). The readable part is lossy; `<hash>`, the first 16 hex digits of
 * the SHA-256 of the exact tuple as JSON, tells names apart: the run id alone is the
 * execution name, shared by every dag of a logical date, and a rerun `<name>_a2` must
 * not meet attempt 2 of `<name>`.
 */
export function auditBranchName(owner: { useCase: string; workflow: string; job: string }, runId: string, attempt = 1, batch?: number): string {
  // Python's json.dumps(..., separators=(',', ':')): printable ASCII only, DEL and every non-ASCII UTF-16 unit as \uxxxx.
  const exact = JSON.stringify([owner.useCase, owner.workflow, owner.job, runId, attempt, batch ?? null]).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const slug = (text: string, limit: number) =>
    text
      .replace(/[^A-Za-z0-9]+/g, '_')
      .toLowerCase()
      .replace(/^_+|_+$/g, '')
      .slice(0, limit)
      .replace(/_+$/, '');
  const parts = [slug(owner.workflow, 30), slug(runId, 40)].filter((p) => p !== '');
  if (batch !== undefined) parts.push(`b${batch}`);
  if (attempt > 1) parts.push(`a${attempt}`);
  return `${AUDIT_BRANCH_PREFIX}${[...parts, createHash('sha256').update(exact, 'ascii').digest('hex').slice(0, 16)].join('_')}`;
}
