import { describe, expect, it } from 'vitest';
import type { MaintenanceTask, MaintenanceTaskKind } from '../../src/ir/types.ts';
import { maintenanceSql, validateMaintenanceOptions } from '../../src/sql/index.ts';
import { origin } from './fixtures.ts';
import { callErrors, syntaxErrors } from './syntax.ts';

function task(kind: MaintenanceTaskKind, options: MaintenanceTask['options']): MaintenanceTask {
  return { kind, table: { database: 'raw_orders', table: 'orders' }, schedule: 'rate(1 day)', options, origin };
}

describe('maintenanceSql', () => {
  it.each([
    {
      kind: 'expire_snapshots' as const,
      options: { olderThanSeconds: 604_800, retainLast: 10 },
      want: [
        {
          sql: "CALL `glue`.system.expire_snapshots(table => 'raw_orders.orders', older_than => TIMESTAMP :cutoff_expire, retain_last => 10)",
          cutoffs: { cutoff_expire: 604_800 },
        },
      ],
    },
    {
      kind: 'expire_snapshots' as const,
      options: {},
      want: [{ sql: "CALL `glue`.system.expire_snapshots(table => 'raw_orders.orders')" }],
    },
    {
      kind: 'remove_old_metadata' as const,
      options: { previousVersionsMax: 20 },
      want: [
        {
          sql:
            "ALTER TABLE `glue`.`raw_orders`.`orders` SET TBLPROPERTIES ('write.metadata.delete-after-commit.enabled'='true', " +
            "'write.metadata.previous-versions-max'='20')",
        },
      ],
    },
    {
      kind: 'rewrite_data_files' as const,
      options: { strategy: 'binpack', targetFileSizeBytes: 536_870_912 },
      want: [
        {
          sql:
            "CALL `glue`.system.rewrite_data_files(table => 'raw_orders.orders', strategy => 'binpack', " +
            "options => map('target-file-size-bytes', '536870912'))",
        },
      ],
    },
    {
      kind: 'rewrite_data_files' as const,
      options: { strategy: 'sort', sortOrder: ['customer_id', 'updated_at desc'], where: "updated_at >= '2024-01-01'" },
      want: [
        {
          sql:
            "CALL `glue`.system.rewrite_data_files(table => 'raw_orders.orders', strategy => 'sort', " +
            "sort_order => '`customer_id` ASC NULLS FIRST, `updated_at` DESC NULLS LAST', where => '`updated_at` >= \\'2024-01-01\\'')",
        },
      ],
    },
    {
      kind: 'rewrite_manifests' as const,
      options: {},
      want: [{ sql: "CALL `glue`.system.rewrite_manifests(table => 'raw_orders.orders')" }],
    },
    {
      kind: 'remove_orphan_files' as const,
      options: { olderThanSeconds: 259_200 },
      want: [
        {
          sql: "CALL `glue`.system.remove_orphan_files(table => 'raw_orders.orders', older_than => TIMESTAMP :cutoff_orphans)",
          cutoffs: { cutoff_orphans: 259_200 },
        },
      ],
    },
    {
      kind: 'hard_delete' as const,
      options: { column: 'updated_at', olderThanSeconds: 157_680_000 },
      want: [
        {
          sql: 'DELETE FROM `glue`.`raw_orders`.`orders` WHERE `updated_at` < CAST(:cutoff_delete AS TIMESTAMP)',
          cutoffs: { cutoff_delete: 157_680_000 },
        },
        { sql: "CALL `glue`.system.rewrite_data_files(table => 'raw_orders.orders', options => map('delete-file-threshold', '1', 'remove-dangling-deletes', 'true', 'use-starting-sequence-number', 'false'))" },
        {
          sql: "CALL `glue`.system.expire_snapshots(table => 'raw_orders.orders', older_than => TIMESTAMP :cutoff_now, retain_last => 1)",
          cutoffs: { cutoff_now: 0 },
          cutoffsFrom: 'now',
        },
      ],
    },
  ])('$kind $options', ({ kind, options, want }) => {
    const got = maintenanceSql('glue', task(kind, options as MaintenanceTask['options']));
    expect(got).toEqual(want);
    for (const statement of got) {
      expect(syntaxErrors(statement.sql)).toEqual([]);
      // Every marker in a statement has its cutoff, and every cutoff is used.
      const markers = [...statement.sql.matchAll(/:([a-z_]+)/g)].map((m) => m[1]).sort();
      expect(markers).toEqual(Object.keys(statement.cutoffs ?? {}).sort());
    }
  });

  it('throws on options that were not validated', () => {
    expect(() => maintenanceSql('glue', task('remove_orphan_files', { olderThanSeconds: 3600 }))).toThrow(/at least 86400/);
  });
});

describe('validateMaintenanceOptions', () => {
  it.each([
    ['expire_snapshots', { olderThanSeconds: 1.5, retainLast: 0 }, ['option "olderThanSeconds" must be an integer', 'option "retainLast" must be at least 1']],
    ['expire_snapshots', { older_than: 7 }, ['unknown option "older_than"']],
    ['remove_old_metadata', { previousVersionsMax: '20' }, ['option "previousVersionsMax" must be an integer']],
    ['rewrite_data_files', { strategy: 'zorder' }, ['strategy must be binpack or sort, got "zorder"']],
    ['rewrite_data_files', { sortOrder: ['a'] }, ['sortOrder needs strategy "sort"']],
    ['rewrite_data_files', { strategy: 'sort', sortOrder: ['a; drop'] }, ['sortOrder: expected "<column> [ASC|DESC] [NULLS FIRST|NULLS LAST]", got "a; drop"']],
    ['rewrite_data_files', { where: "a = 1'); CALL x --" }, ['where: unterminated string literal (offset 5)']],
    ['remove_orphan_files', { olderThanSeconds: 3600 }, ['option "olderThanSeconds" must be at least 86400']],
    ['hard_delete', {}, ['option "column" is required', 'option "olderThanSeconds" is required']],
    ['hard_delete', { column: 'a b', olderThanSeconds: 10 }, ['column "a b" is not a valid identifier']],
    ['rewrite_manifests', {}, []],
  ] as const)('%s %j', (kind, options, want) => {
    expect(validateMaintenanceOptions(kind, options as MaintenanceTask['options'])).toEqual(want);
  });
});

describe('callErrors', () => {
  it('rejects what Iceberg would not take', () => {
    expect(callErrors("CALL `glue`.system.drop_table(table => 'a.b')")).toEqual(['unknown procedure drop_table']);
    expect(callErrors("CALL `glue`.system.rewrite_manifests(tbl => 'a.b')")).toEqual(['unknown argument tbl of rewrite_manifests', 'the first argument must be table']);
    expect(callErrors("CALL `glue`.system.rewrite_manifests(table => 'a.b'); DROP TABLE x")).toEqual(['not a CALL of a system procedure']);
    expect(callErrors("CALL `glue`.system.rewrite_manifests(table => 'a.b', table => 'c.d')")).toEqual(['duplicate argument']);
    expect(callErrors("CALL `glue`.system.rewrite_manifests(table => 'a.b)")).toEqual(["cannot parse arguments at: table => 'a.b"]);
  });
});
