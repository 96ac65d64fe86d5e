import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOG_DELIVERY_ACTIONS, WILDCARD_RESOURCE_ACTIONS, XRAY_ACTIONS } from '../../infra/iam/service-statements.ts';
import { SPEC_HASH_OUTPUT, VERSION_OUTPUT } from '../../infra/inputs-hash.ts';
import { fixtureFiles, fixtureManifest, writeBuild, writeFixtureBuild } from './fixture.ts';
import { resourcesOfType, roleStatements, stateMachineResource, type Synthesized, synthesize } from './synth.ts';

let s: Synthesized;
let buildDir: string;

beforeAll(() => {
  buildDir = writeFixtureBuild();
  s = synthesize(buildDir);
});

const LOGGING_AND_TRACING = [...LOG_DELIVERY_ACTIONS, ...XRAY_ACTIONS];
const KMS = ['kms:Decrypt', 'kms:GenerateDataKey'];
const EMR_SYNC = [
  'emr-serverless:StartJobRun',
  'emr-serverless:GetJobRun',
  'emr-serverless:CancelJobRun',
  'events:PutTargets',
  'events:PutRule',
  'events:DescribeRule',
  'iam:PassRole',
];

const machine = (name: string) => stateMachineResource(s, name);

/** Actions allowed to a machine's role: the policies attached to it. */
function roleActions(name: string): string[] {
  const actions = roleStatements(s, name).flatMap((st) => [st.Action].flat());
  return [...new Set(actions)].sort();
}

describe('stacks', () => {
  it('creates the platform stack and one stack per compiled use case', () => {
    expect([...s.templates.keys()].sort()).toEqual(['acme-customers', 'acme-orders', 'acme-platform']);
  });

  it('leaves the quarantined use case out and says its stack is left untouched', () => {
    expect([...s.templates.keys()].some((k) => k.includes('payments'))).toBe(false);
    expect(JSON.stringify([...s.json.values()])).not.toContain('acme-payments');
    expect(s.built.quarantined).toEqual(['payments']);
    expect(s.built.notices).toHaveLength(1);
    expect(s.built.notices[0]).toMatch(/"payments" is quarantined.*left untouched/);
  });

  it("binds every stack to the platform's region (the account stays the deploying credentials' without platform.account)", () => {
    expect(s.assembly.stacks.map((st) => [st.stackName, st.environment.name])).toEqual([
      ['acme-platform', 'aws://unknown-account/eu-west-1'],
      ['acme-customers', 'aws://unknown-account/eu-west-1'],
      ['acme-orders', 'aws://unknown-account/eu-west-1'],
    ]);
  });

  it("binds every stack to platform.account and region when the platform names an account", () => {
    const m = fixtureManifest();
    m.platform.account = '123456789012';
    m.platform.region = 'ap-southeast-2';
    const bound = synthesize(writeBuild(m, fixtureFiles()), { nagChecks: false, lean: true });
    expect(new Set(bound.assembly.stacks.map((st) => st.environment.name))).toEqual(new Set(['aws://123456789012/ap-southeast-2']));
    expect(bound.assembly.stacks).toHaveLength(3);
  });

  it('has no unacknowledged cdk-nag finding and no error annotation', () => {
    const report = JSON.parse(readFileSync(join(s.assembly.directory, 'validation-report.json'), 'utf8'));
    const open = (report.pluginReports as any[]).flatMap((r) => r.violations ?? r.conclusion?.violations ?? []);
    expect(open).toEqual([]);
    const errors = s.assembly.stacks.flatMap((st) => st.messages).filter((m) => m.level === 'error');
    expect(errors).toEqual([]);
  });
});

describe('state machines', () => {
  const names = [
    'acme-orders-orders-daily-report',
    'acme-orders-orders-migration',
    'acme-orders-orders-upserts',
    'acme-customers-customers-ingestion',
    'acme-lakestep-backfill',
    'acme-lakestep-dispatcher',
  ];

  it('creates every workflow machine and the platform\'s two, STANDARD (the dispatcher EXPRESS), KMS-encrypted, logging ALL, traced', () => {
    const machines = resourcesOfType(s, 'AWS::StepFunctions::StateMachine');
    expect(machines.map((m) => m.props.StateMachineName).sort()).toEqual([...names].sort());
    for (const { props } of machines) {
      expect(props.StateMachineType).toBe(props.StateMachineName === 'acme-lakestep-dispatcher' ? 'EXPRESS' : 'STANDARD');
      expect(props.EncryptionConfiguration).toMatchObject({ Type: 'CUSTOMER_MANAGED_KMS_KEY', KmsKeyId: expect.anything() });
      expect(props.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
      expect(props.LoggingConfiguration.Destinations).toHaveLength(1);
      expect(props.TracingConfiguration).toEqual({ Enabled: true });
    }
  });

  it('gives each machine its own role', () => {
    const roles = resourcesOfType(s, 'AWS::StepFunctions::StateMachine').map((m) => JSON.stringify(m.props.RoleArn));
    expect(new Set(roles).size).toBe(roles.length);
  });

  it('substitutes every placeholder of every definition', () => {
    for (const { props } of resourcesOfType(s, 'AWS::StepFunctions::StateMachine')) {
      const text = props.DefinitionString as string;
      expect(typeof text).toBe('string');
      const subs = props.DefinitionSubstitutions ?? {};
      const filled = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => (name in subs ? 'VALUE' : whole));
      expect(filled).not.toContain('${');
      for (const value of Object.values(subs)) expect(JSON.stringify(value)).not.toMatch(/^"\$\{/);
    }
  });

  it('fills the DataSync placeholder with the task infra creates', () => {
    const m = machine('acme-orders-orders-migration');
    const taskId = resourcesOfType(s, 'AWS::DataSync::Task')[0]!.id;
    expect(m.props.DefinitionSubstitutions.DataSyncTaskOrdersLineItems).toEqual({ 'Fn::GetAtt': [taskId, 'TaskArn'] });
  });

  it('tags machines with use case, owner, dag, spec file and platform tags; the spec hash and version are stack outputs', () => {
    s.templates.get('acme-orders')!.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'acme-orders-orders-migration',
      Tags: Match.arrayWith([
        { Key: 'cost-center', Value: 'data-platform' },
        { Key: 'lakestep:dag', Value: 'orders-migration' },
        { Key: 'lakestep:owner', Value: 'orders-data@example.com' },
        { Key: 'lakestep:spec-file', Value: 'orders/orchestration.yaml' },
        { Key: 'lakestep:use-case', Value: 'orders' },
      ]),
    });
    const keys = (machine('acme-orders-orders-migration').props.Tags as { Key: string }[]).map((t) => t.Key);
    expect(keys).not.toContain('lakestep:spec-hash');
    expect(keys).not.toContain('lakestep:version');
    s.templates.get('acme-orders')!.hasOutput(SPEC_HASH_OUTPUT, { Value: 'sha256-0f1e2d' });
    for (const stack of ['acme-orders', 'acme-platform']) s.templates.get(stack)!.hasOutput(VERSION_OUTPUT, { Value: '0.1.0' });
  });
});

describe('least privilege', () => {
  it('spark machine: EMR .sync and the runs table only', () => {
    expect(roleActions('acme-orders-orders-daily-report')).toEqual(
      [...EMR_SYNC, 'dynamodb:PutItem', ...KMS, ...LOGGING_AND_TRACING].sort(),
    );
  });

  it('migration machine: EMR, DataSync start/describe, result files, watermarks and runs', () => {
    expect(roleActions('acme-orders-orders-migration')).toEqual(
      [
        ...EMR_SYNC,
        'datasync:StartTaskExecution',
        'datasync:DescribeTaskExecution',
        's3:GetObject',
        'dynamodb:UpdateItem',
        'dynamodb:PutItem',
        ...KMS,
        ...LOGGING_AND_TRACING,
      ].sort(),
    );
  });

  it('streaming machine: list/get/start job runs and publish', () => {
    expect(roleActions('acme-customers-customers-ingestion')).toEqual(
      [
        'emr-serverless:ListJobRuns',
        'emr-serverless:GetJobRun',
        'emr-serverless:StartJobRun',
        'iam:PassRole',
        'sns:Publish',
        ...KMS,
        ...LOGGING_AND_TRACING,
      ].sort(),
    );
  });

  it('uses Resource "*" only for the documented log delivery and X-Ray actions', () => {
    const statements = [
      ...resourcesOfType(s, 'AWS::IAM::Policy').flatMap((p) => p.props.PolicyDocument.Statement),
      ...resourcesOfType(s, 'AWS::IAM::Role').flatMap((r) => (r.props.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement)),
    ];
    const star = statements.filter((st: any) => [st.Resource].flat().includes('*'));
    expect(star.length).toBeGreaterThan(0);
    for (const st of star) for (const a of [st.Action].flat()) expect(WILDCARD_RESOURCE_ACTIONS).toContain(a);
  });

});

describe('encryption at rest', () => {
  it('encrypts every bucket with the platform key except the access-log bucket (SSE-S3, required by S3 logging)', () => {
    const buckets = resourcesOfType(s, 'AWS::S3::Bucket');
    const algorithms = buckets.map((b) => b.props.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault);
    expect(algorithms.filter((a) => a.SSEAlgorithm === 'aws:kms' && a.KMSMasterKeyID)).toHaveLength(5);
    const sse = buckets.filter((b) => b.props.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm === 'AES256');
    expect(sse).toHaveLength(1);
    const logTargets = buckets.map((b) => b.props.LoggingConfiguration?.DestinationBucketName).filter(Boolean);
    expect(logTargets).toHaveLength(5);
    for (const t of logTargets) expect(t).toEqual({ Ref: sse[0]!.id });
  });

  it('names, versions and blocks public access on the platform buckets', () => {
    const t = s.templates.get('acme-platform')!;
    for (const name of Object.values(fixtureManifest().platform.buckets)) {
      t.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: name,
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      });
    }
    const policies = resourcesOfType(s, 'AWS::S3::BucketPolicy');
    expect(policies).toHaveLength(6);
    for (const p of policies) {
      expect(JSON.stringify(p.props.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('encrypts tables with the key, PITR on, on-demand, with the contract keys and TTL', () => {
    const tables = resourcesOfType(s, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(3);
    for (const { props } of tables) {
      expect(props.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: expect.anything() });
      expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(props.BillingMode).toBe('PAY_PER_REQUEST');
    }
    const byName = Object.fromEntries(tables.map((t) => [t.props.TableName, t.props]));
    expect(byName['acme-runs']!.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(byName['acme-watermarks']!.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(byName['acme-gates']!.TimeToLiveSpecification).toEqual({ AttributeName: 'expires_at', Enabled: true });
  });

  it('encrypts the topic and log groups; rotates the key', () => {
    const t = s.templates.get('acme-platform')!;
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'acme-notifications', KmsMasterKeyId: Match.anyValue() });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'data-team@example.com' });
    const groups = resourcesOfType(s, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(2);
    for (const g of groups) expect(g.props.KmsKeyId).toBeDefined();
  });
});

describe('platform', () => {
  it('creates the EMR Serverless application from the manifest', () => {
    s.templates.get('acme-platform')!.hasResourceProperties('AWS::EMRServerless::Application', {
      Type: 'SPARK',
      ReleaseLabel: 'emr-7.5.0',
      MaximumCapacity: { Cpu: '64 vCPU', Memory: '256 GB' },
      AutoStartConfiguration: { Enabled: true },
      AutoStopConfiguration: { Enabled: true, IdleTimeoutMinutes: 15 },
    });
  });

  it('gives each use case its own Spark job role, in its own stack, scoped to the tables its workflows touch', () => {
    const roles = resourcesOfType(s, 'AWS::IAM::Role').filter((r) => JSON.stringify(r.props.AssumeRolePolicyDocument).includes('emr-serverless.amazonaws.com'));
    expect(roles.map((r) => `${r.stack} ${r.props.RoleName}`).sort()).toEqual(['acme-customers acme-customers-spark', 'acme-orders acme-orders-spark']);
    const text = (stack: string) => JSON.stringify(roles.find((r) => r.stack === stack)!.props.Policies);
    for (const [stack, own, tables, other] of [['acme-orders', 'raw_orders', ['orders', 'line_items'], 'raw_customers'], ['acme-customers', 'raw_customers', ['events'], 'raw_orders']] as const) {
      expect(text(stack)).toContain(`:database/${own}"`);
      for (const t of tables) expect(text(stack)).toContain(`:table/${own}/${t}"`);
      expect(text(stack)).not.toContain(`:table/${own}/*`);
      expect(text(stack)).not.toContain(`/${other}`);
    }
    expect(JSON.stringify(s.json.get('acme-platform')!)).not.toContain('emr-serverless.amazonaws.com"}');
  });

  it('grants the use case secrets to its own Spark job role only', () => {
    s.templates.get('acme-customers')!.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'acme-customers-spark',
      Policies: [
        Match.objectLike({
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
                Resource: [
                  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka-bootstrap',
                  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka-bootstrap-??????',
                ],
              }),
            ]),
          },
        }),
      ],
    });
    expect(JSON.stringify(s.json.get('acme-orders'))).not.toContain('secretsmanager');
  });

  it('passes each job run its own use case role', () => {
    for (const name of ['acme-orders-orders-migration', 'acme-customers-customers-ingestion']) {
      const subs = JSON.stringify(machine(name).props.DefinitionSubstitutions.SparkJobRoleArn);
      expect(subs).toMatch(/SparkJobRole/);
      const pass = roleStatements(s, name).find((st) => [st.Action].flat().includes('iam:PassRole'))!;
      expect(JSON.stringify(pass.Resource)).toContain(subs);
    }
  });

  it('lets EventBridge start <prefix>-* machines and publish to the topic', () => {
    const text = JSON.stringify(s.json.get('acme-platform'));
    expect(text).toContain(':stateMachine:acme-*');
    s.templates.get('acme-platform')!.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } })]) },
    });
  });

  it('uploads the runtime to lakestep/runtime/ and job documents to lakestep/<use-case>/jobs/', () => {
    const deployments = resourcesOfType(s, 'Custom::CDKBucketDeployment');
    const prefixes = deployments.map((d) => `${d.stack} ${d.props.DestinationBucketKeyPrefix}`).sort();
    expect(prefixes).toEqual([
      'acme-customers lakestep/customers/jobs/',
      'acme-orders lakestep/orders/jobs/',
      'acme-platform lakestep/runtime/',
    ]);
    const dirs = readdirSync(s.assembly.directory).filter((d) => d.startsWith('asset.') && !d.endsWith('.zip'));
    const runtime = dirs.map((d) => join(s.assembly.directory, d)).find((d) => existsSync(join(d, 'lakestep_runtime.py')));
    expect(runtime).toBeDefined();
    expect(readdirSync(runtime!).sort()).toEqual(['lakestep.zip', 'lakestep_runtime.py']);
    const orders = dirs.map((d) => join(s.assembly.directory, d)).find((d) => existsSync(join(d, 'orders-migration', 'ddl.json')));
    expect(orders).toBeDefined();
  });
});

describe('dispatcher, routes, tags and DataSync', () => {
  it("deploys one EventBridge rule, the platform's, aimed at the dispatcher, with placeholders only inside Fn::Sub", () => {
    const rules = resourcesOfType(s, 'AWS::Events::Rule');
    expect(rules.map((r) => [r.stack, r.props.Name])).toEqual([['acme-platform', 'acme-lakestep-status']]);
    expect(JSON.stringify(rules[0]!.props.Targets[0].Arn)).toContain(':stateMachine:acme-lakestep-dispatcher');
    const literal = (v: unknown): string[] =>
      typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(literal) : v && typeof v === 'object'
        ? Object.entries(v).flatMap(([k, x]) => (k === 'Fn::Sub' ? [] : literal(x))) : [];
    for (const r of rules) for (const text of literal(r.props)) expect(text).not.toContain('${');
  });

  it('runs the dispatcher as an Express workflow, logged at level ALL, with an alarm on its failed and timed-out runs', () => {
    const machine = resourcesOfType(s, 'AWS::StepFunctions::StateMachine').find((m) => m.props.StateMachineName === 'acme-lakestep-dispatcher')!;
    expect(machine.props.StateMachineType).toBe('EXPRESS');
    // Express runs keep no history in Step Functions: the log is all there is of them.
    expect(machine.props.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
    // The workflows stay Standard (they wait for Spark jobs, which Express cannot).
    const others = resourcesOfType(s, 'AWS::StepFunctions::StateMachine').filter((m) => m.props.StateMachineName !== 'acme-lakestep-dispatcher');
    expect(others.length).toBeGreaterThan(0);
    for (const m of others) expect(m.props.StateMachineType).toBe('STANDARD');
    const alarm = resourcesOfType(s, 'AWS::CloudWatch::Alarm').find((a) => a.props.AlarmName === 'acme-lakestep-dispatcher-failed')!;
    expect(alarm.stack).toBe('acme-platform');
    const metrics = alarm.props.Metrics as { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string; Dimensions: { Value: unknown }[] } } }[];
    expect(metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : []))).toEqual(['ExecutionsFailed', 'ExecutionsTimedOut']);
    for (const m of metrics) if (m.MetricStat) expect(m.MetricStat.Metric.Dimensions[0]!.Value).toEqual({ 'Fn::GetAtt': [machine.id, 'Arn'] });
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('failed + timedOut');
    expect(alarm.props).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    // The platform topic, which the dispatcher's own notifications go to.
    const topic = resourcesOfType(s, 'AWS::SNS::Topic').find((t) => t.stack === 'acme-platform')!;
    expect(alarm.props.AlarmActions).toEqual([{ Ref: topic.id }]);
    expect(alarm.props.OKActions).toEqual(alarm.props.AlarmActions);
  });

  it("keeps each route in its downstream's stack, and tags each machine with what the dispatcher reads", () => {
    const routes = resourcesOfType(s, 'AWS::SSM::Parameter');
    expect(routes.map((r) => [r.stack, r.props.Name]).sort()).toEqual([
      ['acme-orders', '/lakestep/acme/after/acme-customers-customers-ingestion/acme-orders-orders-upserts'],
      ['acme-orders', '/lakestep/acme/after/acme-orders-orders-migration/acme-orders-orders-upserts'],
    ]);
    expect(JSON.parse(routes[0]!.props.Value)).toEqual({ key: 'orders/orders-upserts', downstream: 'acme-orders-orders-upserts', upstreams: 2 });
    const report = resourcesOfType(s, 'AWS::StepFunctions::StateMachine').find((m) => m.props.StateMachineName === 'acme-orders-orders-daily-report')!;
    expect(report.props.Tags).toEqual(expect.arrayContaining([{ Key: 'lakestep:notify-FAILED', Value: 'yes' }, { Key: 'lakestep:dag-topic', Value: 'yes' }]));
  });

  it("lets the dispatcher read routes and tags, join in the gates table, start and notify the platform's machines but its own", () => {
    const st = roleStatements(s, 'acme-lakestep-dispatcher');
    const actions = st.filter((x) => x.Effect === 'Allow').flatMap((x) => [x.Action].flat());
    for (const a of ['ssm:GetParametersByPath', 'states:ListTagsForResource', 'states:DescribeExecution', 'states:StartExecution', 'dynamodb:UpdateItem', 'dynamodb:GetItem', 'sns:Publish']) expect(actions).toContain(a);
    const deny = st.find((x) => x.Effect === 'Deny')!;
    expect([deny.Action].flat()).toEqual(['states:StartExecution']);
    expect(JSON.stringify(deny.Resource)).toContain(':stateMachine:acme-lakestep-*');
  });

  it("sends a dag's notifications to its own emails too, through a topic of its own", () => {
    const topics = resourcesOfType(s, 'AWS::SNS::Topic').filter((x) => x.stack === 'acme-orders');
    expect(topics.map((x) => x.props.TopicName)).toEqual(['acme-orders-orders-daily-report-notifications']);
    expect(topics[0]!.props.KmsMasterKeyId).toBeDefined();
    const subs = resourcesOfType(s, 'AWS::SNS::Subscription').filter((x) => x.stack === 'acme-orders');
    expect(subs.map((x) => [x.props.Protocol, x.props.Endpoint, x.props.TopicArn]).sort()).toEqual([
      ['email', 'finance@example.com', { Ref: topics[0]!.id }],
      ['email', 'report-owners@example.com', { Ref: topics[0]!.id }],
    ]);
    // The dispatcher's role may publish to <prefix>-*-notifications, which names it.
    expect(JSON.stringify(roleStatements(s, 'acme-lakestep-dispatcher'))).toContain('acme-*-notifications');
  });

  it('creates the HDFS source, the landing destination and the logged task', () => {
    const t = s.templates.get('acme-orders')!;
    t.hasResourceProperties('AWS::DataSync::LocationHDFS', {
      NameNodes: [{ Hostname: 'namenode.corp.example.com', Port: 8020 }],
      AuthenticationType: 'SIMPLE',
      SimpleUser: 'etl',
      Subdirectory: '/warehouse/line_items',
    });
    t.hasResourceProperties('AWS::DataSync::LocationS3', {
      Subdirectory: '/orders/line_items/',
      S3Config: { BucketAccessRoleArn: Match.anyValue() },
    });
    t.hasResourceProperties('AWS::DataSync::Task', { CloudWatchLogGroupArn: Match.anyValue(), Options: Match.objectLike({ LogLevel: 'TRANSFER' }) });
  });
});
