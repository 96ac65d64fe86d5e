/** Small hand-built IR objects and Step Functions events for the rule tests. */
import type { Origin } from '../../src/diagnostics.ts';
import type { MaintenanceTask, MaintenanceTaskKind, Platform, Workflow, WorkflowBody } from '../../src/ir/types.ts';

export const origin = (file = 'orders/orchestration.yaml', line = 3): Origin => ({ file, line, column: 5, pointer: '/dags/0' });

export function platform(overrides: Partial<Platform> = {}): Platform {
  return {
    prefix: 'acme',
    region: 'eu-west-1',
    catalog: 'glue',
    buckets: { landing: 'l', raw: 'r', process: 'p', analytics: 'a', artifacts: 'x' },
    emr: { releaseLabel: 'emr-7.5.0', maxVcpu: 16, maxMemoryGb: 64, idleTimeoutMinutes: 15 },
    dynamodb: { watermarks: 'w', runs: 'r', gates: 'g' },
    notifications: { topicName: 'acme-notifications', emails: [] },
    defaults: {
      retries: 2,
      timeoutSeconds: 3600,
      sparkSubmitParameters: '',
      gateTtlSeconds: 86400,
      datasyncPollSeconds: 30,
      datasyncPollMaxSeconds: 300,
      logicalDate: 'interval',
    },
    tags: {},
    databaseOwners: {},
    governance: 'iam',
    quality: { branchRetentionDays: 7, publishAttempts: 3 },
    grants: { checked: true, externalLocations: [], sharedSecrets: [], sharedDataSyncTasks: [] },
    origin: origin('platform.yaml', 1),
    ...overrides,
  };
}

const sparkBody: WorkflowBody = {
  kind: 'spark',
  spark: { entrypoint: 's3://a/job.py', reads: { tables: [], paths: [] }, writes: { tables: [], paths: [] }, arguments: [], sparkSubmitParameters: '', timeoutSeconds: 60, origin: origin() },
};

/** A minimal enabled workflow of use case `orders`; `dependsOn` as `dag` or `use-case/dag`. */
export function workflow(
  name: string,
  opts: Partial<Omit<Workflow, 'dependsOn'>> & { dependsOn?: string[] } = {},
): Workflow {
  const useCase = opts.useCase ?? 'orders';
  const { dependsOn = [], ...rest } = opts;
  return {
    useCase,
    name,
    type: 'transformation',
    stateMachineName: `acme-${useCase}-${name}`,
    tags: [],
    notification: { onSuccess: false, onFailure: false, emails: [] },
    logicalDate: 'interval',
    retries: 2,
    timeoutSeconds: 3600,
    enabled: true,
    body: sparkBody,
    configFile: `${useCase}/orchestration.yaml`,
    origin: origin(),
    ...rest,
    dependsOn: dependsOn.map((ref) => {
      const [a, b] = ref.split('/');
      return b === undefined ? { useCase, dag: ref, origin: origin() } : { useCase: a ?? '', dag: b, origin: origin() };
    }),
  };
}

export function maintenanceTask(kind: MaintenanceTaskKind, table: string, schedule: string): MaintenanceTask {
  return { kind, table: { database: 'raw_orders', table }, schedule, options: {}, origin: origin('orders/maintenance.yaml') };
}

export const ACCOUNT = { Partition: 'aws', Region: 'eu-west-1', Account: '123456789012' };

/** Fills `${Placeholder}`s the way infra's definitionSubstitutions do. */
export function substitute(text: string, values: Record<string, string> = ACCOUNT): string {
  return text.replace(/\$\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** A Step Functions "Execution Status Change" event, shaped like the documented ones. */
export function statusEvent(stateMachineName: string, status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const machine = `arn:aws:states:eu-west-1:123456789012:stateMachine:${stateMachineName}`;
  const execution = `arn:aws:states:eu-west-1:123456789012:execution:${stateMachineName}:2026-11-26T060000Z`;
  return {
    version: '0',
    id: '315c1398-40ff-a850-213b-158f73e60175',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '123456789012',
    time: '2026-11-26T06:42:21Z',
    region: 'eu-west-1',
    resources: [execution],
    detail: {
      executionArn: execution,
      stateMachineArn: machine,
      name: '2026-11-26T060000Z',
      status,
      startDate: 1551225146847,
      stopDate: status === 'RUNNING' ? null : 1551225151881,
      input: '{"trigger":"schedule","logical_date":"2026-11-26T06:00:00Z"}',
      inputDetails: { included: true },
      output: status === 'SUCCEEDED' ? '{"run":{"ds":"2026-11-26"}}' : null,
      outputDetails: status === 'SUCCEEDED' ? { included: true } : null,
      ...extra,
    },
  };
}

/** A pattern with its ARNs filled in, as deployed. */
export function deployedPattern(pattern: unknown): unknown {
  return JSON.parse(substitute(JSON.stringify(pattern)));
}
