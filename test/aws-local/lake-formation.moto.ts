/**
 * The Lake Formation resources of the example under `governance: lake_formation`,
 * deployed on moto as the API calls CloudFormation makes for them: Glue
 * `CreateDatabase`, Lake Formation `PutDataLakeSettings` (after `GetDataLakeSettings`:
 * `MutationType: APPEND`), `RegisterResource` and `GrantPermissions`, each with the
 * template's properties (intrinsics resolved), through the SDK's service models.
 * Then the deployed state is read back the way an auditor would: who may write,
 * create or point tables at each database, which locations are registered, who
 * administers the lake.
 *
 * moto accepts these calls without checking that a granted table exists or that the
 * caller is an administrator; that part only runs on AWS.
 * @see https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GrantPermissions.html
 */
import { CreateDatabaseCommand, GetDatabaseCommand, GlueClient } from '@aws-sdk/client-glue';
import {
  GetDataLakeSettingsCommand,
  GrantPermissionsCommand,
  LakeFormationClient,
  ListPermissionsCommand,
  ListResourcesCommand,
  PutDataLakeSettingsCommand,
  RegisterResourceCommand,
  type PrincipalResourcePermissions,
} from '@aws-sdk/client-lakeformation';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Manifest } from '../../src/build/types.ts';
import { compileToBuild, exampleSources } from '../infra/compiled.ts';
import { ACCOUNT, REGION, Resolver } from '../infra/iam-eval.ts';
import { resourcesOfType, synthesize } from '../infra/synth.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifestDir } from '../../src/build/manifest-files.ts';

/** An administrator the account had before the platform: APPEND must keep it. */
const EARLIER_ADMIN = `arn:aws:iam::${ACCOUNT}:role/data-platform-admin`;

let manifest: Manifest;
let lf: LakeFormationClient;
let glue: GlueClient;
let calls = 0;
let grants = 0;

beforeAll(async () => {
  const sources = exampleSources().map((s) => (s.path === 'platform.yaml' ? { ...s, text: s.text.replace(/^governance: iam$/m, 'governance: lake_formation') } : s));
  const { buildDir, result } = compileToBuild(sources);
  expect(result.quarantined).toEqual([]);
  manifest = readManifestDir(buildDir);
  expect(manifest.platform.governance).toBe('lake_formation');
  const s = synthesize(buildDir, { nagChecks: false, lean: true });
  const resolver = new Resolver(s.json);
  const props = (type: string) => resourcesOfType(s, type).map((r) => resolver.resolve(r.props, s.json.get(r.stack)!) as any);

  const config = { endpoint: inject('motoEndpoint'), region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 2 };
  lf = new LakeFormationClient(config);
  glue = new GlueClient(config);
  const current = await lf.send(new GetDataLakeSettingsCommand({}));
  await lf.send(new PutDataLakeSettingsCommand({ DataLakeSettings: { ...current.DataLakeSettings, DataLakeAdmins: [{ DataLakePrincipalIdentifier: EARLIER_ADMIN }] } }));

  // In the order CloudFormation creates them: the settings first (the others depend on them).
  for (const p of props('AWS::LakeFormation::DataLakeSettings')) {
    expect(p.MutationType).toBe('APPEND');
    const before = (await lf.send(new GetDataLakeSettingsCommand({}))).DataLakeSettings!;
    const admins = [...(before.DataLakeAdmins ?? []), ...p.Admins.filter((a: any) => !before.DataLakeAdmins?.some((b) => b.DataLakePrincipalIdentifier === a.DataLakePrincipalIdentifier))];
    await lf.send(new PutDataLakeSettingsCommand({ DataLakeSettings: { ...before, DataLakeAdmins: admins, AllowFullTableExternalDataAccess: p.AllowFullTableExternalDataAccess } }));
    calls++;
  }
  for (const p of props('AWS::Glue::Database')) {
    await glue.send(new CreateDatabaseCommand({ CatalogId: p.CatalogId, DatabaseInput: p.DatabaseInput }));
    calls++;
  }
  for (const p of props('AWS::LakeFormation::Resource')) {
    await lf.send(new RegisterResourceCommand({ ResourceArn: p.ResourceArn, RoleArn: p.RoleArn, UseServiceLinkedRole: p.UseServiceLinkedRole, HybridAccessEnabled: p.HybridAccessEnabled }));
    calls++;
  }
  for (const p of props('AWS::LakeFormation::PrincipalPermissions')) {
    await lf.send(
      new GrantPermissionsCommand({ Principal: p.Principal, Resource: p.Resource, Permissions: p.Permissions, PermissionsWithGrantOption: p.PermissionsWithGrantOption }),
    );
    calls++;
    grants += p.Permissions.length;
  }
}, 300_000);

const role = (useCase: string) => `arn:aws:iam::${ACCOUNT}:role/acme-${useCase}-spark`;
const holders = (list: PrincipalResourcePermissions[] | undefined, permission: string) =>
  [...new Set((list ?? []).filter((p) => (p.Permissions as string[] | undefined)?.includes(permission)).map((p) => p.Principal!.DataLakePrincipalIdentifier!))].sort();

describe('lake_formation on moto: the deployed catalog', () => {
  it('took every call', () => {
    expect(calls).toBeGreaterThan(6 + 24 + 1 + 40);
  });

  it('kept the earlier administrator and added the deploying role', async () => {
    const s = (await lf.send(new GetDataLakeSettingsCommand({}))).DataLakeSettings!;
    expect(s.DataLakeAdmins!.map((a) => a.DataLakePrincipalIdentifier)).toEqual([EARLIER_ADMIN, `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`]);
  });

  it('registered the four prefixes of every declared database, under the registration role', async () => {
    const r = await lf.send(new ListResourcesCommand({}));
    const dbs = Object.keys(manifest.platform.databaseOwners);
    expect(r.ResourceInfoList!.map((x) => x.ResourceArn).sort()).toEqual(
      dbs.flatMap((db) => ['raw', 'process', 'analytics'].map((l) => `arn:aws:s3:::acme-lake-${l}/${db}`).concat(`arn:aws:s3:::acme-lake-raw/${db}.db`)).sort(),
    );
    expect(new Set(r.ResourceInfoList!.map((x) => x.RoleArn)).size).toBe(1);
  });

  it('created the databases with no default permission on new tables', async () => {
    for (const db of Object.keys(manifest.platform.databaseOwners)) {
      const d = (await glue.send(new GetDatabaseCommand({ Name: db }))).Database!;
      expect(d.CreateTableDefaultPermissions ?? [], db).toEqual([]);
      expect(d.LocationUri, db).toBe(`s3://acme-lake-raw/${db}.db`);
    }
  });

  it.each(['raw_orders', 'process_orders', 'raw_customers', 'raw_payments', 'process_payments', 'raw_clickstream'])(
    '%s: only its owner may write its tables, create tables in it or point tables at its prefixes',
    async (db) => {
      const owner = role(manifest.platform.databaseOwners[db]!.owner);
      const tables = await lf.send(new ListPermissionsCommand({ Resource: { Table: { DatabaseName: db, TableWildcard: {} } } }));
      expect(holders(tables.PrincipalResourcePermissions, 'ALL')).toEqual([owner]);
      expect(holders(tables.PrincipalResourcePermissions, 'DROP')).toEqual([owner]);
      const database = await lf.send(new ListPermissionsCommand({ Resource: { Database: { Name: db } } }));
      expect(holders(database.PrincipalResourcePermissions, 'CREATE_TABLE')).toEqual([owner]);
      for (const l of ['raw', 'process', 'analytics']) {
        const loc = await lf.send(new ListPermissionsCommand({ Resource: { DataLocation: { ResourceArn: `arn:aws:s3:::acme-lake-${l}/${db}` } } }));
        expect(holders(loc.PrincipalResourcePermissions, 'DATA_LOCATION_ACCESS'), l).toEqual([owner]);
      }
      // Readers: every use case whose workflows read a table of the database, and those a read share names.
      const readers = manifest.useCases
        .filter((u) => u.workflows.some((w) => Object.keys(w.access).some((t) => t.startsWith(`${db}.`))) || manifest.useCases.some((o) => o.shares?.some((s) => s.table.startsWith(`${db}.`) && s.with.includes(u.name))))
        .map((u) => role(u.name))
        .filter((r) => r !== owner);
      expect(holders(tables.PrincipalResourcePermissions, 'SELECT')).toEqual(readers.sort());
    },
  );

  it('granted nothing to IAMAllowedPrincipals', async () => {
    // Lake Formation lists by principal only together with a resource: list everything.
    const all = (await lf.send(new ListPermissionsCommand({}))).PrincipalResourcePermissions!;
    // One permission per template resource; Lake Formation lists a principal's permissions on a resource together.
    expect(all.reduce((n, p) => n + p.Permissions!.length, 0)).toBe(grants);
    expect(all.filter((p) => p.Principal?.DataLakePrincipalIdentifier === 'IAM_ALLOWED_PRINCIPALS')).toEqual([]);
    expect(new Set(all.map((p) => p.Principal!.DataLakePrincipalIdentifier))).toEqual(new Set(manifest.useCases.map((u) => role(u.name))));
  });
});
