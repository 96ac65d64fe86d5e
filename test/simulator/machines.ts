/**
 * Small state machines following DESIGN §4, for end-to-end simulator tests.
 */
import type { JobDocument } from '../../src/build/types.ts';

export const CONVERT_JOB_PATH = 'orders/jobs/orders-migration/convert.json';

export const CONVERT_JOB: JobDocument = {
  version: 1,
  useCase: 'orders',
  workflow: 'orders-migration',
  job: 'convert',
  catalog: 'glue',
  steps: [
    { kind: 'sql', name: 'convert-orders', sql: 'INSERT OVERWRITE raw_orders.orders SELECT * FROM landing' },
    { kind: 'watermark', name: 'watermark-orders', key: 'orders', sql: 'SELECT max(updated_at) FROM raw_orders.orders' },
  ],
};

/** Spark job (with Retry on transient EMR errors) → read result → conditional watermark update. */
export const EMR_WATERMARK_MACHINE = {
  StartAt: 'Convert orders',
  States: {
    'Convert orders': {
      Type: 'Task',
      Resource: 'arn:aws:states:::emr-serverless:startJobRun.sync',
      Parameters: {
        ApplicationId: '${EmrApplicationId}',
        ExecutionRoleArn: '${SparkJobRoleArn}',
        'ClientToken.$': 'States.UUID()',
        Name: 'orders-convert',
        JobDriver: {
          SparkSubmit: {
            EntryPoint: 's3://${ArtifactsBucket}/lakestep/runtime/lakestep_runtime.py',
            'EntryPointArguments.$': `States.Array('--job', 's3://\${ArtifactsBucket}/lakestep/${CONVERT_JOB_PATH}', '--result', States.Format('s3://\${ArtifactsBucket}/lakestep/results/{}.json', $$.Execution.Name), '--param', States.Format('ts={}', $.logical_date))`,
          },
        },
        ExecutionTimeoutMinutes: 60,
      },
      Retry: [{ ErrorEquals: ['EMRServerless.InternalServerException', 'EMRServerless.ThrottlingException'], IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 2 }],
      ResultPath: '$.job',
      Next: 'Read job result',
    },
    'Read job result': {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
      Parameters: { Bucket: '${ArtifactsBucket}', 'Key.$': "States.Format('lakestep/results/{}.json', $$.Execution.Name)" },
      ResultSelector: { 'value.$': 'States.StringToJson($.Body)' },
      ResultPath: '$.result',
      Next: 'Advance watermark',
    },
    'Advance watermark': {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: {
        TableName: '${WatermarksTable}',
        Key: { pk: { S: 'orders' } },
        UpdateExpression: 'SET #v = :v, #by = :by',
        ConditionExpression: 'attribute_not_exists(#v) OR #v < :v',
        ExpressionAttributeNames: { '#v': 'watermark', '#by': 'updated_by' },
        ExpressionAttributeValues: { ':v': { 'S.$': '$.result.value.watermarks.orders' }, ':by': { 'S.$': '$$.Execution.Name' } },
        ReturnValues: 'ALL_NEW',
      },
      ResultPath: '$.watermark',
      Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'Watermark kept', ResultPath: '$.kept' }],
      End: true,
    },
    'Watermark kept': { Type: 'Pass', End: true },
  },
};

/** DataSync: start, then Wait → describe → Choice until SUCCESS or ERROR. */
export const DATASYNC_MACHINE = {
  StartAt: 'Transfer orders (DataSync)',
  States: {
    'Transfer orders (DataSync)': {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:datasync:startTaskExecution',
      Parameters: { TaskArn: '${DataSyncTaskOrders}' },
      ResultPath: '$.transfer',
      Next: 'Wait for transfer',
    },
    'Wait for transfer': { Type: 'Wait', Seconds: 10, Next: 'Describe transfer' },
    'Describe transfer': {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:datasync:describeTaskExecution',
      Parameters: { 'TaskExecutionArn.$': '$.transfer.TaskExecutionArn' },
      ResultSelector: { 'Status.$': '$.Status', 'Result.$': '$.Result' },
      ResultPath: '$.status',
      Next: 'Transfer done?',
    },
    'Transfer done?': {
      Type: 'Choice',
      Choices: [
        { Variable: '$.status.Status', StringEquals: 'SUCCESS', Next: 'Transferred' },
        { Variable: '$.status.Status', StringEquals: 'ERROR', Next: 'Transfer failed' },
      ],
      Default: 'Wait for transfer',
    },
    Transferred: { Type: 'Succeed' },
    'Transfer failed': { Type: 'Fail', Error: 'DataSync.TransferFailed', CausePath: '$.status.Result.ErrorDetail' },
  },
};

/** Reads the upstream's run context from the status-change event. */
export const DOWNSTREAM_MACHINE = {
  StartAt: 'Run context',
  States: {
    'Run context': {
      Type: 'Pass',
      Parameters: { 'upstream.$': 'States.StringToJson($.detail.input)', 'source.$': '$.detail.name' },
      End: true,
    },
  },
};

export const FAILING_MACHINE = {
  StartAt: 'Boom',
  States: { Boom: { Type: 'Fail', Error: 'Spark.JobFailed', Cause: 'the job failed' } },
};

/** Starts the same execution name twice; the second start is refused and caught. */
export const DOUBLE_START_MACHINE = (targetArn: string) => ({
  StartAt: 'Start downstream',
  States: {
    'Start downstream': {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution',
      Parameters: { StateMachineArn: targetArn, Name: 'orders-2026-01-01', Input: { 'logical_date.$': '$.logical_date' } },
      ResultPath: '$.first',
      Next: 'Start downstream again',
    },
    'Start downstream again': {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution',
      Parameters: { StateMachineArn: targetArn, Name: 'orders-2026-01-01', Input: { again: true } },
      ResultPath: '$.second',
      Catch: [{ ErrorEquals: ['StepFunctions.ExecutionAlreadyExistsException'], Next: 'Already started', ResultPath: '$.refused' }],
      End: true,
    },
    'Already started': { Type: 'Pass', End: true },
  },
});
