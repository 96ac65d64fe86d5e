/**
 * What `governance: lake_formation` asks of the specs, checked before the build:
 * - every database a workflow reads or writes is declared in platform.yaml's
 *   `databases:` (`LAKE_FORMATION_DATABASE_UNDECLARED`, at the table's position):
 *   the platform stack creates and registers exactly the declared databases, so
 *   that it never changes with which use cases compile, and grants per owner;
 * - the EMR release runs Iceberg with full-table access (`LAKE_FORMATION_RELEASE`,
 *   a warning: EMR 7.9.0 and later).
 * A custom `spark:` job's S3 path in a registered location (table data) needs no
 * check here: `SPARK_LOCATION` (src/ir/locations.ts) refuses it under either governance.
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/lake-formation-section.html
 */
import type { Report } from '../diagnostics.ts';
import type { UseCaseFacts } from '../ir/facts.ts';
import type { Platform } from '../ir/types.ts';
import { locate, type SpecFile } from '../spec/files.ts';

/** The first EMR release whose Iceberg tables support Lake Formation full-table access. */
export const FULL_TABLE_ACCESS_RELEASE = [7, 9, 0] as const;

export function checkLakeFormation(platform: Platform, useCases: readonly UseCaseFacts[], platformFile: (() => SpecFile) | undefined, report: Report): void {
  if (platform.governance !== 'lake_formation') return;
  const declared = platform.databaseOwners;
  const version = /^emr-(?:spark-)?(\d+)\.(\d+)\.(\d+)$/.exec(platform.emr.releaseLabel)?.slice(1).map(Number);
  if (version && compare(version, FULL_TABLE_ACCESS_RELEASE) < 0) {
    const file = platformFile?.();
    const at = file ? locate(file, file.value && hasRelease(file.value) ? '/emr/release_label' : '/governance') : platform.origin;
    report.warning(
      'LAKE_FORMATION_RELEASE',
      `${platform.emr.releaseLabel} does not run Iceberg tables with Lake Formation full-table access, which governance: lake_formation uses: choose emr-${FULL_TABLE_ACCESS_RELEASE.join('.')} or later`,
      at,
    );
  }
  for (const u of useCases) {
    const told = new Set<string>();
    for (const w of u.workflows) {
      for (const a of w.access) {
        const db = a.table.split('.')[0]!;
        if (Object.hasOwn(declared, db) || told.has(db)) continue;
        told.add(db);
        report.error(
          'LAKE_FORMATION_DATABASE_UNDECLARED',
          `database '${db}' (${a.by}) is not declared in platform.yaml: with governance: lake_formation the platform creates, registers and grants exactly the declared databases; add \`databases: {${db}: {owner: <use case>}}\``,
          a.origin,
          u.name,
        );
      }
    }
  }
}

function hasRelease(spec: unknown): boolean {
  const emr = (spec as { emr?: { release_label?: unknown } }).emr;
  return typeof emr?.release_label === 'string';
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
