/**
 * CloudFormation's built-in template validation (`@aws-cdk/core:validateAgainstDefaultRules`),
 * remembering the templates it passed: a template whose exact text (with the validator's
 * version and the stack's account and region) passed before is not validated again. At
 * 1,000 workflows validation is most of synth's CPU, and after a change to one use case
 * every other template is byte-identical to the one validated last time.
 *
 * Only templates without any finding are remembered, so every finding is reported again
 * on each synth, exactly as without the cache. A registered instance of this subclass
 * replaces CDK's default instance (synthesis adds the default only when the app has none).
 *
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.CloudFormationValidatePlugin.html
 * @see https://docs.aws.amazon.com/cdk/v2/guide/policy-validation-synthesis.html
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CloudFormationValidatePlugin, type IPolicyValidationContext, type PolicyValidationPluginReport } from 'aws-cdk-lib';

type StackTemplate = IPolicyValidationContext['stackTemplates'][number];

/**
 * The validator's version, from the package the plugin loads (the engine and its rules ship inside it), read
 * from its package.json: the plugin's own `version` getter loads the 9 MB WebAssembly engine to ask it,
 * which a synth where every template is cached would otherwise pay for nothing.
 */
export const VALIDATOR = (() => {
  const fromCdk = createRequire(createRequire(import.meta.url).resolve('aws-cdk-lib'));
  const pkg = fromCdk('@aws/cloudformation-validate/package.json') as { name: string; version: string };
  return `${pkg.name}@${pkg.version}`;
})();

export class CachedTemplateValidation extends CloudFormationValidatePlugin {
  /** @param cacheDir one empty file per passed template, named by its key */
  constructor(private readonly cacheDir: string) {
    super();
  }

  override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const keys = new Map<StackTemplate, string>();
    const pending = context.stackTemplates.filter((t) => {
      const key = this.key(context.appConstruct, t);
      keys.set(t, key);
      return !existsSync(join(this.cacheDir, key));
    });
    if (pending.length === 0) return { success: true, violations: [] };
    const report = super.validate({ ...context, stackTemplates: pending });
    const flagged = new Set(report.violations.flatMap((v) => v.violatingResources.map((r) => r.templatePath)));
    for (const t of pending) if (!flagged.has(t.templatePath)) remember(this.cacheDir, keys.get(t)!);
    return report;
  }

  private key(app: object, t: StackTemplate): string {
    return createHash('sha256')
      .update(`${VALIDATOR}\0${t.accountId ?? ''}\0${t.region ?? ''}\0`)
      .update(templateDigest(app, t.templatePath))
      .digest('hex');
  }
}

/** Digests of the templates read, per app being synthesized, by path, with the size, time and inode they had. */
const digests = new WeakMap<object, Map<string, { stamp: string; digest: string }>>();

/**
 * sha256 of a template `app` synthesized, read once for both caches (this one and infra/nag/cache.ts):
 * read again when another app wrote it, or its size, modification time or inode changed since.
 */
export function templateDigest(app: object, path: string): string {
  let known = digests.get(app);
  if (!known) digests.set(app, (known = new Map()));
  const st = statSync(path);
  const stamp = `${st.size} ${st.mtimeMs} ${st.ino}`;
  const hit = known.get(path);
  if (hit?.stamp === stamp) return hit.digest;
  const digest = createHash('sha256').update(readFileSync(path)).digest('hex');
  known.set(path, { stamp, digest });
  return digest;
}

/** Notes a key in the cache; a cache that cannot be written never fails a synth (the stack is checked next time). */
export function remember(cacheDir: string, key: string): void {
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, key), '');
  } catch {
    // Read-only or full: nothing is remembered.
  }
}
