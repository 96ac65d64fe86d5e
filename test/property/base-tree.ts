/**
 * The valid tree the hostile property tests mutate: test/golden/phases-valid
 * (every phase) plus a custom Spark dag, so every schema has a file to land in.
 */
import { join } from 'node:path';
import { readSpecs } from '../../src/cli/io.ts';
import type { SourceFile } from '../../src/spec/files.ts';
import type { SpecKind } from '../../src/spec/types.ts';
import { GOLDEN_DIR } from '../golden/cases.ts';

export const BASE: SourceFile[] = readSpecs(join(GOLDEN_DIR, 'phases-valid', 'specs'));
BASE.push({
  path: 'crm/orchestration.yaml',
  text: BASE.find((f) => f.path === 'crm/orchestration.yaml')!.text + '  - name: job\n    type: transformation\n    schedule: rate(1 day)\n    spark: {entrypoint: s3://demo-artifacts/crm/jobs/job.py, arguments: ["--date", "{{ ds }}"]}\n',
});
BASE.splice(BASE.findIndex((f) => f.path === 'crm/orchestration.yaml'), 1);

/** The file of the base tree a slot of `kind` is written into. */
export function fileOf(kind: SpecKind): string {
  if (kind === 'platform') return 'platform.yaml';
  return BASE.find((f) => f.path === `shop/${kind}.yaml`) ? `shop/${kind}.yaml` : `crm/${kind}.yaml`;
}

/** BASE with one file replaced (or added). */
export function withFile(path: string, text: string): SourceFile[] {
  return [...BASE.filter((f) => f.path !== path), { path, text }];
}
