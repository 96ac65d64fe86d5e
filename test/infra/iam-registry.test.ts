import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { permissionsForTasks, TASK_PERMISSIONS, type TaskContext, UnknownTaskResourceError } from '../../infra/iam/registry.ts';
import { collectTaskStates } from '../../infra/iam/task-states.ts';
import { appContext } from '../../infra/app.ts';
import { PlatformStack } from '../../infra/platform/platform-stack.ts';
import { platformSubstitutions, Substitutions } from '../../infra/usecase/placeholders.ts';
import { DATASYNC_TASKS_LISTED_MAX } from '../../src/build/types.ts';
import { MIGRATION_ASL, PLATFORM, STREAMING_ASL } from './fixture.ts';

const app = new App({ context: appContext() });
const platform = new PlatformStack(app, 'p', { platform: PLATFORM, sparkDir: '/nonexistent' }).resources;
const stack = new Stack(app, 'u');
const ROLE = 'arn:aws:iam::123456789012:role/acme-orders-spark';
const subs = new Substitutions({ ...platformSubstitutions(platform, ROLE), DataSyncTaskX: 'arn:aws:datasync:eu-west-1:1:task/task-x' }, 'test');

function grant(resource: string, parameters: Record<string, unknown> = {}, datasyncTaskArns: string[] = [], useCase?: string, watches?: string, stateMachineName?: string) {
  const ctx: TaskContext = {
    state: { path: 'S', resource, parameters },
    platform,
    substitutions: subs,
    datasyncTaskArns,
    ...(useCase ? { useCase } : {}),
    ...(watches ? { watches } : {}),
    ...(stateMachineName ? { stateMachineName } : {}),
  };
  return permissionsForTasks(stack, [ctx]).map((s) => stack.resolve(s.toStatementJson()));
}

const text = (v: unknown) => JSON.stringify(v);

/** given a Task resource (and parameters) → want these actions, with these fragments in the resources. */
/** `condition`: an action without resource-level permissions, on `*` under this condition. */
const CASES: Array<{ resource: string; parameters?: Record<string, unknown>; tasks?: string[]; watches?: string; machine?: string; actions: string[]; resourceHas: string[]; condition?: Record<string, unknown> }> = [
  {
    resource: 'arn:aws:states:::emr-serverless:startJobRun.sync',
    parameters: { ExecutionRoleArn: '${SparkJobRoleArn}' },
    actions: ['emr-serverless:CancelJobRun', 'emr-serverless:GetJobRun', 'emr-serverless:StartJobRun', 'events:DescribeRule', 'events:PutRule', 'events:PutTargets', 'iam:PassRole'],
    resourceHas: ['/jobruns/*', 'rule/StepFunctionsGetEventsForEMRServerlessJobRule', ROLE, 'emr-serverless.amazonaws.com'],
  },
  {
    resource: 'arn:aws:states:::aws-sdk:emrserverless:startJobRun',
    parameters: { ExecutionRoleArn: '${SparkJobRoleArn}' },
    actions: ['emr-serverless:StartJobRun', 'iam:PassRole'],
    resourceHas: [':/applications/', 'iam:PassedToService', ROLE],
  },
  { resource: 'arn:aws:states:::aws-sdk:emrserverless:listJobRuns', actions: ['emr-serverless:ListJobRuns'], resourceHas: [':/applications/'] },
  { resource: 'arn:aws:states:::aws-sdk:emrserverless:getJobRun', actions: ['emr-serverless:GetJobRun'], resourceHas: ['/jobruns/*'] },
  {
    resource: 'arn:aws:states:::aws-sdk:datasync:startTaskExecution',
    parameters: { TaskArn: '${DataSyncTaskX}' },
    actions: ['datasync:DescribeTaskExecution', 'datasync:StartTaskExecution'],
    resourceHas: ['DataSyncTaskX', 'task/task-x', '"*"'],
  },
  {
    resource: 'arn:aws:states:::aws-sdk:datasync:describeTaskExecution',
    tasks: ['arn:aws:datasync:eu-west-1:1:task/task-y'],
    actions: ['datasync:DescribeTaskExecution', 'datasync:StartTaskExecution'],
    resourceHas: ['task/task-y*'],
  },
  { resource: 'arn:aws:states:::dynamodb:getItem', parameters: { TableName: '${WatermarksTable}' }, actions: ['dynamodb:GetItem'], resourceHas: ['TablesWatermarks'] },
  { resource: 'arn:aws:states:::dynamodb:putItem', parameters: { TableName: '${RunsTable}' }, actions: ['dynamodb:PutItem'], resourceHas: ['TablesRuns'] },
  { resource: 'arn:aws:states:::dynamodb:updateItem', parameters: { TableName: '${GatesTable}' }, actions: ['dynamodb:UpdateItem'], resourceHas: ['TablesGates'] },
  { resource: 'arn:aws:states:::aws-sdk:s3:getObject', parameters: { Bucket: '${ArtifactsBucket}' }, actions: ['s3:GetObject'], resourceHas: ['/lakestep/results/*'] },
  {
    resource: 'arn:aws:states:::states:startExecution',
    parameters: { StateMachineArn: 'arn:${Partition}:states:${Region}:${Account}:stateMachine:acme-x' },
    actions: ['states:StartExecution'],
    resourceHas: [':stateMachine:acme-x'],
  },
  { resource: 'arn:aws:states:::aws-sdk:sfn:describeExecution', watches: 'acme-x', actions: ['states:DescribeExecution'], resourceHas: [':execution:acme-x:*'] },
  {
    resource: 'arn:aws:states:::aws-sdk:sfn:listExecutions',
    parameters: { 'StateMachineArn.$': '$$.StateMachine.Id', StatusFilter: 'RUNNING' },
    machine: 'acme-orders-orders-upserts',
    actions: ['states:ListExecutions'],
    resourceHas: [':stateMachine:acme-orders-orders-upserts"'],
  },
  { resource: 'arn:aws:states:::sns:publish', parameters: { TopicArn: '${NotificationTopicArn}' }, actions: ['sns:Publish'], resourceHas: ['Notifications'] },
  {
    resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
    parameters: { Namespace: 'Lakestep' },
    actions: ['cloudwatch:PutMetricData'],
    resourceHas: [],
    condition: { StringEquals: { 'cloudwatch:namespace': 'Lakestep' } },
  },
  {
    resource: 'arn:aws:states:::aws-sdk:glue:createTableOptimizer',
    parameters: { DatabaseName: 'raw', TableName: 'orders', Type: 'retention', TableOptimizerConfiguration: { roleArn: 'arn:aws:iam::1:role/opt', enabled: true } },
    actions: ['glue:CreateTableOptimizer', 'glue:UpdateTableOptimizer', 'iam:PassRole'],
    resourceHas: [':catalog', ':database/raw', ':table/raw/orders', 'arn:aws:iam::1:role/opt', '"iam:PassedToService":"glue.amazonaws.com"'],
  },
];

describe('IAM registry', () => {
  it('has one case here per registry entry', () => {
    expect(CASES.map((c) => c.resource).sort()).toEqual(Object.keys(TASK_PERMISSIONS).sort());
  });

  for (const c of CASES) {
    it(c.resource, () => {
      const statements = grant(c.resource, c.parameters, c.tasks, undefined, c.watches, c.machine);
      expect(statements.flatMap((s) => [s.Action].flat()).sort()).toEqual(c.actions);
      for (const s of statements) {
        if (c.condition) expect(s.Condition).toEqual(c.condition);
        else expect([s.Resource].flat()).not.toContain('*');
      }
      for (const fragment of c.resourceHas) expect(text(statements)).toContain(fragment);
    });
  }

  it('accepts the ${Partition} spelling of integration ARNs', () => {
    expect(grant('arn:${Partition}:states:::sns:publish', { TopicArn: '${NotificationTopicArn}' })[0]!.Action).toBe('sns:Publish');
  });

  it('scopes a computed DataSync TaskArn to the workflow tasks, each named once for starting and polling it', () => {
    const start = grant('arn:aws:states:::aws-sdk:datasync:startTaskExecution', { 'TaskArn.$': '$.task_arn' }, ['arn:t1', 'arn:t2', 'arn:t1']);
    expect(start).toEqual([{ Effect: 'Allow', Action: ['datasync:StartTaskExecution', 'datasync:DescribeTaskExecution'], Resource: ['arn:t1*', 'arn:t2*'] }]);
    // The poll's statement is the same one, so a role holds it once (permissionsForTasks drops duplicates).
    const ctx = (resource: string): TaskContext => ({ state: { path: 'S', resource, parameters: { 'TaskArn.$': '$.t' } }, platform, substitutions: subs, datasyncTaskArns: ['arn:t1'] });
    expect(permissionsForTasks(stack, [ctx('arn:aws:states:::aws-sdk:datasync:startTaskExecution'), ctx('arn:aws:states:::aws-sdk:datasync:describeTaskExecution')])).toHaveLength(1);
  });

  it(`grants past ${DATASYNC_TASKS_LISTED_MAX} tasks by the use-case tag instead of naming each one`, () => {
    const tasks = Array.from({ length: DATASYNC_TASKS_LISTED_MAX + 1 }, (_, i) => `arn:aws:datasync:eu-west-1:1:task/task-${String(i).padStart(17, '0')}`);
    const st = grant('arn:aws:states:::aws-sdk:datasync:startTaskExecution', { 'TaskArn.$': '$.t' }, tasks, 'orders');
    expect(text(st)).not.toContain('task-0000');
    const tail = (r: unknown) => (r as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].at(-1);
    expect(st.map((x) => [x.Action, tail(x.Resource), x.Condition])).toEqual([
      ['datasync:StartTaskExecution', ':task/*', { StringEquals: { 'aws:ResourceTag/lakestep:use-case': 'orders' } }],
      ['datasync:DescribeTaskExecution', ':task/*/execution/*', undefined],
    ]);
    expect(grant('arn:aws:states:::aws-sdk:datasync:startTaskExecution', { 'TaskArn.$': '$.t' }, tasks.slice(1), 'orders')[0]!.Resource).toHaveLength(DATASYNC_TASKS_LISTED_MAX);
  });

  it('grants describing executions to a watch machine only, on the machine it watches', () => {
    expect(() => grant('arn:aws:states:::aws-sdk:sfn:describeExecution', { 'ExecutionArn.$': '$.execution_arn' })).toThrow(/watch machines only/);
  });

  it("grants listing executions of the machine's own executions only (the gate of max_active_runs)", () => {
    // Another machine's ARN, one computed from the input, or no machine known: refused at synth.
    expect(() => grant('arn:aws:states:::aws-sdk:sfn:listExecutions', { StateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:acme-payments-x' }, [], undefined, undefined, 'acme-orders-x')).toThrow(/own executions only/);
    expect(() => grant('arn:aws:states:::aws-sdk:sfn:listExecutions', { 'StateMachineArn.$': '$.machine' }, [], undefined, undefined, 'acme-orders-x')).toThrow(/own executions only/);
    expect(() => grant('arn:aws:states:::aws-sdk:sfn:listExecutions', { 'StateMachineArn.$': '$$.StateMachine.Id' })).toThrow(/own executions only/);
  });

  it('fails for an unknown task resource', () => {
    expect(() => grant('arn:aws:states:::lambda:invoke')).toThrow(UnknownTaskResourceError);
    expect(() => grant('arn:aws:states:::lambda:invoke')).toThrow(/registry\.ts/);
  });

  it('refuses a metric namespace computed at run time', () => {
    expect(() => grant('arn:aws:states:::aws-sdk:cloudwatch:putMetricData', { 'Namespace.$': '$.ns' })).toThrow(/static Namespace/);
  });

  it('refuses a table optimizer role computed at run time', () => {
    const params = { DatabaseName: 'raw', TableName: 'orders', TableOptimizerConfiguration: { 'roleArn.$': '$.role' } };
    expect(() => grant('arn:aws:states:::aws-sdk:glue:createTableOptimizer', params)).toThrow(/static TableOptimizerConfiguration\.roleArn/);
  });

  it('fails when a scoping parameter is computed at run time', () => {
    expect(() => grant('arn:aws:states:::states:startExecution', { 'StateMachineArn.$': '$.arn' })).toThrow(/static "StateMachineArn"/);
  });

  it('passes exactly the role a job run names, and fails when it is computed', () => {
    const pass = grant('arn:aws:states:::aws-sdk:emrserverless:startJobRun', { ExecutionRoleArn: 'arn:aws:iam::1:role/other' }).find((s) => s.Action === 'iam:PassRole');
    expect(pass!.Resource).toBe('arn:aws:iam::1:role/other');
    expect(() => grant('arn:aws:states:::aws-sdk:emrserverless:startJobRun', { 'ExecutionRoleArn.$': '$.role' })).toThrow(/static "ExecutionRoleArn"/);
  });

  it('fails for an unknown placeholder in a parameter', () => {
    expect(() => grant('arn:aws:states:::sns:publish', { TopicArn: '${OtherTopic}' })).toThrow(/unknown placeholder \$\{OtherTopic\}/);
  });
});

describe('DynamoDB items by partition key (dynamodb:LeadingKeys)', () => {
  const put = (pk: unknown, table = '${RunsTable}') => ({ state: { path: 'S', resource: 'arn:aws:states:::dynamodb:putItem', parameters: { TableName: table, Item: { pk, sk: { 'S.$': '$.x' } } } }, platform, substitutions: subs, datasyncTaskArns: [] });
  const update = (pk: unknown) => ({ state: { path: 'S', resource: 'arn:aws:states:::dynamodb:updateItem', parameters: { TableName: '${WatermarksTable}', Key: { pk } } }, platform, substitutions: subs, datasyncTaskArns: [] });
  const json = (contexts: TaskContext[]) => permissionsForTasks(stack, contexts).map((st) => stack.resolve(st.toStatementJson()));

  it('bounds a static key exactly, and a States.Format by its literal text, one statement per action and table', () => {
    const got = json([put({ S: 'orders/orders-upserts' }), put({ S: 'orders/orders-upserts' }), update({ S: 'processing/orders/orders-upserts/w' }), update({ 'S.$': "States.Format('migration/raw_orders.{}', $.table.name)" }), update({ 'S.$': "States.Format('published/{}', $.table)" })]);
    expect(got.map((st) => [st.Action, st.Condition])).toEqual([
      ['dynamodb:PutItem', { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['orders/orders-upserts'] } }],
      ['dynamodb:UpdateItem', { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['processing/orders/orders-upserts/w'] } }],
      ['dynamodb:UpdateItem', { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['migration/raw_orders.*', 'published/*'] } }],
    ]);
  });

  it("reads a Format's escapes as Step Functions does, so a quote or brace of the text stays in the bound", () => {
    const [st] = json([update({ 'S.$': "States.Format('a\\'b\\{\\}c/{}', $.x)" })]);
    expect(st!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ["a'b{}c/*"] } });
  });

  it('leaves a key it cannot bound unconditioned, for that action and table only: a path, a bare {}, a placeholder, a table not of the platform', () => {
    for (const pk of [{ 'S.$': '$.route.key' }, { 'S.$': "States.Format('{}', $.x)" }, { S: '${Anything}' }, { 'S.$': 'States.Array($.x)' }, undefined]) {
      const got = json([update(pk), put({ S: 'orders/orders-upserts' })]);
      expect(got.find((st) => st.Action === 'dynamodb:UpdateItem')!.Condition, JSON.stringify(pk)).toBeUndefined();
      expect(got.find((st) => st.Action === 'dynamodb:PutItem')!.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['orders/orders-upserts'] } });
    }
    expect(json([put({ S: 'x' }, 'other-table')])[0]!.Condition).toBeUndefined();
  });

  it('fails synth when the literal text of a computed key holds an IAM wildcard, which no pattern can name exactly', () => {
    for (const pk of [{ 'S.$': "States.Format('published/*{}', $.x)" }, { 'S.$': "States.Format('a?b/{}', $.x)" }]) {
      expect(() => json([update(pk)]), JSON.stringify(pk)).toThrow(/S: a DynamoDB key computed from the text "[^"]+" holds an IAM wildcard/);
    }
    // A static key is named exactly (StringEquals reads no wildcard).
    expect(json([update({ S: 'processing/a*b' })])[0]!.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['processing/a*b'] } });
  });

  it('an unbounded key of one task widens that action on that table, never another', () => {
    const got = json([update({ 'S.$': '$.route.key' }), update({ S: 'processing/orders/orders-upserts/w' })]);
    expect(got).toHaveLength(1);
    expect(got[0]!.Condition).toBeUndefined();
  });
});

describe('result files (s3:getObject)', () => {
  const read = (parameters: Record<string, unknown>) =>
    text(permissionsForTasks(stack, [{ state: { path: 'S', resource: 'arn:aws:states:::aws-sdk:s3:getObject', parameters: { Bucket: '${ArtifactsBucket}', ...parameters } }, platform, substitutions: subs, datasyncTaskArns: [] }]).map((st) => stack.resolve(st.toStatementJson())));

  it("reads a computed key under its Format's literal text only: its own workflow's results", () => {
    expect(read({ 'Key.$': "States.Format('lakestep/results/orders/orders-upserts/{}/{}.json', $$.Execution.Name, $.job)" })).toContain('/lakestep/results/orders/orders-upserts/*"');
    expect(read({ Key: 'lakestep/results/orders/x.json' })).toContain('/lakestep/results/orders/x.json"');
  });

  it('falls back to every result file when the literal text leaves lakestep/results/ or the key is a path', () => {
    for (const key of ['$.key', "States.Format('{}', $.key)", "States.Format('lakestep/{}', $.key)"]) expect(read({ 'Key.$': key }), key).toContain('/lakestep/results/*"');
  });

  it('refuses a computed key whose literal text holds an IAM wildcard', () => {
    expect(() => read({ 'Key.$': "States.Format('lakestep/results/*/{}', $.x)" })).toThrow(/S: an S3 key computed from the text .* holds an IAM wildcard/);
  });

  it('refuses a static key outside lakestep/results/ and another bucket', () => {
    expect(() => read({ Key: 'lakestep/runtime/lakestep.zip' })).toThrow(UnknownTaskResourceError);
    expect(() => read({ Bucket: 'other', Key: 'lakestep/results/x' })).toThrow(UnknownTaskResourceError);
  });
});

describe('collectTaskStates', () => {
  it('walks Map ItemProcessor states', () => {
    const paths = collectTaskStates(MIGRATION_ASL).map((t) => t.path);
    expect(paths).toContain('Migrate tables/Start transfer');
    expect(paths).toContain('Migrate tables/Advance watermark');
    expect(paths).toContain('Create Iceberg tables');
  });

  it('walks Parallel branches', () => {
    expect(collectTaskStates(STREAMING_ASL).map((t) => t.resource)).toContain('arn:aws:states:::aws-sdk:emrserverless:getJobRun');
  });
});
