/**
 * Preflight check that AWS credentials resolve through the SDK's default
 * provider chain (environment, SSO, shared files, credential process, web
 * identity, container or instance role), raced against a short timer so a slow
 * instance-metadata probe cannot hang a deploy. Only the resolution runs; no AWS
 * API is called. The SDK reads `process.env`, so this does too.
 *
 * @see https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/setting-credentials-node.html
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { errorMessage } from './errors.ts';

export type CredentialsCheck =
  | { ok: true; source: CredentialSource; profile?: string; elapsedMs: number }
  | { ok: false; message: string; elapsedMs: number };

export type CredentialSource =
  | 'env'
  | 'profile'
  | 'sso'
  | 'login'
  | 'process'
  | 'web-identity'
  | 'role'
  | 'container'
  | 'instance-metadata'
  | 'unknown';

/** SDK credential feature ids (`$source` on resolved credentials) → source, most specific first. */
const SOURCES: [RegExp, CredentialSource][] = [
  [/SSO/, 'sso'],
  [/LOGIN/, 'login'],
  [/WEB_ID/, 'web-identity'],
  [/PROCESS/, 'process'],
  [/STS_ASSUME_ROLE/, 'role'],
  [/ENV_VARS/, 'env'],
  [/HTTP/, 'container'],
  [/IMDS/, 'instance-metadata'],
  [/PROFILE/, 'profile'],
];

export const CREDENTIALS_DEFAULT_TIMEOUT_MS = 5000;

export interface CheckCredentialsOptions {
  /** Overall limit, default {@link CREDENTIALS_DEFAULT_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Replaces the SDK's default chain (tests). */
  resolve?: () => Promise<object>;
}

export async function checkCredentials(opts: CheckCredentialsOptions = {}): Promise<CredentialsCheck> {
  const timeoutMs = opts.timeoutMs ?? CREDENTIALS_DEFAULT_TIMEOUT_MS;
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref();
  });
  try {
    // A region is set only so constructing the client never looks one up; credentials do not depend on it.
    const resolving = opts.resolve
      ? opts.resolve()
      : new SFNClient({ region: process.env.AWS_REGION ?? 'us-east-1' }).config.credentials();
    resolving.catch(() => undefined); // the timer may win; the late rejection is expected
    const creds = await Promise.race([resolving, timeout]);
    if (creds === 'timeout') {
      return {
        ok: false,
        elapsedMs: elapsed(),
        message:
          `AWS credentials did not resolve within ${timeoutMs} ms (probably the EC2 instance metadata service, tried last, did not answer). ` +
          missingCredentialsHint(),
      };
    }
    const profile = process.env.AWS_PROFILE;
    return { ok: true, source: sourceOf(creds), ...(profile ? { profile } : {}), elapsedMs: elapsed() };
  } catch (err) {
    return { ok: false, elapsedMs: elapsed(), message: `no AWS credentials: ${errorMessage(err)}. ${missingCredentialsHint()}` };
  } finally {
    clearTimeout(timer);
  }
}

function sourceOf(creds: object): CredentialSource {
  const features = Object.keys(('$source' in creds && (creds.$source as object)) || {});
  for (const [re, source] of SOURCES) if (features.some((f) => re.test(f))) return source;
  return 'unknown';
}

/** What is missing, named after the environment variables and files the chain reads. */
export function missingCredentialsHint(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME || homedir();
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials');
  const configFile = env.AWS_CONFIG_FILE || join(home, '.aws', 'config');
  const files = `${credentialsFile} ${existsSync(credentialsFile) ? 'exists' : 'does not exist'}, ${configFile} ${existsSync(configFile) ? 'exists' : 'does not exist'}`;
  const parts: string[] = [];
  if (env.AWS_ACCESS_KEY_ID && !env.AWS_SECRET_ACCESS_KEY) parts.push('AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not.');
  if (!env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) parts.push('AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not.');
  if (env.AWS_PROFILE) {
    parts.push(
      `AWS_PROFILE=${env.AWS_PROFILE} did not give credentials (${files}); if it is an SSO profile, run \`aws sso login --profile ${env.AWS_PROFILE}\`.`,
    );
  } else {
    parts.push(
      'Set one of: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary keys); ' +
        `AWS_PROFILE naming a profile of the shared files (${files}); ` +
        'an SSO profile after `aws sso login --profile <name>`; ' +
        'or a role: AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE, a container role, or an EC2 instance profile.',
    );
  }
  return parts.join(' ');
}
