/**
 * The dags a run of a dag starts through its dependencies, down the chain (from the
 * manifest's `dependsOn`): each starts once every one of its upstreams succeeded for
 * the same logical date, so a join downstream also waits for its other upstreams.
 */
import type { Manifest } from '../build/types.ts';

export interface Downstream {
  /** `<use-case>/<dag>`. */
  ref: string;
  /** The upstream it is started from. */
  after: string;
  /** Its other upstreams, which must succeed for the date too. */
  alsoWaitsFor: string[];
}

/** Every dag downstream of `ref`, nearest first; quarantined use cases' dags are not in the manifest. */
export function downstreamOf(manifest: Manifest, ref: string): Downstream[] {
  const out: Downstream[] = [];
  const seen = new Set([ref]);
  const queue = [ref];
  while (queue.length) {
    const up = queue.shift()!;
    for (const uc of manifest.useCases) {
      for (const w of uc.workflows) {
        const own = `${uc.name}/${w.name}`;
        if (seen.has(own) || !w.dependsOn.includes(up) || !w.enabled) continue;
        seen.add(own);
        queue.push(own);
        out.push({ ref: own, after: up, alsoWaitsFor: w.dependsOn.filter((d) => d !== up) });
      }
    }
  }
  return out;
}
