/**
 * Name tokens in platform settings: bucket, DynamoDB table and topic names may
 * hold `{account}`, `{region}`, `{env}` and `{prefix}`, replaced when the build is
 * compiled, so job documents, Iceberg table locations and the manifest carry
 * absolute names (CloudFormation tokens never reach them). S3 bucket names are
 * global: `acme-{env}-{account}-{region}-raw` is unique per environment.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
import type { Origin, Report } from '../diagnostics.ts';
import type { Platform } from './types.ts';

export const NAME_TOKENS = ['account', 'region', 'env', 'prefix'] as const;
export type NameToken = (typeof NAME_TOKENS)[number];

const TOKEN = /\{([a-z]+)\}/g;

interface NameRule {
  pattern: RegExp;
  what: string;
}

const BUCKET: NameRule = { pattern: /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, what: 'an S3 bucket name (3–63 lowercase letters, digits, `.` and `-`, starting and ending with a letter or digit)' };
const TABLE: NameRule = { pattern: /^[A-Za-z0-9_.-]{3,255}$/, what: 'a DynamoDB table name (3–255 letters, digits, `_`, `-`, `.`)' };
const TOPIC: NameRule = { pattern: /^[A-Za-z0-9_-]{1,256}$/, what: 'an SNS topic name (1–256 letters, digits, `_`, `-`)' };

export interface NameContext {
  env?: string;
  report: Report;
  /** Where a platform setting was written (the overlay's value wins). */
  origin: (pointer: string) => Origin;
}

/** The platform with every name token replaced; reports names that are invalid or need a missing value. */
export function resolvePlatformNames(p: Platform, ctx: NameContext): Platform {
  const values: Record<NameToken, string | undefined> = { account: p.account, region: p.region, env: ctx.env, prefix: p.prefix };
  const resolve = (name: string, pointer: string, rule: NameRule): string => {
    let missing: string | undefined;
    const out = name.replace(TOKEN, (m, token: string) => {
      const v = values[token as NameToken];
      if (v === undefined) missing ??= token;
      return v ?? m;
    });
    if (missing) {
      const why = missing === 'env' ? 'compile with --env <name>' : 'set `account` (quoted) in platform.yaml or the environment overlay';
      ctx.report.error('PLATFORM_NAME_TOKEN', `'${name}' uses {${missing}}, which has no value here: ${why}`, ctx.origin(pointer));
      return out;
    }
    if (!rule.pattern.test(out)) ctx.report.error('PLATFORM_NAME_INVALID', `'${name}' becomes '${out}', which is not ${rule.what}`, ctx.origin(pointer));
    return out;
  };
  const buckets = Object.fromEntries(Object.entries(p.buckets).map(([k, v]) => [k, resolve(v, `/buckets/${k}`, BUCKET)])) as Platform['buckets'];
  const dynamodb = Object.fromEntries(Object.entries(p.dynamodb).map(([k, v]) => [k, resolve(v, `/dynamodb/${k}`, TABLE)])) as Platform['dynamodb'];
  return { ...p, buckets, dynamodb, notifications: { ...p.notifications, topicName: resolve(p.notifications.topicName, '/notifications/topic_name', TOPIC) } };
}
