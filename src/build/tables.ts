/**
 * The platform's tables as the manifest lists them (`manifest.tables`): for
 * every table a compiled workflow reads or writes, its owner, where its files
 * live, and which workflows write and read it. infra grants from it, `lineage`
 * and `graph --tables` draw it.
 */
import { accessByTable } from '../ir/access.ts';
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
  const tables = new Map<string, ManifestTable>();
  const get = (fqn: string): ManifestTable => {
    let t = tables.get(fqn);
    if (!t) {
      const [db = '', name = ''] = fqn.split('.');
      const owner = input.owners.get(fqn) ?? input.platform.databaseOwners[db]?.owner;
      t = { ...(owner ? { owner } : {}), location: findTable(input.index, fqn)?.location ?? warehouseLocation(input.platform, db, name), writers: [], readers: [] };
      tables.set(fqn, t);
    }
    return t;
  };
  for (const uc of input.useCases) {
    for (const w of uc.workflows) {
      const ref = `${uc.name}/${w.name}`;
      for (const [fqn, kinds] of accessByTable(w.access)) {
        const t = get(fqn);
        if (kinds.some((k) => k !== 'read')) t.writers.push(ref);
        if (kinds.includes('read')) t.readers.push(ref);
      }
    }
  }
  return Object.fromEntries([...tables].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, t]) => [k, { ...t, writers: [...new Set(t.writers)].sort(), readers: [...new Set(t.readers)].sort() }]));
}
