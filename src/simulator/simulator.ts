/**
 * The simulator: state machines from a build/ directory, emulated services behind
 * their task resources, an event bus routing execution status events through the
 * compiled rules, and a queue of executions ordered by simulated start time.
 *
 * Executions run side by side in simulated time: each has its own clock that task
 * delays, waits and retry intervals advance, and only one acts at a time — the one
 * whose next task (or start) is earliest — so a run sees what others wrote at earlier
 * simulated times, not later ones. Nothing reads the wall clock, so the same build
 * and scenario give the same result.
 */
import type { StateMachineDefinition } from '../asl/types.ts';
import { executionName, logicalDateFromDay } from '../naming.ts';
import { logicalDateOf } from '../ops/dates.ts';
import { ScenarioError } from './scenario.ts';
import { buildTopics, lazyDefinition, loadBuild, type LoadedBuild, type MachineSource } from './build.ts';
import { TABLE_KEYS, type TableKind } from '../build/platform-tables.ts';
import { route, type Delivery } from './bus.ts';
import { indexDefinition, rewriteContextPaths } from './definition.ts';
import { SimulationLimitError, taskError } from './errors.ts';
import { eventId, eventTime, statusChangeEvent } from './events.ts';
import { compileMachine, runExecution, type CompiledMachine, type Execution, type ValidDefinitions } from './execution.ts';
import { eachFire, timetable } from '../time/timetable.ts';
import { Heap } from './heap.ts';
import { Problems } from './problems.ts';
import { schedulerInput, startScheduledIn } from './schedule-starter.ts';
import { DataSync } from './services/datasync.ts';
import { DynamoDb, SeedError, type DynamoDbTransport } from './services/dynamodb.ts';
import { EmrServerless } from './services/emr-serverless.ts';
import { S3Store } from './services/s3.ts';
import { SnsTopics, type Notification } from './services/sns.ts';
import { CloudWatchMetrics } from './services/cloudwatch.ts';
import { GlueOptimizers } from './services/glue.ts';
import { alarmMessage, alarmTransitions, buildAlarms } from './freshness.ts';
import { ssmHandlers } from './services/ssm.ts';
import { stepFunctionsHandlers, type ExecutionView, type StartRequest } from './services/step-functions.ts';
import type { TaskHandler } from './services/types.ts';
import type { Item } from './attribute-values.ts';
import type { Manifest } from '../build/types.ts';
import { MIGRATED_AT, migrationWatermarkKey } from '../phases/migration.ts';
import { dataSyncBehaviour, type ExecutionResult, type Scenario, type SimulationResult, type TimelineEntry, type Trigger } from './types.ts';
import { MAX_EXECUTIONS } from './limits.ts';

export { MAX_EXECUTIONS } from './limits.ts';

export interface SimulatorOptions {
  /** Validate each definition with the library's validator (default true). */
  validate?: boolean;
  /** Definitions that passed the validation before (a definition's text is validated once, then added). */
  validDefinitions?: ValidDefinitions;
  /** Simulated time of `start` calls without `at` before anything ran (default: window start, else 2026-01-01). */
  now?: string;
  /** Key attribute names per DynamoDB table, where the ASL's `Key` parameters do not tell. */
  keySchemas?: Record<string, string[]>;
  /** Only the scenario's starts and the schedules of these use cases (default: all); what they start runs, whatever its use case. */
  useCases?: readonly string[];
  /** Stop with an error ({@link SimulationLimitError}) past this many executions (default 10,000): a guard against rule loops. */
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
  readonly sns: SnsTopics;
  readonly metrics = new CloudWatchMetrics();
  readonly glue = new GlueOptimizers();
  readonly emr: EmrServerless;
  readonly datasync: DataSync;
  readonly timeline: TimelineEntry[] = [];
  /** Simulated time of each timeline entry, epoch milliseconds (see `note`). */
  private readonly timelineMs: number[] = [];
  /** The last time `note` formatted: entries come in runs at one simulated time. */
  private lastIso = { ms: NaN, iso: '' };
  readonly executions: Execution[] = [];
  readonly problems: Problems;

  private readonly sources = new Map<string, MachineSource>();
  /** The same sources by every name a scenario or a start may give: `<use-case>/<dag>` ref, state machine name, ARN. */
  private readonly named = new Map<string, MachineSource>();
  private readonly compiled = new Map<string, CompiledMachine>();
  private readonly services: Record<string, TaskHandler>;
  /** Executions by ARN, and by state machine ARN and name (`key`). */
  private readonly byArn = new Map<string, Execution>();
  private readonly byName = new Map<string, Execution>();
  /** Seconds before ListExecutions lists an execution, by ARN, where its scenario start gives one. */
  private readonly listingLag = new Map<string, number>();
  /** Executions started so far (no longer PENDING). */
  private started = 0;
  /** fireSchedules stopped queueing at the limit ({@link fireSchedules}). */
  private queueCut = false;
  private readonly queue = new Heap<{ exec: Execution; seq: number }>((a, b) => (a.exec.startTime - b.exec.startTime || a.seq - b.seq) < 0);
  /** Executions whose task waits for its turn, at their simulated time (see `pump`); those of an ended execution are skipped. */
  private readonly waiting = new Heap<{ exec: Execution; at: number; seq: number; go: () => void }>((a, b) => (a.at - b.at || a.seq - b.seq) < 0);
  private readonly ended = new WeakSet<Execution>();
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
    this.sns = new SnsTopics(buildTopics(this.build));
    this.now = Date.parse(options.now ?? scenario.window?.start ?? '2026-01-01T00:00:00Z');
    this.deployedAt = this.now;
    // Definitions are read when first run (src/simulator/build.ts).
    for (const source of this.build.machines) {
      const { ref, useCase, workflow, tags, name, arn } = source;
      const lazy = lazyDefinition({ ref, useCase, workflow, tags, name, arn }, () => rewriteContextPaths(source.definition));
      this.sources.set(arn, lazy);
      for (const key of [ref, name, arn]) if (!this.named.has(key)) this.named.set(key, lazy);
    }
    this.problems = new Problems(options.strict ?? false);
    // The platform's tables have the keys the platform stack gives them; other tables, those a machine's `Key` parameters tell when it first runs.
    const platformKeys = Object.fromEntries(Object.entries(this.build.manifest.platform.dynamodb).map(([kind, table]) => [table, [...TABLE_KEYS[kind as TableKind]]]));
    this.dynamodb = new DynamoDb({ ...platformKeys, ...options.keySchemas }, this.problems, this.build.region, options.dynamodbTransport);
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
          const e = this.byArn.get(arn);
          return e && view(e);
        },
        listExecutions: (arn) => {
          if (!this.sources.has(arn)) return undefined;
          // Newest first, as ListExecutions lists them; of one start time, the later started first.
          const lag = (e: Execution): number => (this.listingLag.get(e.arn) ?? this.scenario.listing_lag ?? 0) * 1000;
          return [...this.byArn.values()]
            .filter((e) => e.stateMachineArn === arn)
            .reverse()
            .sort((a, b) => b.startTime - a.startTime)
            .map((e) => ({ ...view(e), listedDate: e.startTime + lag(e) }));
        },
        tagsOf: (arn) => this.sources.get(arn)?.tags,
      }),
    };
  }

  /** State machine ARN of a workflow ref (`<use-case>/<dag>`, `lakestep/dispatch`) or state machine name. */
  machineArn(ref: string): string {
    return this.sourceNamed(ref).arn;
  }

  /** The machine a workflow ref, state machine name or ARN names; an Error listing some known refs when none. */
  private sourceNamed(ref: string): MachineSource {
    const source = this.named.get(ref);
    if (!source) {
      const refs = [...this.sources.values()].map((s) => s.ref);
      throw new Error(`Unknown workflow "${ref}"; known: ${refs.slice(0, 20).join(', ')}${refs.length > 20 ? ` … and ${refs.length - 20} more` : ''}`);
    }
    return source;
  }

  /** The execution of state machine `machineArn` named `name`, if started. */
  execution(machineArn: string, name: string): Execution | undefined {
    return this.byName.get(key(machineArn, name));
  }

  /** The execution `arn`, if started. */
  executionByArn(arn: string): Execution | undefined {
    return this.byArn.get(arn);
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
      if (!this.inScope(this.sourceNamed(s.workflow).useCase)) continue;
      const day = s.logical_date ?? this.scenario.window?.start ?? new Date(this.now).toISOString();
      const parsed = logicalDateOf(day);
      if ('problem' in parsed) throw new ScenarioError([`start: ${parsed.problem}`]);
      // Fractional seconds stay: the simulated start carries the date as a scenario gives it, in UTC.
      const logical = /^\d{4}-\d{2}-\d{2}$/.test(day) ? logicalDateFromDay(day) : new Date(day).toISOString().replace(/\.000Z$/, 'Z');
      const input = s.input ?? { trigger: 'manual', logical_date: logical };
      const arn = this.start(s.workflow, input, { at: s.at ?? logical, name: s.name ?? executionName(logical) });
      if (s.listing_lag !== undefined) this.listingLag.set(arn, s.listing_lag);
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
    // Fires are taken in time order (ties in the build's order of schedules), one per schedule at a time. Before
    // anything ran, taking stops once the queue passes the limit: a window of years neither computes nor queues all
    // of its fires.
    const max = this.started === 0 ? this.maxExecutions : Infinity;
    type Next = { time: number; order: number; entry: LoadedBuild['schedules'][number]; rest: Iterator<number, void> };
    const next = new Heap<Next>((a, b) => a.time < b.time || (a.time === b.time && a.order < b.order));
    const advance = (n: Omit<Next, 'time'>): void => {
      const t = n.rest.next();
      if (!t.done) next.push({ ...n, time: t.value });
    };
    this.build.schedules.forEach((entry, order) => {
      const s = entry.schedule;
      if (s.State !== 'ENABLED' || !this.inScope(entry.useCase)) return;
      advance({ order, entry, rest: eachFire(timetable(s.ScheduleExpression, s.ScheduleExpressionTimezone), start.getTime(), end.getTime()) });
    });
    for (let n = next.pop(); n; advance(n), n = next.pop()) {
      if (this.queue.size > max) {
        this.queueCut = true;
        return;
      }
      const { time, entry } = n;
      const s = entry.schedule;
      const trigger: Trigger = { kind: 'schedule', rule: s.Name, time: eventTime(time) };
      const log = (details: Record<string, unknown>): void =>
        this.note(time, { workflow: entry.ref, execution: '-', kind: 'event-routed', details: { schedule: s.Name, target: s.Target.Arn, ...details } });
      if (s.Target.Arn !== this.build.placeholders.ScheduleStarterArn) {
        log({ failed: 'the simulator does not emulate this target' });
        continue;
      }
      log(startScheduledIn(this, schedulerInput(s.Target.Input, eventTime(time)), (arn, name, input) => this.enqueue(arn, name, input, time, trigger)));
    }
  }

  /** Runs queued executions, side by side in simulated time, until none is left. */
  async runUntilIdle(): Promise<void> {
    // What is queued before anything ran is known: past the limit, it fails now rather than once the limit is reached.
    if (this.started === 0 && (this.queueCut || this.queue.size > this.maxExecutions)) {
      throw new SimulationLimitError(this.maxExecutions, this.queueCut ? 'more' : this.queue.size);
    }
    // The scenario's items are in their tables before anything runs; one DynamoDB refuses is the scenario's error.
    await this.dynamodb.storeSeeds().catch((e: unknown) => {
      throw e instanceof SeedError ? new ScenarioError([`dynamodb.${e.message}`]) : e;
    });
    return new Promise((resolve, reject) => {
      this.idle = { resolve, reject };
      this.pump();
    });
  }

  /** Whether the scenario's starts and schedules of `useCase` run (option `useCases`). */
  private inScope(useCase: string): boolean {
    return this.options.useCases === undefined || this.options.useCases.includes(useCase);
  }

  private get maxExecutions(): number {
    return this.options.maxExecutions ?? MAX_EXECUTIONS;
  }

  /**
   * When nothing acts, lets the earliest act: a queued execution starts if its start is
   * not after the earliest waiting task, else that task goes on. Ties: queued first,
   * then in order of arrival.
   */
  private pump(): void {
    if (this.running > 0) return;
    // A task of an execution that ended meanwhile (timed out, aborted) never acts.
    while (this.waiting.size > 0 && this.ended.has(this.waiting.peek()!.exec)) this.waiting.pop();
    const queued = this.queue.peek();
    const waiter = this.waiting.peek();
    if (queued && (!waiter || queued.exec.startTime <= waiter.at)) {
      this.queue.pop();
      const max = this.maxExecutions;
      if (this.started >= max) return this.fail(new SimulationLimitError(max));
      this.started++;
      this.running++;
      const exec = queued.exec;
      this.run(exec).then(() => {
        this.running--;
        this.ended.add(exec);
        this.completion(exec.arn).resolve();
        this.pump();
      }, (e: unknown) => this.fail(e));
      return;
    }
    if (waiter) {
      this.waiting.pop();
      this.running++;
      waiter.go();
      return;
    }
    const idle = this.idle;
    if (!idle) return;
    this.idle = undefined;
    // Nothing queued and nothing waiting: every execution must have ended. One that has not waits for a turn it will
    // never get, and reporting it as running would be a wrong result, not a slow one.
    const unfinished = this.executions.filter((e) => e.status === 'PENDING' || e.status === 'RUNNING');
    if (unfinished.length > 0) {
      return idle.reject(new Error(`The simulation stopped with ${unfinished.length} execution(s) unfinished (${unfinished.slice(0, 3).map((e) => e.ref + ' ' + e.name).join(', ')}): a defect of the simulator`));
    }
    idle.resolve();
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
    const topicArn = this.build.placeholders.NotificationTopicArn!;
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
      notifications: [...this.sns.messages, ...this.alarmNotifications(executions)].sort(byTime),
      metrics: [...this.metrics.points],
      dynamodb: await this.dynamodb.snapshot(),
      s3: this.s3.snapshot(),
      jobRuns: this.emr.runs,
      timeline: this.sortedTimeline(),
      unknownPlaceholders: this.build.unknownPlaceholders,
      problems: this.problems.list(),
      stats: { executions: done, transitions, realMs, executionsPerSecond: perSecond(done), transitionsPerSecond: perSecond(transitions) },
    };
  }

  /** Adds a timeline entry at simulated time `ms`. */
  private note(ms: number, entry: Omit<TimelineEntry, 'time'>): void {
    if (ms !== this.lastIso.ms) this.lastIso = { ms, iso: new Date(ms).toISOString() };
    this.timeline.push({ time: this.lastIso.iso, ...entry });
    this.timelineMs.push(ms);
  }

  /**
   * The timeline in order of time, entries at the same time in the order they came: the
   * order of sorting by `time` (ISO 8601 of one format, whose text order is time order),
   * on the numbers behind it.
   */
  private sortedTimeline(): TimelineEntry[] {
    const ms = this.timelineMs;
    // Entries pushed past `note` have no number: sort on the text.
    if (ms.length !== this.timeline.length) return [...this.timeline].sort(byTime);
    const order = Array.from(ms.keys()).sort((a, b) => ms[a]! - ms[b]! || a - b);
    return order.map((i) => this.timeline[i]!);
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
    const existing = this.byArn.get(arn);
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
    this.byArn.set(arn, exec);
    this.byName.set(key(machineArn, name), exec);
    this.queue.push({ exec, seq: ++this.seq });
    return exec;
  }

  private startFromTask(r: StartRequest): ExecutionView {
    const existing = r.name === undefined ? undefined : this.execution(r.stateMachineArn, r.name);
    // StartExecution is idempotent for a still-running execution with the same name and input.
    if (existing && (existing.status === 'PENDING' || existing.status === 'RUNNING') && JSON.stringify(existing.input) === JSON.stringify(r.input)) {
      return view(existing);
    }
    return view(this.enqueue(r.stateMachineArn, r.name ?? this.generatedName(), r.input, r.now, { kind: 'startExecution', parent: r.parentArn }));
  }

  /** `startExecution.sync`: the parent waits (without acting) until the child ended, then for its turn. */
  private async runNow(arn: string): Promise<ExecutionView> {
    const done = this.byArn.get(arn);
    if (!done) throw new Error(`No execution ${arn}`);
    const parent = done.trigger.kind === 'startExecution' ? this.byArn.get(done.trigger.parent) : undefined;
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
      const index = indexDefinition(definition);
      this.dynamodb.learn(index.keySchemas);
      machine = compileMachine(source.ref, definition, index, this.options.validate ?? true, this.options.validDefinitions);
      this.compiled.set(arn, machine);
    }
    return machine;
  }

  private async run(exec: Execution): Promise<void> {
    this.now = Math.max(this.now, exec.startTime);
    const log = (e: Omit<TimelineEntry, 'time' | 'workflow' | 'execution'>, at: number): void =>
      this.note(at, { workflow: exec.ref, execution: exec.name, ...e });
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
      this.note(at, { workflow, execution, kind, details: { rule: d.rule.Name, target: d.target.Arn, ...details } });
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

/**
 * Order of entries by `time`, an ISO 8601 text of `Date.toISOString` (one fixed format):
 * the order of its characters is the order in time, as `localeCompare` sorts them, at a
 * fraction of the cost for the tens of thousands of entries of a simulated day.
 */
function byTime(a: { time: string }, b: { time: string }): number {
  return a.time < b.time ? -1 : a.time > b.time ? 1 : 0;
}

function key(machineArn: string, name: string): string {
  return `${machineArn}\n${name}`;
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
  return migrated.flatMap((t, i) => (known.has(t) ? [] : [`migrated[${i}]: no migration of this build converts "${t}"`]));
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
