/** Synthesizes a build directory once with the app's context (infra/app.ts appContext: cdk.json's and the app's own). */
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { appContext, buildApp, type BuiltApp } from '../../infra/app.ts';

const CONTEXT = appContext();

export interface Synthesized {
  built: BuiltApp;
  assembly: CloudAssembly;
  templates: Map<string, Template>;
  json: Map<string, { Resources: Record<string, { Type: string; Properties?: Record<string, any> }>; Outputs?: Record<string, { Value: unknown }> }>;
}

/**
 * `app.synth()` runs cdk-nag and throws on any unacknowledged finding. CloudFormation's
 * built-in schema validation (~25 s here, reported as warnings only) is off unless asked.
 */
export function synthesize(
  buildDir: string,
  opts: { cfnValidation?: boolean; nagChecks?: boolean; lean?: boolean; useCases?: string[]; outdir?: string } = {},
): Synthesized {
  const previous = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = opts.cfnValidation ? 'true' : 'false';
  try {
    // `lean`: no tree.json, for large apps (same templates).
    const app = new App({
      context: { ...CONTEXT, buildDir },
      outdir: opts.outdir ?? join(buildDir, 'cdk.out'),
      treeMetadata: !opts.lean,
    });
    const built = buildApp({ buildDir, app, nagChecks: opts.nagChecks ?? true, ...(opts.useCases ? { useCases: opts.useCases } : {}) });
    const assembly = app.synth();
    const templates = new Map<string, Template>();
    const json = new Map<string, Synthesized['json'] extends Map<string, infer T> ? T : never>();
    for (const stack of assembly.stacks) {
      templates.set(stack.stackName, Template.fromJSON(stack.template));
      json.set(stack.stackName, stack.template);
    }
    return { built, assembly, templates, json };
  } finally {
    if (previous === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = previous;
  }
}

/** Resources of a type across all templates, with their stack. */
export function resourcesOfType(s: Synthesized, type: string): Array<{ stack: string; id: string; props: Record<string, any> }> {
  const out: Array<{ stack: string; id: string; props: Record<string, any> }> = [];
  for (const [stack, t] of s.json) {
    for (const [id, r] of Object.entries(t.Resources)) if (r.Type === type) out.push({ stack, id, props: r.Properties ?? {} });
  }
  return out;
}

/** An IAM policy statement as synthesized. */
export type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** The state machine resource with this name. */
export function stateMachineResource(s: Synthesized, name: string): { stack: string; id: string; props: Record<string, any> } {
  const found = resourcesOfType(s, 'AWS::StepFunctions::StateMachine').find((m) => m.props.StateMachineName === name);
  if (!found) throw new Error(`no state machine ${name}`);
  return found;
}

/** Statements of the policies attached to a state machine's role. */
export function roleStatements(s: Synthesized, name: string): Statement[] {
  const m = stateMachineResource(s, name);
  return policiesOfRole(s, m.stack, m.props.RoleArn['Fn::GetAtt'][0]).flatMap((p) => p.props.PolicyDocument.Statement as Statement[]);
}

/** The policies of a stack attached to one of its roles: inline (`AWS::IAM::Policy`) and managed (`AWS::IAM::ManagedPolicy`, where a role's policy overflows). */
export function policiesOfRole(s: Synthesized, stack: string, roleId: string): Array<{ stack: string; id: string; props: Record<string, any> }> {
  const roleRef = JSON.stringify({ Ref: roleId });
  return ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].flatMap((type) =>
    resourcesOfType(s, type).filter((p) => p.stack === stack && ((p.props.Roles ?? []) as unknown[]).some((r) => JSON.stringify(r) === roleRef)),
  );
}
