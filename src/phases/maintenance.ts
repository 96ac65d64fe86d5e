/**
 * Maintenance: tasks sharing a schedule run in one Spark job (job start-up is
 * the dominant fixed cost). A schedule rule starts the workflow with `group`;
 * a start without a group (manual, backfill) runs every task in one job.
 * Within a job, per table: metadata properties, hard delete, compaction,
 * manifests, snapshot expiry, orphan files — so expiry also drops what the
 * compaction replaced.
 * @see https://iceberg.apache.org/docs/latest/maintenance/
 */
import { ON_FAILURE, ON_SUCCESS, specComment } from '../asl/frame.ts';
import type { ChoiceRule, State } from '../asl/types.ts';
import type { JobDocument, JobStep } from '../build/types.ts';
import { scheduleGroups } from '../events/schedule.ts';
import type { Maintenance, MaintenanceTask, MaintenanceTaskKind } from '../ir/types.ts';
import { tableName } from '../sql/identifiers.ts';
import { maintenanceSql } from '../sql/maintenance.ts';
import { runtimeConf, runtimeJobTask } from './runtime.ts';
import { tableOptimizerStates } from './table-optimizers.ts';
import type { PhaseCompiler } from './types.ts';

const ORDER: Record<MaintenanceTaskKind, number> = {
  remove_old_metadata: 0,
  hard_delete: 1,
  rewrite_data_files: 2,
  rewrite_manifests: 3,
  expire_snapshots: 4,
  remove_orphan_files: 5,
};

export const compileMaintenance: PhaseCompiler<Maintenance> = (m, { workflow: w, platform }) => {
  if (m.tasks.length === 0) {
    // Only `managed: true` tables: Glue's optimizers do the work, no Spark job is needed.
    const optimizers = tableOptimizerStates(m.managed, ON_SUCCESS);
    return {
      startAt: optimizers.startAt,
      states: optimizers.states,
      jobs: [],
      resources: { emr: false, datasync: [], secrets: [] },
      sparkJobs: 0,
      managedTables: m.managed.map((t) => `${t.table.database}.${t.table.table}`),
      scheduleGroups: [],
    };
  }
  const groups = scheduleGroups(m);
  const steps = (tasks: readonly MaintenanceTask[]): JobStep[] =>
    [...tasks]
      .map((t, i) => ({ t, i }))
      .sort((a, b) => cmp(a.t.table.database + '.' + a.t.table.table, b.t.table.database + '.' + b.t.table.table) || ORDER[a.t.kind] - ORDER[b.t.kind] || a.i - b.i)
      .flatMap(({ t }) => [
        ...beforeExpiry(platform.catalog, t),
        ...maintenanceSql(platform.catalog, t).map((s, j) => ({
          kind: 'sql' as const,
          name: `${t.table.database}.${t.table.table} ${t.kind}${j ? ` #${j + 1}` : ''}`,
          sql: s.sql,
          ...(s.cutoffs ? { cutoffs: s.cutoffs } : {}),
          ...(s.cutoffsFrom ? { cutoffsFrom: s.cutoffsFrom } : {}),
          group: `${t.table.database}.${t.table.table}`,
        })),
      ]);
  const doc = (job: string, tasks: readonly MaintenanceTask[]): JobDocument => ({ version: 1, useCase: w.useCase, workflow: w.name, job, catalog: platform.catalog, steps: steps(tasks) });
  const submit = [runtimeConf(platform), platform.defaults.sparkSubmitParameters].filter(Boolean).join(' ');
  const task = (job: string, tasks: readonly MaintenanceTask[], what: string) =>
    runtimeJobTask({ workflow: w, platform, job, sparkSubmitParameters: submit, comment: specComment(m.origin, what), next: ON_SUCCESS, failure: ON_FAILURE });
  const describe = (tasks: readonly MaintenanceTask[]) => `${tasks.length} task(s): ${[...new Set(tasks.map((t) => t.kind))].join(', ')}`;

  const states: Record<string, State> = {};
  const choices: ChoiceRule[] = [];
  const jobs: JobDocument[] = [];
  for (const g of groups) {
    const name = `Maintain ${g.schedule}`;
    choices.push({ Variable: '$.group', StringEquals: g.group, Next: name });
    states[name] = task(`maintenance-${g.group}`, g.tasks, `${g.schedule}: ${describe(g.tasks)}`);
    jobs.push(doc(`maintenance-${g.group}`, g.tasks));
  }
  states['Maintain every table'] = task('maintenance-all', m.tasks, `started without a schedule group: ${describe(m.tasks)}`);
  jobs.push(doc('maintenance-all', m.tasks));
  const SELECT = 'Which schedule group?';
  states[SELECT] = {
    Type: 'Choice',
    Comment: 'Schedule rules pass `group`; each group runs only its own tasks.',
    Choices: [{ And: [{ Variable: '$.group', IsPresent: true }, { Or: choices.map(({ Next: _n, ...c }) => c) }], Next: 'Route schedule group' }],
    Default: 'Maintain every table',
  };
  states['Route schedule group'] = { Type: 'Choice', Choices: choices, Default: 'Maintain every table' };
  const optimizers = tableOptimizerStates(m.managed, SELECT);
  return {
    startAt: optimizers.startAt,
    states: { ...optimizers.states, ...states },
    jobs,
    resources: { emr: true, datasync: [], secrets: [] },
    sparkJobs: 1,
    ...(m.managed.length ? { managedTables: m.managed.map((t) => `${t.table.database}.${t.table.table}`) } : {}),
    scheduleGroups: groups.map((g) => ({ schedule: g.schedule, group: g.group, tasks: g.tasks.map((t) => ({ table: `${t.table.database}.${t.table.table}`, kind: t.kind })) })),
  };
};

/**
 * What must happen before a task expires snapshots: carry the Kafka commit records of
 * the snapshots into table properties (exactly-once survives the expiry), and, for a
 * hard delete, drop the audit branches failed checks kept (they would keep deleted rows
 * reachable). A plain `expire_snapshots` keeps them: Iceberg retains a branch's snapshots
 * until the branch's own `RETAIN` age.
 */
function beforeExpiry(catalog: string, t: MaintenanceTask): JobStep[] {
  if (t.kind !== 'expire_snapshots' && t.kind !== 'hard_delete') return [];
  const fqn = `${t.table.database}.${t.table.table}`;
  const table = tableName(catalog, t.table);
  return [
    { kind: 'commit_records', name: `${fqn} ${t.kind} commit records`, table, group: fqn },
    ...(t.kind === 'hard_delete' ? [{ kind: 'drop_audit_branches' as const, name: `${fqn} hard_delete audit branches`, table, group: fqn }] : []),
  ];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
