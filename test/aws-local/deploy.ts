/**
 * Deploys a build/ directory into moto as infra/ would into an account: the platform's
 * DynamoDB tables (infra/platform/tables.ts key schema), SNS topic, S3 buckets with the
 * job documents, DataSync locations and tasks, and every state machine with its
 * placeholders resolved to those resources (`definitionSubstitutions`).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-stepfunctions-statemachine.html#cfn-stepfunctions-statemachine-definitionsubstitutions
 */
import { CreateLocationS3Command, CreateTaskCommand } from '@aws-sdk/client-datasync';
import { CreateTableCommand, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, StateMachineAlreadyExists, TagResourceCommand, UpdateStateMachineCommand } from '@aws-sdk/client-sfn';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { CreateScheduleCommand, CreateScheduleGroupCommand, GetScheduleGroupCommand, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest, StateMachineDefinition } from '../../src/index.ts';
import { placeholderValues } from '../../src/simulator/placeholders.ts';
import { clientsFor, MOTO_ACCOUNT, type Clients } from './clients.ts';
import { forMoto } from './rewrite.ts';
import { buildTopics, DISPATCHER_REF } from '../../src/simulator/build.ts';
import { readManifestDir } from '../../src/build/manifest-files.ts';

export const EMR_APPLICATION_ID = '00motoapp';
export const EMR_QUEUE = 'lakestep-emr-serverless';

export interface DeployedMachine {
  /** `<use-case>/<dag>`, or `lakestep/dispatch` for the platform's dispatcher. */
  ref: string;
  name: string;
  arn: string;
  /** Definition with placeholders resolved, before the moto rewrite (what AWS would run). */
  definition: StateMachineDefinition;
}

export interface Deployment {
  /** The moto server. */
  endpoint: string;
  buildDir: string;
  manifest: Manifest;
  clients: Clients;
  placeholders: Record<string, string>;
  machines: DeployedMachine[];
  queueUrl: string;
  /** SQS queue subscribed to the platform topic: what the workflows notify. */
  notificationQueueUrl: string;
  /** DataSync task ARN in moto by table name (`raw_orders.orders`). */
  datasyncTasks: Map<string, string>;
}

/** Replaces `${Name}` in every string; throws on a name without a value (infra would fail too). */
export function substitute<T>(value: T, values: Record<string, string>): T {
  const text = JSON.stringify(value).replace(/\$\{([A-Za-z0-9_]+)\}/g, (m, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`No value for placeholder ${m}`);
    return JSON.stringify(v).slice(1, -1);
  });
  return JSON.parse(text) as T;
}

async function ignoreExisting(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    const name = (e as Error).name;
    if (!(e instanceof ResourceInUseException) && !/AlreadyExists|AlreadyOwnedByYou|InUse/.test(name)) throw e;
  }
}

/** Creates the platform's resources and state machines of `buildDir` in moto; `name` keeps its worker queue apart from other builds in the same region. */
export async function deploy(endpoint: string, buildDir: string, name = 'specs'): Promise<Deployment> {
  const manifest = readManifestDir(buildDir);
  const p = manifest.platform;
  const clients = clientsFor(endpoint, p.region);
  for (const table of [p.dynamodb.watermarks, p.dynamodb.runs, p.dynamodb.gates]) {
    const withSort = table !== p.dynamodb.watermarks;
    await ignoreExisting(
      clients.dynamodb.send(
        new CreateTableCommand({
          TableName: table,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, ...(withSort ? [{ AttributeName: 'sk', AttributeType: 'S' as const }] : [])],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(withSort ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : [])],
        }),
      ),
    );
  }
  const topic = await clients.sns.send(new CreateTopicCommand({ Name: p.notifications.topicName }));
  // The topics of dags with emails, as their stacks create them (the simulator knows the same: buildTopics).
  const { arns: topics, prefix: topicPrefix } = buildTopics({ manifest, region: p.region, account: MOTO_ACCOUNT });
  for (const arn of topics) if (arn !== topic.TopicArn) await clients.sns.send(new CreateTopicCommand({ Name: arn.slice(topicPrefix.length) }));
  for (const bucket of Object.values(p.buckets)) {
    await ignoreExisting(
      clients.s3.send(new CreateBucketCommand({ Bucket: bucket, ...(p.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: p.region as 'eu-west-1' } }) })),
    );
  }
  const queue = await clients.sqs.send(new CreateQueueCommand({ QueueName: `${EMR_QUEUE}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}` }));
  const queueUrl = queue.QueueUrl as string;
  const notified = await clients.sqs.send(new CreateQueueCommand({ QueueName: `lakestep-notifications-${name.replace(/[^A-Za-z0-9_-]/g, '-')}` }));
  const notificationQueueUrl = notified.QueueUrl as string;
  const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: notificationQueueUrl, AttributeNames: ['QueueArn'] }));
  await clients.sns.send(new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));
  // The simulator's values (same account), with moto's own application id and topic.
  const placeholders: Record<string, string> = { ...placeholderValues(manifest), EmrApplicationId: EMR_APPLICATION_ID, NotificationTopicArn: topic.TopicArn as string };
  // DataSync tasks: moto names its own ARNs, so tasks named in specs are mapped onto moto's.
  const replace = new Map<string, string>();
  // Placeholders of the tasks made here (`placeholders` starts with the simulator's fake ARNs).
  const made = new Map<string, string>();
  const datasyncTasks = new Map<string, string>();
  for (const uc of manifest.useCases) {
    for (const wf of uc.workflows) {
      for (const ds of wf.resources.datasync) {
        // Tables of a shared task (or location) run the one moto task made for the first of them.
        const shared = 'taskArn' in ds ? replace.get(ds.taskArn) : made.get(ds.placeholder);
        if (shared !== undefined) {
          datasyncTasks.set(ds.table, shared);
          continue;
        }
        const source = await clients.datasync.send(new CreateLocationS3Command({ S3BucketArn: `arn:aws:s3:::${p.buckets.landing}`, Subdirectory: `/hdfs/${ds.table}`, S3Config: { BucketAccessRoleArn: placeholders.SparkJobRoleArn } }));
        const target = await clients.datasync.send(new CreateLocationS3Command({ S3BucketArn: `arn:aws:s3:::${p.buckets.landing}`, Subdirectory: `/${ds.table}`, S3Config: { BucketAccessRoleArn: placeholders.SparkJobRoleArn } }));
        const task = await clients.datasync.send(new CreateTaskCommand({ SourceLocationArn: source.LocationArn, DestinationLocationArn: target.LocationArn, Name: ds.table }));
        const arn = task.TaskArn as string;
        datasyncTasks.set(ds.table, arn);
        if ('taskArn' in ds) replace.set(ds.taskArn, arn);
        else {
          placeholders[ds.placeholder] = arn;
          made.set(ds.placeholder, arn);
        }
      }
    }
  }
  // The job documents, where the lakestep runtime reads them: s3://<artifacts>/lakestep/<path>.
  for (const uc of manifest.useCases) {
    for (const wf of uc.workflows) {
      for (const job of wf.jobs) {
        await clients.s3.send(new PutObjectCommand({ Bucket: p.buckets.artifacts, Key: `lakestep/${job}`, Body: readFileSync(join(buildDir, job), 'utf8') }));
      }
    }
  }
  const machines: DeployedMachine[] = [];
  const items: { ref: string; name: string; path: string; tags: Record<string, string> }[] = manifest.useCases.flatMap((uc) =>
    uc.workflows.flatMap((wf) => [
      { ref: `${uc.name}/${wf.name}`, name: wf.stateMachineName, path: wf.definition, tags: wf.stateMachineTags ?? {} },
      ...(wf.watch ? [{ ref: `${uc.name}/${wf.name}#watch`, name: wf.watch.stateMachineName, path: wf.watch.definition, tags: {} }] : []),
    ]),
  );
  // The platform's dispatcher: one per prefix and region, as in an account (a later build of the same prefix updates it).
  // It is an Express workflow in AWS; here a Standard one, whose executions the harness follows and compares by their
  // history, which moto keeps for both types (its rewritten tasks wait for a token, which Express refuses). What Express
  // refuses is checked on the compiled definition by express-dispatcher.moto.ts.
  const dispatcher = manifest.machines?.dispatcher;
  if (dispatcher) items.push({ ref: DISPATCHER_REF, name: dispatcher.stateMachineName, path: dispatcher.definition, tags: {} });
  for (const { ref, name, path, tags } of items) {
    const definition = substitute(JSON.parse(readFileSync(join(buildDir, path), 'utf8')) as StateMachineDefinition, placeholders);
    const moto = JSON.stringify(forMoto(definition, { queueUrl, replace }));
    const roleArn = `arn:aws:iam::${MOTO_ACCOUNT}:role/${name}`;
    const tagList = Object.entries(tags).map(([key, value]) => ({ key, value }));
    let arn: string;
    try {
      arn = (await clients.sfn.send(new CreateStateMachineCommand({ name, definition: moto, roleArn, type: 'STANDARD', tags: tagList }))).stateMachineArn as string;
    } catch (e) {
      if (!(e instanceof StateMachineAlreadyExists)) throw e;
      arn = `arn:aws:states:${p.region}:${MOTO_ACCOUNT}:stateMachine:${name}`;
      await clients.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: moto }));
      if (tagList.length) await clients.sfn.send(new TagResourceCommand({ resourceArn: arn, tags: tagList }));
    }
    machines.push({ ref, name, arn, definition });
  }
  // The dispatcher's routes, as each use case's stack creates them (AWS::SSM::Parameter).
  for (const route of manifest.useCases.flatMap((uc) => uc.workflows.flatMap((wf) => wf.routes ?? []))) {
    await clients.ssm.send(new PutParameterCommand({ Name: route.Name, Type: route.Type, Value: route.Value, Description: route.Description, Overwrite: true }));
  }
  await deploySchedules(clients, manifest, placeholders);
  return { endpoint, buildDir, manifest, clients, placeholders, machines, queueUrl, notificationQueueUrl, datasyncTasks };
}

/** The platform's schedule group and every workflow's EventBridge Scheduler schedule, in moto's Scheduler. */
async function deploySchedules(clients: Clients, manifest: Manifest, placeholders: Record<string, string>): Promise<void> {
  const group = placeholders.ScheduleGroupName as string;
  // moto replaces a group created again, dropping its schedules (moto-gaps.moto.ts): create it once.
  const exists = await clients.scheduler.send(new GetScheduleGroupCommand({ Name: group })).then(() => true, () => false);
  if (!exists) await clients.scheduler.send(new CreateScheduleGroupCommand({ Name: group }));
  for (const uc of manifest.useCases) {
    for (const wf of uc.workflows) {
      for (const s of substitute(wf.schedules ?? [], placeholders)) {
        const schedule = { ...s, FlexibleTimeWindow: s.FlexibleTimeWindow, Target: s.Target };
        try {
          await clients.scheduler.send(new CreateScheduleCommand(schedule));
        } catch (e) {
          if ((e as Error).name !== 'ConflictException') throw e;
          await clients.scheduler.send(new UpdateScheduleCommand(schedule));
        }
      }
    }
  }
}
