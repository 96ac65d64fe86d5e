/**
 * `platform.yaml` → {@link Platform}: every setting has a working default, so a
 * specs tree without a platform file compiles.
 */
import type { Origin } from '../diagnostics.ts';
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
    defaults: {
      retries: defaults.retries ?? d.retries,
      timeoutSeconds: parseDuration(defaults.timeout ?? d.timeout) ?? parseDuration(d.timeout)!,
      sparkSubmitParameters: defaults.spark_submit_parameters ?? '',
      gateTtlSeconds: parseDuration(defaults.gate_ttl ?? d.gateTtl) ?? parseDuration(d.gateTtl)!,
      datasyncPollSeconds: defaults.datasync_poll_seconds ?? d.datasyncPollSeconds,
      datasyncPollMaxSeconds: defaults.datasync_poll_max_seconds ?? d.datasyncPollMaxSeconds,
      logicalDate: defaults.logical_date ?? d.logicalDate,
    },
    tags: spec.tags ?? {},
    origin,
  };
}
