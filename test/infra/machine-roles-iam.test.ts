/**
 * The roles of the example's state machines, decided by an independent IAM evaluator:
 * every request each definition makes (the definition as Step Functions receives it,
 * its substitutions resolved; the requests each service integration makes written out
 * here from the AWS documentation, not from infra/iam/registry.ts) is allowed, and the
 * same request on another use case's or dag's resource is denied. On DynamoDB, with the
 * partition key the request carries (`dynamodb:LeadingKeys`): another workflow's run
 * records, watermarks or migration marks are denied whatever a run's state data holds.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-integration-iam-templates.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import { readManifestDir } from '../../src/build/manifest-files.ts';
import type { Manifest, ManifestWorkflow } from '../../src/build/types.ts';
import type { SourceFile } from '../../src/spec/files.ts';
import { compileToBuild, exampleSources } from './compiled.ts';

const GOLDEN = join(import.meta.dirname, '..', 'golden');
import { ACCOUNT, allows, REGION, type RequestContext, Resolver, type ResolvedStatement } from './iam-eval.ts';
import { resourcesOfType, roleStatements, stateMachineResource, type Synthesized, synthesize } from './synth.ts';

interface Machine {
  useCase: string;
  arn: string;
  workflow: ManifestWorkflow;
  statements: ResolvedStatement[];
  /** The definition with its `${…}` substitutions replaced by their deployed values. */
  definition: { States: Record<string, any> };
}

/** One DynamoDB request of a definition: action, table name, partition key (`undefined`: computed at run time). */
interface ItemRequest {
  state: string;
  action: string;
  table: string;
  pk: { S?: string; 'S.$'?: string };
}

function machines(sources: readonly SourceFile[]): { manifest: Manifest; machines: Machine[]; s: Synthesized; resolver: Resolver } {
  const { buildDir } = compileToBuild(sources);
  const manifest = readManifestDir(buildDir);
  const s = synthesize(buildDir, { nagChecks: false, lean: true });
  const resolver = new Resolver(s.json);
  const out: Machine[] = [];
  for (const u of manifest.useCases) {
    for (const workflow of u.workflows) {
      const m = stateMachineResource(s, workflow.stateMachineName);
      const template = s.json.get(m.stack)!;
      const substitutions = resolver.resolve(m.props.DefinitionSubstitutions ?? {}, template) as Record<string, string>;
      const text = (m.props.DefinitionString as string).replace(/\$\{([A-Za-z][A-Za-z0-9_]*)\}/g, (p, name: string) => substitutions[name] ?? p);
      const statements = resolver.resolve(roleStatements(s, workflow.stateMachineName), template) as ResolvedStatement[];
      const arn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${workflow.stateMachineName}`;
      out.push({ useCase: u.name, arn, workflow, statements, definition: JSON.parse(text) });
    }
  }
  return { manifest, machines: out, s, resolver };
}

/**
 * Every Task state of a definition, in Map iterations and Parallel branches too, with its parameters: walked here,
 * not by infra/iam/task-states.ts, whose walk decides what the roles are granted.
 */
function tasks(definition: { States: Record<string, any> }): { name: string; resource: string; args: Record<string, any> }[] {
  const out: { name: string; resource: string; args: Record<string, any> }[] = [];
  const visit = (states: Record<string, any>, prefix: string) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task') out.push({ name: prefix + name, resource: state.Resource, args: state.Parameters ?? state.Arguments ?? {} });
      for (const b of state.Branches ?? []) visit(b.States, `${prefix}${name}/`);
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) visit(processor.States, `${prefix}${name}/`);
    }
  };
  visit(definition.States, '');
  return out;
}

/** Every DynamoDB Task of a definition. */
function itemRequests(definition: { States: Record<string, any> }): ItemRequest[] {
  return tasks(definition).flatMap((t) => {
    const m = /^arn:aws:states:::dynamodb:(\w+)$/.exec(t.resource);
    if (!m) return [];
    const action = `dynamodb:${m[1]![0]!.toUpperCase()}${m[1]!.slice(1)}`;
    return [{ state: t.name, action, table: t.args.TableName, pk: (action === 'dynamodb:PutItem' ? t.args.Item : t.args.Key).pk }];
  });
}

const tableArn = (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;

/**
 * The partition keys a request can carry when a run computes it: `States.Format('<text>{}', $.table…)` with
 * each table the workflow writes (`database.table`, or the name alone after a database's literal prefix).
 */
function keysOf(r: ItemRequest, w: ManifestWorkflow): string[] {
  if (r.pk.S !== undefined) return [r.pk.S];
  const format = /^States\.Format\('([^'\\]*)\{\}', \$\.table(\.name|\.fqn)?\)$/.exec(r.pk['S.$'] ?? '');
  if (!format) throw new Error(`${w.name} ${r.state}: partition key ${JSON.stringify(r.pk)} is neither static nor a table's`);
  const [, text, field] = format as unknown as [string, string, string | undefined];
  if (field !== '.name') return w.writes.map((t) => `${text}${t}`);
  // A database's literal prefix (`migration/raw_orders.{}`) before the name: the tables of that database.
  return w.writes.filter((t) => text.endsWith(`/${t.split('.')[0]}.`)).map((t) => `${text}${t.split('.')[1]}`);
}

let example: ReturnType<typeof machines>;
let shared: ReturnType<typeof machines>;

beforeAll(() => {
  example = machines(exampleSources());
  shared = machines(exampleSources().map((f) => (f.path === 'platform.yaml' ? { ...f, text: `${f.text}\nstate_machine_roles: per_use_case\n` } : f)));
}, 300_000);

describe('state machine roles on the DynamoDB tables, by partition key', () => {
  it('finds DynamoDB requests of every kind in the example: static keys, keys a run computes, every table of runs and watermarks', () => {
    const all = example.machines.flatMap((m) => itemRequests(m.definition));
    expect(new Set(all.map((r) => r.action))).toEqual(new Set(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
    expect(new Set(all.map((r) => r.table))).toEqual(new Set([example.manifest.platform.dynamodb.runs, example.manifest.platform.dynamodb.watermarks]));
    expect(all.filter((r) => r.pk['S.$'] !== undefined).length).toBeGreaterThan(10);
    expect(example.machines.length).toBe(example.manifest.useCases.flatMap((u) => u.workflows).length);
  });

  for (const mode of ['a role per state machine', 'state_machine_roles: per_use_case'] as const) {
    it(`${mode}: allows every request each definition makes, with the key it carries`, async () => {
      const { machines } = mode === 'a role per state machine' ? example : shared;
      let asked = 0;
      for (const m of machines) {
        for (const r of itemRequests(m.definition)) {
          const keys = keysOf(r, m.workflow);
          expect(keys.length, `${m.workflow.name} ${r.state}`).toBeGreaterThan(0);
          for (const key of keys) {
            expect(await allows(m.statements, r.action, tableArn(r.table), { 'dynamodb:LeadingKeys': [key] }), `${m.workflow.name} ${r.state} ${r.action} ${key}`).toBe(true);
            asked++;
          }
        }
      }
      expect(asked).toBeGreaterThan(50);
    });
  }

  it("denies every machine another workflow's run records and watermarks, and a migration mark of a table it does not touch", async () => {
    await expectOwnItemsOnly(example);
  });
});

/** No machine of `x` reaches another workflow's run records or watermarks, or a migration mark of a table it does not touch. */
async function expectOwnItemsOnly(x: ReturnType<typeof machines>): Promise<void> {
  const { manifest } = x;
  const { runs, watermarks, gates } = manifest.platform.dynamodb;
  const workflows = manifest.useCases.flatMap((u) => u.workflows.map((w) => ({ useCase: u.name, w })));
  for (const m of x.machines) {
    const touched = new Set([...m.workflow.reads, ...m.workflow.writes]);
    for (const o of workflows) {
      if (o.w === m.workflow) continue;
      const where = `${m.useCase}/${m.workflow.name} → ${o.useCase}/${o.w.name}`;
      expect(await allows(m.statements, 'dynamodb:PutItem', tableArn(runs), { 'dynamodb:LeadingKeys': [`${o.useCase}/${o.w.name}`] }), where).toBe(false);
      for (const kind of ['processing', 'ingestion']) {
        const key = `${kind}/${o.useCase}/${o.w.name}/x`;
        for (const action of ['dynamodb:UpdateItem', 'dynamodb:PutItem']) expect(await allows(m.statements, action, tableArn(watermarks), { 'dynamodb:LeadingKeys': [key] }), `${where} ${action} ${key}`).toBe(false);
      }
    }
    // A migration marks its tables by a pattern of its database (`migration/raw_orders.*`): the keys of a
    // 2,000-table migration, one by one, would not fit in a role's 10,240 characters of policy.
    const migrated = new Set(m.workflow.type === 'migration' ? m.workflow.writes.map((t) => t.split('.')[0]) : []);
    const others = Object.keys(manifest.tables).filter((t) => !touched.has(t) && !migrated.has(t.split('.')[0]!));
    if (x === example) expect(others.length, m.workflow.name).toBeGreaterThan(0);
    for (const t of others) {
      expect(await allows(m.statements, 'dynamodb:UpdateItem', tableArn(watermarks), { 'dynamodb:LeadingKeys': [`migration/${t}`] }), `${m.workflow.name} → migration/${t}`).toBe(false);
    }
    // Two keys in one request (a batch): one of them another's is enough to be refused.
    expect(await allows(m.statements, 'dynamodb:PutItem', tableArn(runs), { 'dynamodb:LeadingKeys': [`${m.useCase}/${m.workflow.name}`, 'other/dag'] })).toBe(false);
    for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:Scan']) {
      expect(await allows(m.statements, action, tableArn(gates)), `${m.workflow.name} ${action} on the gates table`).toBe(false);
      // A Scan names no partition key (IAM has no dynamodb:LeadingKeys for it).
      const own: RequestContext = action === 'dynamodb:Scan' ? {} : { 'dynamodb:LeadingKeys': [`${m.useCase}/${m.workflow.name}`] };
      expect(await allows(m.statements, action, tableArn(runs), own), `${m.workflow.name} ${action} on its own run records`).toBe(action === 'dynamodb:PutItem');
    }
  }
}

/** One request a Task state makes, as IAM sees it. */
interface Request {
  action: string;
  resource: string;
  context?: RequestContext;
}

/** `States.Format('<text>', …)` with each `{}` filled: a value the state can compute. */
const instance = (expr: string) => /^States\.Format\('([^'\\]*)'/.exec(expr)![1]!.replaceAll('{}', 'x1');

/**
 * What each service integration asks IAM for, from the Step Functions and service API references:
 * `.sync` EMR Serverless starts, reads and cancels the run and keeps its managed EventBridge rule; the SDK
 * integrations call their one API action; a start passes the job's role to EMR Serverless.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/emr-serverless-iam.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/stepfunctions-iam.html
 */
function requestsOf(t: { name: string; resource: string; args: Record<string, any> }, m: Machine): Request[] {
  const app = `arn:aws:emr-serverless:${REGION}:${ACCOUNT}:/applications/${t.args.ApplicationId}`;
  const pass = { action: 'iam:PassRole', resource: t.args.ExecutionRoleArn, context: { 'iam:PassedToService': 'emr-serverless.amazonaws.com' } };
  const tasksOfDefinition = [...new Set(JSON.stringify(m.definition).match(/arn:aws:datasync:[a-z0-9-]+:\d{12}:task\/task-[0-9a-f]{17}/g) ?? [])];
  switch (t.resource) {
    case 'arn:aws:states:::emr-serverless:startJobRun.sync':
      return [
        { action: 'emr-serverless:StartJobRun', resource: app },
        { action: 'emr-serverless:GetJobRun', resource: `${app}/jobruns/00fabcdefghij456` },
        { action: 'emr-serverless:CancelJobRun', resource: `${app}/jobruns/00fabcdefghij456` },
        ...['events:PutTargets', 'events:PutRule', 'events:DescribeRule'].map((action) => ({ action, resource: `arn:aws:events:${REGION}:${ACCOUNT}:rule/StepFunctionsGetEventsForEMRServerlessJobRule` })),
        pass,
      ];
    case 'arn:aws:states:::aws-sdk:emrserverless:startJobRun':
      return [{ action: 'emr-serverless:StartJobRun', resource: app }, pass];
    case 'arn:aws:states:::aws-sdk:emrserverless:listJobRuns':
      return [{ action: 'emr-serverless:ListJobRuns', resource: app }];
    case 'arn:aws:states:::aws-sdk:s3:getObject':
      return [{ action: 's3:GetObject', resource: `arn:aws:s3:::${t.args.Bucket}/${t.args.Key ?? instance(t.args['Key.$'])}` }];
    case 'arn:aws:states:::sns:publish':
      return [{ action: 'sns:Publish', resource: t.args.TopicArn }];
    case 'arn:aws:states:::states:startExecution':
      return [{ action: 'states:StartExecution', resource: t.args['StateMachineArn.$'] === '$$.StateMachine.Id' ? m.arn : t.args.StateMachineArn }];
    case 'arn:aws:states:::aws-sdk:sfn:listExecutions':
      expect(t.args['StateMachineArn.$']).toBe('$$.StateMachine.Id');
      return [{ action: 'states:ListExecutions', resource: m.arn }];
    case 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData':
      return [{ action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': t.args.Namespace } }];
    case 'arn:aws:states:::aws-sdk:datasync:startTaskExecution': {
      const arns = t.args.TaskArn ? [t.args.TaskArn as string] : tasksOfDefinition;
      expect(arns.length, `${m.workflow.name} ${t.name}`).toBeGreaterThan(0);
      return arns.map((resource) => ({ action: 'datasync:StartTaskExecution', resource }));
    }
    case 'arn:aws:states:::aws-sdk:datasync:describeTaskExecution':
      return tasksOfDefinition.map((task) => ({ action: 'datasync:DescribeTaskExecution', resource: `${task}/execution/exec-0123456789abcdef0` }));
    case 'arn:aws:states:::aws-sdk:glue:createTableOptimizer': {
      const table = `arn:aws:glue:${REGION}:${ACCOUNT}:table/${t.args.DatabaseName}/${t.args.TableName}`;
      return [
        { action: 'glue:CreateTableOptimizer', resource: table },
        { action: 'glue:UpdateTableOptimizer', resource: table },
        { action: 'iam:PassRole', resource: t.args.TableOptimizerConfiguration.roleArn, context: { 'iam:PassedToService': 'glue.amazonaws.com' } },
      ];
    }
    case 'arn:aws:states:::dynamodb:putItem':
    case 'arn:aws:states:::dynamodb:updateItem':
    case 'arn:aws:states:::dynamodb:getItem':
      return []; // above, by partition key
    default:
      throw new Error(`${m.workflow.name} ${t.name}: no requests written here for ${t.resource}`);
  }
}

describe('state machine roles on everything else their definitions call', () => {
  it('finds every integration the compiler emits for use cases in the example', () => {
    const resources = new Set(example.machines.flatMap((m) => tasks(m.definition).map((t) => t.resource)));
    for (const r of ['emr-serverless:startJobRun.sync', 'aws-sdk:s3:getObject', 'sns:publish', 'states:startExecution', 'aws-sdk:cloudwatch:putMetricData', 'aws-sdk:datasync:startTaskExecution', 'aws-sdk:emrserverless:startJobRun']) {
      expect(resources, r).toContain(`arn:aws:states:::${r}`);
    }
  });

  for (const mode of ['a role per state machine', 'state_machine_roles: per_use_case'] as const) {
    it(`${mode}: allows every request of every Task state`, async () => {
      const { machines } = mode === 'a role per state machine' ? example : shared;
      for (const m of machines) {
        for (const t of tasks(m.definition)) {
          for (const r of requestsOf(t, m)) {
            expect(await allows(m.statements, r.action, r.resource, r.context), `${m.workflow.name} ${t.name}: ${r.action} on ${r.resource}`).toBe(true);
          }
        }
      }
    });
  }

  it("denies each machine the same requests on another use case's job role, machines, results and transfers", async () => {
    const byUseCase = new Map<string, Machine[]>();
    for (const m of example.machines) byUseCase.set(m.useCase, [...(byUseCase.get(m.useCase) ?? []), m]);
    let asked = 0;
    for (const m of example.machines) {
      const mine = new Set(tasks(m.definition).flatMap((t) => requestsOf(t, m)).map((r) => `${r.action} ${r.resource}`));
      for (const [useCase, others] of byUseCase) {
        if (useCase === m.useCase) continue;
        for (const o of others) {
          for (const r of tasks(o.definition).flatMap((t) => requestsOf(t, o))) {
            // Shared by design: the platform's EMR application, topic, metric namespace and the managed rule.
            if (mine.has(`${r.action} ${r.resource}`) || /^(emr-serverless|events|sns|cloudwatch):/.test(r.action)) continue;
            expect(await allows(m.statements, r.action, r.resource, r.context), `${m.workflow.name} → ${o.workflow.name}: ${r.action} on ${r.resource}`).toBe(false);
            asked++;
          }
        }
      }
    }
    expect(asked).toBeGreaterThan(100);
  });
});

/** The statements, resolved, of the platform stack's policy that holds the statement `sid`. */
function platformPolicy(sid: string): ResolvedStatement[] {
  const { s, resolver, manifest } = example;
  const stack = `${manifest.platform.prefix}-platform`;
  const policy = resourcesOfType(s, 'AWS::IAM::Policy').find((p) => p.stack === stack && p.props.PolicyDocument.Statement.some((st: { Sid?: string }) => st.Sid === sid))!;
  return resolver.resolve(policy.props.PolicyDocument.Statement, s.json.get(stack)!) as ResolvedStatement[];
}

/** A synthesized resource's tags, by key. */
const tagsOf = (props: Record<string, any>) => new Map((props.Tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]));

describe("the platform's roles start the workflows of this platform only", () => {
  // `<prefix>-*` also names the machines of a platform whose prefix starts with `<prefix>-`: the example's dev
  // environment (`acme-dev`, specs/platform.dev.yaml) shares production's account and region.
  it.each(['StartScheduledRuns', 'StartRuns', 'StartDownstreams'])("%s: every workflow machine of the example, none of a platform named '<prefix>-dev'", async (sid) => {
    const prefix = example.manifest.platform.prefix;
    const statements = platformPolicy(sid);
    for (const m of example.machines) {
      const tags = tagsOf(stateMachineResource(example.s, m.workflow.stateMachineName).props);
      expect(tags.get('lakestep:platform'), m.workflow.stateMachineName).toBe(prefix);
      expect(await allows(statements, 'states:StartExecution', m.arn, { 'aws:ResourceTag/lakestep:platform': prefix }), m.arn).toBe(true);
      const dev = m.arn.replace(`:stateMachine:${prefix}-`, `:stateMachine:${prefix}-dev-`);
      expect(await allows(statements, 'states:StartExecution', dev, { 'aws:ResourceTag/lakestep:platform': `${prefix}-dev` }), dev).toBe(false);
    }
  });
});

describe("EventBridge's role starts the dispatcher only", () => {
  it('starts the target of the status rule, and no workflow machine of this platform or of <prefix>-dev', async () => {
    const { s, resolver, manifest } = example;
    const prefix = manifest.platform.prefix;
    const stack = `${prefix}-platform`;
    const statements = platformPolicy('StartDispatcher');
    const rules = resourcesOfType(s, 'AWS::Events::Rule').filter((r) => r.stack === stack && r.props.EventPattern?.source?.includes('aws.states'));
    expect(rules).toHaveLength(1);
    const [target] = resolver.resolve(rules[0]!.props.Targets, s.json.get(stack)!) as { Arn: string; RoleArn: string }[];
    expect(target!.RoleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/${prefix}-events`);
    expect(await allows(statements, 'states:StartExecution', target!.Arn)).toBe(true);
    for (const m of example.machines) {
      expect(await allows(statements, 'states:StartExecution', m.arn), m.arn).toBe(false);
      expect(await allows(statements, 'states:StartExecution', m.arn.replace(`:stateMachine:${prefix}-`, `:stateMachine:${prefix}-dev-`))).toBe(false);
    }
    expect(await allows(statements, 'states:StartExecution', target!.Arn.replace(`:stateMachine:${prefix}-`, `:stateMachine:${prefix}-dev-`))).toBe(false);
  });
});

describe('hostile inputs (test/golden/hostile-inputs): the roles of the use cases that compile', () => {
  let hostile: ReturnType<typeof machines>;
  beforeAll(() => {
    hostile = machines(readSpecs(join(GOLDEN, 'hostile-inputs', 'specs')));
  }, 300_000);

  it('allow every request of their definitions and bound every computed key by literal text free of wildcards', async () => {
    expect(hostile.machines.length).toBeGreaterThanOrEqual(2);
    for (const m of hostile.machines) {
      for (const r of itemRequests(m.definition)) {
        for (const key of keysOf(r, m.workflow)) expect(await allows(m.statements, r.action, tableArn(r.table), { 'dynamodb:LeadingKeys': [key] }), `${m.workflow.name} ${r.state}`).toBe(true);
      }
      for (const t of tasks(m.definition)) for (const r of requestsOf(t, m)) expect(await allows(m.statements, r.action, r.resource, r.context), `${m.workflow.name} ${t.name} ${r.action}`).toBe(true);
      for (const st of m.statements) {
        const like = (st.Condition as Record<string, Record<string, string[]>> | undefined)?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? [];
        for (const pattern of like) expect(pattern, m.workflow.name).toMatch(/^[a-z]+\/[a-z0-9_.]*\*$/);
      }
    }
  });

  it("reach no other workflow's run records or watermarks", async () => {
    await expectOwnItemsOnly(hostile);
  });
});

describe("the dispatcher notifies the topics of this platform only", () => {
  it("publishes to the platform topic and to every dag topic of the example, none of a platform named '<prefix>-dev'", async () => {
    const prefix = example.manifest.platform.prefix;
    const stack = `${prefix}-platform`;
    const statements = platformPolicy('NotifyDags');
    const topics = resourcesOfType(example.s, 'AWS::SNS::Topic').filter((t) => t.stack !== stack);
    expect(topics.length).toBeGreaterThan(0);
    for (const t of topics) {
      const tags = tagsOf(t.props);
      expect(tags.get('lakestep:platform'), t.props.TopicName).toBe(prefix);
      const arn = `arn:aws:sns:${REGION}:${ACCOUNT}:${t.props.TopicName}`;
      expect(await allows(statements, 'sns:Publish', arn, { 'aws:ResourceTag/lakestep:platform': prefix }), arn).toBe(true);
      const dev = arn.replace(`:${prefix}-`, `:${prefix}-dev-`);
      expect(await allows(statements, 'sns:Publish', dev, { 'aws:ResourceTag/lakestep:platform': `${prefix}-dev` }), dev).toBe(false);
    }
    const platformTopic = resourcesOfType(example.s, 'AWS::SNS::Topic').find((t) => t.stack === stack)!;
    expect(await allows(statements, 'sns:Publish', `arn:aws:sns:${REGION}:${ACCOUNT}:${platformTopic.props.TopicName}`)).toBe(true);
  });
});
