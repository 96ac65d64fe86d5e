/** Refs of the platform's own machines, in a module of their own: the start report names them without loading the simulator. */
import type { Manifest } from '../build/types.ts';

/** Ref of the platform's dispatcher (`lakestep` is a reserved use-case name). */
export const DISPATCHER_REF = 'lakestep/dispatch';

/** Ref of the platform's backfill machine (`lakestep backfill --detach`). */
export const BACKFILL_REF = 'lakestep/backfill';

/** The build's workflows that run as Express workflows: the dispatcher (a Standard one in older builds). */
export function expressWorkflows(manifest: Pick<Manifest, 'machines'>): Set<string> {
  return new Set(manifest.machines?.dispatcher?.type === 'EXPRESS' ? [DISPATCHER_REF] : []);
}
