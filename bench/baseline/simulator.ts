/**
 * The simulator as it was before its throughput work, kept verbatim as the simulator
 * section's baseline (only its imports point back to src/, and the schedule starter gets
 * the execution scan it did itself): executions looked up by scanning every list, the
 * queues sorted at each turn, the timeline sorted with `localeCompare`. `simulateBaseline`
 * runs it as `simulate` runs the current one, with jsonpath-plus capturing a stack trace
 * per scalar result as it did (src/simulator/jsonpath-scalars.ts) and DynamoDB through the
 * transport it is given (the bench passes the SDK client, ./dynamodb-sdk.ts).
 */
import { performance } from 'node:perf_hooks';
import { scalarStackTraces } from '../../src/simulator/jsonpath-scalars.ts';
import type { StateMachineDefinition } from '../../src/asl/types.ts';
import { executionName, logicalDateFromDay } from '../../src/naming.ts';
import { logicalDateOf } from '../../src/ops/dates.ts';
import { ScenarioError } from '../../src/simulator/scenario.ts';
import { loadBuild, type LoadedBuild, type MachineSource } from '../../src/simulator/build.ts';
import { route, type Delivery } from '../../src/simulator/bus.ts';
import { indexDefinition, rewriteContextPaths } from '../../src/simulator/definition.ts';
import { taskError } from '../../src/simulator/errors.ts';
import { eventId, eventTime, statusChangeEvent } from '../../src/simulator/events.ts';
import { compileMachine, runExecution, type CompiledMachine, type Execution } from '../../src/simulator/execution.ts';
import { fireTimes } from '../../src/events/fire-times.ts';
import { Problems } from '../../src/simulator/problems.ts';
import { schedulerInput, startScheduledIn } from '../../src/simulator/schedule-starter.ts';
import { DataSync } from '../../src/simulator/services/datasync.ts';
import { DynamoDb, type DynamoDbTransport } from '../../src/simulator/services/dynamodb.ts';
import { EmrServerless } from '../../src/simulator/services/emr-serverless.ts';
import { S3Store } from '../../src/simulator/services/s3.ts';
import { SnsTopics, type Notification } from '../../src/simulator/services/sns.ts';
import { CloudWatchMetrics } from '../../src/simulator/services/cloudwatch.ts';
import { GlueOptimizers } from '../../src/simulator/services/glue.ts';
import { alarmMessage, alarmTransitions, buildAlarms } from '../../src/simulator/freshness.ts';
import { ssmHandlers } from '../../src/simulator/services/ssm.ts';
import { stepFunctionsHandlers, type ExecutionView, type StartRequest } from '../../src/simulator/services/step-functions.ts';
import type { TaskHandler } from '../../src/simulator/services/types.ts';
import type { Item } from '../../src/simulator/attribute-values.ts';
import type { Manifest } from '../../src/build/types.ts';
import { MIGRATED_AT, migrationWatermarkKey } from '../../src/phases/migration.ts';
import { dataSyncBehaviour, type ExecutionResult, type Scenario, type SimulationResult, type TimelineEntry, type Trigger } from '../../src/simulator/types.ts';

export interface SimulatorOptions {
  /** Validate each definition with the library's validator (default true). */
  validate?: boolean;
  /** Simulated time of `start` calls without `at` before anything ran (default: window start, else 2026-01-01). */
  now?: string;
  /** Key attribute names per DynamoDB table, where the ASL's `Key` parameters do not tell. */
  keySchemas?: Record<string, string[]>;
  /** Stop with an error past this many executions (default 10,000): a guard against rule loops. */
  maxExecutions?: number;
  /**
   * Fail calls the way AWS would when the compiled artifacts have a defect the simulator
   * knows (see `result().problems`). Default false: report the defect and work around it.
   */
  strict?: boolean;
  /**
   * EventBridge delivers at least once: hand each routed status-change event to its
   * targets this many times (default 1), to show a workflow is safe under duplicates.
   */
  deliveries?: number;
  /** How DynamoDB requests reach dynalite (default: its JSON wire protocol in this process). */
  dynamodbTransport?: DynamoDbTransport;
}

export interface StartOptions {
  name?: string;
  /** Simulated start time (ISO 8601); default: the simulator's current time. */
  at?: string | number;
  trigger?: Trigger;
}

export class Simulator {
  readonly build: LoadedBuild;
  readonly dynamodb: DynamoDb;
  readonly s3 = new S3Store();
  readonly sns = new SnsTopics();
  readonly metrics = new CloudWatchMetrics();
  readonly glue = new GlueOptimizers();
  readonly emr: EmrServerless;
  readonly datasync: DataSync;
  readonly timeline: TimelineEntry[] = [];
  readonly executions: Execution[] = [];
  readonly problems: Problems;

  private readonly sources = new Map<string, MachineSource>();
  private readonly compiled = new Map<string, CompiledMachine>();
  private readonly services: Record<string, TaskHandler>;
  private readonly queue: { exec: Execution; seq: number }[] = [];
  /** Executions whose task waits for its turn, at their simulated time (see `pump`). */
  private readonly waiting: { exec: Execution; at: number; seq: number; go: () => void }[] = [];
  /** Executions acting now: at most one (a `.sync` parent waiting for its child does not count). */
  private running = 0;
  private readonly finished = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  private idle: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  private seq = 0;
  private events = 0;
  private intrinsicSeq = 0;
  private now: number;
  /** When the freshness alarms start evaluating (the simulation's first time). */
  private readonly deployedAt: number;

  constructor(
    buildDir: string,
    readonly scenario: Scenario = {},
    private readonly options: SimulatorOptions = {},
  ) {
    this.build = loadBuild(buildDir);
    this.now = Date.parse(options.now ?? scenario.window?.start ?? '2026-01-01T00:00:00Z');
    this.deployedAt = this.now;
    const keySchemas: Record<string, string[]> = {};
    for (const source of this.build.machines) {
      const definition = rewriteContextPaths(source.definition);
      this.sources.set(source.arn, { ...source, definition });
      Object.assign(keySchemas, indexDefinition(definition).keySchemas);
    }
    this.problems = new Problems(options.strict ?? false);
    this.dynamodb = new DynamoDb({ ...keySchemas, ...options.keySchemas }, this.problems, this.build.region, options.dynamodbTransport);
    for (const [table, items] of Object.entries(scenario.dynamodb ?? {})) for (const item of items) this.dynamodb.seed(table, item);
    for (const item of migrationMarks(this.build.manifest, scenario.migrated, this.now)) this.dynamodb.seed(this.build.manifest.platform.dynamodb.watermarks, item);
    // A task shared by several tables runs one table per filter.
    const tableOfRun = new Map([...this.build.datasyncTasks].map(([table, arn]) => [`${arn} ${this.build.datasyncIncludes.get(table) ?? ''}`, table]));
    // Scenario keys: the task ARN, the qualified table (`raw_orders.orders`) or the bare table name.
    this.datasync = new DataSync((taskArn, includes) => {
      const table = tableOfRun.get(`${taskArn} ${includes ?? ''}`) ?? '';
      const d = scenario.datasync;
      return dataSyncBehaviour(d?.[taskArn] ?? d?.[table] ?? d?.[table.slice(table.lastIndexOf('.') + 1)]);
    });
    this.emr = new EmrServerless({
      region: this.build.region,
      account: this.build.account,
      artifactsBucket: this.build.manifest.platform.buckets.artifacts,
      jobs: this.build.jobs,
      s3: this.s3,
      watermarks: scenario.watermarks ?? {},
      failures: scenario.jobs ?? {},
      checks: scenario.checks ?? {},
      problems: this.problems,
    });
    this.services = {
      ...this.emr.handlers,
      ...this.s3.handlers,
      ...this.datasync.handlers,
      ...this.dynamodb.handlers,
      ...this.sns.handlers,
      ...this.metrics.handlers,
      ...ssmHandlers(this.build.parameters, this.build.region, this.build.account),
      ...this.glue.handlers,
      ...stepFunctionsHandlers({
        startExecution: (r) => this.startFromTask(r),
        runExecution: (arn) => this.runNow(arn),
        describeExecution: (arn) => {
          const e = this.executions.find((x) => x.arn === arn);
          return e && view(e);
        },
        listExecutions: (arn) => (this.sources.has(arn) ? this.executions.filter((e) => e.stateMachineArn === arn).reverse().sort((a, b) => b.startTime - a.startTime).map(view) : undefined),
        tagsOf: (arn) => this.sources.get(arn)?.tags,
      }),
    };
  }

  /** State machine ARN of a workflow ref (`<use-case>/<dag>`, `lakestep/dispatch`) or state machine name. */
  machineArn(ref: string): string {
    const source = [...this.sources.values()].find((s) => s.ref === ref || s.name === ref || s.arn === ref);
    if (!source) throw new Error(`Unknown workflow "${ref}"; known: ${[...this.sources.values()].map((s) => s.ref).join(', ')}`);
    return source.arn;
  }

  /** Queues an execution; returns its ARN. Throws `StepFunctions.ExecutionAlreadyExistsException` for a used name. */
  start(ref: string, input: unknown = {}, options: StartOptions = {}): string {
    const arn = this.machineArn(ref);
    const at = options.at === undefined ? this.now : typeof options.at === 'number' ? options.at : Date.parse(options.at);
    const logical = typeof (input as Record<string, unknown>)?.logical_date === 'string' ? ((input as Record<string, string>).logical_date) : undefined;
    const name = options.name ?? (logical ? executionName(logical) : this.generatedName());
    return this.enqueue(arn, name, input, at, options.trigger ?? { kind: 'manual' }).arn;
  }

  /** Starts each scenario `start` entry and fires schedules over the scenario window. */
  applyScenario(): void {
    for (const s of this.scenario.start ?? []) {
      const day = s.logical_date ?? this.scenario.window?.start ?? new Date(this.now).toISOString();
      const parsed = logicalDateOf(day);
      if ('problem' in parsed) throw new ScenarioError([`start: ${parsed.problem}`]);
      // Fractional seconds stay: the simulated start carries the date as a scenario gives it, in UTC.
      const logical = /^\d{4}-\d{2}-\d{2}$/.test(day) ? logicalDateFromDay(day) : new Date(day).toISOString().replace(/\.000Z$/, 'Z');
      const input = s.input ?? { trigger: 'manual', logical_date: logical };
      this.start(s.workflow, input, { at: s.at ?? logical, name: s.name ?? executionName(logical) });
    }
    const w = this.scenario.window;
    if (w) this.fireSchedules(new Date(w.start), new Date(w.end));
  }

  /**
   * Invokes the target of every enabled Scheduler schedule at each of its fire times in
   * `[start, end)`, on the wall clock of its time zone (a skipped local time does not fire,
   * a repeated one fires once), at the scheduled time whatever its flexible window.
   */
  fireSchedules(start: Date, end: Date): void {
    const fires: { time: number; entry: LoadedBuild['schedules'][number] }[] = [];
    for (const entry of this.build.schedules) {
      const s = entry.schedule;
      if (s.State !== 'ENABLED') continue;
      for (const t of fireTimes(s.ScheduleExpression, start, end, s.ScheduleExpressionTimezone)) fires.push({ time: t.getTime(), entry });
    }
    fires.sort((a, b) => a.time - b.time);
    for (const { time, entry } of fires) {
      const s = entry.schedule;
      const trigger: Trigger = { kind: 'schedule', rule: s.Name, time: eventTime(time) };
      const log = (details: Record<string, unknown>): void =>
        void this.timeline.push({ time: new Date(time).toISOString(), workflow: entry.ref, execution: '-', kind: 'event-routed', details: { schedule: s.Name, target: s.Target.Arn, ...details } });
      if (s.Target.Arn !== this.build.placeholders.ScheduleStarterArn) {
        log({ failed: 'the simulator does not emulate this target' });
        continue;
      }
      const sim = { execution: (arn: string, name: string) => this.executions.find((e) => e.stateMachineArn === arn && e.name === name) };
      log(startScheduledIn(sim, schedulerInput(s.Target.Input, eventTime(time)), (arn, name, input) => this.enqueue(arn, name, input, time, trigger)));
    }
  }

  /** Runs queued executions, side by side in simulated time, until none is left. */
  runUntilIdle(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.idle = { resolve, reject };
      this.pump();
    });
  }

  /**
   * When nothing acts, lets the earliest act: a queued execution starts if its start is
   * not after the earliest waiting task, else that task goes on. Ties: queued first,
   * then in order of arrival.
   */
  private pump(): void {
    if (this.running > 0) return;
    this.queue.sort((a, b) => a.exec.startTime - b.exec.startTime || a.seq - b.seq);
    this.waiting.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const [queued] = this.queue;
    const [waiter] = this.waiting;
    if (queued && (!waiter || queued.exec.startTime <= waiter.at)) {
      this.queue.shift();
      const max = this.options.maxExecutions ?? 10_000;
      if (this.executions.filter((e) => e.status !== 'PENDING').length >= max) {
        return this.fail(new Error(`More than ${max} executions: do rules start each other in a loop?`));
      }
      this.running++;
      const exec = queued.exec;
      this.run(exec).then(() => {
        this.running--;
        // A task of an execution that ended meanwhile (timed out, aborted) never acts.
        for (let i = this.waiting.length - 1; i >= 0; i--) if (this.waiting[i]!.exec === exec) this.waiting.splice(i, 1);
        this.completion(exec.arn).resolve();
        this.pump();
      }, (e: unknown) => this.fail(e));
      return;
    }
    if (waiter) {
      this.waiting.shift();
      this.running++;
      waiter.go();
      return;
    }
    const idle = this.idle;
    this.idle = undefined;
    idle?.resolve();
  }

  private fail(e: unknown): void {
    const idle = this.idle;
    this.idle = undefined;
    idle?.reject(e);
  }

  /** Waits until `exec` may act at its clock (the caller is not counted as acting). */
  private turn(exec: Execution): Promise<void> {
    return new Promise((go) => {
      this.waiting.push({ exec, at: exec.clock, seq: ++this.seq, go });
      this.pump();
    });
  }

  private completion(arn: string): { promise: Promise<void>; resolve: () => void } {
    let c = this.finished.get(arn);
    if (!c) {
      let resolve = (): void => {};
      const promise = new Promise<void>((r) => (resolve = r));
      c = { promise, resolve };
      this.finished.set(arn, c);
    }
    return c;
  }

  /** Stops the in-process services (DynamoDB); the simulator is not usable afterwards. */
  async close(): Promise<void> {
    await this.dynamodb.close();
  }

  /** Result of everything run so far. */
  /**
   * The freshness alarms' notifications up to the end of the simulated time (the window's end,
   * else the last execution's stop), from the `TablePublished` data points put so far.
   */
  private alarmNotifications(executions: readonly ExecutionResult[]): Notification[] {
    const stops = executions.map((e) => (e.stopTime === null ? this.now : Date.parse(e.stopTime)));
    const end = Math.max(this.now, ...stops, this.scenario.window ? Date.parse(this.scenario.window.end) : 0);
    // Deployed when the simulation begins: the window's start, else the first start.
    const deployed = this.scenario.window ? Date.parse(this.scenario.window.start) : executions.length ? Math.min(...executions.map((e) => Date.parse(e.startTime))) : this.deployedAt;
    const topicArn = `arn:aws:sns:${this.build.region}:${this.build.account}:${this.build.manifest.platform.notifications.topicName}`;
    return buildAlarms(this.build.manifest)
      .flatMap((a) => alarmTransitions(a, this.metrics.points, deployed, end))
      .map((t) => ({
        time: new Date(t.time).toISOString(),
        topicArn,
        subject: `${t.state}: "${t.alarm.name}" in ${this.build.region}`,
        message: alarmMessage(t, this.build.region, this.build.account),
        via: 'alarm' as const,
        origin: t.alarm.name,
      }));
  }

  async result(realMs = 0): Promise<SimulationResult> {
    const executions: ExecutionResult[] = this.executions.map((e) => ({
      workflow: e.ref,
      stateMachine: e.stateMachineName,
      name: e.name,
      executionArn: e.arn,
      status: e.status === 'PENDING' ? 'RUNNING' : e.status,
      input: e.input,
      output: e.output ?? null,
      error: e.error,
      cause: e.cause,
      failedState: e.failedState ?? null,
      trigger: e.trigger,
      startTime: new Date(e.startTime).toISOString(),
      stopTime: e.stopTime === null ? null : new Date(e.stopTime).toISOString(),
      stateTransitions: e.transitions,
    }));
    const finished = executions.filter((e) => e.stopTime !== null);
    const done = finished.length;
    const transitions = finished.reduce((n, e) => n + e.stateTransitions, 0);
    const perSecond = (n: number): number => (realMs > 0 ? Math.round((n / realMs) * 1000 * 10) / 10 : 0);
    return {
      executions,
      notifications: [...this.sns.messages, ...this.alarmNotifications(executions)].sort((a, b) => a.time.localeCompare(b.time)),
      metrics: [...this.metrics.points],
      dynamodb: await this.dynamodb.snapshot(),
      s3: this.s3.snapshot(),
      jobRuns: this.emr.runs,
      timeline: [...this.timeline].sort((a, b) => a.time.localeCompare(b.time)),
      unknownPlaceholders: this.build.unknownPlaceholders,
      problems: this.problems.list(),
      stats: { executions: done, transitions, realMs, executionsPerSecond: perSecond(done), transitionsPerSecond: perSecond(transitions) },
    };
  }

  private generatedName(): string {
    return `00000000-0000-4000-8000-${String(++this.seq).padStart(12, '0')}`;
  }

  private eventAt(): { id: string; region: string; account: string } {
    return { id: eventId(++this.events), region: this.build.region, account: this.build.account };
  }

  private enqueue(machineArn: string, name: string, input: unknown, at: number, trigger: Trigger): Execution {
    const source = this.sources.get(machineArn);
    if (!source) throw taskError('StepFunctions.StateMachineDoesNotExistException', `State Machine Does Not Exist: '${machineArn}'`);
    const arn = `arn:aws:states:${this.build.region}:${this.build.account}:execution:${source.name}:${name}`;
    const existing = this.executions.find((e) => e.arn === arn);
    if (existing) throw taskError('StepFunctions.ExecutionAlreadyExistsException', `Execution Already Exists: '${arn}'`);
    const exec: Execution = {
      ref: source.ref,
      stateMachineArn: machineArn,
      stateMachineName: source.name,
      name,
      arn,
      input,
      trigger,
      status: 'PENDING',
      output: null,
      error: null,
      cause: null,
      startTime: at,
      stopTime: null,
      clock: at,
      transitions: 0,
      faultCalls: new Map(),
    };
    this.executions.push(exec);
    this.queue.push({ exec, seq: ++this.seq });
    return exec;
  }

  private startFromTask(r: StartRequest): ExecutionView {
    const existing = this.executions.find((e) => e.stateMachineArn === r.stateMachineArn && e.name === r.name);
    // StartExecution is idempotent for a still-running execution with the same name and input.
    if (existing && (existing.status === 'PENDING' || existing.status === 'RUNNING') && JSON.stringify(existing.input) === JSON.stringify(r.input)) {
      return view(existing);
    }
    return view(this.enqueue(r.stateMachineArn, r.name ?? this.generatedName(), r.input, r.now, { kind: 'startExecution', parent: r.parentArn }));
  }

  /** `startExecution.sync`: the parent waits (without acting) until the child ended, then for its turn. */
  private async runNow(arn: string): Promise<ExecutionView> {
    const done = this.executions.find((e) => e.arn === arn);
    if (!done) throw new Error(`No execution ${arn}`);
    const parent = done.trigger.kind === 'startExecution' ? this.executions.find((e) => e.arn === (done.trigger as { parent: string }).parent) : undefined;
    if (done.stopTime === null) {
      this.running--;
      const ended = this.completion(arn).promise;
      this.pump();
      await ended;
      if (parent) parent.clock = Math.max(parent.clock, done.stopTime ?? parent.clock);
      await this.turnAfterWait(parent);
    }
    return view(done);
  }

  /** Back in turn after waiting for a child: at the parent's clock (or now, without one). */
  private turnAfterWait(parent: Execution | undefined): Promise<void> {
    if (parent) return this.turn(parent);
    this.running++;
    return Promise.resolve();
  }

  private machine(arn: string): CompiledMachine {
    let machine = this.compiled.get(arn);
    if (!machine) {
      const source = this.sources.get(arn) as MachineSource;
      const definition = source.definition as StateMachineDefinition;
      machine = compileMachine(source.ref, definition, indexDefinition(definition), this.options.validate ?? true);
      this.compiled.set(arn, machine);
    }
    return machine;
  }

  private async run(exec: Execution): Promise<void> {
    this.now = Math.max(this.now, exec.startTime);
    const log = (e: Omit<TimelineEntry, 'time' | 'workflow' | 'execution'>, at: number): void =>
      void this.timeline.push({ time: new Date(at).toISOString(), workflow: exec.ref, execution: exec.name, ...e });
    log({ kind: 'started', details: { trigger: exec.trigger.kind } }, exec.startTime);
    exec.status = 'RUNNING';
    this.emitStatus(exec);
    await runExecution(this.machine(exec.stateMachineArn), exec, {
      services: this.services,
      faults: this.scenario.faults?.[exec.ref] ?? {},
      delays: this.scenario.delays?.[exec.ref] ?? {},
      timeline: log,
      next: () => ++this.intrinsicSeq,
      gate: () => {
        this.running--;
        return this.turn(exec);
      },
    });
    const end = exec.stopTime ?? exec.clock;
    const status = exec.status as Execution['status'];
    const failedIn = exec.failedState === undefined ? {} : { state: exec.failedState };
    log({ kind: status === 'SUCCEEDED' ? 'succeeded' : 'failed', ...failedIn, details: { status, ...(exec.error ? { error: exec.error } : {}) } }, end);
    this.emitStatus(exec);
  }

  private emitStatus(exec: Execution): void {
    const status = exec.status === 'PENDING' ? 'RUNNING' : exec.status;
    const event = statusChangeEvent(
      { ...view(exec), status, stopDate: status === 'RUNNING' ? null : exec.stopTime, error: exec.error, cause: exec.cause, input: exec.input, output: exec.output },
      this.eventAt(),
    );
    const at = status === 'RUNNING' ? exec.startTime : (exec.stopTime ?? exec.clock);
    for (const d of route(this.build.rules.map((r) => r.rule), event, this.build.region, this.build.account)) {
      for (let i = 0; i < (this.options.deliveries ?? 1); i++) this.deliver(d, at, { kind: 'event', rule: d.rule.Name, source: exec.arn }, exec.ref, exec.name);
    }
  }

  /** Hands a target its input: starts a state machine, runs the schedule starter or publishes to the topic. */
  private deliver(d: Delivery, at: number, trigger: Trigger, workflow: string, execution: string): void {
    const entry = (kind: TimelineEntry['kind'], details: Record<string, unknown>): void =>
      void this.timeline.push({ time: new Date(at).toISOString(), workflow, execution, kind, details: { rule: d.rule.Name, target: d.target.Arn, ...details } });
    if (this.sources.has(d.target.Arn)) {
      let input: unknown;
      try {
        input = JSON.parse(d.input);
      } catch {
        return entry('event-routed', { failed: 'the target input is not valid JSON', input: d.input });
      }
      const started = this.enqueue(d.target.Arn, this.generatedName(), input, at, trigger);
      return entry('event-routed', { started: started.ref, execution: started.name });
    }
    if (d.target.Arn.startsWith('arn:aws:sns:')) {
      this.sns.publish({ topicArn: d.target.Arn, message: d.input, via: 'rule', origin: d.rule.Name }, at);
      return entry('notification', { message: d.input });
    }
    entry('event-routed', { failed: 'the simulator does not emulate this target' });
  }
}

function view(e: Execution): ExecutionView {
  return {
    executionArn: e.arn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status === 'PENDING' ? 'RUNNING' : e.status,
    input: e.input,
    output: e.output,
    startDate: e.startTime,
    ...(e.error ? { error: e.error } : {}),
    ...(e.cause ? { cause: e.cause } : {}),
    ...(e.stopTime !== null ? { stopDate: e.stopTime } : {}),
  };
}

/** The tables (`<db>.<table>`) the migrations of a build convert. */
export function migratedTablesOf(manifest: Manifest): string[] {
  return manifest.useCases.flatMap((u) => u.workflows.filter((w) => w.kind === 'migration').flatMap((w) => w.writes));
}

/** A problem per table of the scenario's `migrated` list that no migration of the build converts. */
export function unknownMigratedTables(manifest: Manifest, migrated: Scenario['migrated']): string[] {
  if (!Array.isArray(migrated)) return [];
  const known = new Set(migratedTablesOf(manifest));
  return migrated.filter((t) => !known.has(t)).map((t) => `migrated: no migration of this build converts "${t}"`);
}

/**
 * The items a finished migration leaves for the tables `migrated` names (`all`: every
 * table a migration of the build converts); an unknown table is a scenario error.
 */
export function migrationMarks(manifest: Manifest, migrated: Scenario['migrated'], now: number): Item[] {
  if (migrated === undefined) return [];
  const unknown = unknownMigratedTables(manifest, migrated);
  if (unknown.length) throw new ScenarioError(unknown);
  const tables = migrated === 'all' ? migratedTablesOf(manifest) : migrated;
  return tables.map((t) => ({
    pk: { S: migrationWatermarkKey({ database: t.slice(0, t.indexOf('.')), table: t.slice(t.indexOf('.') + 1) }) },
    [MIGRATED_AT]: { S: new Date(now).toISOString() },
  }));
}

/** `simulate` (src/simulator/simulate.ts) with this simulator. */
export async function simulateBaseline(opts: { buildDir: string; scenario: Scenario } & SimulatorOptions): Promise<SimulationResult> {
  const { buildDir, scenario, ...options } = opts;
  scalarStackTraces(true);
  const sim = new Simulator(buildDir, scenario, options);
  try {
    const t0 = performance.now();
    sim.applyScenario();
    await sim.runUntilIdle();
    const realMs = performance.now() - t0;
    return await sim.result(realMs);
  } finally {
    await sim.close();
    scalarStackTraces(false);
  }
}
