/**
 * The platform's tables as the manifest lists them (`manifest.tables`): for
 * every table a compiled workflow reads or writes, its owner, where its files
 * live, and which workflows write and read it. infra grants from it, `lineage`
 * and `graph --tables` draw it. A table only a quarantined use case claims
 * (its files parsed, its tables deployed by its last good build) is listed
 * with its owner and no workflow: a grant of a whole database to another use
 * case must know it is there (infra/usecase/spark-access.ts).
 */
import { findTable, type PlatformIndex } from '../ir/context.ts';
import { warehouseLocation } from '../ir/index-platform.ts';
import type { UseCaseFacts } from '../ir/facts.ts';
import type { Platform } from '../ir/types.ts';
import type { ManifestTable } from './types.ts';

export interface TableCatalogInput {
  platform: Platform;
  useCases: readonly UseCaseFacts[];
  /** Owner by lower-case `database.table` (src/ir/ownership.ts). */
  owners: ReadonlyMap<string, string>;
  index: PlatformIndex;
}

export function tableCatalog(input: TableCatalogInput): Record<string, ManifestTable> {
  // Who writes and who reads each table, collected in one pass over every access.
  const tables = new Map<string, { writers: Set<string>; readers: Set<string> }>();
  for (const uc of input.useCases) {
    for (const w of uc.workflows) {
      const ref = `${uc.name}/${w.name}`;
      for (const a of w.access) {
        let t = tables.get(a.table);
        if (!t) {
          t = { writers: new Set(), readers: new Set() };
          tables.set(a.table, t);
        }
        for (const k of a.kinds) (k === 'read' ? t.readers : t.writers).add(ref);
      }
    }
  }
  for (const fqn of input.owners.keys()) if (!tables.has(fqn)) tables.set(fqn, { writers: new Set(), readers: new Set() });
  return Object.fromEntries(
    [...tables.keys()].sort().map((fqn): [string, ManifestTable] => {
      const { writers, readers } = tables.get(fqn)!;
      const [db = '', name = ''] = fqn.split('.');
      const owner = input.owners.get(fqn) ?? input.platform.databaseOwners[db]?.owner;
      return [fqn, { ...(owner ? { owner } : {}), location: findTable(input.index, fqn)?.location ?? warehouseLocation(input.platform, db, name), writers: [...writers].sort(), readers: [...readers].sort() }];
    }),
  );
}
