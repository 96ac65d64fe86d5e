/**
 * A hand-written build directory (DESIGN §4, §6) for the infra tests: two use
 * cases and one quarantined, covering every task integration the IAM registry knows.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Manifest, ManifestPlatform, ManifestWorkflow, RuleDefinition } from '../../src/build/types.ts';
import { routesPath, stateMachineArnPlaceholder, stateMachineName } from '../../src/naming.ts';
import { manifestWorkflow, writeManifest } from '../helpers/manifest.ts';

export const PREFIX = 'acme';

export const PLATFORM: ManifestPlatform = {
  prefix: PREFIX,
  region: 'eu-west-1',
  catalog: 'glue_catalog',
  buckets: {
    landing: 'acme-landing',
    raw: 'acme-raw',
    process: 'acme-process',
    analytics: 'acme-analytics',
    artifacts: 'acme-artifacts',
  },
  emr: { releaseLabel: 'emr-7.5.0', maxVcpu: 64, maxMemoryGb: 256, idleTimeoutMinutes: 15 },
  dynamodb: { watermarks: 'acme-watermarks', runs: 'acme-runs', gates: 'acme-gates' },
  notifications: { topicName: 'acme-notifications', emails: ['data-team@example.com'] },
  databaseOwners: {},
  governance: 'iam',
  tags: { 'cost-center': 'data-platform' },
};

const retry = [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 5, MaxAttempts: 2, BackoffRate: 2 }];
const catchFail = [{ ErrorEquals: ['States.ALL'], Next: 'Record failure', ResultPath: '$.error' }];

const runRecord = {
  'Record success': {
    Type: 'Task',
    Resource: 'arn:aws:states:::dynamodb:putItem',
    Parameters: { TableName: '${RunsTable}', Item: { pk: { 'S.$': '$$.StateMachine.Name' }, sk: { 'S.$': '$$.Execution.Name' } } },
    End: true,
  },
  'Record failure': {
    Type: 'Task',
    Resource: 'arn:aws:states:::dynamodb:putItem',
    Parameters: { TableName: '${RunsTable}', Item: { pk: { 'S.$': '$$.StateMachine.Name' }, sk: { 'S.$': '$$.Execution.Name' } } },
    Next: 'Failed',
  },
  Failed: { Type: 'Fail', Error: 'WorkflowFailed' },
};

function sparkTask(name: string, next: string, job: string): Record<string, unknown> {
  return {
    Type: 'Task',
    Comment: `${name} (orders/orchestration.yaml:12)`,
    Resource: 'arn:aws:states:::emr-serverless:startJobRun.sync',
    Parameters: {
      ApplicationId: '${EmrApplicationId}',
      ExecutionRoleArn: '${SparkJobRoleArn}',
      'ClientToken.$': 'States.UUID()',
      Name: name,
      JobDriver: {
        SparkSubmit: {
          EntryPoint: 's3://${ArtifactsBucket}/lakestep/runtime/lakestep_runtime.py',
          EntryPointArguments: ['--job', `s3://\${ArtifactsBucket}/lakestep/${job}`],
        },
      },
      ExecutionTimeoutMinutes: 60,
    },
    Retry: retry,
    Catch: catchFail,
    Next: next,
  };
}

/** Spark workflow: one EMR Serverless `.sync` job, then the run record. */
export const SPARK_ASL = {
  Comment: 'orders-daily-report',
  StartAt: 'Daily report',
  States: { 'Daily report': sparkTask('daily-report', 'Record success', 'orders/jobs/orders-daily-report/main.json'), ...runRecord },
};

/** Migration workflow: DDL, then a Map of DataSync transfers + conversion, watermarks. */
export const MIGRATION_ASL = {
  Comment: 'orders-migration',
  StartAt: 'Create Iceberg tables',
  States: {
    'Create Iceberg tables': sparkTask('ddl', 'Tables', 'orders/jobs/orders-migration/ddl.json'),
    Tables: {
      Type: 'Pass',
      Result: [
        { table: 'orders', task_arn: 'arn:aws:datasync:eu-west-1:123456789012:task/task-0abc' },
        { table: 'line_items', task_arn: '${DataSyncTaskOrdersLineItems}' },
      ],
      ResultPath: '$.tables',
      Next: 'Migrate tables',
    },
    'Migrate tables': {
      Type: 'Map',
      ItemsPath: '$.tables',
      MaxConcurrency: 4,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Start transfer',
        States: {
          'Start transfer': {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:datasync:startTaskExecution',
            Parameters: { 'TaskArn.$': '$.task_arn' },
            Next: 'Wait for transfer',
          },
          'Wait for transfer': { Type: 'Wait', Seconds: 30, Next: 'Describe transfer' },
          'Describe transfer': {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:datasync:describeTaskExecution',
            Parameters: { 'TaskExecutionArn.$': '$.TaskExecutionArn' },
            Next: 'Transfer done?',
          },
          'Transfer done?': {
            Type: 'Choice',
            Choices: [{ Variable: '$.Status', StringEquals: 'SUCCESS', Next: 'Convert' }],
            Default: 'Wait for transfer',
          },
          Convert: sparkTask('convert', 'Read result', 'orders/jobs/orders-migration/convert.json') as never,
          'Read result': {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
            Parameters: { Bucket: '${ArtifactsBucket}', 'Key.$': "States.Format('lakestep/results/{}.json', $$.Execution.Name)" },
            Next: 'Advance watermark',
          },
          'Advance watermark': {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:updateItem',
            Parameters: {
              TableName: '${WatermarksTable}',
              Key: { pk: { 'S.$': '$.table' } },
              UpdateExpression: 'SET #v = :v',
            },
            End: true,
          },
        },
      },
      Next: 'Record success',
    },
    ...runRecord,
  },
};
// The Map's Convert catch has no target inside the iterator; keep the fixture valid.
delete (MIGRATION_ASL.States['Migrate tables'].ItemProcessor.States.Convert as Record<string, unknown>).Catch;

/** Join machine (DESIGN §4.2): atomic ADD, then start the downstream once. */
export const GATE_ASL = {
  Comment: 'orders-upserts join',
  StartAt: 'Record upstream',
  States: {
    'Record upstream': {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: { TableName: '${GatesTable}', Key: { pk: { 'S.$': '$.run.ds' } }, UpdateExpression: 'ADD done :u', ReturnValues: 'ALL_NEW' },
      Next: 'All done?',
    },
    'All done?': { Type: 'Choice', Choices: [{ Variable: '$.complete', BooleanEquals: true, Next: 'Start downstream' }], Default: 'Wait' },
    'Start downstream': {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution',
      Parameters: {
        StateMachineArn: stateMachineArnPlaceholder(stateMachineName(PREFIX, 'orders', 'orders-upserts')),
        'Name.$': '$.run.execution_name',
        'Input.$': '$.run',
      },
      Catch: [{ ErrorEquals: ['StepFunctions.ExecutionAlreadyExistsException'], Next: 'Wait' }],
      End: true,
    },
    Wait: { Type: 'Succeed' },
  },
};

/** Processing workflow downstream of two dags. */
export const UPSERTS_ASL = {
  StartAt: 'Merge',
  States: { Merge: sparkTask('merge', 'Record success', 'orders/jobs/orders-upserts/merge.json'), ...runRecord },
};

/** Streaming ingestion: check no run is active, then start without `.sync`; notify. */
export const STREAMING_ASL = {
  StartAt: 'Running jobs',
  States: {
    'Running jobs': {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:emrserverless:listJobRuns',
      Parameters: { ApplicationId: '${EmrApplicationId}', States: ['RUNNING'] },
      Next: 'Inspect',
    },
    Inspect: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Get run',
          States: {
            'Get run': {
              Type: 'Task',
              Resource: 'arn:aws:states:::aws-sdk:emrserverless:getJobRun',
              Parameters: { ApplicationId: '${EmrApplicationId}', JobRunId: 'x' },
              End: true,
            },
          },
        },
      ],
      Next: 'Start stream',
    },
    'Start stream': {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:emrserverless:startJobRun',
      Parameters: {
        ApplicationId: '${EmrApplicationId}',
        ExecutionRoleArn: '${SparkJobRoleArn}',
        Name: 'events',
        Mode: 'STREAMING',
        JobDriver: { SparkSubmit: { EntryPoint: 's3://${ArtifactsBucket}/lakestep/runtime/lakestep_runtime.py' } },
      },
      Next: 'Notify',
    },
    Notify: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish',
      Parameters: { TopicArn: '${NotificationTopicArn}', Message: 'stream started' },
      End: true,
    },
  },
};

const arn = (uc: string, dag: string) => stateMachineArnPlaceholder(stateMachineName(PREFIX, uc, dag));

/** A route parameter of `dag` after `upstream` (src/events/routes.ts). */
export function route(uc: string, dag: string, upstream: [string, string], upstreams: number) {
  return {
    Name: `${routesPath(PREFIX, stateMachineName(PREFIX, upstream[0], upstream[1]))}/${stateMachineName(PREFIX, uc, dag)}`,
    Type: 'String' as const,
    Value: JSON.stringify({ key: `${uc}/${dag}`, downstream: stateMachineName(PREFIX, uc, dag), upstreams }),
    Description: `after ${upstream[1]}`,
  };
}

/** The platform's one rule (src/events/status-rule.ts), in small. */
export const STATUS_RULE: RuleDefinition = {
  Name: `${PREFIX}-lakestep-status`,
  Description: 'ends of executions to the dispatcher',
  EventPattern: { source: ['aws.states'], 'detail-type': ['Step Functions Execution Status Change'], detail: { status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] } },
  State: 'ENABLED',
  Targets: [{ Id: 'dispatcher', Arn: stateMachineArnPlaceholder(`${PREFIX}-lakestep-dispatcher`), RoleArn: '${EventsRoleArn}' }],
};

function workflow(uc: string, dag: string, over: Partial<ManifestWorkflow>): ManifestWorkflow {
  return manifestWorkflow(uc, dag, {
    placeholders: ['EmrApplicationId', 'SparkJobRoleArn', 'ArtifactsBucket', 'RunsTable'],
    stats: { sparkJobs: 1, states: 4, successPathTransitions: 2 },
    ...over,
  }, PREFIX);
}

export function fixtureManifest(): Manifest {
  return {
    version: 1,
    lakestepVersion: '0.1.0',
    platform: PLATFORM,
    useCases: [
      {
        name: 'orders',
        owner: 'orders-data@example.com',
        specHash: 'sha256-0f1e2d',
        files: ['orders/orchestration.yaml', 'orders/migration.yaml'],
        workflows: [
          workflow('orders', 'orders-daily-report', {
            schedule: 'cron(0 6 * * ? *)',
            stateMachineTags: {
              'lakestep:platform': PREFIX,
              'lakestep:notify-FAILED': 'yes',
              'lakestep:notify-TIMED_OUT': 'yes',
              'lakestep:notify-ABORTED': 'yes',
              'lakestep:dag-topic': 'yes',
            },
            notificationEmails: ['report-owners@example.com', 'finance@example.com'],
            jobs: ['orders/jobs/orders-daily-report/main.json'],
            placeholders: ['EmrApplicationId', 'SparkJobRoleArn', 'ArtifactsBucket', 'RunsTable', 'Partition', 'Region', 'Account', 'EventsRoleArn', 'NotificationTopicArn'],
          }),
          workflow('orders', 'orders-migration', {
            type: 'migration',
            kind: 'migration',
            jobs: ['orders/jobs/orders-migration/ddl.json', 'orders/jobs/orders-migration/convert.json'],
            resources: {
              emr: true,
              datasync: [
                { table: 'orders', taskArn: 'arn:aws:datasync:eu-west-1:123456789012:task/task-0abc' },
                {
                  table: 'line_items',
                  placeholder: 'DataSyncTaskOrdersLineItems',
                  location: { hostname: 'namenode.corp.example.com', port: 8020, agentArns: ['arn:aws:datasync:eu-west-1:123456789012:agent/agent-0123456789abcdef0'], subdirectory: '/warehouse/line_items', simpleUser: 'etl' },
                  destination: 's3://acme-landing/orders/line_items/',
                },
              ],
              secrets: [],
            },
            writes: ['raw_orders.line_items', 'raw_orders.orders'],
            access: { 'raw_orders.line_items': ['create', 'write'], 'raw_orders.orders': ['create', 'write'] },
            placeholders: ['EmrApplicationId', 'SparkJobRoleArn', 'ArtifactsBucket', 'RunsTable', 'WatermarksTable', 'DataSyncTaskOrdersLineItems'],
          }),
          workflow('orders', 'orders-upserts', {
            dependsOn: ['orders-migration', 'customers/customers-ingestion'],
            routes: [route('orders', 'orders-upserts', ['orders', 'orders-migration'], 2), route('orders', 'orders-upserts', ['customers', 'customers-ingestion'], 2)],
            jobs: ['orders/jobs/orders-upserts/merge.json'],
            placeholders: ['EmrApplicationId', 'SparkJobRoleArn', 'ArtifactsBucket', 'RunsTable', 'GatesTable', 'Partition', 'Region', 'Account', 'EventsRoleArn'],
          }),
        ],
      },
      {
        name: 'customers',
        owner: 'crm-data@example.com',
        specHash: 'sha256-a1b2c3',
        files: ['customers/orchestration.yaml', 'customers/ingestion.yaml'],
        workflows: [
          workflow('customers', 'customers-ingestion', {
            type: 'ingestion',
            kind: 'ingestion',
            jobs: ['customers/jobs/customers-ingestion/events.json'],
            resources: {
              emr: true,
              datasync: [],
              secrets: ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka-bootstrap'],
            },
            writes: ['raw_customers.events'],
            access: { 'raw_customers.events': ['create', 'write'] },
            placeholders: ['EmrApplicationId', 'SparkJobRoleArn', 'ArtifactsBucket', 'NotificationTopicArn'],
          }),
        ],
      },
    ],
    tables: {},
    machines: {
      backfill: { stateMachineName: `${PREFIX}-lakestep-backfill`, definition: 'lakestep/backfill.asl.json' },
      dispatcher: { stateMachineName: `${PREFIX}-lakestep-dispatcher`, type: 'EXPRESS', definition: 'lakestep/dispatch.asl.json', rule: STATUS_RULE },
    },
    quarantined: [
      {
        useCase: 'payments',
        diagnostics: [
          { code: 'MIGRATION_COLUMN_TYPE', severity: 'error', message: 'unknown column type "money"', file: 'payments/migration.yaml', line: 12, column: 7, pointer: '/tables/0/columns/1/type', useCase: 'payments' },
        ],
      },
    ],
  };
}

function write(dir: string, path: string, value: unknown): void {
  const file = join(dir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes a build directory for a manifest; definitions come from `files`. */
export function writeBuild(manifest: Manifest, files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lakestep-infra-'));
  writeManifest(dir, manifest);
  for (const [path, value] of Object.entries(files)) write(dir, path, value);
  // The platform's machines the manifest names (backfill, dispatcher), unless the test gives its own.
  const platform = fixtureFiles();
  for (const m of Object.values(manifest.machines ?? {})) if (m && !(m.definition in files)) write(dir, m.definition, platform[m.definition]);
  for (const uc of manifest.useCases) {
    for (const wf of uc.workflows) for (const job of wf.jobs) write(dir, job, { version: 1, useCase: uc.name, workflow: wf.name, job, catalog: 'glue_catalog', steps: [] });
  }
  return dir;
}

/** The definitions of the fixture manifest's workflows, by build path. */
export function fixtureFiles(): Record<string, unknown> {
  return {
    'orders/orders-daily-report.asl.json': SPARK_ASL,
    'orders/orders-migration.asl.json': MIGRATION_ASL,
    'orders/orders-upserts.asl.json': UPSERTS_ASL,
    'lakestep/dispatch.asl.json': GATE_ASL,
    'lakestep/backfill.asl.json': { Comment: 'backfill', StartAt: 'Done', States: { Done: { Type: 'Succeed' } } },
    'customers/customers-ingestion.asl.json': STREAMING_ASL,
  };
}

export function writeFixtureBuild(): string {
  return writeBuild(fixtureManifest(), fixtureFiles());
}
