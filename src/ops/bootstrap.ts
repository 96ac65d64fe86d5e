/**
 * Preflight of `lakestep deploy`: is the CDK bootstrapped in the platform's
 * account and region? `cdk deploy` reads the version the bootstrap stack
 * (`CDKToolkit`) publishes as the SSM parameter `/cdk-bootstrap/<qualifier>/version`;
 * so does this check, before anything is synthesized, and without it prints the
 * exact `cdk bootstrap aws://<account>/<region>` to run. The account is the
 * platform's, else the caller's (STS `GetCallerIdentity`).
 * @see https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
 * @see https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-customizing.html
 */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { awsErrorName, errorMessage } from './errors.ts';

/** The qualifier `cdk bootstrap` uses unless told otherwise (context `@aws-cdk/core:bootstrapQualifier`). */
export const DEFAULT_QUALIFIER = 'hnb659fds';
/** Oldest bootstrap stack version the synthesized assets work with (CDK v2's modern template). */
export const MIN_BOOTSTRAP_VERSION = 6;

export type BootstrapCheck =
  | { ok: true; account: string; region: string; version: number }
  /** `stop`: deploying would fail; otherwise the check could not be made and the deploy goes on. */
  | { ok: false; stop: boolean; account?: string; region: string; message: string; command?: string };

export interface BootstrapOptions {
  region: string;
  /** The platform's account; asked from STS when absent. */
  account?: string;
  qualifier?: string;
  ssm: SSMClient;
  sts: STSClient;
}

/** `cdk bootstrap aws://<account>/<region>` (with `--qualifier` when not the default). */
export function bootstrapCommand(account: string, region: string, qualifier = DEFAULT_QUALIFIER): string {
  return `npx cdk bootstrap aws://${account}/${region}${qualifier === DEFAULT_QUALIFIER ? '' : ` --qualifier ${qualifier}`}`;
}

export async function checkBootstrap(opts: BootstrapOptions): Promise<BootstrapCheck> {
  const { region } = opts;
  const qualifier = opts.qualifier ?? DEFAULT_QUALIFIER;
  let account = opts.account;
  if (account === undefined) {
    try {
      account = (await opts.sts.send(new GetCallerIdentityCommand({}))).Account;
    } catch (err) {
      return { ok: false, stop: false, region, message: `could not read the caller's account to check the CDK bootstrap (${errorMessage(err)}); cdk deploy will check it` };
    }
    if (!account) return { ok: false, stop: false, region, message: 'STS returned no account; cdk deploy will check the CDK bootstrap' };
  }
  const parameter = `/cdk-bootstrap/${qualifier}/version`;
  const command = bootstrapCommand(account, region, qualifier);
  let value: string | undefined;
  try {
    value = (await opts.ssm.send(new GetParameterCommand({ Name: parameter }))).Parameter?.Value;
  } catch (err) {
    if (awsErrorName(err) === 'ParameterNotFound') {
      return {
        ok: false,
        stop: true,
        account,
        region,
        command,
        message: `the CDK is not bootstrapped in aws://${account}/${region} (no SSM parameter ${parameter}); bootstrap it once with\n  ${command}\nthen deploy again`,
      };
    }
    return { ok: false, stop: false, account, region, message: `could not read ${parameter} in aws://${account}/${region} (${errorMessage(err)}); cdk deploy will check the bootstrap` };
  }
  const version = Number(value);
  if (!Number.isInteger(version) || version < MIN_BOOTSTRAP_VERSION) {
    return {
      ok: false,
      stop: true,
      account,
      region,
      command,
      message: `the CDK bootstrap of aws://${account}/${region} is version ${value ?? '(empty)'}; lakestep's stacks need ${MIN_BOOTSTRAP_VERSION} or later: upgrade it with\n  ${command}`,
    };
  }
  return { ok: true, account, region, version };
}
