/**
 * cdk-nag's checks, remembering the stacks they passed: a stack whose template text, whose
 * acknowledged findings (its own constructs' and its ancestors', which cdk-nag reads from the
 * construct tree, not from the template) and whose cdk-nag version and pack are those of a stack
 * that passed before is not checked again. At 1,000 workflows the checks cost about a second of
 * CPU on every synth, and after a change to one use case every other stack is as it was.
 *
 * cdk-nag decides per resource from the resource and the other resources of its stack, all of
 * which the template holds, and from the acknowledgements on its way up the construct tree. Only
 * stacks without any finding are remembered, so every finding is reported again on each synth;
 * a stack holding a nested stack (another template) is always checked.
 *
 * Registered in place of the pack itself (same name, so acknowledgements keep their namespace).
 * @see https://github.com/cdklabs/cdk-nag/blob/main/RULES.md
 * @see https://docs.aws.amazon.com/cdk/v2/guide/policy-validation-synthesis.html
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Stack, Validations, type IPolicyValidationContext, type IPolicyValidationPlugin, type PolicyValidationPluginReport, type PolicyViolation } from 'aws-cdk-lib';
import type { NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { remember, templateDigest } from '../validation-cache.ts';

/** Bumped when what a key covers changes: older entries are then never matched. */
const FORMAT = 1;
const NAG_VERSION = (createRequire(import.meta.url)('cdk-nag/package.json') as { version: string }).version;

export class CachedNagChecks implements IPolicyValidationPlugin {
  readonly name: string;
  readonly version?: string;
  readonly ruleIds?: string[];

  /** @param cacheDir one empty file per stack that passed, named by its key */
  constructor(
    private readonly pack: NagPack,
    private readonly cacheDir: string,
  ) {
    this.name = pack.name;
    if (pack.version !== undefined) this.version = pack.version;
    if (pack.ruleIds !== undefined) this.ruleIds = pack.ruleIds;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations: PolicyViolation[] = [];
    const checked = new Set<IConstruct>();
    for (const t of context.stackTemplates) {
      const stack = constructAt(context.appConstruct, t.stackConstructPath);
      // A nested stack is checked with the outermost stack holding it.
      if (!stack || !Stack.isStack(stack) || stack.nested || checked.has(stack)) continue;
      checked.add(stack);
      const key = this.key(context.appConstruct, stack, t.templatePath);
      if (key !== undefined && existsSync(join(this.cacheDir, key))) continue;
      const found = this.pack.validateScope(stack).violations;
      merge(violations, found);
      if (key !== undefined && found.length === 0) remember(this.cacheDir, key);
    }
    // Resources of stacks no template was given for: checked as cdk-nag would check them.
    for (const stack of stacksUnder(context.appConstruct)) {
      if (!checked.has(stack)) merge(violations, this.pack.validateScope(stack).violations);
    }
    return { success: violations.length === 0, violations };
  }

  /** Undefined for a stack holding a nested stack: checked on every synth. */
  private key(app: IConstruct, stack: Stack, templatePath: string): string | undefined {
    const acks = acknowledgements(stack);
    if (acks === undefined) return undefined;
    return createHash('sha256')
      .update(`${FORMAT}\0${NAG_VERSION}\0${this.pack.constructor.name}\0${this.pack.readPackName}\0`)
      .update(acks)
      .update('\0')
      .update(templateDigest(app, templatePath))
      .digest('hex');
  }
}

/** Adds `found` to `violations`, grouped by rule across stacks as cdk-nag groups them across the app. */
function merge(violations: PolicyViolation[], found: readonly PolicyViolation[]): void {
  for (const v of found) {
    const same = violations.find((w) => w.ruleName === v.ruleName);
    if (same) same.violatingResources.push(...v.violatingResources);
    else violations.push({ ...v, violatingResources: [...v.violatingResources] });
  }
}

/**
 * The acknowledged findings cdk-nag can see from inside `stack`, on its constructs and its ancestors,
 * as text; undefined when the stack holds a nested stack.
 */
function acknowledgements(stack: Stack): string | undefined {
  const out: [string, unknown][] = [];
  const note = (c: IConstruct) => {
    for (const m of c.node.metadata) if (m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) out.push([c.node.path, m.data]);
  };
  for (let up = stack.node.scope; up; up = up.node.scope) note(up);
  for (const c of stack.node.findAll()) {
    if (c !== stack && Stack.isStack(c)) return undefined;
    note(c);
  }
  return JSON.stringify(out);
}

function constructAt(root: IConstruct, path: string): IConstruct | undefined {
  let c: IConstruct | undefined = root;
  for (const id of path === '' ? [] : path.split('/')) c = c?.node.tryFindChild(id);
  return c;
}

/** The outermost stacks under `root`. */
function stacksUnder(root: IConstruct): Stack[] {
  if (Stack.isStack(root)) return [root];
  return root.node.children.flatMap(stacksUnder);
}
