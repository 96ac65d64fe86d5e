/**
 * Acknowledges findings of the validation plugins (cdk-nag, CloudFormation's template validation) on a
 * construct, as `Validations.of(scope).acknowledge` does — without the call stack CDK records with every
 * acknowledgement when the app turns construct stack traces off (context `aws:cdk:disable-stack-trace`,
 * which infra/app.ts sets; `CDK_DEBUG=true` brings them back, as for every other construct metadata).
 * At 1,000 workflows the app acknowledges ~8,000 findings, and each recorded stack (formatted through
 * the source maps `tsx` installs) cost ~0.1 ms: ~0.85 s of CPU on every synth.
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.Validations.html
 */
import { Validations } from 'aws-cdk-lib';
import { DISABLE_METADATA_STACK_TRACE } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';

export interface Acknowledgement {
  /** The finding: `AwsSolutions-IAM5[Resource::…]`, a plugin's rule id. */
  id: string;
  reason: string;
}

export function acknowledge(scope: IConstruct, ...rules: Acknowledgement[]): void {
  if (!scope.node.tryGetContext(DISABLE_METADATA_STACK_TRACE) || ['1', 'on', 'true'].includes((process.env.CDK_DEBUG ?? '').toLowerCase())) {
    Validations.of(scope).acknowledge(...rules);
    return;
  }
  // CDK captures the stack with Error.captureStackTrace, which records no frame at a limit of 0.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    Validations.of(scope).acknowledge(...rules);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
