/**
 * `platform.yaml` → {@link Platform}: every setting has a working default, so a
 * specs tree without a platform file compiles.
 */
import type { Origin, Report } from '../diagnostics.ts';
import { locate, locateInString, type SpecFile } from '../spec/files.ts';
import { s3UrisIn, SHARED_PREFIX } from './locations.ts';
import { protectedSettingProblems } from './checks.ts';
import { checkSharedDataSyncTasks } from './shared-datasync.ts';
import { parseDuration } from '../spec/duration.ts';
import type { PlatformSpec } from '../spec/types.ts';
import { DEFAULT_RELEASE_LABEL } from './engine-versions.ts';
import type { Platform } from './types.ts';

export const PLATFORM_DEFAULTS = {
  prefix: 'lakestep',
  region: 'us-east-1',
  catalog: 'glue_catalog',
  releaseLabel: DEFAULT_RELEASE_LABEL,
  maxVcpu: 64,
  maxMemoryGb: 256,
  idleTimeoutMinutes: 15,
  retries: 2,
  timeout: '6h',
  gateTtl: '2d',
  datasyncPollSeconds: 30,
  datasyncPollMaxSeconds: 300,
  noncurrentVersionDays: 7,
  logicalDate: 'interval',
  failedBranchRetentionDays: 7,
  publishAttempts: 3,
} as const;

const NO_ORIGIN: Origin = { file: 'platform.yaml', line: 1, column: 1, pointer: '' };

/** Applies defaults; `spec` has passed schema validation. */
export function normalizePlatform(spec: PlatformSpec = {}, origin: Origin = NO_ORIGIN): Platform {
  const d = PLATFORM_DEFAULTS;
  const prefix = spec.prefix ?? d.prefix;
  const bucket = (k: 'landing' | 'raw' | 'process' | 'analytics' | 'artifacts') => spec.buckets?.[k] ?? `${prefix}-${k}`;
  const table = (k: 'watermarks' | 'runs' | 'gates') => spec.dynamodb?.[k] ?? `${prefix}-${k}`;
  const defaults = spec.defaults ?? {};
  return {
    prefix,
    region: spec.region ?? d.region,
    ...(spec.account === undefined ? {} : { account: spec.account }),
    catalog: spec.catalog ?? d.catalog,
    buckets: { landing: bucket('landing'), raw: bucket('raw'), process: bucket('process'), analytics: bucket('analytics'), artifacts: bucket('artifacts') },
    emr: {
      releaseLabel: spec.emr?.release_label ?? d.releaseLabel,
      maxVcpu: spec.emr?.max_vcpu ?? d.maxVcpu,
      maxMemoryGb: spec.emr?.max_memory_gb ?? d.maxMemoryGb,
      idleTimeoutMinutes: spec.emr?.idle_timeout_minutes ?? d.idleTimeoutMinutes,
      ...(spec.emr?.network
        ? { network: { subnetIds: spec.emr.network.subnet_ids, securityGroupIds: spec.emr.network.security_group_ids } }
        : {}),
    },
    lifecycle: { noncurrentVersionDays: spec.lifecycle?.noncurrent_version_days ?? d.noncurrentVersionDays },
    dynamodb: { watermarks: table('watermarks'), runs: table('runs'), gates: table('gates') },
    notifications: { topicName: spec.notifications?.topic_name ?? `${prefix}-notifications`, emails: spec.notifications?.emails ?? [] },
    databaseOwners: Object.fromEntries(Object.entries(spec.databases ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([db, d]) => [db, { owner: d.owner, ...(d.description === undefined ? {} : { description: d.description }) }])),
    governance: spec.governance ?? 'iam',
    ...(spec.state_machine_roles === 'per_use_case' ? { stateMachineRoles: 'per_use_case' as const } : {}),
    defaults: {
      retries: defaults.retries ?? d.retries,
      timeoutSeconds: parseDuration(defaults.timeout ?? d.timeout) ?? parseDuration(d.timeout)!,
      sparkSubmitParameters: defaults.spark_submit_parameters ?? '',
      gateTtlSeconds: parseDuration(defaults.gate_ttl ?? d.gateTtl) ?? parseDuration(d.gateTtl)!,
      datasyncPollSeconds: defaults.datasync_poll_seconds ?? d.datasyncPollSeconds,
      datasyncPollMaxSeconds: defaults.datasync_poll_max_seconds ?? d.datasyncPollMaxSeconds,
      logicalDate: defaults.logical_date ?? d.logicalDate,
      ...(defaults.secrets_kms_key_arn === undefined ? {} : { secretsKmsKeyArn: defaults.secrets_kms_key_arn }),
    },
    ...(spec.schedules_enabled === false ? { schedulesEnabled: false } : {}),
    quality: {
      branchRetentionDays: spec.quality?.failed_branch_retention === undefined ? d.failedBranchRetentionDays : Number(spec.quality.failed_branch_retention.slice(0, -1)),
      publishAttempts: spec.quality?.publish_attempts ?? d.publishAttempts,
    },
    tags: spec.tags ?? {},
    grants: {
      checked: true,
      externalLocations: (spec.external_locations ?? []).map((l) => ({ prefix: l.prefix, useCases: l.use_cases, access: l.access ?? 'read' })),
      sharedSecrets: (spec.shared_secrets ?? []).map((s) => ({ arn: s.arn, useCases: s.use_cases })),
      sharedDataSyncTasks: (spec.shared_datasync_tasks ?? []).map((t) => ({ name: t.name, taskArn: t.task_arn, sourcePath: t.source_path, landingPrefix: t.landing_prefix, useCases: t.use_cases })),
    },
    origin,
  };
}

/**
 * Semantic checks of a schema-valid platform.yaml: the default Spark parameters
 * every job inherits may not change a protected setting (src/ir/checks.ts) and
 * load files only from the artifacts bucket's `shared/` prefix, which every use
 * case may read; an `external_locations` prefix is outside the platform buckets;
 * the use cases `external_locations`, `shared_secrets` and
 * `shared_datasync_tasks` name exist; shared DataSync tasks (./shared-datasync.ts).
 */
export function checkPlatformSpec(file: SpecFile, spec: PlatformSpec, report: Report, useCases: readonly string[]): void {
  const platform = normalizePlatform(spec);
  // A grant to a use case that does not exist is most likely a typo: the intended one gets nothing.
  for (const field of ['external_locations', 'shared_secrets', 'shared_datasync_tasks'] as const) {
    for (const [i, entry] of (spec[field] ?? []).entries()) {
      for (const [j, uc] of entry.use_cases.entries()) {
        if (!useCases.includes(uc)) report.warning('PLATFORM_UNKNOWN_USE_CASE', `no use case '${uc}' in the specs folder`, locate(file, `/${field}/${i}/use_cases/${j}`));
      }
    }
  }
  checkSharedDataSyncTasks(file, spec, platform.region, report);
  const buckets = new Set(Object.values(platform.buckets));
  for (const [i, l] of (spec.external_locations ?? []).entries()) {
    const bucket = l.prefix.slice('s3://'.length).split('/')[0]!;
    if (buckets.has(bucket)) {
      report.error('PLATFORM_EXTERNAL_LOCATION', `'${bucket}' is a platform bucket: each use case already has its own prefix s3://${bucket}/<use-case>/ there, and nothing else of it may be granted`, locate(file, `/external_locations/${i}/prefix`));
    }
  }
  const submit = spec.defaults?.spark_submit_parameters;
  if (submit === undefined) return;
  const pointer = '/defaults/spark_submit_parameters';
  for (const p of protectedSettingProblems(submit, platform.catalog)) report.error('SPARK_SETTING_PROTECTED', p.message, locateInString(file, pointer, p.offset));
  const shared = `s3://${platform.buckets.artifacts}/${SHARED_PREFIX}`;
  for (const { uri, offset } of s3UrisIn(submit, { dag: '', useCase: '' })) {
    if (uri.startsWith(shared) && !/\/\.{0,2}\//.test(uri.slice(shared.length - 1))) continue;
    report.error('SPARK_LOCATION', `'${uri}' is loaded by every job of every use case: files of the platform defaults live under ${shared}, which every use case may read`, locateInString(file, pointer, offset));
  }
}
