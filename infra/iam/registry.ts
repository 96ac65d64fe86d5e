/**
 * Task resource ARN → the IAM statements a state machine's role needs to call it.
 * One entry per service integration lakestep emits; a definition with any other
 * resource fails synth ({@link UnknownTaskResourceError}).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-integration-iam-templates.html
 */
import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { PlatformResources } from '../platform/platform-stack.ts';
import type { Substitutions } from '../usecase/placeholders.ts';
import { normalizeResource, staticParameter, type TaskStateRef } from './task-states.ts';
import { DATASYNC_TASKS_LISTED_MAX } from '../../src/build/types.ts';
import { TABLE_KEYS, type TableKind } from '../../src/build/platform-tables.ts';

/** Tag infra puts on every resource of a use case stack; shared DataSync tasks past the listed maximum are granted by it. */
export const USE_CASE_TAG = 'lakestep:use-case';

/** What an entry can use to scope its statements. */
export interface TaskContext {
  state: TaskStateRef;
  platform: PlatformResources;
  substitutions: Substitutions;
  /** Every DataSync task the workflow may start (used when `TaskArn` is computed at run time). */
  datasyncTaskArns: string[];
  /** Name of the state machine the task belongs to (a task may start its own machine). */
  stateMachineName?: string;
  /** The workflow's use case: the tag value of its DataSync tasks past {@link DATASYNC_TASKS_LISTED_MAX}. */
  useCase?: string;
  /** The machine a watch machine watches: the only one whose executions it may describe. */
  watches?: string;
}

export type TaskPermissions = (ctx: TaskContext) => iam.PolicyStatement[];

/** Managed rule Step Functions creates for `.sync` EMR Serverless job runs. */
export const EMR_SERVERLESS_SYNC_RULE = 'StepFunctionsGetEventsForEMRServerlessJobRule';

export class UnknownTaskResourceError extends Error {
  override readonly name = 'UnknownTaskResourceError';
}

const arn = (service: string, resource: string): string =>
  `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;

function application(ctx: TaskContext): string {
  return arn('emr-serverless', `/applications/${ctx.platform.emrApplication.attrApplicationId}`);
}

/** `iam:PassRole` on exactly the `ExecutionRoleArn` of the task: the use case's Spark job role. */
function passJobRole(ctx: TaskContext): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['iam:PassRole'],
    resources: [requireStatic(ctx, 'ExecutionRoleArn')],
    conditions: { StringEquals: { 'iam:PassedToService': 'emr-serverless.amazonaws.com' } },
  });
}

/** A required static parameter, resolved; computed values cannot be scoped, so they fail synth. */
function requireStatic(ctx: TaskContext, name: string): string {
  const value = staticParameter(ctx.state.parameters, name);
  if (value === undefined) {
    throw new UnknownTaskResourceError(
      `${ctx.state.path}: ${ctx.state.resource} needs a static "${name}" to scope its permission`,
    );
  }
  return ctx.substitutions.resolve(value, ctx.state.path);
}

/** Table parameters that name a platform table get its ARN; other names are scoped by name. */
const PLATFORM_TABLES = { '${RunsTable}': 'runs', '${WatermarksTable}': 'watermarks', '${GatesTable}': 'gates' } as const;

/**
 * Which partition keys a DynamoDB task can touch, for `dynamodb:LeadingKeys`: the value of a static key
 * (`{"S": "orders/orders-upserts"}`), a pattern for one a `States.Format` computes from a literal text (each
 * `{}` a `*`: `published/*`), or undefined when the key is computed otherwise and cannot be bounded.
 */
function partitionKeyBound(parameters: Record<string, unknown>, action: string, table: TableKind, path: string): { value: string; pattern: boolean } | undefined {
  const holder = (action === 'PutItem' ? parameters.Item : parameters.Key) as Record<string, Record<string, unknown>> | undefined;
  const attribute = holder?.[TABLE_KEYS[table][0]];
  if (typeof attribute?.S === 'string') return attribute.S.includes('${') ? undefined : { value: attribute.S, pattern: false };
  const text = formatText(attribute?.['S.$']);
  if (text === undefined) return undefined;
  literalOnly(text, `${path}: a DynamoDB key`);
  const value = text.map((part) => part ?? '*').join('');
  return value === '*' ? undefined : { value, pattern: true };
}

/** Where result files are: s3://<artifacts>/lakestep/results/<use case>/<dag>/… */
const RESULTS = 'lakestep/results/';

/**
 * The literal text of a `States.Format('<text>', …)` expression, in parts: a string for each run of literal
 * characters (`\` escapes the next one, as in every intrinsic's string), `null` for each `{}`, an argument's
 * place. Undefined for any other expression.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-generic
 */
function formatText(expr: unknown): (string | null)[] | undefined {
  if (typeof expr !== 'string') return undefined;
  const format = /^States\.Format\(\s*'((?:[^'\\]|\\.)*)'\s*(?:,|\))/.exec(expr);
  if (!format) return undefined;
  return format[1]!.split(/(\\.|\{\})/).filter((p) => p !== '').map((p) => (p === '{}' ? null : p.startsWith('\\') ? p.slice(1) : p));
}

/**
 * IAM reads `*` and `?` in a pattern as wildcards, and has no escape for them: a Format's literal text holding
 * one would grant more than its keys. Names in specs never hold them (their schemas), so this only fails synth
 * when something else put one there.
 */
function literalOnly(text: (string | null)[], what: string): void {
  const wild = text.find((part) => part !== null && /[*?]/.test(part));
  if (wild !== undefined) throw new UnknownTaskResourceError(`${what} computed from the text "${wild}" holds an IAM wildcard (* or ?), which its permission cannot name exactly`);
}

/** A `States.Format`'s literal text before its first `{}`; undefined for any other expression. */
function formatPrefix(expr: unknown, path: string): string | undefined {
  const text = formatText(expr);
  if (text === undefined) return undefined;
  literalOnly(text, `${path}: an S3 key`);
  const first = text.indexOf(null);
  return (first < 0 ? text : text.slice(0, first)).join('');
}

/**
 * DynamoDB items a state machine reads or writes, by partition key: a statement from one task names its
 * table and, for a platform table, the key it uses (`ForAllValues:StringEquals` on `dynamodb:LeadingKeys`,
 * `StringLike` for a pattern); {@link permissionsForTasks} merges those of one action and table. A run can
 * then write its own run records and watermarks only, whatever its state data holds.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 */
function dynamodb(action: string): TaskPermissions {
  return (ctx) => {
    const name = staticParameter(ctx.state.parameters, 'TableName') as keyof typeof PLATFORM_TABLES | undefined;
    const kind = name === undefined ? undefined : PLATFORM_TABLES[name];
    const tableArn = kind ? ctx.platform.tables[kind].tableArn : arn('dynamodb', `table/${requireStatic(ctx, 'TableName')}`);
    const key = kind ? partitionKeyBound(ctx.state.parameters, action, kind, ctx.state.path) : undefined;
    // Bounded by its own key already; permissionsForTasks merges it with the others of its action and table.
    const statement = itemStatement(`dynamodb:${action}`, tableArn, key && { values: [key.value], pattern: key.pattern });
    itemAccess.set(statement, { action: `dynamodb:${action}`, table: tableArn, key });
    return [statement];
  };
}

/** `action` on `table`, on the items of these partition keys (values, or patterns) when given. */
function itemStatement(action: string, table: string, keys?: { values: string[]; pattern: boolean }): iam.PolicyStatement {
  const conditions = keys && { [keys.pattern ? 'ForAllValues:StringLike' : 'ForAllValues:StringEquals']: { 'dynamodb:LeadingKeys': keys.values } };
  return new iam.PolicyStatement({ actions: [action], resources: [table], ...(conditions ? { conditions } : {}) });
}

/** What a DynamoDB statement of one task grants: its action, its table and its partition key, when bounded. */
const itemAccess = new WeakMap<iam.PolicyStatement, { action: string; table: string; key: { value: string; pattern: boolean } | undefined }>();

/** One statement per action and table, with every key its tasks use; none when one of them cannot be bounded. */
function mergeItemAccess(stack: Stack, statements: iam.PolicyStatement[]): iam.PolicyStatement[] {
  const groups = new Map<string, { action: string; table: string; exact: Set<string>; patterns: Set<string>; unbounded: boolean }>();
  const out: iam.PolicyStatement[] = [];
  for (const s of statements) {
    const access = itemAccess.get(s);
    if (!access) {
      out.push(s);
      continue;
    }
    const id = `${access.action}\0${JSON.stringify(stack.resolve(access.table))}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { action: access.action, table: access.table, exact: new Set(), patterns: new Set(), unbounded: false }));
    if (access.key === undefined) g.unbounded = true;
    else (access.key.pattern ? g.patterns : g.exact).add(access.key.value);
  }
  for (const g of groups.values()) {
    if (g.unbounded) {
      out.push(itemStatement(g.action, g.table));
      continue;
    }
    if (g.exact.size > 0) out.push(itemStatement(g.action, g.table, { values: [...g.exact].sort(), pattern: false }));
    if (g.patterns.size > 0) out.push(itemStatement(g.action, g.table, { values: [...g.patterns].sort(), pattern: true }));
  }
  return out;
}

/** The machine a `startExecution` task starts: a static ARN, or its own (`$$.StateMachine.Id`: a run restarted under its canonical name). */
function startedMachine(ctx: TaskContext): string {
  if (ctx.state.parameters['StateMachineArn.$'] === '$$.StateMachine.Id' && ctx.stateMachineName !== undefined) {
    return arn('states', `stateMachine:${ctx.stateMachineName}`);
  }
  return requireStatic(ctx, 'StateMachineArn');
}

/**
 * Starting and polling a workflow's transfers, in one statement for both
 * actions: `<task ARN>*` names a task and its executions (`<task ARN>/execution/…`;
 * task ids have a fixed length, so no other task matches), once per distinct task.
 * Past {@link DATASYNC_TASKS_LISTED_MAX} tasks, by tag instead of by name.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsdatasync.html
 */
function datasyncStatements(ctx: TaskContext): iam.PolicyStatement[] {
  const value = staticParameter(ctx.state.parameters, 'TaskArn');
  const tasks = value !== undefined ? [ctx.substitutions.resolve(value, ctx.state.path)] : [...new Set(ctx.datasyncTaskArns)];
  if (tasks.length === 0) throw new UnknownTaskResourceError(`${ctx.state.path}: computed TaskArn but the workflow lists no DataSync task`);
  const actions = ['datasync:StartTaskExecution', 'datasync:DescribeTaskExecution'];
  if (tasks.length <= DATASYNC_TASKS_LISTED_MAX || ctx.useCase === undefined) return [new iam.PolicyStatement({ actions, resources: tasks.map((t) => `${t}*`) })];
  return [
    new iam.PolicyStatement({
      actions: ['datasync:StartTaskExecution'],
      resources: [arn('datasync', 'task/*')],
      conditions: { StringEquals: { [`aws:ResourceTag/${USE_CASE_TAG}`]: ctx.useCase } },
    }),
    // Executions carry no tags of their own: reading their status is allowed for any.
    new iam.PolicyStatement({ actions: ['datasync:DescribeTaskExecution'], resources: [arn('datasync', 'task/*/execution/*')] }),
  ];
}

export const TASK_PERMISSIONS: Record<string, TaskPermissions> = {
  /** @see https://docs.aws.amazon.com/step-functions/latest/dg/emr-serverless-iam.html */
  'arn:aws:states:::emr-serverless:startJobRun.sync': (ctx) => [
    new iam.PolicyStatement({
      actions: ['emr-serverless:StartJobRun', 'emr-serverless:GetJobRun', 'emr-serverless:CancelJobRun'],
      resources: [application(ctx), `${application(ctx)}/jobruns/*`],
    }),
    new iam.PolicyStatement({
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      resources: [arn('events', `rule/${EMR_SERVERLESS_SYNC_RULE}`)],
    }),
    passJobRole(ctx),
  ],
  /** Streaming jobs (`Mode` needs the SDK integration): fire and forget. @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_StartJobRun.html */
  'arn:aws:states:::aws-sdk:emrserverless:startJobRun': (ctx) => [
    new iam.PolicyStatement({ actions: ['emr-serverless:StartJobRun'], resources: [application(ctx)] }),
    passJobRole(ctx),
  ],
  /**
   * A watch machine reads the status of the run it watches, whose ARN comes in its input: the executions of
   * the machine it watches only (`execution:<machine>:<name>`), never another's, its input and output included.
   * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
   */
  'arn:aws:states:::aws-sdk:sfn:describeExecution': (ctx) => {
    if (ctx.watches === undefined) {
      throw new UnknownTaskResourceError(`${ctx.state.path}: states:DescribeExecution is granted to watch machines only, on the machine they watch (infra/iam/registry.ts)`);
    }
    return [new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [arn('states', `execution:${ctx.watches}:*`)] })];
  },
  /**
   * The gate of a dag with `max_active_runs` (src/asl/gate.ts) lists the running executions of its own machine
   * (`StateMachineArn` from `$$.StateMachine.Id`): `states:ListExecutions` on that machine only.
   * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
   */
  'arn:aws:states:::aws-sdk:sfn:listExecutions': (ctx) => {
    if (ctx.state.parameters['StateMachineArn.$'] !== '$$.StateMachine.Id' || ctx.stateMachineName === undefined) {
      throw new UnknownTaskResourceError(`${ctx.state.path}: states:ListExecutions is granted on the machine's own executions only ("StateMachineArn.$": "$$.StateMachine.Id")`);
    }
    return [new iam.PolicyStatement({ actions: ['states:ListExecutions'], resources: [arn('states', `stateMachine:${ctx.stateMachineName}`)] })];
  },
  /** @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_ListJobRuns.html */
  'arn:aws:states:::aws-sdk:emrserverless:listJobRuns': (ctx) => [
    new iam.PolicyStatement({ actions: ['emr-serverless:ListJobRuns'], resources: [application(ctx)] }),
  ],
  /** @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_GetJobRun.html */
  'arn:aws:states:::aws-sdk:emrserverless:getJobRun': (ctx) => [
    new iam.PolicyStatement({ actions: ['emr-serverless:GetJobRun'], resources: [`${application(ctx)}/jobruns/*`] }),
  ],
  /** @see https://docs.aws.amazon.com/datasync/latest/userguide/iam-policies.html */
  'arn:aws:states:::aws-sdk:datasync:startTaskExecution': datasyncStatements,
  /** Execution ARNs are `<task ARN>/execution/<id>`: the same statement as the start. */
  'arn:aws:states:::aws-sdk:datasync:describeTaskExecution': (ctx) =>
    ctx.datasyncTaskArns.length > 0 ? datasyncStatements(ctx) : [new iam.PolicyStatement({ actions: ['datasync:DescribeTaskExecution'], resources: [arn('datasync', 'task/*/execution/*')] })],
  /** @see https://docs.aws.amazon.com/step-functions/latest/dg/dynamo-iam.html */
  'arn:aws:states:::dynamodb:getItem': dynamodb('GetItem'),
  'arn:aws:states:::dynamodb:putItem': dynamodb('PutItem'),
  'arn:aws:states:::dynamodb:updateItem': dynamodb('UpdateItem'),
  /**
   * Result files of the Spark jobs only: `Bucket` must be the artifacts bucket; a static `Key` must be under
   * `lakestep/results/`, and is read alone; a key a `States.Format` computes is read under its literal text up
   * to the first `{}` (`lakestep/results/<use case>/<dag>/*`: its own workflow's results, no other's).
   */
  'arn:aws:states:::aws-sdk:s3:getObject': (ctx) => {
    const bucket = staticParameter(ctx.state.parameters, 'Bucket');
    const key = staticParameter(ctx.state.parameters, 'Key');
    if (bucket !== '${ArtifactsBucket}' || (key !== undefined && !key.startsWith(RESULTS))) {
      throw new UnknownTaskResourceError(
        `${ctx.state.path}: s3:getObject may only read s3://\${ArtifactsBucket}/lakestep/results/ (Bucket "\${ArtifactsBucket}", Key under lakestep/results/)`,
      );
    }
    const computed = key === undefined ? formatPrefix(ctx.state.parameters['Key.$'], ctx.state.path) : undefined;
    const objects = key ?? (computed?.startsWith(RESULTS) ? `${computed}*` : `${RESULTS}*`);
    return [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [ctx.platform.buckets.artifacts.arnForObjects(objects)] })];
  },
  /** @see https://docs.aws.amazon.com/step-functions/latest/dg/stepfunctions-iam.html */
  'arn:aws:states:::states:startExecution': (ctx) => [
    new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [startedMachine(ctx)] }),
  ],
  /** @see https://docs.aws.amazon.com/step-functions/latest/dg/sns-iam.html */
  'arn:aws:states:::sns:publish': (ctx) => [
    new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [requireStatic(ctx, 'TopicArn')] }),
  ],
  /**
   * PutMetricData has no resource-level permissions; the `cloudwatch:namespace` condition
   * keeps the workflows to the `Lakestep` namespace the freshness alarms watch.
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html
   */
  'arn:aws:states:::aws-sdk:cloudwatch:putMetricData': (ctx) => {
    const namespace = staticParameter(ctx.state.parameters, 'Namespace');
    if (namespace === undefined) throw new UnknownTaskResourceError(`${ctx.state.path}: cloudwatch:putMetricData needs a static Namespace`);
    return [
      new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': namespace } } }),
    ];
  },
  /**
   * Create (or update) the optimizers of one table: the catalog, its database and the table
   * itself, and pass exactly the role its configuration names, to Glue only.
   * @see https://docs.aws.amazon.com/glue/latest/dg/optimization-prerequisites.html
   */
  'arn:aws:states:::aws-sdk:glue:createTableOptimizer': (ctx) => {
    const database = requireStatic(ctx, 'DatabaseName');
    const table = requireStatic(ctx, 'TableName');
    const config = ctx.state.parameters.TableOptimizerConfiguration as Record<string, unknown> | undefined;
    const role = config === undefined ? undefined : staticParameter(config, 'roleArn');
    if (role === undefined) throw new UnknownTaskResourceError(`${ctx.state.path}: glue:createTableOptimizer needs a static TableOptimizerConfiguration.roleArn to scope iam:PassRole`);
    return [
      new iam.PolicyStatement({
        actions: ['glue:CreateTableOptimizer', 'glue:UpdateTableOptimizer'],
        resources: [arn('glue', 'catalog'), arn('glue', `database/${database}`), arn('glue', `table/${database}/${table}`)],
      }),
      new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [ctx.substitutions.resolve(role, ctx.state.path)], conditions: { StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } } }),
    ];
  },
};

/**
 * What a state machine with a Distributed Map needs besides its task states: start
 * its own child executions, and describe and stop them (the map run's executions
 * are named `execution:<machine>/<map run label>:<id>`; its own `execution:<machine>:<id>`).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
 */
export function distributedMapStatements(stateMachineName: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [arn('states', `stateMachine:${stateMachineName}`)] }),
    new iam.PolicyStatement({
      actions: ['states:DescribeExecution', 'states:StopExecution'],
      resources: [arn('states', `execution:${stateMachineName}:*`), arn('states', `execution:${stateMachineName}/*`)],
    }),
  ];
}

/** Statements for one Task state; throws for a resource the registry does not know. */
export function taskPermissions(ctx: TaskContext): iam.PolicyStatement[] {
  const entry = TASK_PERMISSIONS[normalizeResource(ctx.state.resource)];
  if (!entry) {
    throw new UnknownTaskResourceError(
      `${ctx.state.path}: no IAM permissions known for task resource ${ctx.state.resource} (add it to infra/iam/registry.ts)`,
    );
  }
  return entry(ctx);
}

/** Statements for many Task states, without duplicates. */
export function permissionsForTasks(stack: Stack, contexts: TaskContext[]): iam.PolicyStatement[] {
  const seen = new Map<string, iam.PolicyStatement>();
  for (const s of mergeItemAccess(stack, contexts.flatMap(taskPermissions))) {
    const key = JSON.stringify(stack.resolve(s.toStatementJson()));
    if (!seen.has(key)) seen.set(key, s);
  }
  return [...seen.values()];
}
