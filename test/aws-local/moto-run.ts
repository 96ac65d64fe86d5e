/**
 * Runs a case on moto. moto cannot deliver EventBridge events to Step Functions, so this
 * harness is the bus: when an execution ends, its status-change event goes through the
 * platform's compiled rule (lakestep's pattern matcher, the simulator's input transformer)
 * and its target, the dispatcher, is started with the event; the dispatcher then runs on
 * moto and reads the routes and tags deploy.ts created.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
import { CancelTaskExecutionCommand, DescribeTaskCommand } from '@aws-sdk/client-datasync';
import { DeleteItemCommand, PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { matchEventPattern, type RuleDefinition } from '../../src/index.ts';
import { targetInput } from '../../src/simulator/index.ts';
import { firstEntries, type Case, type ObservedExecution, type Observation, type OperatorStep } from './cases.ts';
import { backfill } from '../../src/ops/backfill.ts';
import { runWorkflow } from '../../src/ops/run.ts';
import type { ExecutionApi } from '../../src/starter/executions.ts';
import { sfnExecutions } from '../../src/starter/sfn.ts';
import { bundledStarter, starterRequest } from './starter.ts';
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { operatorTarget } from './operator-target.ts';
import { MOTO_ACCOUNT } from './clients.ts';
import { substitute, type Deployment } from './deploy.ts';
import { caseTimes, normalizeExecutions, normalizeItems } from './normalize.ts';
import { pollingStates, taskResources } from './rewrite.ts';
import { GATE_WAIT_STATE } from '../../src/asl/gate.ts';
import { awsOutput, MOTO_TASK_FAILED, Worker, type JobBehaviour, type StartRequest } from './worker.ts';

interface Tracked {
  ref: string;
  name: string;
  arn: string;
  input: string;
  done: boolean;
  status?: string;
  error?: string | null;
  cause?: string | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One deployment on moto, its worker, and the cases it ran. */
export class MotoRunner {
  private readonly worker: Worker;
  private readonly caseOf = new Map<string, Case>();
  /** The executions of each case that runs, including those its executions start. */
  private readonly tracked = new Map<Case, Tracked[]>();
  private readonly rules: RuleDefinition[];
  private seq = 0;

  constructor(readonly deployment: Deployment) {
    const d = deployment;
    // The platform's one rule: every end of a workflow's execution goes to the dispatcher.
    const rule = d.manifest.machines?.dispatcher?.rule;
    this.rules = rule ? [substitute(rule, d.placeholders)] : [];
    const none: JobBehaviour = { failedJobs: new Set(), watermarks: {}, checks: {} };
    this.worker = new Worker(
      d.clients,
      d.queueUrl,
      d.manifest.platform.buckets.artifacts,
      (arn) => (this.caseOf.has(arn) ? `${this.caseOf.get(arn)?.scenario}|${this.caseOf.get(arn)?.workflow}` : arn),
      (arn) => {
        const c = this.caseOf.get(arn);
        return c ? { failedJobs: new Set(c.failedJobs ?? []), watermarks: {}, checks: c.failedChecks ?? {} } : none;
      },
      (caller, request) => this.startFrom(caller, request),
    );
    this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
  }

  private machine(ref: string): Deployment['machines'][number] {
    const m = this.deployment.machines.find((x) => x.ref === ref || x.arn === ref);
    if (!m) throw new Error(`No state machine ${ref}`);
    return m;
  }

  /** A `states:startExecution` task of execution `caller`: started and tracked with its case. */
  private async startFrom(caller: string, request: StartRequest): Promise<string> {
    const c = this.caseOf.get(caller);
    const tracked = c ? this.tracked.get(c) : undefined;
    if (!c || !tracked) throw new Error(`startExecution from ${caller}, which belongs to no running case`);
    const input = typeof request.Input === 'string' ? request.Input : JSON.stringify(request.Input ?? {});
    return this.start(c, request.StateMachineArn, request.Name ?? this.generatedName(), input, tracked);
  }

  private async start(c: Case, ref: string, name: string, input: string, tracked: Tracked[]): Promise<string> {
    const m = this.machine(ref);
    const arn = `arn:aws:states:${this.deployment.clients.region}:${MOTO_ACCOUNT}:execution:${m.name}:${name}`;
    this.caseOf.set(arn, c);
    await this.deployment.clients.sfn.send(new StartExecutionCommand({ stateMachineArn: m.arn, name, input }));
    tracked.push({ ref: m.ref, name, arn, input, done: false });
    return arn;
  }

  /** Runs the case and returns what moto did (normalized). */
  async run(c: Case): Promise<Observation> {
    const { clients, manifest } = this.deployment;
    const tables = Object.values(manifest.platform.dynamodb);
    for (const [table, items] of Object.entries(c.seed ?? {})) {
      for (const item of items) await clients.dynamodb.send(new PutItemCommand({ TableName: table, Item: item as Record<string, AttributeValue> }));
    }
    const before = await this.scan(tables);
    await this.notifications(); // what earlier cases left
    const tracked: Tracked[] = [];
    this.tracked.set(c, tracked);
    const cancel = this.cancelTransfers(c);
    try {
      for (const phase of c.phases) {
        if ('start' in phase) for (const s of phase.start) await this.start(c, s.ref, s.name, JSON.stringify(s.input), tracked);
        else if ('fire' in phase) await this.fire(c, phase.fire.ref, phase.fire.at, tracked);
        else if ('operator' in phase) await this.operate(c, phase.operator, tracked);
        else {
          const first = tracked.find((t) => t.ref === phase.redeliver);
          if (!first) throw new Error(`${phase.redeliver} never started, nothing to deliver again`);
          await this.start(c, first.ref, this.generatedName(), first.input, tracked);
        }
        await this.settle(c, tracked);
      }
    } finally {
      cancel.stop();
      await cancel.done;
    }
    const executions: ObservedExecution[] = [];
    for (const t of tracked) executions.push({ ref: t.ref, name: t.name, status: t.status ?? 'RUNNING', error: t.error ?? null, cause: t.cause ?? null, ...(await this.resources(t)) });
    // Items the case wrote: all new ones when it routed events, else those naming its executions.
    // Every new item is removed afterwards, named or not (a migration guard's empty mark names no
    // execution), so that no case sees what an earlier one left.
    const after = await this.scan(tables);
    const arns = tracked.map((t) => t.arn);
    const seeded = new Set(Object.values(c.seed ?? {}).flat().map((i) => JSON.stringify([i.pk, i.sk])));
    const items: Record<string, Record<string, unknown>[]> = {};
    for (const table of tables) {
      const old = new Set((before[table] ?? []).map((i) => JSON.stringify(i)));
      const fresh = (after[table] ?? []).filter((i) => !old.has(JSON.stringify(i)) || seeded.has(JSON.stringify([i.pk, i.sk])));
      items[table] = c.route ? fresh : fresh.filter((i) => seeded.has(JSON.stringify([i.pk, i.sk])) || arns.some((a) => JSON.stringify(i).includes(a)));
      for (const i of fresh) await clients.dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { pk: i.pk, ...(i.sk ? { sk: i.sk } : {}) } as unknown as Record<string, AttributeValue> }));
    }
    const known = caseTimes(c);
    const mapped = (v: Record<string, unknown>[]): Record<string, unknown>[] => JSON.parse(JSON.stringify(v).split(MOTO_TASK_FAILED).join('States.TaskFailed')) as Record<string, unknown>[];
    return {
      executions: normalizeExecutions(executions, known),
      notifications: await this.notifications(),
      items: Object.fromEntries(Object.entries(items).filter(([, v]) => v.length > 0).map(([t, v]) => [t, normalizeItems(mapped(v), known)])),
    };
  }

  /** The bundled schedule starter, as the schedule would invoke it at `at`; its start is tracked with the case. */
  private async fire(c: Case, ref: string, at: string, tracked: Tracked[]): Promise<void> {
    const d = this.deployment;
    const [useCase, dag] = ref.split('/');
    const schedule = d.manifest.useCases.find((u) => u.name === useCase)?.workflows.find((w) => w.name === dag)?.schedules?.[0];
    if (!schedule) throw new Error(`${ref} has no schedule`);
    // The schedule as moto's Scheduler stores it: its target input, with the scheduled time filled as Scheduler does.
    const stored = await d.clients.scheduler.send(new GetScheduleCommand({ Name: schedule.Name, GroupName: d.placeholders.ScheduleGroupName }));
    const request = starterRequest([{ ...schedule, Target: { ...schedule.Target, Input: stored.Target?.Input ?? '' } }], at);
    const started = await (await bundledStarter(d.endpoint, d.clients.region))(request);
    if (started.outcome !== 'started') return;
    const m = this.machine(ref);
    this.caseOf.set(started.executionArn, c);
    const e = await d.clients.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    tracked.push({ ref: m.ref, name: started.name, arn: started.executionArn, input: e.input ?? '{}', done: false });
  }

  /** An operator command through `src/ops`, its starts made (and tracked) through this runner. */
  private async operate(c: Case, step: OperatorStep, tracked: Tracked[]): Promise<void> {
    const d = this.deployment;
    const sfnApi = sfnExecutions(d.clients.sfn);
    const api: ExecutionApi = {
      describe: (arn) => sfnApi.describe(arn),
      start: async (req) => {
        try {
          const arn = await this.start(c, req.stateMachineArn, req.name, req.input, tracked);
          return { executionArn: arn, startDate: new Date() };
        } catch (e) {
          if ((e as Error).name === 'ExecutionAlreadyExists') return 'taken';
          throw e;
        }
      },
    };
    const target = operatorTarget(d.manifest, step.ref, this.machine(step.ref).arn);
    const now = new Date('2026-12-15T00:00:00Z');
    if (step.command === 'run') await runWorkflow(api, target, { date: step.date, now, ...(step.rerun ? { rerun: true } : {}) });
    else await backfill(api, target, { from: step.from, to: step.to, now, maxConcurrency: step.maxConcurrency ?? 40, sleep, pollSeconds: 0.25 });
  }

  /** Messages on the platform topic since the last call (the SNS envelope of an SQS subscription). */
  private async notifications(): Promise<{ subject: string; message: string }[]> {
    const { clients, notificationQueueUrl: QueueUrl } = this.deployment;
    const out: { subject: string; message: string }[] = [];
    for (;;) {
      const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      if (Messages.length === 0) return out;
      for (const m of Messages) {
        const envelope = JSON.parse(m.Body ?? '{}') as { Subject?: string; Message?: string };
        out.push({ subject: envelope.Subject ?? '', message: envelope.Message ?? '' });
      }
      await clients.sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
    }
  }

  private generatedName(): string {
    return `00000000-0000-4000-8000-${String(++this.seq).padStart(12, '0')}`;
  }

  /** Waits until every tracked execution ended, routing the events of those that did. */
  private async settle(c: Case, tracked: Tracked[]): Promise<void> {
    const deadline = Date.now() + 240_000;
    for (;;) {
      const running = tracked.filter((t) => !t.done);
      if (running.length === 0) return;
      if (Date.now() > deadline) throw new Error(`moto executions still running after 240 s: ${running.map((t) => t.arn).join(', ')}`);
      await sleep(250);
      for (const t of running) {
        const e = await this.deployment.clients.sfn.send(new DescribeExecutionCommand({ executionArn: t.arn }));
        if (e.status === 'RUNNING') continue;
        t.done = true;
        t.status = e.status;
        t.error = e.error === MOTO_TASK_FAILED ? 'States.TaskFailed' : (e.error ?? null);
        t.cause = e.cause ?? null;
        if (!c.route) continue;
        const event = {
          version: '0',
          id: this.generatedName(),
          'detail-type': 'Step Functions Execution Status Change',
          source: 'aws.states',
          account: MOTO_ACCOUNT,
          time: (e.stopDate ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          region: this.deployment.clients.region,
          resources: [t.arn],
          detail: {
            executionArn: t.arn,
            stateMachineArn: e.stateMachineArn,
            name: e.name,
            status: e.status,
            startDate: e.startDate?.getTime(),
            stopDate: e.stopDate?.getTime() ?? null,
            input: e.input,
            output: e.status === 'SUCCEEDED' ? awsOutput(e.output) : null,
            inputDetails: { included: true },
            outputDetails: e.status === 'SUCCEEDED' ? { included: true } : null,
            error: e.error ?? null,
            cause: e.cause ?? null,
          },
        };
        for (const rule of this.rules) {
          if (rule.State !== 'ENABLED' || rule.EventPattern === undefined || !matchEventPattern(rule.EventPattern, event)) continue;
          for (const target of rule.Targets) {
            if (!this.deployment.machines.some((m) => m.arn === target.Arn)) continue;
            const ruleArn = `arn:aws:events:${this.deployment.clients.region}:${MOTO_ACCOUNT}:rule/${rule.Name}`;
            await this.start(c, target.Arn, this.generatedName(), targetInput(target, event, { ruleName: rule.Name, ruleArn }), tracked);
          }
        }
      }
    }
  }

  private async resources(t: Tracked): Promise<{ resources: string[]; entered: number; gateWaits: number }> {
    const index = taskResources(this.machine(t.ref).definition);
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.deployment.clients.sfn.send(new GetExecutionHistoryCommand({ executionArn: t.arn, maxResults: 1000, nextToken }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const names = events.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name ?? '');
    const polling = pollingStates(this.machine(t.ref).definition);
    const entered = events.filter((e) => e.type?.endsWith('StateEntered') && !polling.has(e.stateEnteredEventDetails?.name ?? '')).length;
    const gateWaits = events.filter((e) => e.type === 'WaitStateEntered' && e.stateEnteredEventDetails?.name === GATE_WAIT_STATE).length;
    return { resources: firstEntries(names.map((state) => ({ state, resource: index.get(state) ?? `?${state}` }))), entered, gateWaits };
  }

  private async scan(tables: string[]): Promise<Record<string, Record<string, unknown>[]>> {
    const out: Record<string, Record<string, unknown>[]> = {};
    for (const table of tables) {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await this.deployment.clients.dynamodb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
        items.push(...((page.Items ?? []) as Record<string, unknown>[]));
        start = page.LastEvaluatedKey;
      } while (start);
      out[table] = items;
    }
    return out;
  }

  /** Ends the DataSync executions of the case's `datasyncErrors` tables: moto's only way to an ERROR status. */
  private cancelTransfers(c: Case): { stop(): void; done: Promise<void> } {
    let stopped = false;
    const tasks = (c.datasyncErrors ?? []).map((t) => this.deployment.datasyncTasks.get(t)).filter((t): t is string => !!t);
    const done = (async () => {
      while (!stopped && tasks.length > 0) {
        for (const TaskArn of tasks) {
          const task = await this.deployment.clients.datasync.send(new DescribeTaskCommand({ TaskArn }));
          if (task.CurrentTaskExecutionArn && task.Status === 'RUNNING') {
            await this.deployment.clients.datasync.send(new CancelTaskExecutionCommand({ TaskExecutionArn: task.CurrentTaskExecutionArn })).catch(() => undefined);
          }
        }
        await sleep(50);
      }
    })();
    return { stop: () => void (stopped = true), done };
  }
}
