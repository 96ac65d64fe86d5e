/**
 * pause / resume / logs / cancel / retry: the everyday operator commands, over `src/ops`.
 * Like run and status they read the compiled manifest (`--build`) and act in the
 * region of its platform.
 */
import { EMRServerlessClient } from '@aws-sdk/client-emr-serverless';
import { cancelExecution, executionLogs, formatCancel, formatJson, formatLogs, formatPause, formatRetry, formatUseCasePause, resolveUseCase, retryExecution, setTriggers, setUseCaseTriggers } from '../ops/index.ts';
import type { Io } from './io.ts';
import { resolve } from 'node:path';
import { loadManifest } from '../ops/index.ts';
import { aws, offline, target, triggerClients, type TargetOptions } from './operate.ts';

const emrClient = (io: Io, region: string): EMRServerlessClient => (io.emr ?? ((r: string) => new EMRServerlessClient({ region: r })))(region);

/**
 * `lakestep pause|resume <use-case>/<dag>`: disables or enables the dag's schedules and
 * sets or clears the pause flag of its dependencies (notifications stay on). Exit 1 when
 * a trigger could not be changed or is not deployed.
 */
export async function pauseCommand(io: Io, opts: TargetOptions & { action: 'pause' | 'resume'; json: boolean }): Promise<number> {
  if (!opts.ref.includes('/')) return pauseUseCase(io, opts);
  const wf = await offline(io, opts);
  const manifest = await loadManifest(resolve(io.cwd, opts.buildDir));
  const result = await aws(() => setTriggers(triggerClients(io, wf.region, manifest), wf.ref, wf.workflow, opts.action, (io.now ?? (() => new Date()))()));
  io.out(opts.json ? formatJson(result) : formatPause(result));
  return result.ok ? 0 : 1;
}

/**
 * `lakestep pause|resume <use-case>`: every dag of the use case, as `pause|resume <use-case>/<dag>` does one
 * (resume leaves the dags the specs disable). Exit 1 when a trigger could not be changed.
 */
async function pauseUseCase(io: Io, opts: TargetOptions & { action: 'pause' | 'resume'; json: boolean }): Promise<number> {
  const manifest = await loadManifest(resolve(io.cwd, opts.buildDir));
  const uc = resolveUseCase(manifest, opts.ref);
  const { region } = manifest.platform;
  const result = await aws(() => setUseCaseTriggers(triggerClients(io, region, manifest), uc.name, uc.workflows, opts.action, (io.now ?? (() => new Date()))()));
  io.out(opts.json ? formatJson(result) : formatUseCasePause(result));
  return result.ok ? 0 : 1;
}

/** `lakestep logs <use-case>/<dag> [--execution NAME]`: the job runs of the newest (or named) execution. */
export async function logsCommand(io: Io, opts: TargetOptions & { execution?: string; json: boolean }): Promise<number> {
  await offline(io, opts);
  const result = await aws(async () => {
    const { client, target: t } = await target(io, opts);
    return executionLogs(client, emrClient(io, t.region), t, opts.execution);
  });
  io.out(opts.json ? formatJson(result) : formatLogs(result));
  return 0;
}

/** `lakestep cancel <use-case>/<dag> --execution NAME`: stop it and cancel its active job runs; exit 1 when a cancel failed. */
export async function cancelCommand(io: Io, opts: TargetOptions & { execution: string; json: boolean }): Promise<number> {
  await offline(io, opts);
  const result = await aws(async () => {
    const { client, target: t } = await target(io, opts);
    return cancelExecution(client, emrClient(io, t.region), t, opts.execution);
  });
  io.out(opts.json ? formatJson(result) : formatCancel(result));
  return result.ok ? 0 : 1;
}

/** `lakestep retry <use-case>/<dag> --execution NAME`: redrive it from its failed state; exit 1 when it was not redriven. */
export async function retryCommand(io: Io, opts: TargetOptions & { execution: string; json: boolean }): Promise<number> {
  await offline(io, opts);
  const result = await aws(async () => {
    const { client, target: t } = await target(io, opts);
    return retryExecution(client, t, opts.execution);
  });
  io.out(opts.json ? formatJson(result) : formatRetry(result));
  return result.redriven ? 0 : 1;
}
