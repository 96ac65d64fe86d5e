/**
 * Synthesized IAM as IAM would store and evaluate it: intrinsic functions
 * resolved to realistic values (so sizes are those IAM counts against its
 * quotas: characters without white space), and IAM's decision on a request
 * made with them, from an independent evaluator.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */

import { runSimulation } from '@cloud-copilot/iam-simulate';
import { resourcesOfType, type Synthesized } from './synth.ts';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, any> }>; Outputs?: Record<string, any> };

/** Resolves Ref / Fn::GetAtt / Fn::Join / Fn::Sub / Fn::ImportValue against the synthesized templates. */
export class Resolver {
  private readonly exports = new Map<string, { template: Template; value: unknown }>();

  constructor(private readonly templates: ReadonlyMap<string, Template>) {
    for (const t of templates.values()) {
      for (const o of Object.values(t.Outputs ?? {})) if (o.Export?.Name) this.exports.set(o.Export.Name, { template: t, value: o.Value });
    }
  }

  /** Every string of `value` resolved; throws on an intrinsic it cannot resolve. */
  resolve(value: unknown, template: Template): unknown {
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map((v) => this.resolve(v, template));
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) return this.intrinsic(keys[0]!, o[keys[0]!], template);
    return Object.fromEntries(keys.map((k) => [k, this.resolve(o[k], template)]));
  }

  private intrinsic(fn: string, arg: any, t: Template): string {
    switch (fn) {
      case 'Ref':
        return this.ref(arg as string, t);
      case 'Fn::GetAtt':
        return this.getAtt(arg[0], arg[1], t);
      case 'Fn::Join':
        return (this.resolve(arg[1], t) as string[]).join(arg[0]);
      case 'Fn::Sub': {
        const [text, vars] = typeof arg === 'string' ? [arg, {}] : arg;
        const values = this.resolve(vars, t) as Record<string, string>;
        return (text as string).replace(/\$\{([^}!]+)\}/g, (_, name: string) => values[name] ?? (name.includes('.') ? this.getAtt(name.split('.')[0]!, name.split('.')[1]!, t) : this.ref(name, t)));
      }
      case 'Fn::ImportValue': {
        const e = this.exports.get(arg as string);
        if (!e) throw new Error(`no export ${arg}`);
        return this.resolve(e.value, e.template) as string;
      }
      default:
        throw new Error(`cannot resolve ${fn}`);
    }
  }

  private ref(name: string, t: Template): string {
    const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };
    if (pseudo[name]) return pseudo[name]!;
    const r = t.Resources[name];
    if (!r) throw new Error(`no resource ${name}`);
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::S3::Bucket':
        return p.BucketName ?? `${name.toLowerCase()}-1a2b3c4d5e6f`;
      case 'AWS::DynamoDB::Table':
        return p.TableName;
      case 'AWS::IAM::Role':
        return p.RoleName ?? `${name}-ABCDEFGHIJKL`.slice(0, 64);
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${REGION}:${ACCOUNT}:${p.TopicName ?? name}`;
      case 'AWS::KMS::Key':
        return '1234abcd-12ab-34cd-56ef-1234567890ab';
      default:
        return `${name}-ABCDEFGHIJKL`;
    }
  }

  private getAtt(name: string, attr: string, t: Template): string {
    const r = t.Resources[name];
    if (!r) throw new Error(`no resource ${name}`);
    const id = this.ref(name, t);
    const key = `${r.Type}.${attr}`;
    const arns: Record<string, () => string> = {
      'AWS::S3::Bucket.Arn': () => `arn:aws:s3:::${id}`,
      'AWS::DynamoDB::Table.Arn': () => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${id}`,
      'AWS::IAM::Role.Arn': () => `arn:aws:iam::${ACCOUNT}:role/${id}`,
      'AWS::KMS::Key.Arn': () => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`,
      'AWS::EMRServerless::Application.ApplicationId': () => '00fabcdefghij123',
      'AWS::EMRServerless::Application.Arn': () => `arn:aws:emr-serverless:${REGION}:${ACCOUNT}:/applications/00fabcdefghij123`,
      'AWS::Logs::LogGroup.Arn': () => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${r.Properties?.LogGroupName ?? name}:*`,
      'AWS::DataSync::Task.TaskArn': () => `arn:aws:datasync:${REGION}:${ACCOUNT}:task/task-0123456789abcdef0`,
      'AWS::SNS::Topic.TopicArn': () => id,
      'AWS::SQS::Queue.Arn': () => `arn:aws:sqs:${REGION}:${ACCOUNT}:${r.Properties?.QueueName ?? id}`,
      'AWS::Lambda::Function.Arn': () => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${r.Properties?.FunctionName ?? id}`,
      'AWS::StepFunctions::StateMachine.Arn': () => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${r.Properties?.StateMachineName}`,
    };
    const make = arns[key];
    if (!make) throw new Error(`cannot resolve GetAtt ${key}`);
    return make();
  }
}

/** Characters IAM counts against a policy quota: the JSON without white space. */
export function policySize(document: unknown): number {
  return JSON.stringify(document).length;
}

export type ResolvedStatement = { Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown };

/** Values of the request's condition keys (`iam:PassedToService`, `dynamodb:LeadingKeys`, …). */
export type RequestContext = Record<string, string | string[]>;

/**
 * IAM's decision on one request made with `statements` as the caller's identity policy, in this account,
 * by an independent evaluator (@cloud-copilot/iam-simulate: every condition operator, Deny, NotAction,
 * NotResource, wildcards): true when Allowed. A request it cannot evaluate throws: an action IAM does not
 * know, a resource that is not of a type the action takes, a policy IAM would refuse, or a context key that
 * does not apply to the action (it would be dropped silently, and the test would ask something else).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export async function allows(statements: readonly ResolvedStatement[], action: string, resource: string, context: RequestContext = {}): Promise<boolean> {
  const result = await runSimulation(
    {
      identityPolicies: [{ name: 'role', policy: { Version: '2012-10-17', Statement: statements as ResolvedStatement[] } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: { action, principal: `arn:aws:iam::${ACCOUNT}:role/caller`, resource: { accountId: ACCOUNT, resource }, contextVariables: context },
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`cannot evaluate ${action} on ${resource}: ${JSON.stringify(result.errors)}`);
  const ignored = result.resultType === 'single' ? result.result.ignoredContextKeys ?? [] : result.results.flatMap((r) => r.ignoredContextKeys ?? []);
  if (ignored.length > 0) throw new Error(`${action} on ${resource}: context keys ${ignored.join(', ')} do not apply to this request`);
  return result.overallResult === 'Allowed';
}

/** Each use case's EMR Serverless job role (its `lakestep:use-case` tag), with its inline policy statements resolved. */
export function sparkRoles(s: Synthesized, resolver: Resolver): Map<string, { stack: string; name: string; statements: ResolvedStatement[] }> {
  const out = new Map<string, { stack: string; name: string; statements: ResolvedStatement[] }>();
  for (const role of resourcesOfType(s, 'AWS::IAM::Role')) {
    if (!JSON.stringify(role.props.AssumeRolePolicyDocument).includes('emr-serverless.amazonaws.com')) continue;
    const useCase = (role.props.Tags as { Key: string; Value: string }[]).find((t) => t.Key === 'lakestep:use-case')!.Value;
    if (out.has(useCase)) throw new Error(`second Spark role for ${useCase}`);
    const docs = resolver.resolve(role.props.Policies ?? [], s.json.get(role.stack)!) as { PolicyDocument: { Statement: ResolvedStatement[] } }[];
    out.set(useCase, { stack: role.stack, name: role.props.RoleName, statements: docs.flatMap((d) => d.PolicyDocument.Statement) });
  }
  return out;
}
