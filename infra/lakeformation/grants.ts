/**
 * The Lake Formation permissions of one use case's Spark job role, from the
 * table-access model of the manifest (`useCases[].workflows[].access`, `tables`,
 * platform.yaml's database owners) and the shares naming the use case
 * (`useCases[].shares`). Pure data; `permissions.ts` turns each grant into an
 * `AWS::LakeFormation::PrincipalPermissions` resource.
 *
 * Grants are per database (the `Database` and its `TableWildcard`), so they hold
 * for tables created after the deploy, which is when Spark creates them:
 * - a database the use case owns: DESCRIBE and CREATE_TABLE on it; DROP on its
 *   tables, and ALL on them when the use case writes any (full-table-access
 *   writes need ALL), else SELECT and DESCRIBE; DATA_LOCATION_ACCESS on its
 *   registered locations (Iceberg stores each table's location in Glue);
 * - a database it only reads in (reads need no share): DESCRIBE on it, SELECT and
 *   DESCRIBE on its tables; a `read` share counts as a read;
 * - a table of another use case it writes (allowed only by a `write`/`maintain`
 *   share, and every such share): ALL on that table and DATA_LOCATION_ACCESS on
 *   its location — per table, since a database-wide write would reach the owner's
 *   other tables. Lake Formation grants only on existing tables, so this grant
 *   deploys once the owner created the table. A table it creates there itself gets
 *   CREATE_TABLE on the database instead: Lake Formation gives a table's creator
 *   every permission on it.
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/lake-formation-unfiltered-access.html
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/lf-permissions-reference.html
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/implicit-permissions.html
 */
import type { ManifestPlatform, ManifestTable, ManifestUseCase, ManifestWorkflow, TableAccessKind } from '../../src/build/types.ts';
import { governedDatabases, overlapsRegistered, registeredLocations } from './locations.ts';

export type LakeFormationPermission = 'ALL' | 'SELECT' | 'DESCRIBE' | 'CREATE_TABLE' | 'DROP' | 'DATA_LOCATION_ACCESS';

export type LakeFormationResource =
  | { kind: 'database'; database: string }
  /** Every table of the database, present and future (`TableWildcard`). */
  | { kind: 'tables'; database: string }
  | { kind: 'table'; database: string; table: string }
  /** An `s3://bucket/prefix/` location at or under a registered one. */
  | { kind: 'location'; uri: string };

/** One permission on one resource: one CloudFormation resource, so no two grants ever overlap. */
export interface LakeFormationGrant {
  resource: LakeFormationResource;
  permission: LakeFormationPermission;
}

/** Raised when the manifest names a database Lake Formation does not govern (a build from another compiler). */
export class UngovernedDatabaseError extends Error {
  override readonly name = 'UngovernedDatabaseError';
}

/** A stable key of a grant: construct ids and tests. */
export function grantKey(g: LakeFormationGrant): string {
  const r = g.resource;
  const name = r.kind === 'location' ? r.uri : r.kind === 'table' ? `${r.database}.${r.table}` : r.database;
  return `${r.kind}:${name}:${g.permission}`;
}

/** What the grants of a use case read of it: its name and its workflows' table access. */
export interface GrantedUseCase {
  name: string;
  workflows: readonly Pick<ManifestWorkflow, 'access'>[];
}

/** The grants of `useCase`'s Spark job role, sorted by key and each once; `useCases` give the shares naming it. */
export function lakeFormationGrants(
  platform: ManifestPlatform,
  useCase: GrantedUseCase,
  tables: Readonly<Record<string, ManifestTable>>,
  useCases: readonly Pick<ManifestUseCase, 'name' | 'shares'>[],
): LakeFormationGrant[] {
  const governed = new Set(governedDatabases(platform));
  const locations = registeredLocations(platform);
  const owns = (db: string) => platform.databaseOwners[db]?.owner === useCase.name;
  const kinds = tableKinds(useCase);
  for (const s of sharesWith(useCase.name, useCases)) {
    const k = kinds.get(s.table) ?? new Set<TableAccessKind>();
    k.add(s.access.some((a) => a !== 'read') ? 'write' : 'read');
    kinds.set(s.table, k);
  }

  const out = new Map<string, LakeFormationGrant>();
  const grant = (resource: LakeFormationResource, ...permissions: LakeFormationPermission[]) => {
    for (const permission of permissions) out.set(grantKey({ resource, permission }), { resource, permission });
  };
  const byDb = new Map<string, Map<string, Set<TableAccessKind>>>();
  for (const [table, k] of kinds) {
    const db = table.split('.')[0]!;
    if (!governed.has(db)) {
      throw new UngovernedDatabaseError(
        `use case "${useCase.name}" uses database "${db}", which platform.yaml does not declare: with governance: lake_formation every database needs an owner there (run \`lakestep compile\` again)`,
      );
    }
    byDb.set(db, (byDb.get(db) ?? new Map()).set(table, k));
  }
  for (const db of governed) if (owns(db) && !byDb.has(db)) byDb.set(db, new Map());

  for (const [db, used] of byDb) {
    const database = { kind: 'database', database: db } as const;
    const all = { kind: 'tables', database: db } as const;
    grant(database, 'DESCRIBE');
    const writes = (k: Set<TableAccessKind>) => [...k].some((x) => x !== 'read');
    if (owns(db)) {
      grant(database, 'CREATE_TABLE');
      grant(all, 'DROP', ...([...used.values()].some(writes) ? (['ALL'] as const) : (['SELECT', 'DESCRIBE'] as const)));
      for (const l of locations) if (l.database === db) grant({ kind: 'location', uri: l.uri }, 'DATA_LOCATION_ACCESS');
      continue;
    }
    if ([...used.values()].some((k) => !writes(k))) grant(all, 'SELECT', 'DESCRIBE');
    for (const [table, k] of used) {
      if (!writes(k)) continue;
      const location = tables[table]?.location;
      if (k.has('create')) grant(database, 'CREATE_TABLE');
      else grant({ kind: 'table', database: db, table: table.slice(db.length + 1) }, 'ALL');
      if (location && overlapsRegistered(location, locations)) grant({ kind: 'location', uri: location }, 'DATA_LOCATION_ACCESS');
    }
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, g]) => g);
}

/** Each table the use case's workflows touch, with the union of their kinds. */
export function tableKinds(useCase: GrantedUseCase): Map<string, Set<TableAccessKind>> {
  const out = new Map<string, Set<TableAccessKind>>();
  for (const w of useCase.workflows) {
    for (const [table, kinds] of Object.entries(w.access ?? {})) {
      const k = out.get(table) ?? new Set();
      for (const x of kinds) k.add(x);
      out.set(table, k);
    }
  }
  return out;
}

/** The shares other use cases declare with `name`, tables in lower case. */
export function sharesWith(name: string, useCases: readonly Pick<ManifestUseCase, 'name' | 'shares'>[]): { table: string; access: string[] }[] {
  return useCases.flatMap((u) => (u.name === name ? [] : (u.shares ?? []).filter((s) => s.with.includes(name)).map((s) => ({ table: s.table.toLowerCase(), access: s.access }))));
}
