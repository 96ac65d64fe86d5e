/**
 * A secret belongs to the use case that reads it: the Spark role of each use
 * case may read only the secrets its own specs name, so a secret that two use
 * cases name must be declared in platform.yaml `shared_secrets` with both, or
 * one team could point its job at another team's database credentials. Each use
 * of an undeclared shared secret is an error, in every use case involved; a
 * declared one belongs to the use cases listed (one is enough), and only another
 * use case naming it is refused.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html
 */
import { allEntries, fail, noteRead, type PlatformIndex, type PhaseContext, type UseCaseIndexEntry } from './context.ts';
import type { Platform } from './types.ts';

/** The ARN without the six characters Secrets Manager appends to a secret's name, when it has them. */
function base(arn: string): string {
  return arn.replace(/-[A-Za-z0-9]{6}$/, '');
}

/** Whether two ARNs as written can name the same secret (one complete, one partial). */
export function sameSecret(a: string, b: string): boolean {
  return a === b || base(a) === b || a === base(b);
}

interface SecretReaders {
  /** Use cases by each ARN they read and by its base. */
  byKey: Map<string, Set<string>>;
  /** Position of each use case in the index. */
  order: Map<string, number>;
  /** Answers of {@link readersOf} by ARN. */
  found: Map<string, readonly string[]>;
}

const readers = new WeakMap<PlatformIndex, SecretReaders>();

/**
 * The use cases reading a secret that {@link sameSecret} matches with `arn`,
 * in the index's order: each secret is filed under its ARN and its base, so a
 * lookup replaces a scan of every use case (quadratic at a thousand use
 * cases). One map per index.
 */
export function readersOf(index: PlatformIndex, arn: string): readonly string[] {
  noteRead(index, `secret:${arn}`);
  let r = readers.get(index);
  if (!r) {
    r = { byKey: new Map(), order: new Map(), found: new Map() };
    for (const [useCase, entry] of allEntries(index)) {
      r.order.set(useCase, r.order.size);
      for (const a of entry.secrets) {
        for (const key of [a, base(a)]) r.byKey.set(key, (r.byKey.get(key) ?? new Set<string>()).add(useCase));
      }
    }
    readers.set(index, r);
  }
  const { byKey, order, found } = r;
  let list = found.get(arn);
  if (!list) {
    const candidates = new Set([...(byKey.get(arn) ?? []), ...(byKey.get(base(arn)) ?? [])]);
    // Two ARNs filed under one base may still not match (two different suffixes): keep those that do.
    list = [...candidates].filter((uc) => [...(Map.prototype.get.call(index, uc) as UseCaseIndexEntry).secrets].some((a) => sameSecret(a, arn))).sort((a, b) => order.get(a)! - order.get(b)!);
    found.set(arn, list);
  }
  return list;
}

/**
 * Reports `arn`, read by a source of the context's use case at `pointer`, when another use case reads it too and
 * platform.yaml does not declare it shared with both. A secret platform.yaml lists belongs to the use cases it
 * lists: they read it whoever else names it, and any other use case naming it is refused. Returns false when reported.
 */
export function checkSecretUse(ctx: PhaseContext, arn: string, pointer: string): boolean {
  if (!ctx.platform.grants.checked) return true;
  const listed = ctx.platform.grants.sharedSecrets.filter((s) => sameSecret(s.arn, arn));
  if (listed.length > 0) {
    if (listed.some((s) => s.useCases.includes(ctx.useCase))) return true;
    const holders = [...new Set(listed.flatMap((s) => s.useCases))];
    fail(ctx, 'SECRET_SHARED', `secret ${arn} belongs to use case ${holders.map((o) => `'${o}'`).join(', ')} (platform.yaml \`shared_secrets\`), not to this one`, pointer);
    return false;
  }
  const others = readersOf(ctx.index, arn).filter((uc) => uc !== ctx.useCase);
  if (others.length === 0) return true;
  fail(
    ctx,
    'SECRET_SHARED',
    `secret ${arn} is also read by use case ${others.map((o) => `'${o}'`).join(', ')}: a secret several use cases read must be declared in platform.yaml \`shared_secrets\` with all of them (listing it with its one use case keeps every other out)`,
    pointer,
  );
  return false;
}
