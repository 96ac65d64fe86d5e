/**
 * `lakestep doctor [--build build] [--account ID] [--json]`: the findings of `src/ops/doctor.ts`
 * for the build's tables, looked up in the Glue Data Catalog of the build's region. The catalog
 * is the account's: `--account`, else the platform's `account`, else the caller's (STS).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GlueClient } from '@aws-sdk/client-glue';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { checkAccount, formatJson, loadManifest } from '../ops/index.ts';
import { doctor, glueOptimizers, type DoctorResult } from '../ops/doctor.ts';
import { renderTable } from '../ops/table.ts';
import type { Io } from './io.ts';
import { aws } from './operate.ts';

export function formatDoctor(r: DoctorResult): string {
  const head = `${r.tables} table(s) checked against the Glue Data Catalog of account ${r.catalogId}`;
  if (r.ok) return `${head}: no findings`;
  const rows = r.findings.map((f) => [f.code, f.table, f.message]);
  return `${renderTable(['FINDING', 'TABLE', 'WHAT'], rows)}\n${head}: ${r.findings.length} finding(s)`;
}

/** Exit 1 when there is any finding, 0 otherwise. */
export async function doctorCommand(io: Io, opts: { buildDir: string; account?: string; json: boolean }): Promise<number> {
  checkAccount(opts.account);
  const manifest = await loadManifest(resolve(io.cwd, opts.buildDir));
  const region = manifest.platform.region;
  const result = await aws(async () => {
    const account =
      opts.account ??
      manifest.platform.account ??
      (await (io.sts ?? ((r: string) => new STSClient({ region: r })))(region).send(new GetCallerIdentityCommand({}))).Account ??
      '';
    const glue = (io.glue ?? ((r: string) => new GlueClient({ region: r })))(region);
    return doctor(manifest, glueOptimizers(glue, account), account);
  });
  io.out(opts.json ? formatJson(result) : formatDoctor(result));
  return result.ok ? 0 : 1;
}

/** `lakestep doctor` argv → {@link doctorCommand}. */
export function doctorCli(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { build: { type: 'string', default: 'build' }, account: { type: 'string' }, json: { type: 'boolean', default: false } } });
  return doctorCommand(io, { buildDir: values.build, json: values.json, ...(values.account === undefined ? {} : { account: values.account }) });
}
