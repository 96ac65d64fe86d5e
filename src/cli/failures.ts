/**
 * `lakestep failures [--since 1d] [--use-case NAME]... [--account ID] [--build build] [--json]`: the dags
 * whose executions failed, timed out or were aborted in the window, from CloudWatch's Step Functions
 * metrics, each with its newest failure and why, and the tables past their freshness SLA now
 * (src/ops/failures.ts). Exit 1 when a dag failed or a table is past its error SLA.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SFNClient } from '@aws-sdk/client-sfn';
import { durationText } from '../spec/duration.ts';
import { withThousands } from '../build/limits.ts';
import { escapeForTerminal } from '../diagnostics.ts';
import { type FailuresReport, readFailures } from '../ops/failures.ts';
import { deployedDags, taggedMachines } from '../ops/machines.ts';
import { checkAccount, formatJson, loadManifest } from '../ops/index.ts';
import { fewNames, renderTable } from '../ops/table.ts';
import { AWS_SINCE_DEFAULT, parseSince } from '../ui/aws.ts';
import { paced, stepFunctionsQuotas } from '../ui/throttle.ts';
import type { Io } from './io.ts';
import { aws } from './operate.ts';
import { checkUseCases } from './use-cases.ts';

/** Characters of a cause shown in the table (`--json` has it whole). */
const CAUSE_SHOWN = 160;

export function formatFailures(r: FailuresReport): string {
  const source = `CloudWatch's Step Functions metrics in ${r.period / 60}-minute periods, ${withThousands(r.machines)} state machine(s), ${r.calls.getMetricData} GetMetricData request(s)`;
  const lines = r.notes.map((n) => `note: ${escapeForTerminal(n)}`);
  if (r.failing.length === 0) lines.push(`No execution failed, timed out or was aborted since ${r.since} (${source}; the metrics trail the executions by a few minutes).`);
  else {
    const rows = r.failing.map((f) => {
      const n = f.newest;
      const why = n ? [n.error, n.state ? `in '${n.state}'` : undefined].filter(Boolean).join(' ') : '';
      const cause = n?.cause ? `: ${n.cause.length > CAUSE_SHOWN ? `${n.cause.slice(0, CAUSE_SHOWN - 1)}…` : n.cause}` : '';
      // An Express workflow's runs are not listed by Step Functions: where they are instead.
      const where = f.logGroup ? `Express runs: in the log group ${f.logGroup}` : `${why}${cause}`;
      return [f.dag, String(f.counts.FAILED), String(f.counts.TIMED_OUT), String(f.counts.ABORTED), n ? `${n.stop} ${n.name}` : '-', where.replace(/\s+/g, ' ')];
    });
    lines.push(
      `Failures since ${r.since} (${source}):`,
      renderTable(['DAG', 'FAILED', 'TIMED OUT', 'ABORTED', 'NEWEST (stopped, execution)', 'WHY'], rows),
      `${r.failing.length} of ${withThousands(r.machines)} state machine(s) failed since ${r.since}; ` +
        '`lakestep status <dag>` lists its executions, `lakestep logs <dag> --execution NAME` its job runs',
    );
  }
  if (r.freshnessAlarms > 0 && r.stale.length === 0) lines.push(`Every table with a freshness SLA is within it (${r.freshnessAlarms} alarm(s), none in ALARM).`);
  if (r.stale.length > 0) {
    const rows = r.stale.map((t) => [t.table, t.level, durationText(t.afterSeconds), t.since ?? '-', t.workflow]);
    lines.push(`Tables past their freshness SLA now (${r.stale.length}, from ${r.freshnessAlarms} alarm(s) in ALARM or not):`, renderTable(['TABLE', 'LEVEL', 'SLA', 'IN ALARM SINCE', 'PUBLISHED BY'], rows));
  }
  return lines.join('\n');
}

/** Exit 1 when a dag failed or a table is past its error SLA, 0 otherwise. */
export function failuresExitCode(r: FailuresReport): number {
  return r.failing.length > 0 || r.stale.some((t) => t.level === 'error') ? 1 : 0;
}

export async function failuresCommand(io: Io, opts: { buildDir: string; since?: string; useCases: readonly string[]; account?: string; json: boolean; now?: Date }): Promise<number> {
  checkAccount(opts.account);
  const now = opts.now ?? new Date();
  const since = parseSince(opts.since ?? AWS_SINCE_DEFAULT, now);
  const manifest = await loadManifest(resolve(io.cwd, opts.buildDir));
  checkUseCases(manifest, opts.useCases, { quarantined: true });
  const { region } = manifest.platform;
  const quarantined = manifest.quarantined.filter((q) => !opts.useCases.length || opts.useCases.includes(q.useCase)).map((q) => q.useCase);
  let lastDeployed: { useCase: string; machines: number }[] = [];
  const report = await aws(async () => {
    const raw = (io.sfn ?? ((r: string) => new SFNClient({ region: r })))(region);
    const cloudWatch = io.cloudWatch?.(region) ?? new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient({ region });
    const { client } = paced(raw, { quotas: stepFunctionsQuotas(region) });
    // The build does not name a quarantined use case's dags: its last good deployment's machines are found by name and tags.
    const tagged = await taggedMachines(client, manifest.platform.prefix, quarantined);
    lastDeployed = quarantined.map((uc) => ({ useCase: uc, machines: tagged.get(uc)?.length ?? 0 }));
    return readFailures(cloudWatch, client, manifest, {
      since,
      now,
      quarantined: quarantined.map((uc) => ({ useCase: uc, errors: 0, dags: deployedDags(tagged.get(uc)) })),
      ...(opts.useCases.length ? { useCases: opts.useCases } : {}),
      ...(opts.account === undefined ? (manifest.platform.account ? { account: manifest.platform.account } : {}) : { account: opts.account }),
    });
  });
  if (lastDeployed.length) {
    const each = lastDeployed.map((q) => `${q.useCase} (${q.machines ? `${q.machines} state machine(s)` : 'none deployed'})`);
    report.notes.push(`quarantined use case(s) read from their last good deployment, their dags not being in the build: ${fewNames(each)}`);
  }
  io.out(opts.json ? formatJson(report) : formatFailures(report));
  return failuresExitCode(report);
}

/** `lakestep failures` argv → {@link failuresCommand}. */
export function failuresCli(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      build: { type: 'string', default: 'build' },
      since: { type: 'string' },
      account: { type: 'string' },
      'use-case': { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
    },
  });
  return failuresCommand(io, {
    buildDir: values.build,
    useCases: values['use-case'],
    json: values.json,
    ...(values.since === undefined ? {} : { since: values.since }),
    ...(values.account === undefined ? {} : { account: values.account }),
  });
}
