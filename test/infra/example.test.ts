/**
 * The CDK app on the example platform (specs/), compiled for real: what
 * `npm run synth` deploys. cdk-nag runs; CloudFormation's schema validation
 * is left to `npm run synth` (see synth.ts).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest, ManifestWorkflow } from '../../src/build/types.ts';
import { LOG_DELIVERY_ACTIONS, METRIC_ACTIONS, XRAY_ACTIONS } from '../../infra/iam/service-statements.ts';
import { compileToBuild, exampleSources } from './compiled.ts';
import { resourcesOfType, roleStatements as statementsOfRole, stateMachineResource, type Statement, type Synthesized, synthesize } from './synth.ts';
import { readManifestDir } from '../../src/build/manifest-files.ts';
import { manifestRoles, manifestUseCaseRoles, platformRoles } from '../../src/build/iam-quota.ts';
import { INPUTS_HASH_OUTPUT, ROLES_OUTPUT, SPEC_HASH_OUTPUT, VERSION_OUTPUT } from '../../infra/inputs-hash.ts';
import { writeBuild } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';

let s: Synthesized;
let manifest: Manifest;
let buildDir: string;

beforeAll(() => {
  ({ buildDir } = compileToBuild(exampleSources()));
  manifest = readManifestDir(buildDir);
  s = synthesize(buildDir);
});


const workflows = (): ManifestWorkflow[] => manifest.useCases.flatMap((u) => u.workflows);
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** `Resource: "*"` is allowed only for these actions (infra/README.md, "`Resource: "*"` statements"). */
const DOCUMENTED_STAR_ACTIONS = new Set([...LOG_DELIVERY_ACTIONS, ...XRAY_ACTIONS, ...METRIC_ACTIONS]);
const SERVICE_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey', ...LOG_DELIVERY_ACTIONS, ...XRAY_ACTIONS];

/**
 * IAM actions each Step Functions integration needs, from the Step Functions and
 * service API references (written out here, independently of infra/iam/registry.ts).
 */
const INTEGRATION_ACTIONS: Record<string, string[]> = {
  'arn:aws:states:::emr-serverless:startJobRun.sync': [
    'emr-serverless:StartJobRun',
    'emr-serverless:GetJobRun',
    'emr-serverless:CancelJobRun',
    'events:PutTargets',
    'events:PutRule',
    'events:DescribeRule',
    'iam:PassRole',
  ],
  'arn:aws:states:::aws-sdk:emrserverless:startJobRun': ['emr-serverless:StartJobRun', 'iam:PassRole'],
  'arn:aws:states:::aws-sdk:emrserverless:listJobRuns': ['emr-serverless:ListJobRuns'],
  'arn:aws:states:::aws-sdk:emrserverless:getJobRun': ['emr-serverless:GetJobRun'],
  'arn:aws:states:::aws-sdk:datasync:startTaskExecution': ['datasync:StartTaskExecution'],
  'arn:aws:states:::aws-sdk:datasync:describeTaskExecution': ['datasync:DescribeTaskExecution'],
  'arn:aws:states:::dynamodb:getItem': ['dynamodb:GetItem'],
  'arn:aws:states:::dynamodb:putItem': ['dynamodb:PutItem'],
  'arn:aws:states:::dynamodb:updateItem': ['dynamodb:UpdateItem'],
  'arn:aws:states:::aws-sdk:s3:getObject': ['s3:GetObject'],
  'arn:aws:states:::states:startExecution': ['states:StartExecution'],
  'arn:aws:states:::aws-sdk:sfn:describeExecution': ['states:DescribeExecution'],
  'arn:aws:states:::aws-sdk:sfn:listExecutions': ['states:ListExecutions'],
  'arn:aws:states:::sns:publish': ['sns:Publish'],
  'arn:aws:states:::aws-sdk:cloudwatch:putMetricData': ['cloudwatch:PutMetricData'],
};

/** Task resources of a definition, Map and Parallel bodies included. */
function taskResources(definition: unknown): string[] {
  const out = new Set<string>();
  const walk = (m: { States?: Record<string, any> } | undefined) => {
    for (const st of Object.values(m?.States ?? {})) {
      if (st.Type === 'Task') out.add(String(st.Resource).replace(/^arn:(\$\{Partition\}|aws):/, 'arn:aws:'));
      if (st.Type === 'Map') walk(st.ItemProcessor ?? st.Iterator);
      if (st.Type === 'Parallel') for (const b of st.Branches) walk(b);
    }
  };
  walk(definition as { States?: Record<string, any> });
  return [...out].sort();
}

const machine = (name: string) => stateMachineResource(s, name);
const roleStatements = (name: string): Statement[] => statementsOfRole(s, name);

const actionsOf = (statements: Statement[]): string[] => [...new Set(statements.flatMap((st) => list(st.Action)))].sort();
const resourcesFor = (statements: Statement[], action: string): unknown[] =>
  statements.filter((st) => list(st.Action).includes(action)).flatMap((st) => list(st.Resource));

/** Every machine the manifest names: workflow and watch machines with their definition. */
function machinesOfManifest(): Array<{ name: string; definition: string; workflow: ManifestWorkflow }> {
  return workflows().flatMap((w) => [
    { name: w.stateMachineName, definition: w.definition, workflow: w },
    ...(w.watch ? [{ name: w.watch.stateMachineName, definition: w.watch.definition, workflow: w }] : []),
  ]);
}

/** Every state machine the build deploys: the workflows' and watch machines, and the platform's backfill machine and dispatcher. */
function allMachines(): string[] {
  return [...machinesOfManifest().map((m) => m.name), 'acme-lakestep-backfill', 'acme-lakestep-dispatcher'];
}

const readDefinition = (path: string): unknown => JSON.parse(readFileSync(join(buildDir, path), 'utf8'));

describe('example platform: stacks', () => {
  it('compiles every use case and synthesizes one stack per use case plus the platform', () => {
    expect(manifest.quarantined).toEqual([]);
    expect(s.built.notices).toEqual([]);
    const expected = ['acme-platform', ...manifest.useCases.map((u) => `acme-${u.name}`)].sort();
    expect([...s.templates.keys()].sort()).toEqual(expected);
  });

  it('passes cdk-nag with no unacknowledged finding and no error annotation', () => {
    const report = JSON.parse(readFileSync(join(s.assembly.directory, 'validation-report.json'), 'utf8'));
    const open = (report.pluginReports as any[]).flatMap((r) => r.violations ?? r.conclusion?.violations ?? []);
    expect(open).toEqual([]);
    expect(s.assembly.stacks.flatMap((st) => st.messages).filter((m) => m.level === 'error')).toEqual([]);
  });

  it('creates exactly the IAM roles the compiler counts against the account quota (src/build/iam-quota.ts)', () => {
    // The example has a watch machine, a DataSync transfer of a location, a table optimizer role and a dispatcher.
    expect(resourcesOfType(s, 'AWS::IAM::Role')).toHaveLength(manifestRoles(manifest));
  });

  it('reports the roles of each stack in its LakestepRoles output, as many as the compile counts for it (what deploy compares)', () => {
    for (const [stack, t] of s.json) {
      const roles = Object.values(t.Resources).filter((r) => r.Type === 'AWS::IAM::Role').length;
      expect(t.Outputs?.[ROLES_OUTPUT]?.Value, stack).toBe(String(roles));
      const u = manifest.useCases.find((x) => `acme-${x.name}` === stack);
      expect(roles, stack).toBe(u ? manifestUseCaseRoles(u, manifest.platform) : platformRoles(manifest.platform, manifest.machines));
    }
  });

  it('keeps every stack far below the CloudFormation limits', () => {
    for (const [name, t] of s.json) {
      expect(Object.keys(t.Resources).length, name).toBeLessThan(500);
      expect(JSON.stringify(t).length, name).toBeLessThan(1_000_000);
    }
  });
});

describe('example platform: state machines', () => {
  it('creates every machine of the manifest: STANDARD (the dispatcher EXPRESS), customer-managed KMS, logging ALL, traced', () => {
    const machines = resourcesOfType(s, 'AWS::StepFunctions::StateMachine');
    expect(machines.map((m) => m.props.StateMachineName).sort()).toEqual(allMachines().sort());
    const key = s.json.get('acme-platform')!.Resources;
    const keyId = Object.entries(key).find(([, r]) => r.Type === 'AWS::KMS::Key')![0];
    for (const { props } of machines) {
      expect(props.StateMachineType).toBe(props.StateMachineName === manifest.machines!.dispatcher!.stateMachineName ? 'EXPRESS' : 'STANDARD');
      expect(props.EncryptionConfiguration.Type).toBe('CUSTOMER_MANAGED_KMS_KEY');
      expect(JSON.stringify(props.EncryptionConfiguration.KmsKeyId)).toContain(keyId);
      expect(props.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
      expect(props.LoggingConfiguration.Destinations).toHaveLength(1);
      expect(props.TracingConfiguration).toEqual({ Enabled: true });
    }
  });

  it('inlines each compiled definition unchanged (without its indentation) and fills every placeholder it uses', () => {
    for (const m of machinesOfManifest()) {
      const { props } = machine(m.name);
      expect(props.DefinitionString).toBe(JSON.stringify(JSON.parse(readFileSync(join(buildDir, m.definition), 'utf8'))));
      const subs = props.DefinitionSubstitutions ?? {};
      const used = [...(props.DefinitionString as string).matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((x) => x[1]!);
      for (const name of used) expect(subs, `${m.name}: \${${name}}`).toHaveProperty(name);
      for (const value of Object.values(subs)) expect(JSON.stringify(value)).not.toContain('${');
    }
  });

  // DefinitionSubstitutions replace only an unescaped `${Name}`: a `$\{Name\}` written inside an
  // intrinsic function's string literal would reach AWS as the literal text `${Name}`.
  it('leaves no placeholder escaped out of reach of DefinitionSubstitutions', () => {
    for (const m of machinesOfManifest()) {
      const text = readFileSync(join(buildDir, m.definition), 'utf8');
      expect(text, m.definition).not.toMatch(/\$\\\\\{[A-Za-z0-9_]+\\\\\}/);
    }
  });

  it('tags every machine with use case, owner, dag and spec file; the spec hash and version are outputs of its stack', () => {
    for (const u of manifest.useCases) {
      for (const w of u.workflows) {
        const tags = Object.fromEntries((machine(w.stateMachineName).props.Tags as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value]));
        expect(tags).toMatchObject({ 'lakestep:use-case': u.name, 'lakestep:owner': u.owner, 'lakestep:dag': w.name, 'lakestep:spec-file': w.specFile });
        expect(Object.keys(tags)).not.toContain('lakestep:spec-hash');
        expect(Object.keys(tags)).not.toContain('lakestep:version');
      }
      expect(s.json.get(`acme-${u.name}`)!.Outputs).toMatchObject({ [SPEC_HASH_OUTPUT]: { Value: u.specHash }, [VERSION_OUTPUT]: { Value: manifest.lakestepVersion } });
    }
    expect(s.json.get('acme-platform')!.Outputs).toMatchObject({ [VERSION_OUTPUT]: { Value: manifest.lakestepVersion } });
  });

  it('an edit to a spec that changes no resource, or another lakestep version, leaves every resource of every stack as it was: only outputs change', () => {
    // A comment added at the end of orders' orchestration.yaml (no line above it moves), compiled by another version.
    const sources = exampleSources().map((f) => (f.path === 'orders/orchestration.yaml' ? { ...f, text: `${f.text}\n# reviewed\n` } : f));
    const result = compile(sources, { lakestepVersion: '99.0.0' });
    expect(result.quarantined).toEqual([]);
    const editedDir = mkdtempSync(join(tmpdir(), 'lakestep-build-'));
    writeBuild(editedDir, result.files);
    const edited = synthesize(editedDir, { nagChecks: false });
    expect([...edited.json.keys()].sort()).toEqual([...s.json.keys()].sort());
    for (const [stack, template] of s.json) {
      const after = edited.json.get(stack)!;
      expect(after.Resources, stack).toEqual(template.Resources);
      const changed = Object.keys(template.Outputs ?? {}).filter((k) => JSON.stringify(template.Outputs![k]) !== JSON.stringify(after.Outputs?.[k]));
      expect(changed.sort(), stack).toEqual(stack === 'acme-orders' ? [INPUTS_HASH_OUTPUT, SPEC_HASH_OUTPUT, VERSION_OUTPUT] : [INPUTS_HASH_OUTPUT, VERSION_OUTPUT]);
    }
  });
});

describe('example platform: least privilege', () => {
  it('lets a dag with max_active_runs list the executions of its own machine only', () => {
    const gated = workflows().filter((w) => readFileSync(join(buildDir, w.definition), 'utf8').includes('aws-sdk:sfn:listExecutions'));
    const names = gated.map((w) => w.stateMachineName).sort();
    expect(names).toEqual(['acme-clickstream-clickstream-ingestion', 'acme-orders-orders-ingestion']);
    for (const m of allMachines()) {
      const listed = resourcesFor(roleStatements(m), 'states:ListExecutions').map((r) => JSON.stringify(r));
      if (names.includes(m)) {
        expect(listed, m).toHaveLength(1);
        expect(listed[0], m).toMatch(new RegExp(`:stateMachine:${m}"\\]`));
      } else expect(listed, m).toEqual([]);
    }
  });

  it("allows each machine exactly the integrations its definition uses, plus the key, logging and X-Ray", () => {
    for (const m of machinesOfManifest()) {
      const resources = taskResources(readDefinition(m.definition));
      for (const r of resources) expect(INTEGRATION_ACTIONS, `${m.name}: ${r}`).toHaveProperty([r]);
      const expected = [...new Set([...resources.flatMap((r) => INTEGRATION_ACTIONS[r]!), ...SERVICE_ACTIONS])].sort();
      expect(actionsOf(roleStatements(m.name)), m.name).toEqual(expected);
    }
  });

  it('uses every integration lakestep emits somewhere in the example platform', () => {
    const used = new Set(machinesOfManifest().flatMap((m) => taskResources(readDefinition(m.definition))));
    for (const r of [
      'arn:aws:states:::emr-serverless:startJobRun.sync',
      'arn:aws:states:::aws-sdk:emrserverless:startJobRun',
      'arn:aws:states:::aws-sdk:emrserverless:listJobRuns',
      'arn:aws:states:::aws-sdk:datasync:startTaskExecution',
      'arn:aws:states:::aws-sdk:datasync:describeTaskExecution',
      'arn:aws:states:::dynamodb:putItem',
      'arn:aws:states:::dynamodb:updateItem',
      'arn:aws:states:::aws-sdk:s3:getObject',
      'arn:aws:states:::states:startExecution',
    ]) {
      expect(used, r).toContain(r);
    }
  });

  it('lets the streaming ingestion list job runs and start a run without .sync (no managed rule)', () => {
    const st = roleStatements('acme-clickstream-clickstream-ingestion');
    expect(actionsOf(st)).toContain('emr-serverless:ListJobRuns');
    const list = resourcesFor(st, 'emr-serverless:ListJobRuns').map((r) => JSON.stringify(r));
    expect(list).toHaveLength(1);
    expect(list[0]).toMatch(/\/applications\//);
    expect(list[0]).not.toContain('jobruns');
  });

  it('gives spark dags no DataSync, S3 or gates permission, and may start only themselves (a dated run restarted under its name)', () => {
    const gatesArn = (t: unknown) => JSON.stringify(t).includes('TablesGates');
    for (const w of workflows().filter((x) => x.kind === 'spark')) {
      const st = roleStatements(w.stateMachineName);
      expect(actionsOf(st).filter((a) => /^(datasync|s3):/.test(a)), w.name).toEqual([]);
      expect(actionsOf(st).filter((a) => /^states:/.test(a)), w.name).toEqual(['states:StartExecution']);
      expect(JSON.stringify(resourcesFor(st, 'states:StartExecution')), w.name).toContain(`:stateMachine:${w.stateMachineName}`);
      expect(resourcesFor(st, 'states:StartExecution'), w.name).toHaveLength(1);
      expect(st.flatMap((x) => list(x.Resource)).some(gatesArn), w.name).toBe(false);
    }
  });

  it('scopes DataSync to the tasks the workflow lists, each named once for starting and polling it, the task ARN coming from a Map item', () => {
    for (const w of workflows().filter((x) => x.resources.datasync.length > 0)) {
      const st = roleStatements(w.stateMachineName);
      const started = resourcesFor(st, 'datasync:StartTaskExecution');
      expect(started, w.name).toHaveLength(w.resources.datasync.length);
      expect(resourcesFor(st, 'datasync:DescribeTaskExecution'), w.name).toEqual(started);
      for (const d of w.resources.datasync) {
        // `<task ARN>*`: the task, and its executions `<task ARN>/execution/<id>`.
        if ('taskArn' in d) expect(started, w.name).toContain(`${d.taskArn}*`);
      }
    }
  });

  it("scopes result reads to the workflow's own lakestep/results/<use case>/<dag>/ of the artifacts bucket and watermark updates to the watermarks table", () => {
    for (const w of workflows().filter((x) => x.kind === 'migration')) {
      const st = roleStatements(w.stateMachineName);
      const reads = resourcesFor(st, 's3:GetObject').map((r) => JSON.stringify(r));
      expect(reads, w.name).toHaveLength(1);
      expect(reads[0]).toMatch(new RegExp(`BucketsArtifacts.*/lakestep/results/[a-z]+/${w.name}/\\*`));
      const updates = resourcesFor(st, 'dynamodb:UpdateItem').map((r) => JSON.stringify(r));
      expect(updates, w.name).toHaveLength(1);
      expect(updates[0]).toContain('TablesWatermarks');
    }
  });

  it('alarms on each freshness SLA: no TablePublished data point for its age notifies the platform topic', () => {
    // Besides them, the platform's one alarm: on the dispatcher's failed runs (test/infra/app.test.ts).
    const dispatcherAlarm = `${manifest.machines!.dispatcher!.stateMachineName}-failed`;
    const alarms = resourcesOfType(s, 'AWS::CloudWatch::Alarm').filter((a) => a.props.AlarmName !== dispatcherAlarm);
    expect(resourcesOfType(s, 'AWS::CloudWatch::Alarm').filter((a) => a.props.AlarmName === dispatcherAlarm).map((a) => a.stack)).toEqual([`${manifest.platform.prefix}-platform`]);
    const expected = manifest.useCases.flatMap((u) => (u.freshness ?? []).map((a) => ({ useCase: u.name, ...a })));
    expect(expected.length).toBeGreaterThan(0);
    expect(alarms.map((a) => a.props.AlarmName).sort()).toEqual(expected.map((a) => a.name).sort());
    for (const a of expected) {
      const alarm = alarms.find((x) => x.props.AlarmName === a.name)!;
      // In the stack of its use case, on the metric the workflows put at each publish.
      expect(alarm.stack).toContain(`-${a.useCase}`);
      expect(alarm.props).toMatchObject({
        Namespace: 'Lakestep',
        MetricName: 'TablePublished',
        Dimensions: [{ Name: 'Platform', Value: manifest.platform.prefix }, { Name: 'Table', Value: a.table }],
        Statistic: 'Sum',
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
        EvaluationPeriods: a.evaluationPeriods,
        DatapointsToAlarm: a.evaluationPeriods,
      });
      // The whole age is evaluated, within CloudWatch's limits: ≤ 1 day for periods under an hour, ≤ 7 days in all.
      expect(alarm.props.Period * alarm.props.EvaluationPeriods).toBeGreaterThanOrEqual(a.afterSeconds);
      expect(alarm.props.Period * alarm.props.EvaluationPeriods).toBeLessThanOrEqual(alarm.props.Period < 3600 ? 86_400 : 7 * 86_400);
      expect(JSON.stringify(alarm.props.AlarmActions)).toContain('Notifications');
      expect(alarm.props.OKActions).toEqual(alarm.props.AlarmActions);
    }
    // The encrypted topic lets CloudWatch alarms of this account publish.
    const policies = resourcesOfType(s, 'AWS::SNS::TopicPolicy').flatMap((p) => p.props.PolicyDocument.Statement as (Statement & { Principal?: unknown })[]);
    expect(policies.some((st) => JSON.stringify(st.Principal).includes('cloudwatch.amazonaws.com') && list(st.Action).includes('sns:Publish'))).toBe(true);
  });

  it('uses Resource "*" only for the documented actions', () => {
    const statements: Statement[] = [
      ...resourcesOfType(s, 'AWS::IAM::Policy').flatMap((p) => p.props.PolicyDocument.Statement),
      ...resourcesOfType(s, 'AWS::IAM::Role').flatMap((r) => (r.props.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement)),
      ...resourcesOfType(s, 'AWS::IAM::ManagedPolicy').flatMap((p) => p.props.PolicyDocument.Statement),
    ];
    const star = statements.filter((st) => list(st.Resource).includes('*'));
    expect(star.length).toBeGreaterThan(0);
    for (const st of star) for (const a of list(st.Action)) expect(DOCUMENTED_STAR_ACTIONS, a).toContain(a);
  });

  it("lets only the payments Spark job role decrypt with its secrets' KMS key, and only through Secrets Manager of eu-west-1", () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1b2c3d4e-5f60-4718-92a3-b4c5d6e7f809';
    const decrypting = resourcesOfType(s, 'AWS::IAM::Role')
      .filter((r) => JSON.stringify(r.props.Policies ?? []).includes(key))
      .map((r) => [r.stack, (r.props.Policies as any[]).flatMap((p) => p.PolicyDocument.Statement as Statement[]).filter((st) => JSON.stringify(st.Resource).includes(key))]);
    expect(decrypting).toEqual([['acme-payments', [{ Action: 'kms:Decrypt', Effect: 'Allow', Resource: key, Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } } }]]]);
  });

  it('limits "*" in the key policy to the account and to service principals bound to this account', () => {
    const [key] = resourcesOfType(s, 'AWS::KMS::Key');
    for (const st of key!.props.KeyPolicy.Statement as Array<Statement & { Principal: any }>) {
      if (st.Principal.AWS) {
        expect(JSON.stringify(st.Principal.AWS)).toContain(':root');
        continue;
      }
      expect(st.Principal.Service).toBeDefined();
      expect(st.Condition, JSON.stringify(st.Principal)).toBeDefined();
    }
  });
});

describe('example platform: encryption at rest', () => {
  it('encrypts every bucket with the platform key, except the access-log bucket (SSE-S3: S3 server access logging requires it)', () => {
    const buckets = resourcesOfType(s, 'AWS::S3::Bucket');
    const sse = (b: (typeof buckets)[number]) => b.props.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault;
    const kms = buckets.filter((b) => sse(b).SSEAlgorithm === 'aws:kms' && sse(b).KMSMasterKeyID);
    const s3 = buckets.filter((b) => sse(b).SSEAlgorithm === 'AES256');
    expect(kms.map((b) => b.props.BucketName).sort()).toEqual(Object.values(manifest.platform.buckets).sort());
    expect(s3).toHaveLength(1);
    expect(buckets).toHaveLength(kms.length + 1);
    for (const b of kms) expect(b.props.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: s3[0]!.id });
  });

  it('encrypts every table, topic and log group with the platform key', () => {
    const tables = resourcesOfType(s, 'AWS::DynamoDB::Table');
    expect(tables.map((t) => t.props.TableName).sort()).toEqual(Object.values(manifest.platform.dynamodb).sort());
    for (const t of tables) expect(t.props.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: expect.anything() });
    const topics = resourcesOfType(s, 'AWS::SNS::Topic');
    // The platform topic, and one per dag with `notification.emails` of its own.
    const dagTopics = manifest.useCases.flatMap((u) => u.workflows).filter((w) => w.notificationEmails?.length);
    expect(dagTopics.length).toBeGreaterThan(0);
    expect(topics).toHaveLength(1 + dagTopics.length);
    for (const t of topics) expect(t.props.KmsMasterKeyId).toBeDefined();
    const groups = resourcesOfType(s, 'AWS::Logs::LogGroup');
    // State machines, DataSync, and the upload function of every stack that uploads files.
    expect(groups.length).toBe(2 + resourcesOfType(s, 'AWS::Lambda::Function').length);
    for (const g of groups) expect(g.props.KmsKeyId, `${g.stack}/${g.id}`).toBeDefined();
  });

  it('keys the tables as the ASL writes them: watermarks pk, runs and gates pk + sk', () => {
    const byName = Object.fromEntries(resourcesOfType(s, 'AWS::DynamoDB::Table').map((t) => [t.props.TableName, t.props.KeySchema]));
    const { dynamodb } = manifest.platform;
    expect(byName[dynamodb.watermarks]).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    for (const t of [dynamodb.runs, dynamodb.gates]) {
      expect(byName[t]).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
    }
  });
});

describe('example platform: DataSync, join machines, rules', () => {
  it('creates the DataSync transfer process_orders.order_status asks for and fills its placeholder', () => {
    const wf = workflows().find((w) => w.resources.datasync.some((d) => d.table === 'process_orders.order_status'))!;
    const created = wf.resources.datasync.find((d) => d.table === 'process_orders.order_status')!;
    expect('location' in created).toBe(true);
    if (!('location' in created)) return;
    const tasks = resourcesOfType(s, 'AWS::DataSync::Task');
    expect(tasks).toHaveLength(1);
    const task = tasks[0]!;
    expect(task.props.Name).toBe(`${wf.stateMachineName}-process_orders.order_status`);
    const m = machine(wf.stateMachineName);
    expect(m.stack).toBe(task.stack);
    expect(m.props.DefinitionSubstitutions[created.placeholder]).toEqual({ 'Fn::GetAtt': [task.id, 'TaskArn'] });
    expect(resourcesFor(roleStatements(wf.stateMachineName), 'datasync:StartTaskExecution')).toContainEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [task.id, 'TaskArn'] }, '*']] });
    const t = s.templates.get(task.stack)!;
    t.hasResourceProperties('AWS::DataSync::LocationHDFS', {
      NameNodes: [{ Hostname: created.location.hostname, Port: created.location.port }],
      AgentArns: created.location.agentArns,
      Subdirectory: created.location.subdirectory,
      SimpleUser: created.location.simpleUser,
    });
    t.hasResourceProperties('AWS::DataSync::LocationS3', { Subdirectory: '/orders/order_status/' });
  });

  it('has no join machine: every dependency is a route of its downstream, read by the dispatcher', () => {
    const dependent = workflows().filter((w) => w.dependsOn.length > 0 && w.enabled);
    expect(dependent.length).toBeGreaterThan(0);
    for (const w of dependent) expect((w.routes ?? []).length, w.name).toBe(new Set(w.dependsOn).size);
    const params = resourcesOfType(s, 'AWS::SSM::Parameter').map((p) => p.props.Name as string);
    expect(params.sort()).toEqual(dependent.flatMap((w) => (w.routes ?? []).map((r) => r.Name)).sort());
    const st = roleStatements('acme-lakestep-dispatcher');
    expect(JSON.stringify(resourcesFor(st, 'dynamodb:UpdateItem'))).toContain('TablesGates');
  });

  it('creates the watch machine of orders-upserts (max_duration), allowed only to read its executions and publish to the topic; orders-upserts may start it', () => {
    const wf = workflows().find((w) => w.name === 'orders-upserts')!;
    expect(wf.watch?.stateMachineName).toBe('acme-orders-orders-upserts-slow');
    const st = roleStatements(wf.watch!.stateMachineName);
    expect(actionsOf(st).filter((a) => !SERVICE_ACTIONS.includes(a))).toEqual(['sns:Publish', 'states:DescribeExecution']);
    // Its own dag's executions only: `execution:<machine>:<name>`, not the slow machine's own nor another dag's.
    expect(resourcesFor(st, 'states:DescribeExecution').map((r) => JSON.stringify(r))).toEqual([expect.stringMatching(/:execution:acme-orders-orders-upserts:\*"\]\]\}$/)]);
    const starts = JSON.stringify(resourcesFor(roleStatements(wf.stateMachineName), 'states:StartExecution'));
    expect(starts).toMatch(/:stateMachine:acme-orders-orders-upserts-slow"/);
    expect(machine(wf.watch!.stateMachineName)).toBeDefined();
  });

  it("deploys the manifest's one rule, in the platform stack, with placeholders only inside Fn::Sub", () => {
    const rules = resourcesOfType(s, 'AWS::Events::Rule');
    const rule = manifest.machines!.dispatcher!.rule;
    expect(rules.map((r) => [r.stack, r.props.Name])).toEqual([['acme-platform', rule.Name]]);
    expect(rules[0]!.props.State).toBe(rule.State);
    expect(rules[0]!.props.Description).toBe(rule.Description);
    const literal = (v: unknown): string[] =>
      typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(literal) : v && typeof v === 'object'
        ? Object.entries(v).flatMap(([k, x]) => (k === 'Fn::Sub' ? [] : literal(x))) : [];
    for (const r of rules) for (const text of literal(r.props)) expect(text).not.toContain('${');
  });
});

describe('example platform: cross-stack references', () => {
  const exportsOf = (x: Synthesized) =>
    Object.values((x.json.get('acme-platform') as { Outputs?: Record<string, { Export?: { Name: string } }> }).Outputs ?? {})
      .flatMap((o) => (o.Export ? [o.Export.Name] : []))
      .sort();

  it('imports into use-case stacks only what the platform exports', () => {
    const exported = new Set(exportsOf(s));
    for (const [name, t] of s.json) {
      const imports = [...JSON.stringify(t).matchAll(/"Fn::ImportValue":"([^"]+)"/g)].map((m) => m[1]!);
      for (const i of imports) expect(exported, `${name} imports ${i}`).toContain(i);
    }
  });

  it('exports the same values when a use case is quarantined, so its deployed stack keeps its imports', () => {
    // orders is the only use case with a DataSync transfer (the only importer of the DataSync log group).
    const { buildDir: quarantined } = compileToBuild(exampleSources('orders'));
    const q = synthesize(quarantined, { nagChecks: false });
    expect(q.built.quarantined).toEqual(['orders']);
    expect(q.built.notices[0]).toMatch(/"orders" is quarantined.*left untouched/);
    expect([...q.templates.keys()]).not.toContain('acme-orders');
    expect(exportsOf(q)).toEqual(exportsOf(s));
  });
});

describe('example platform: schedule starter and backfill machine', () => {
  const starter = () => resourcesOfType(s, 'AWS::Lambda::Function').find((f) => f.props.FunctionName === 'acme-schedule-starter')!;
  const statementsOf = (roleLogicalId: string, stack: string): Statement[] =>
    resourcesOfType(s, 'AWS::IAM::Policy')
      .filter((p) => p.stack === stack && (p.props.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleLogicalId })))
      .flatMap((p) => p.props.PolicyDocument.Statement as Statement[]);

  it('one starter per platform: the bundled handler on the latest Node.js runtime, with a dead-letter queue', () => {
    const fn = starter();
    expect(fn.stack).toBe('acme-platform');
    expect(fn.props).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler' });
    expect(JSON.stringify(fn.props.DeadLetterConfig)).toContain('ScheduleStarterDeadLetters');
    expect(resourcesOfType(s, 'AWS::SQS::Queue').find((q) => q.props.QueueName === 'acme-schedule-starter-dead-letters')?.props.KmsMasterKeyId).toBeDefined();
  });

  it('the starter may describe and start executions of the platform machines only', () => {
    const fn = starter();
    const st = statementsOf(fn.props.Role['Fn::GetAtt'][0], fn.stack);
    expect(JSON.stringify(resourcesFor(st, 'states:StartExecution'))).toMatch(/:stateMachine:acme-\*"/);
    expect(JSON.stringify(resourcesFor(st, 'states:DescribeExecution'))).toMatch(/:execution:acme-\*:\*"/);
    expect(actionsOf(st).filter((a) => !a.startsWith('logs:') && !a.startsWith('sqs:') && !a.startsWith('kms:'))).toEqual(['states:DescribeExecution', 'states:StartExecution']);
    // Nothing but Scheduler's role invokes it: no resource policy.
    expect(resourcesOfType(s, 'AWS::Lambda::Permission').filter((p) => p.stack === 'acme-platform' && JSON.stringify(p.props.FunctionName).includes('ScheduleStarter'))).toEqual([]);
  });

  it('every schedule is an EventBridge Scheduler schedule of the platform group, invoking the starter with its role, retries and dead-letter queue', () => {
    expect(resourcesOfType(s, 'AWS::Events::Rule').filter((r) => r.props.ScheduleExpression !== undefined)).toEqual([]);
    const groups = resourcesOfType(s, 'AWS::Scheduler::ScheduleGroup');
    expect(groups.map((g) => [g.stack, g.props.Name])).toEqual([['acme-platform', 'acme']]);
    const schedules = resourcesOfType(s, 'AWS::Scheduler::Schedule');
    expect(schedules.length).toBe(workflows().reduce((n, w) => n + (w.schedules?.length ?? 0), 0));
    for (const { props } of schedules) {
      expect(JSON.stringify(props.GroupName), props.Name).toMatch(/ScheduleStarterGroup/);
      expect(JSON.stringify(props.Target.Arn), props.Name).toMatch(/ScheduleStarterFunction.*Arn/);
      expect(JSON.stringify(props.Target.RoleArn), props.Name).toMatch(/SchedulerRole.*Arn/);
      expect(JSON.stringify(props.Target.DeadLetterConfig.Arn), props.Name).toMatch(/DeadLetters.*Arn/);
      expect(props.Target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 });
      expect(JSON.stringify(props.Target.Input)).toContain('<aws.scheduler.scheduled-time>');
    }
    // Scheduler's role may invoke the starter and send to the dead-letter queue, nothing else.
    const role = resourcesOfType(s, 'AWS::IAM::Role').find((r) => JSON.stringify(r.props.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'))!;
    const st = statementsOf(role.id, role.stack);
    expect(actionsOf(st).filter((a) => !a.startsWith('kms:'))).toEqual(['lambda:InvokeFunction', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
  });

  it('the backfill machine may start and follow runs of the platform machines, and run its own map', () => {
    const st = roleStatements('acme-lakestep-backfill');
    expect(actionsOf(st)).toEqual(expect.arrayContaining(['states:StartExecution', 'states:DescribeExecution', 'states:StopExecution', 'events:PutRule', 'events:PutTargets', 'events:DescribeRule']));
    expect(JSON.stringify(resourcesFor(st, 'events:PutRule'))).toContain('rule/StepFunctionsGetEventsForStepFunctionsExecutionRule');
  });

  it('bundles the starter without the AWS SDK, which the runtime provides', async () => {
    const { starterCode } = await import('../../infra/platform/schedule-starter.ts');
    const code = starterCode();
    expect(code).toMatch(/from "@aws-sdk\/client-sfn"/);
    expect(code).toContain('scheduled_time');
    expect(code).not.toContain('aws-cdk-lib');
  });
});
