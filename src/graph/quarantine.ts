/**
 * The dags of a quarantined use case, read leniently from its orchestration
 * file: whatever parses is drawn, the rest is ignored (the errors are reported
 * by `validate`, not here).
 */
import { parse } from 'yaml';
import type { QuarantinedDag } from './types.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The dags named in an orchestration file's text, or `undefined` when it does not parse to a `dags` list. */
export function dagsOfOrchestration(text: string | undefined): QuarantinedDag[] | undefined {
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  if (!isRecord(doc) || !Array.isArray(doc.dags)) return undefined;
  const dags: QuarantinedDag[] = [];
  const seen = new Set<string>();
  for (const d of doc.dags) {
    if (!isRecord(d) || typeof d.name !== 'string' || d.name === '' || seen.has(d.name)) continue;
    seen.add(d.name);
    const dependsOn = Array.isArray(d.depends_on) ? d.depends_on.filter((x): x is string => typeof x === 'string' && x !== '') : [];
    dags.push({ name: d.name, dependsOn, enabled: d.enabled !== false, ...(typeof d.schedule === 'string' ? { schedule: d.schedule } : {}) });
  }
  return dags.length ? dags : undefined;
}
