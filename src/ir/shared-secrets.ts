/**
 * A secret belongs to the use case that reads it: the Spark role of each use
 * case may read only the secrets its own specs name, so a secret that two use
 * cases name must be declared in platform.yaml `shared_secrets` with both, or
 * one team could point its job at another team's database credentials. Each use
 * of an undeclared shared secret is an error, in every use case involved.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html
 */
import { fail, secretReaders, type PhaseContext } from './context.ts';

/** The ARN without the six characters Secrets Manager appends to a secret's name, when it has them. */
function base(arn: string): string {
  return arn.replace(/-[A-Za-z0-9]{6}$/, '');
}

/** Whether two ARNs as written can name the same secret (one complete, one partial). */
export function sameSecret(a: string, b: string): boolean {
  return a === b || base(a) === b || a === base(b);
}

/**
 * Reports `arn`, read by a source of the context's use case at `pointer`, when
 * another use case reads it too and platform.yaml does not declare it shared
 * with both. Returns false when reported.
 */
export function checkSecretUse(ctx: PhaseContext, arn: string, pointer: string): boolean {
  if (!ctx.platform.grants.checked) return true;
  const declared = (other: string) => ctx.platform.grants.sharedSecrets.some((s) => sameSecret(s.arn, arn) && s.useCases.includes(ctx.useCase) && s.useCases.includes(other));
  const others = secretReaders(ctx.index).filter(([uc, secrets]) => uc !== ctx.useCase && [...secrets].some((a) => sameSecret(a, arn)) && !declared(uc)).map(([uc]) => uc);
  if (others.length === 0) return true;
  fail(
    ctx,
    'SECRET_SHARED',
    `secret ${arn} is also read by use case ${others.map((o) => `'${o}'`).join(', ')}: a secret several use cases read must be declared in platform.yaml \`shared_secrets\` with all of them`,
    pointer,
  );
  return false;
}
