/**
 * Sources that live in a VPC need the EMR Serverless application placed in the
 * platform's subnets (`emr.network` in platform.yaml): without a network
 * configuration a job reaches public endpoints only, so a JDBC database or an
 * MSK cluster would time out at run time. Reported at the source, so only the
 * use cases that need the VPC are quarantined.
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/vpc-access.html
 */
import { fail, type PhaseContext } from './context.ts';

export const NETWORK_REQUIRED = 'PLATFORM_NETWORK_REQUIRED';

/** Reports {@link NETWORK_REQUIRED} at `pointer` when the platform has no network; true when it has one. */
export function requireNetwork(ctx: PhaseContext, what: 'JDBC' | 'Kafka', name: string, pointer: string): boolean {
  if (ctx.platform.emr.network) return true;
  fail(
    ctx,
    NETWORK_REQUIRED,
    `${what} source '${name}' is reached from inside a VPC, but platform.yaml sets no \`emr.network\`: add \`emr.network.subnet_ids\` and \`emr.network.security_group_ids\` (private subnets that reach the source, S3 and the AWS endpoints listed in infra/README.md)`,
    pointer,
  );
  return false;
}
