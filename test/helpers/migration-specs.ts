/** Spec trees of one use case with a migration of `n` tables (wide enough to be realistic). */
import type { SourceFile } from '../../src/spec/files.ts';

export function migrationSpecs(n: number, opts: { timeout?: string; useCase?: string } = {}): SourceFile[] {
  const uc = opts.useCase ?? 'big';
  const tables = Array.from({ length: n }, (_, i) => `  - name: table_${String(i).padStart(4, '0')}
    source: {hdfs_path: /warehouse/raw.db/table_${i}, format: parquet}
    datasync: {task_arn: arn:aws:datasync:us-east-1:123456789012:task/task-0a1b2c3d4e5f${String(i).padStart(5, '0')}}
    columns:
      - {name: id, type: bigint, nullable: false}
      - {name: payload, type: string}
      - {name: updated_at, type: timestamp}
    partition_by: [days(updated_at)]
    watermark_column: updated_at
`).join('');
  return [
    { path: `${uc}/orchestration.yaml`, text: `owner: ${uc}@example.com\ndags:\n  - name: ${uc}-migration\n    type: migration\n    retries: 2\n    timeout: ${opts.timeout ?? '2d'}\n` },
    { path: `${uc}/migration.yaml`, text: `database: raw_${uc}\nmax_concurrency: 40\ntables:\n${tables}` },
  ];
}
