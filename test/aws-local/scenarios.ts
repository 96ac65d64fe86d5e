/**
 * The scenarios, expanded into cases per workflow of a build. Each case runs on moto and
 * in the simulator; `expect` adds what must hold beyond the two agreeing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobDocument, Manifest, StateMachineDefinition } from '../../src/index.ts';
import { fireTimes, migrationMarks } from '../../src/simulator/index.ts';
import { executionName } from '../../src/naming.ts';
import type { Case, Observation } from './cases.ts';
import { readManifestDir } from '../../src/build/manifest-files.ts';

export const DAY = '2026-11-25';

/** moto gaps that make whole cases disagree (moto-gaps.moto.ts pins each). */
export const CALLBACK_FAILURE = 'the failed EMR callback ends the execution with States.Runtime (KeyError RequestId in moto)';
export const FORMAT_ESCAPES = 'States.Format with escaped braces fails';
export const DATASYNC_RESULT = 'a DataSync execution in ERROR has no Result (ErrorCode, ErrorDetail)';
const TIMESTAMP = '2026-11-25T06:00:00Z';

const succeeded = (ref: string) => (o: Observation): string | undefined => {
  const e = o.executions.find((x) => x.ref === ref);
  return e?.status === 'SUCCEEDED' ? undefined : `${ref} ended ${e?.status} ${e?.error ?? ''}`;
};

const failedWith = (ref: string, error: string, runsTable: string) => (o: Observation): string | undefined => {
  const e = o.executions.find((x) => x.ref === ref);
  if (e?.status !== 'FAILED' || e.error !== error) return `${ref} ended ${e?.status} ${e?.error ?? ''}, expected FAILED ${error}`;
  const run = (o.items[runsTable] ?? []).find((i) => (i as { status?: { S?: string } }).status?.S === 'FAILED');
  if (!run) return `no FAILED run record in ${runsTable}`;
  const last = e.resources.at(-1);
  return last === 'arn:aws:states:::dynamodb:putItem' ? undefined : `the last task is ${last}, not the run record`;
};

/** The FAILED run record lists `n` tables, each failed with Lakestep.TransferTimedOut. */
const transfersTimedOut = (runsTable: string, n: number) => (o: Observation): string | undefined => {
  const run = (o.items[runsTable] ?? []).find((i) => (i as { status?: { S?: string } }).status?.S === 'FAILED') as { summary?: { S?: string } } | undefined;
  const tables = (JSON.parse(run?.summary?.S ?? '{}') as { tables?: { error?: string }[] }).tables ?? [];
  const timedOut = tables.filter((t) => t.error === 'Lakestep.TransferTimedOut').length;
  return timedOut === n && tables.length === n ? undefined : `run record tables: ${JSON.stringify(tables)}, expected ${n} × Lakestep.TransferTimedOut`;
};

/** One notification with this subject ending, whose message says `text`. */
const notified = (subject: string, text: string) => (o: Observation): string | undefined => {
  const found = o.notifications.filter((n) => n.subject.endsWith(`: ${subject}`));
  if (found.length !== 1) return `${found.length} notification(s) "${subject}" (of ${JSON.stringify(o.notifications.map((n) => n.subject))})`;
  return found[0]!.message.includes(text) ? undefined : `notification "${subject}" does not say ${text}: ${found[0]!.message}`;
};

type Item = Record<string, { S?: string } | undefined>;

/**
 * After failed error checks: the notification names the checks with their sample keys, the
 * run record keeps the check summary (without samples), no watermark moved, no publish recorded.
 */
const checksFailed = (ref: string, runsTable: string, watermarksTable: string) => (o: Observation): string | undefined => {
  const note = notified('quality checks failed', '"failing":1,"samples":[')(o);
  if (note) return note;
  const run = ((o.items[runsTable] ?? []) as Item[]).find((i) => i.pk?.S === ref && i.status?.S === 'FAILED');
  const summary = JSON.parse(run?.summary?.S ?? '{}') as { quality?: { status?: string; checks?: unknown[] } };
  if (summary.quality?.status !== 'failed' || !summary.quality.checks?.length) return `run record without the failed check summary: ${run?.summary?.S}`;
  if (run?.summary?.S?.includes('samples')) return 'the run record keeps sample keys';
  const marks = ((o.items[watermarksTable] ?? []) as Item[]).filter((i) => !i.pk?.S?.startsWith('migration/'));
  const moved = marks.filter((i) => i.pk?.S?.startsWith('published/') || (i.value?.S ?? '') !== '');
  return moved.length === 0 ? undefined : `watermarks moved or publishes recorded: ${JSON.stringify(moved)}`;
};

const endedWith = (ref: string, status: string, error: string) => (o: Observation): string | undefined => {
  const e = o.executions.find((x) => x.ref === ref);
  return e?.status === status && e.error === error ? undefined : `${ref} ended ${e?.status} ${e?.error ?? ''}, expected ${status} ${error}`;
};

const runs = (ref: string, n: number) => (o: Observation): string | undefined => {
  const count = o.executions.filter((x) => x.ref === ref).length;
  return count === n ? undefined : `${ref} ran ${count} time(s), expected ${n}`;
};

/** Exactly `n` messages on the platform topic that say `text` (the dispatcher's notifications have no subject). */
const notifiedTimes = (text: string, n: number) => (o: Observation): string | undefined => {
  const count = o.notifications.filter((m) => m.message.includes(text)).length;
  return count === n ? undefined : `${count} notification(s) saying ${text}, expected ${n}`;
};

const all = (...checks: ((o: Observation) => string | undefined)[]) => (o: Observation): string | undefined =>
  checks.map((f) => f(o)).find((m) => m !== undefined);

/**
 * A start's execution name: one run per dag and logical date, and moto keeps every execution,
 * so each case's dated start is an attempt of its own, `<date's name>_<scenario>`; a start without
 * a date keeps the scenario's name.
 */
export function caseName(input: unknown, scenario: string): string {
  const logical = (input as { logical_date?: unknown } | null)?.logical_date;
  if (typeof logical !== 'string') return scenario;
  return executionName(/^\d{4}-\d{2}-\d{2}$/.test(logical) ? `${logical}T00:00:00Z` : logical, scenario);
}

/** Every migrated table of the build marked migrated (src/phases/migration-guard.ts), as case seeds. */
function migratedSeed(manifest: Manifest): Case['seed'] {
  // A time no start of a case uses: times a case names itself are compared unmasked.
  return { [manifest.platform.dynamodb.watermarks]: migrationMarks(manifest, 'all', Date.parse('2026-11-20T01:02:03Z')) };
}

/** Writers wait for their tables' migration marks: the cases of one run as after the migrations. */
const WAITS_FOR_MIGRATION = new Set(['ingestion', 'processing']);

/** Starts of one workflow alone (no event routing): schedules, console, dates, faults. */
export function isolatedCases(build: string, buildDir: string): Case[] {
  const manifest = readManifestDir(buildDir);
  const runsTable = manifest.platform.dynamodb.runs;
  const migrated = migratedSeed(manifest);
  const out: Case[] = [];
  const failureKinds = new Set<string>();
  for (const uc of manifest.useCases) {
    for (const wf of uc.workflows) {
      const ref = `${uc.name}/${wf.name}`;
      const one = (scenario: string, input: unknown, extra: Partial<Case> = {}, at?: string): Case => ({
        scenario,
        workflow: ref,
        build,
        route: false,
        phases: [{ start: [{ ref, input, name: caseName(input, scenario), ...(at ? { at } : {}) }] }],
        expect: succeeded(ref),
        ...(WAITS_FOR_MIGRATION.has(wf.kind) ? { seed: migrated } : {}),
        ...extra,
      });
      if (build !== 'specs') {
        // Golden builds: deployed whole; one dated start each.
        const extra: Partial<Case> = readFileSync(join(buildDir, wf.definition), 'utf8').includes('\\{') ? { motoGap: FORMAT_ESCAPES } : {};
        // Every transfer outlasts the polls that fit in the dag's 1m timeout: each table fails, so does the run.
        if (build === 'golden/transfer-timeout') extra.expect = all(failedWith(ref, 'Lakestep.TablesFailed', runsTable), transfersTimedOut(runsTable, 5));
        out.push(one('date', { logical_date: DAY }, extra));
        continue;
      }
      // The first schedule (maintenance has one per schedule group; they differ only in `group`):
      // its first fire from DAY goes through the schedule starter (on moto, the bundled Lambda handler).
      const schedule = wf.schedules?.[0];
      if (schedule) {
        const time = fireTimes(schedule.ScheduleExpression, new Date(`${DAY}T00:00:00Z`), new Date('2026-12-03T00:00:00Z'), schedule.ScheduleExpressionTimezone)[0] as Date;
        const iso = time.toISOString().replace(/\.000Z$/, 'Z');
        out.push({ ...one('schedule', {}), phases: [{ fire: { ref, at: iso } }] });
      }
      out.push(one('console-empty', {}));
      out.push(one('console-comment', { Comment: 'Insert your JSON here' }));
      out.push(one('date', { logical_date: DAY }));
      out.push(one('timestamp', { logical_date: TIMESTAMP }));
      // The run context is the same in every workflow: the other spellings of a timestamp, on one of them.
      if (uc === manifest.useCases[0] && wf === uc.workflows[0]) {
        // toISOString()'s fraction of zeros is the canonical date; another zone fails (a second name for one instant).
        out.push(one('timestamp-zero-fraction', { logical_date: '2026-11-25T06:00:00.000Z' }));
        out.push(one('timestamp-offset', { logical_date: '2026-11-25T07:00:00+01:00' }, { expect: endedWith(ref, 'FAILED', 'Lakestep.InvalidLogicalDate') }));
      }
      // A failing job per kind of workflow (each takes the same failure path of its kind).
      // A dated maintenance start maintains every table (its `-all` job); other kinds start with their first job.
      const firstJob = (wf.type === 'maintenance' ? wf.jobs.find((j) => j.endsWith('-all.json')) : undefined) ?? wf.jobs[0];
      if (firstJob && !failureKinds.has(`${wf.type}/${wf.kind}`)) {
        failureKinds.add(`${wf.type}/${wf.kind}`);
        const doc = JSON.parse(readFileSync(join(buildDir, firstJob), 'utf8')) as JobDocument;
        const jobRef = `${doc.useCase}/${doc.workflow}/${doc.job}`;
        const error = wf.type === 'migration' && doc.job !== 'ddl' ? 'Lakestep.TablesFailed' : 'States.TaskFailed';
        out.push(one('emr-failure', { logical_date: DAY }, { failedJobs: [jobRef], expect: failedWith(ref, error, runsTable), motoGap: CALLBACK_FAILURE }));
      }
      // A job with quality checks: its error checks fail, then only its warnings (src/phases/quality-gate.ts).
      const audited = wf.jobs.map((j) => JSON.parse(readFileSync(join(buildDir, j), 'utf8')) as JobDocument).find((d) => d.steps.some((s) => s.kind === 'check' || (s.kind === 'kafka' && s.audit)));
      if (audited) {
        const jobRef = `${audited.useCase}/${audited.workflow}/${audited.job}`;
        const watermarks = manifest.platform.dynamodb.watermarks;
        // Routed: every item the run wrote is observed, so a watermark that moved would show (a watermark item names no execution).
        // A migration fails the checked table's item; the run ends with the tables' outcome.
        const error = wf.type === 'migration' ? 'Lakestep.TablesFailed' : 'Lakestep.QualityCheckFailed';
        out.push(one('checks-failed', { logical_date: DAY }, { route: true, failedChecks: { [jobRef]: 'error' }, expect: all(failedWith(ref, error, runsTable), checksFailed(ref, runsTable, watermarks)) }));
        // A gated Kafka batch failing after the job published its JDBC targets: those stay published, and are reported so.
        const publish = audited.steps.findIndex((s) => s.kind === 'publish');
        const batch = audited.steps.find((s, i) => i > publish && s.kind === 'kafka' && s.audit?.gated);
        if (publish >= 0 && batch?.kind === 'kafka' && batch.audit) {
          out.push(one('checks-failed-after-publish', { logical_date: DAY }, {
            failedChecks: { [`${jobRef}/${batch.audit.key}`]: 'error' },
            expect: all(failedWith(ref, 'Lakestep.QualityCheckFailed', runsTable), notified('quality checks failed', 'Published before the failing checks')),
          }));
        }
        const warns = audited.steps.some((s) => (s.kind === 'check' && s.severity === 'warn') || (s.kind === 'kafka' && s.audit?.checks.some((c) => c.severity === 'warn')));
        if (warns) out.push(one('checks-warned', { logical_date: DAY }, { failedChecks: { [jobRef]: 'warn' }, expect: all(succeeded(ref), notified('quality warnings', 'the run published')) }));
      }
      if (wf.resources.datasync.length > 0) {
        const table = wf.resources.datasync[0]?.table as string;
        out.push(one('datasync-error', { logical_date: DAY }, { datasyncErrors: [table], expect: failedWith(ref, 'Lakestep.TablesFailed', runsTable), motoGap: DATASYNC_RESULT }));
        const definition = JSON.parse(readFileSync(join(buildDir, wf.definition), 'utf8')) as StateMachineDefinition;
        const list = Object.values(definition.States).find((st) => st.Type === 'Pass' && Array.isArray((st as { Result?: unknown }).Result)) as { Result: { name: string; watermark: boolean }[] } | undefined;
        // A migrated table's watermark item: `migration/<database>.<table>` (src/phases/migration-items.ts).
        const keys = (list?.Result ?? []).filter((t) => t.watermark).map((t) => `migration/${wf.writes.find((w) => w.split('.')[1] === t.name)}`);
        if (keys.length > 0) {
          const later = '2030-01-01T00:00:00Z';
          out.push(
            one('watermark-backwards', { logical_date: DAY }, {
              seed: { [manifest.platform.dynamodb.watermarks]: keys.map((k) => ({ pk: { S: k }, value: { S: later } })) },
              expect: all(succeeded(ref), (o) => {
                const rows = (o.items[manifest.platform.dynamodb.watermarks] ?? []) as { pk: { S: string }; value?: { S: string } }[];
                const moved = rows.filter((r) => r.value?.S !== later);
                return moved.length === 0 ? undefined : `watermark moved backwards: ${JSON.stringify(moved)}`;
              }),
            }),
          );
        }
      }
    }
  }
  return out;
}


/**
 * A writer started before, then after, the migration of its tables: before, it ends
 * without any task beyond reading the marks; after, it runs its job. Routed, as the
 * simulator always routes: the migration's success also starts the writer through its join.
 */
export function migrationGuardCases(buildDir: string): Case[] {
  const GUARD_DAY = '2026-11-29';
  const manifest = readManifestDir(buildDir);
  const watermarks = manifest.platform.dynamodb.watermarks;
  const ingestion = 'orders/orders-ingestion';
  const onlyDynamoDb = (name: string, want: boolean) => (o: Observation): string | undefined => {
    const e = o.executions.find((x) => x.ref === ingestion && x.name === name);
    if (!e) return `${ingestion} ${name} did not run`;
    // Its max_active_runs gate lists the running executions first; then only the marks are read.
    const other = e.resources.filter((r) => !r.startsWith('arn:aws:states:::dynamodb:') && r !== 'arn:aws:states:::aws-sdk:sfn:listExecutions');
    if (want && other.length > 0) return `${name} ran ${other.join(', ')} before the tables were migrated`;
    if (!want && other.length === 0) return `${name} ran no job after the migration`;
    return undefined;
  };
  return [
    {
      scenario: 'migration-guard',
      workflow: ingestion,
      build: 'specs',
      route: true,
      // Items without the mark (a watermark only), so the case's cleanup finds their keys.
      seed: { [watermarks]: ['raw_orders.orders', 'raw_orders.order_lines'].map((t) => ({ pk: { S: `migration/${t}` }, value: { S: '2020-01-01T00:00:00.000000Z' } })) },
      // A day of its own: moto keeps every execution, so the join's downstream name must be new.
      phases: [
        { start: [{ ref: ingestion, input: { logical_date: GUARD_DAY }, name: caseName({ logical_date: GUARD_DAY }, 'guard-before') }] },
        { start: [{ ref: 'orders/orders-migration', input: { logical_date: GUARD_DAY }, name: caseName({ logical_date: GUARD_DAY }, 'guard-migration') }] },
        { start: [{ ref: ingestion, input: { logical_date: GUARD_DAY }, name: caseName({ logical_date: GUARD_DAY }, 'guard-after') }] },
      ],
      expect: all(succeeded(ingestion), succeeded('orders/orders-migration'), onlyDynamoDb(caseName({ logical_date: GUARD_DAY }, 'guard-before'), true), onlyDynamoDb(caseName({ logical_date: GUARD_DAY }, 'guard-after'), false)),
    },
  ];
}

/**
 * `max_active_runs` (clickstream-ingestion: 1): runs of two logical dates started together. The later one
 * waits in the gate (src/asl/gate.ts) while the first works, then runs: on moto the gate reads moto's own
 * ListExecutions (running, newest first) through the worker; in the simulator, the simulated executions.
 */
export function overlapCases(): Case[] {
  const ref = 'clickstream/clickstream-ingestion';
  const first = { logical_date: '2026-11-30T00:00:00Z' };
  const second = { logical_date: '2026-11-30T00:15:00Z' };
  const [a, b] = [caseName(first, 'overlap-first'), caseName(second, 'overlap-second')];
  return [
    {
      scenario: 'max-active-runs',
      workflow: ref,
      build: 'specs',
      route: false,
      phases: [{ start: [{ ref, input: first, name: a }, { ref, input: second, name: b }] }],
      expect: all(succeeded(ref), (o) => {
        const [x, y] = [a, b].map((n) => o.executions.find((e) => e.ref === ref && e.name === n));
        if (!x || !y) return `${a} and ${b} did not both run`;
        if (x.gateWaits !== 0) return `${a} waited ${x.gateWaits} time(s) with no run ahead of it`;
        if (y.gateWaits < 1) return `${b} never waited for ${a}, which was running`;
        return undefined;
      }),
    },
  ];
}

const DISPATCH = 'lakestep/dispatch';

/** At least `n` dispatcher executions, each SUCCEEDED (the downstreams' own ends add more). */
const dispatched = (n: number) => (o: Observation): string | undefined => {
  const d = o.executions.filter((e) => e.ref === DISPATCH);
  if (d.length < n) return `${d.length} dispatcher executions, expected at least ${n}`;
  return d.map((e) => (e.status === 'SUCCEEDED' ? undefined : `the dispatcher ended ${e.status} ${e.error ?? ''}`)).find((m) => m);
};

/** Cases with event routing over the example platform: dependency starts, the join, duplicate deliveries. */
export function routedCases(buildDir: string): Case[] {
  const manifest = readManifestDir(buildDir);
  const migrated = migratedSeed(manifest);
  const chain = (root: string): Case => ({
    scenario: 'upstream-event',
    workflow: root,
    build: 'specs',
    route: true,
    phases: [{ start: [{ ref: root, input: { logical_date: DAY }, name: caseName({ logical_date: DAY }, 'upstream-event') }] }],
    expect: (o) => {
      const down = o.executions.filter((e) => e.ref !== root && e.ref !== DISPATCH);
      if (down.length === 0) return `no downstream started from ${root}`;
      return down.map((e) => (e.status === 'SUCCEEDED' ? undefined : `${e.ref} ended ${e.status} ${e.error ?? ''}`)).find((m) => m);
    },
  });
  const joinDay = '2026-11-26';
  return [
    chain('orders/orders-migration'),
    chain('customers/customers-migration'),
    chain('payments/payments-migration'),
    {
      scenario: 'two-upstream-join',
      workflow: 'orders/orders-upserts',
      build: 'specs',
      route: true,
      phases: [
        { start: [{ ref: 'orders/orders-ingestion', input: { logical_date: joinDay }, name: caseName({ logical_date: joinDay }, 'join-first') }] },
        { start: [{ ref: 'customers/customers-ingestion', input: { logical_date: joinDay }, name: caseName({ logical_date: joinDay }, 'join-second') }] },
        // The first event the dispatcher got (orders-ingestion's success) delivered again: still one run.
        { redeliver: DISPATCH },
      ],
      seed: migrated,
      expect: all(runs('orders/orders-upserts', 1), succeeded('orders/orders-upserts'), dispatched(3)),
    },
    {
      scenario: 'duplicate-success-event',
      workflow: 'payments/payments-upserts',
      build: 'specs',
      route: true,
      // The success event reaches the dispatcher (the platform rule's only target); delivered again, the dispatcher runs twice and the downstream once.
      phases: [{ start: [{ ref: 'payments/payments-ingestion', input: { logical_date: '2026-11-27' }, name: caseName({ logical_date: '2026-11-27' }, 'duplicate') }] }, { redeliver: DISPATCH }],
      seed: migrated,
      expect: all(runs('payments/payments-upserts', 1), succeeded('payments/payments-upserts'), dispatched(2)),
    },
    {
      scenario: 'duplicate-end-notified-once',
      workflow: 'orders/orders-daily-report',
      build: 'specs',
      route: true,
      // Its success is notified (on_success_callback); delivered again, the second dispatcher run finds the end recorded in the gates table.
      phases: [{ start: [{ ref: 'orders/orders-daily-report', input: { logical_date: '2026-11-27' }, name: caseName({ logical_date: '2026-11-27' }, 'notified-once') }] }, { redeliver: DISPATCH }],
      seed: migrated,
      expect: all(succeeded('orders/orders-daily-report'), dispatched(2), notifiedTimes('orders-daily-report ended SUCCEEDED', 1)),
    },
    {
      scenario: 'failure-to-dag-topic',
      workflow: 'orders/orders-upserts',
      build: 'specs',
      route: true,
      // Its failure is notified to the platform topic and to its own (notification.emails): both publishes succeed, the dispatcher too.
      phases: [{ start: [{ ref: 'orders/orders-upserts', input: { logical_date: 'yesterday' }, name: 'failure-to-dag-topic' }] }],
      seed: migrated,
      expect: all(endedWith('orders/orders-upserts', 'FAILED', 'Lakestep.InvalidLogicalDate'), dispatched(1), notifiedTimes('orders-upserts ended FAILED', 1)),
    },
  ];
}
