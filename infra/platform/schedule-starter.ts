/**
 * The schedule starter: one Lambda function per platform that every schedule
 * invokes with its scheduled time (src/starter/scheduled.ts). It derives the run's
 * data interval, logical date and execution name, and starts the workflow under that
 * name, so a duplicate delivery or a run started by hand never runs a date twice.
 * Its code is infra/starter/handler.ts with the pure `src/time/` and `src/starter/`
 * modules, bundled with esbuild at synth (the AWS SDK comes with the runtime).
 * Invocations that still fail after Lambda's retries, and invocations EventBridge Scheduler
 * could not deliver, land in one dead-letter queue. The platform's schedule group and the
 * role Scheduler invokes the starter with live here too.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aws, type CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { ignoreLintFindings, STARTER_FUNCTION_IGNORES } from '../nag/cfn-lint.ts';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { buildSync } from 'esbuild';
import { Construct } from 'constructs';
import { scratchDir } from './scratch.ts';
import { ownPlatform } from '../iam/service-statements.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let bundled: string | undefined;

/** A folder holding the bundled handler (`index.mjs`), built once per process. */
export function starterBundle(): string {
  if (bundled) return bundled;
  const out = buildSync({
    // Bundled by path, not imported: src/cli/code-id.ts lists it among the app's entries, so a change to it redeploys.
    entryPoints: [join(REPO, 'infra/starter/handler.ts')],
    absWorkingDir: REPO,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['@aws-sdk/*'],
    legalComments: 'none',
    write: false,
  });
  const dir = scratchDir('lakestep-starter');
  writeFileSync(join(dir, 'index.mjs'), out.outputFiles[0]!.text);
  bundled = dir;
  return dir;
}

export interface ScheduleStarterProps {
  prefix: string;
  key: kms.IKey;
}

export class ScheduleStarter extends Construct {
  readonly function: lambda.Function;
  readonly deadLetterQueue: sqs.Queue;
  /** The platform's one schedule group (500 per account): every use case's schedules are in it. */
  readonly group: scheduler.CfnScheduleGroup;
  readonly schedulerRole: iam.Role;

  constructor(scope: Construct, id: string, props: ScheduleStarterProps) {
    super(scope, id);
    const { prefix, key } = props;
    const name = `${prefix}-schedule-starter`;
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${name}`,
      encryptionKey: key,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      queueName: `${name}-dead-letters`,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const role = new iam.Role(this, 'Role', {
      description: `Runs ${name}: starts the scheduled runs of ${prefix} state machines`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'StartScheduledRuns',
        actions: ['states:StartExecution'],
        resources: [`arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${prefix}-*`],
        conditions: ownPlatform(prefix),
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeRunsByName',
        actions: ['states:DescribeExecution'],
        resources: [`arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:execution:${prefix}-*:*`],
      }),
    );
    this.function = new lambda.Function(this, 'Function', {
      functionName: name,
      description: `lakestep ${prefix}: starts each scheduled run under the execution name of its logical date`,
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(starterBundle()),
      timeout: Duration.seconds(30),
      memorySize: 256,
      role,
      logGroup,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 2,
    });
    ignoreLintFindings(this.function.node.defaultChild as CfnResource, STARTER_FUNCTION_IGNORES);
    this.group = new scheduler.CfnScheduleGroup(this, 'Group', {
      name: prefix,
      // Schedules take no tags: their names (`<prefix>-<use-case>-<dag>`) and descriptions say the use case.
      tags: [{ key: 'lakestep:platform', value: prefix }],
    });
    // EventBridge Scheduler invokes the starter with this role, and sends what it could not deliver to the queue.
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: `EventBridge Scheduler invokes ${name} for the schedules of ${prefix}`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
    });
    this.schedulerRole.addToPolicy(new iam.PolicyStatement({ sid: 'InvokeStarter', actions: ['lambda:InvokeFunction'], resources: [this.function.functionArn] }));
    this.deadLetterQueue.grantSendMessages(this.schedulerRole);
  }
}

/** The bundled handler's text (for tests). */
export function starterCode(): string {
  return readFileSync(join(starterBundle(), 'index.mjs'), 'utf8');
}
