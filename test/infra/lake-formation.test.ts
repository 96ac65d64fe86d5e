/**
 * `governance: lake_formation` on the example platform, synthesized (cdk-nag on):
 * the databases and registered locations of the platform stack, each Spark role's
 * Lake Formation permissions against the table-access model of the manifest
 * (written out here, not taken from infra), no IAMAllowedPrincipals grant, no S3
 * access of a Spark role to a registered location, and the EMR full-table-access mode.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/build/types.ts';
import type { SourceFile } from '../../src/spec/files.ts';
import { compileToBuild, exampleSources } from './compiled.ts';
import { ACCOUNT, allows, Resolver, type ResolvedStatement, sparkRoles } from './iam-eval.ts';
import { resourcesOfType, synthesize, type Synthesized } from './synth.ts';
import { readManifestDir } from '../../src/build/manifest-files.ts';

/** The example with `governance: lake_formation`, and `edit` applied to the file at each path. */
function lakeFormationSources(edit: Record<string, (text: string) => string> = {}): SourceFile[] {
  return exampleSources().map((s) => {
    const text = s.path === 'platform.yaml' ? s.text.replace(/^governance: iam$/m, 'governance: lake_formation') : s.text;
    return { ...s, text: edit[s.path]?.(text) ?? text };
  });
}

interface Grant {
  stack: string;
  /** Name of the role the grant is for. */
  role: string;
  permission: string;
  /** `database:<db>`, `tables:<db>`, `table:<db>.<t>` or `location:<bucket/prefix>`. */
  on: string;
}

interface Built {
  manifest: Manifest;
  s: Synthesized;
  grants: Grant[];
  /** Spark role statements by use case, intrinsics resolved. */
  roles: Map<string, ResolvedStatement[]>;
}

function build(sources: readonly SourceFile[], nagChecks = false): Built {
  const { buildDir, result } = compileToBuild(sources);
  expect(result.quarantined).toEqual([]);
  const manifest = readManifestDir(buildDir);
  const s = synthesize(buildDir, { nagChecks, lean: !nagChecks });
  const resolver = new Resolver(s.json);
  const grants = resourcesOfType(s, 'AWS::LakeFormation::PrincipalPermissions').map((p) => {
    const r = resolver.resolve(p.props, s.json.get(p.stack)!) as any;
    expect(r.Permissions).toHaveLength(1);
    expect(r.PermissionsWithGrantOption).toEqual([]);
    const res = r.Resource;
    const on = res.Database
      ? `database:${res.Database.Name}`
      : res.DataLocation
        ? `location:${res.DataLocation.ResourceArn.replace('arn:aws:s3:::', '')}`
        : res.Table.TableWildcard
          ? `tables:${res.Table.DatabaseName}`
          : `table:${res.Table.DatabaseName}.${res.Table.Name}`;
    return { stack: p.stack, role: (r.Principal.DataLakePrincipalIdentifier as string).split('/').pop()!, permission: r.Permissions[0], on };
  });
  const roles = new Map([...sparkRoles(s, resolver)].map(([uc, r]) => [uc, r.statements]));
  return { manifest, s, grants, roles };
}

const roleOf = (useCase: string) => `acme-${useCase}-spark`;
/** The four registered prefixes of a database, as Lake Formation names them. */
const locationsOf = (m: Manifest, db: string) => [`${m.platform.buckets.raw}/${db}`, `${m.platform.buckets.process}/${db}`, `${m.platform.buckets.analytics}/${db}`, `${m.platform.buckets.raw}/${db}.db`];

/** What a use case does per table, from its workflows' `access` (the model), plus the shares naming it. */
function model(m: Manifest, useCase: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (t: string, k: string) => out.set(t, (out.get(t) ?? new Set()).add(k));
  for (const w of m.useCases.find((u) => u.name === useCase)!.workflows) for (const [t, kinds] of Object.entries(w.access)) for (const k of kinds) add(t, k);
  for (const u of m.useCases) for (const s of u.shares ?? []) if (s.with.includes(useCase)) for (const a of s.access) add(s.table, a === 'read' ? 'read' : 'write');
  return out;
}

let ex: Built;
beforeAll(() => {
  ex = build(lakeFormationSources(), true);
}, 300_000);

describe('lake_formation: the platform stack', () => {
  it('creates every declared database with no default grant on the tables Spark creates, retained on removal', async () => {
    const dbs = Object.entries(ex.s.json.get('acme-platform')!.Resources).filter(([, r]) => r.Type === 'AWS::Glue::Database');
    expect(dbs.map(([, r]) => r.Properties!.DatabaseInput.Name).sort()).toEqual(Object.keys(ex.manifest.platform.databaseOwners).sort());
    for (const [, r] of dbs) {
      expect(r.Properties!.DatabaseInput.CreateTableDefaultPermissions).toEqual([]);
      expect(r.Properties!.DatabaseInput.LocationUri).toBe(`s3://${ex.manifest.platform.buckets.raw}/${r.Properties!.DatabaseInput.Name}.db`);
      expect((r as any).DeletionPolicy).toBe('Retain');
    }
    expect(resourcesOfType(ex.s, 'AWS::Glue::Database').every((d) => d.stack === 'acme-platform')).toBe(true);
  });

  it('registers the four prefixes of each database under a role of its own, and appends the deploying role to the administrators', async () => {
    const resolver = new Resolver(ex.s.json);
    const platform = ex.s.json.get('acme-platform')!;
    const registered = resourcesOfType(ex.s, 'AWS::LakeFormation::Resource').map((r) => resolver.resolve(r.props, platform) as any);
    expect(registered.map((r) => r.ResourceArn.replace('arn:aws:s3:::', '')).sort()).toEqual(Object.keys(ex.manifest.platform.databaseOwners).flatMap((db) => locationsOf(ex.manifest, db)).sort());
    for (const r of registered) {
      expect(r.UseServiceLinkedRole).toBe(false);
      expect(r.HybridAccessEnabled).toBe(false);
      expect(r.RoleArn).toMatch(/^arn:aws:iam::\d+:role\/LakeFormationRegistrationRole/);
    }
    const [settings, ...more] = resourcesOfType(ex.s, 'AWS::LakeFormation::DataLakeSettings').map((r) => ({ ...r, props: resolver.resolve(r.props, ex.s.json.get(r.stack)!) as any }));
    expect(more).toEqual([]);
    expect(settings!.stack).toBe('acme-platform');
    expect(settings!.props).toEqual({
      MutationType: 'APPEND',
      Admins: [{ DataLakePrincipalIdentifier: `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-eu-west-1` }],
      AllowFullTableExternalDataAccess: true,
    });
  });

  it('lets the registration role read and write the registered prefixes only', async () => {
    const role = resourcesOfType(ex.s, 'AWS::IAM::Role').find((r) => JSON.stringify(r.props.AssumeRolePolicyDocument).includes('lakeformation.amazonaws.com'))!;
    const st = (new Resolver(ex.s.json).resolve(role.props.Policies, ex.s.json.get('acme-platform')!) as any[]).flatMap((p) => p.PolicyDocument.Statement) as ResolvedStatement[];
    expect(await allows(st, 's3:PutObject', `arn:aws:s3:::${ex.manifest.platform.buckets.raw}/raw_orders/orders/data/x.parquet`)).toBe(true);
    expect(await allows(st, 's3:PutObject', `arn:aws:s3:::${ex.manifest.platform.buckets.raw}/raw_orders.db/t/metadata/x.json`)).toBe(true);
    expect(await allows(st, 's3:GetObject', `arn:aws:s3:::${ex.manifest.platform.buckets.analytics}/orders/reports/x.csv`)).toBe(false);
    expect(await allows(st, 's3:GetObject', `arn:aws:s3:::${ex.manifest.platform.buckets.artifacts}/lakestep/runtime/lakestep_runtime.py`)).toBe(false);
  });

  it('runs every Spark job in full-table-access mode, fine-grained access control off', async () => {
    const [app] = resourcesOfType(ex.s, 'AWS::EMRServerless::Application');
    expect(app!.props.RuntimeConfiguration).toEqual([
      {
        Classification: 'spark-defaults',
        Properties: {
          'spark.sql.catalog.glue_catalog.glue.lakeformation-enabled': 'true',
          'spark.sql.catalog.glue_catalog.glue.account-id': { Ref: 'AWS::AccountId' },
          'spark.sql.catalog.glue_catalog.client.region': { Ref: 'AWS::Region' },
          'spark.sql.catalog.dropDirectoryBeforeTable.enabled': 'true',
          'spark.emr-serverless.lakeformation.enabled': 'false',
        },
      },
    ]);
  });

  it('grants nothing to IAMAllowedPrincipals and sets no account-wide default permissions', async () => {
    for (const [stack, t] of ex.s.json) {
      expect(JSON.stringify(t), stack).not.toMatch(/IAM_ALLOWED_PRINCIPALS|IAMAllowedPrincipals/);
      expect(JSON.stringify(t), stack).not.toMatch(/CreateDatabaseDefaultPermissions|"REPLACE"/);
    }
  });
});

describe('lake_formation: each Spark role against the table-access model', () => {
  const useCases = ['orders', 'payments', 'customers', 'clickstream'];

  it('keeps every grant of a role in its use case\'s own stack', async () => {
    expect(ex.grants.length).toBeGreaterThan(0);
    for (const g of ex.grants) expect(g.role, g.on).toBe(roleOf(g.stack.replace(/^acme-/, '')));
  });

  it.each(useCases)('%s: reads where it reads, writes what it owns and writes, creates and drops in its own databases only', async (useCase) => {
    const m = ex.manifest;
    const mine = ex.grants.filter((g) => g.role === roleOf(useCase));
    const has = (permission: string, on: string) => mine.some((g) => g.permission === permission && g.on === on);
    const uses = model(m, useCase);
    const owned = Object.entries(m.platform.databaseOwners).filter(([, o]) => o.owner === useCase).map(([db]) => db);
    expect(owned.length).toBeGreaterThan(0);
    for (const db of Object.keys(m.platform.databaseOwners)) {
      const own = owned.includes(db);
      const inDb = [...uses].filter(([t]) => t.startsWith(`${db}.`));
      const writes = inDb.some(([, k]) => [...k].some((x) => x !== 'read'));
      expect(has('DESCRIBE', `database:${db}`), db).toBe(own || inDb.length > 0);
      expect(has('CREATE_TABLE', `database:${db}`), db).toBe(own);
      expect(has('DROP', `tables:${db}`), db).toBe(own);
      expect(has('ALL', `tables:${db}`), db).toBe(own && writes);
      expect(has('SELECT', `tables:${db}`), db).toBe(!(own && writes) && (own || inDb.length > 0));
      for (const l of locationsOf(m, db)) expect(has('DATA_LOCATION_ACCESS', `location:${l}`), l).toBe(own);
    }
    // The example shares only for reading: no per-table grant, and no location but the use case's own.
    expect(mine.filter((g) => g.on.startsWith('table:'))).toEqual([]);
    // Every table of the model is readable, and every table it writes is writable.
    for (const [t, k] of uses) {
      const db = t.split('.')[0]!;
      expect(has('SELECT', `tables:${db}`) || has('ALL', `tables:${db}`), t).toBe(true);
      if ([...k].some((x) => x !== 'read')) expect(has('ALL', `tables:${db}`), t).toBe(true);
    }
  });

  it('gives a read share the owner\'s tables to read and nothing to write', async () => {
    const orders = ex.grants.filter((g) => g.role === roleOf('orders') && g.on.endsWith(':raw_customers'));
    expect(orders.map((g) => `${g.permission} ${g.on}`).sort()).toEqual(['DESCRIBE database:raw_customers', 'DESCRIBE tables:raw_customers', 'SELECT tables:raw_customers']);
  });

  it.each(useCases)('%s: no S3 access to a registered location, credentials from Lake Formation, no database to create', async (useCase) => {
    const m = ex.manifest;
    const role = ex.roles.get(useCase)!;
    for (const db of Object.keys(m.platform.databaseOwners)) {
      for (const l of locationsOf(m, db)) {
        for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) expect(await allows(role, action, `arn:aws:s3:::${l}/t/data/part-0.parquet`), `${action} ${l}`).toBe(false);
      }
    }
    const prefixes = role.filter((s) => [s.Action].flat().includes('s3:ListBucket')).flatMap((s) => JSON.stringify(s.Condition));
    for (const db of Object.keys(m.platform.databaseOwners)) expect(prefixes.join(' '), db).not.toMatch(new RegExp(`"${db}(\\.db)?/`));
    expect(await allows(role, 'lakeformation:GetDataAccess', '*')).toBe(true);
    expect(role.filter((s) => [s.Resource].flat().includes('*')).flatMap((s) => [s.Action].flat())).toEqual(['lakeformation:GetDataAccess']);
    expect(await allows(role, 'glue:CreateDatabase', `arn:aws:glue:eu-west-1:${ACCOUNT}:database/raw_${useCase}`)).toBe(false);
    expect(await allows(role, 's3:PutObject', `arn:aws:s3:::${m.platform.buckets.artifacts}/lakestep/results/${useCase}/w/x.json`)).toBe(true);
  });

  it('keeps S3 access to what is not registered: landing files of a migration, the prefixes of a custom job', async () => {
    const orders = ex.roles.get('orders')!;
    expect(await allows(orders, 's3:GetObject', `arn:aws:s3:::${ex.manifest.platform.buckets.landing}/orders/orders/part-0.parquet`)).toBe(true);
    expect(await allows(orders, 's3:PutObject', `arn:aws:s3:::${ex.manifest.platform.buckets.analytics}/orders/reports/dt=2026-01-01/x.csv`)).toBe(true);
  });
});

describe('lake_formation: a share for writing, and quarantine', () => {
  it('grants a maintain share per table: ALL on that table and its location, nothing on the owner\'s other tables', async () => {
    const b = build(
      lakeFormationSources({
        'payments/orchestration.yaml': (t) => `${t}\nshare:\n  - {table: raw_payments.payments, with: [orders], access: [maintain]}\n`,
        'orders/maintenance.yaml': (t) => t.replace('tables:\n', 'tables:\n  - table: raw_payments.payments\n    expire_snapshots: {older_than: 7d}\n\n'),
      }),
    );
    const orders = b.grants.filter((g) => g.role === roleOf('orders') && g.on.includes('raw_payments')).map((g) => `${g.permission} ${g.on}`);
    const location = b.manifest.tables['raw_payments.payments']!.location.replace('s3://', '').replace(/\/$/, '');
    expect(orders.sort()).toEqual(['ALL table:raw_payments.payments', 'DATA_LOCATION_ACCESS location:' + location, 'DESCRIBE database:raw_payments'].sort());
    expect(b.grants.filter((g) => g.role === roleOf('payments') && g.on === 'tables:raw_payments').map((g) => g.permission).sort()).toEqual(['ALL', 'DROP']);
  }, 240_000);

  it('refuses a database description that CloudFormation would resolve at deploy time: at compile time, and again at synth', async () => {
    const refused = compileToBuild(lakeFormationSources({ 'platform.yaml': (t) => t.replace('"Curated order tables."', '"{{resolve:ssm:/acme/prod/api-key}}"') }));
    expect(refused.result.diagnostics.filter((d) => d.code === 'SPEC_DYNAMIC_REFERENCE').map((d) => d.file)).toEqual(['platform.yaml']);
    // A build edited by hand after compiling is refused by the stack itself.
    const { buildDir } = compileToBuild(lakeFormationSources());
    const path = join(buildDir, 'manifest.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"Curated order tables."', '"{{resolve:ssm:/acme/prod/api-key}}"'));
    expect(() => synthesize(buildDir, { nagChecks: false, lean: true })).toThrow(/databases\.process_orders\.description holds a CloudFormation dynamic reference/);
  }, 240_000);

  it('leaves the platform stack as it is when a use case is quarantined', async () => {
    const healthy = compileToBuild(lakeFormationSources()).buildDir;
    const broken = compileToBuild(lakeFormationSources({ 'payments/orchestration.yaml': (t) => `${t}\nnot_a_field: true\n` }));
    expect(broken.result.quarantined.map((q) => q.useCase)).toEqual(['payments']);
    // Its databases, locations, settings and the Spark application.
    const governed = (dir: string) =>
      Object.entries(synthesize(dir, { nagChecks: false, lean: true }).json.get('acme-platform')!.Resources)
        .filter(([id, r]) => /^AWS::(LakeFormation|Glue|EMRServerless)::/.test(r.Type) || id.startsWith('LakeFormation'))
        .map(([id, r]) => `${id} ${JSON.stringify(r)}`);
    const before = governed(healthy);
    expect(before.length).toBe(6 + 24 + 1 + 1 + 1);
    expect(governed(broken.buildDir)).toEqual(before);
  }, 240_000);
});
