/**
 * The KMS key of a source's secret: the source's `kms_key_arn`, else the
 * platform's `defaults.secrets_kms_key_arn`. Secrets Manager encrypts a secret
 * with a key of the secret's own region, so a key of another region is an
 * error at compile time rather than an AccessDenied at run time.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
 */
import { fail, type PhaseContext } from './context.ts';

const regionOf = (arn: string): string => arn.split(':')[3] ?? '';

/** `{ kmsKeyArn }` when a key applies, `{}` when none; undefined after an error. */
export function secretKey(ctx: PhaseContext, secretArn: string, own: string | undefined, pointer: string): { kmsKeyArn?: string } | undefined {
  const key = own ?? ctx.platform.defaults.secretsKmsKeyArn;
  if (key === undefined) return {};
  if (regionOf(key) !== regionOf(secretArn)) {
    const from = own === undefined ? "the platform's defaults.secrets_kms_key_arn" : 'kms_key_arn';
    fail(ctx, 'INGESTION_KMS_REGION', `${from} is a key of ${regionOf(key)}, the secret is in ${regionOf(secretArn)}: Secrets Manager encrypts a secret with a key of its own region`, own === undefined ? pointer.replace(/\/kms_key_arn$/, '') : pointer);
    return undefined;
  }
  return { kmsKeyArn: key };
}
