/**
 * Processing (`transformation` dags reading processing.yaml): every MERGE and
 * user SQL file in one Spark job. Each incremental merge first takes the
 * newest source value past its watermark as an upper bound, merges the rows up
 * to it, and the state machine advances the watermark to that bound only after
 * the job (and so the merge commit) succeeded.
 * @see https://iceberg.apache.org/docs/latest/spark-writes/#merge-into
 */
import { ON_FAILURE, ON_SUCCESS, specComment } from '../asl/frame.ts';
import type { State } from '../asl/types.ts';
import type { JobDocument } from '../build/types.ts';
import type { Processing } from '../ir/types.ts';
import { mergeSql, mergeWatermarkSql } from '../sql/merge.ts';
import { runtimeConf, runtimeJobTask, ALWAYS_PASSED } from './runtime.ts';
import { freshnessTables, gatedSteps, type WritingStep } from './quality.ts';
import { TEMPLATE_PATHS } from '../asl/intrinsics.ts';
import type { Workflow } from '../ir/types.ts';
import type { PhaseCompiler } from './types.ts';
import { afterJob } from './after-job.ts';
import { writesRowsAudited } from '../ir/sql-access.ts';
import { watermarkReads, type WatermarkUse } from './watermarks.ts';

export const compileProcessing: PhaseCompiler<Processing> = (p, { workflow: w, platform }) => {
  const uses: WatermarkUse[] = [];
  const steps: WritingStep[] = [];
  for (const [i, m] of p.merges.entries()) {
    if (m.incrementalColumn) {
      const use = { param: `wm_${i}`, key: `processing/${w.useCase}/${w.name}/${m.name}`, label: m.name, advance: true, resultKey: `upper_${i}`, table: `${m.target.database}.${m.target.table}` };
      uses.push(use);
      // The bound is taken before the merge and becomes the new watermark: rows
      // committed to the source meanwhile wait for the next run, none is skipped.
      steps.push({ step: { kind: 'watermark', name: `${m.name} upper bound`, key: use.resultKey, sql: mergeWatermarkSql(platform.catalog, m, use.param) }, writes: [] });
      steps.push({ step: { kind: 'sql', name: m.name, sql: mergeSql(platform.catalog, m, { watermarkParameter: use.param, upperBoundParameter: use.resultKey }) }, writes: [m.target] });
    } else steps.push({ step: { kind: 'sql', name: m.name, sql: mergeSql(platform.catalog, m) }, writes: [m.target] });
  }
  for (const f of p.sql) {
    // The statements as the SQL analysis split them (src/ir/sql-access.ts): what runs is what was checked.
    for (const st of f.statements) {
      // Rows written into a table that exists; a CREATE … AS SELECT makes a new table, which no branch can hold
      // (validation refuses checks on such a table: src/ir/processing.ts).
      const writes = st.uses.filter(writesRowsAudited).map((u) => u.table);
      steps.push({ step: { kind: 'sql', name: f.statements.length > 1 ? `${f.name} #${st.index}` : f.name, sql: st.text }, writes });
    }
  }
  const qualities = [...p.merges.flatMap((m) => (m.quality ? [m.quality] : [])), ...p.sql.flatMap((f) => f.quality)];
  const job: JobDocument = { version: 1, useCase: w.useCase, workflow: w.name, job: 'process', catalog: platform.catalog, steps: gatedSteps(platform, steps, qualities) };
  const advances = afterJob({ workflow: w, platform, job: 'process', audited: job.steps.some((s) => s.kind === 'audit'), advances: uses, freshness: freshnessTables(qualities), next: ON_SUCCESS });
  const RUN = `Run ${p.merges.length} merge(s) and ${p.sql.length} SQL file(s)`;
  const reads = watermarkReads(uses, RUN);
  const states: Record<string, State> = {
    ...reads.states,
    [RUN]: runtimeJobTask({
      workflow: w,
      platform,
      job: 'process',
      params: { ...runParams(p, w), ...Object.fromEntries(uses.map((u) => [u.param, `$.watermarks.${u.param}.value`])) },
      sparkSubmitParameters: [runtimeConf(platform), platform.defaults.sparkSubmitParameters].filter(Boolean).join(' '),
      comment: specComment(p.origin, [...p.merges.map((m) => `MERGE INTO ${m.target.database}.${m.target.table}`), ...p.sql.map((f) => f.file)].join(', ')),
      next: advances.startAt,
      failure: ON_FAILURE,
    }),
    ...advances.states,
  };
  return {
    startAt: reads.startAt,
    states,
    jobs: [job],
    resources: {
      emr: true,
      datasync: [],
      secrets: [],
    },
    sparkJobs: 1,
  };
};

/** Run parameters the SQL files bind beyond the ones every job gets (`dag` and `use_case` are fixed). */
function runParams(p: Processing, w: Workflow): Record<string, string | { text: string }> {
  const out: Record<string, string | { text: string }> = {};
  for (const name of p.sql.flatMap((f) => f.params)) {
    if (ALWAYS_PASSED.includes(name)) continue;
    out[name] = name === 'dag' ? { text: w.name } : name === 'use_case' ? { text: w.useCase } : TEMPLATE_PATHS[name];
  }
  return out;
}
