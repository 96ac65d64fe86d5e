/**
 * Iceberg's Spark procedures (`CALL <catalog>.system.<name>(…)`, Iceberg 1.10):
 * their parameters in order, and which of them name a table and how the
 * procedure uses it. The table arrives as a string (`table => 'db.t'`). The
 * engine suite checks the parameter lists against the Iceberg runtime jar.
 * See https://iceberg.apache.org/docs/latest/spark-procedures/
 */

export interface Procedure {
  /** Parameter names in positional order. */
  params: string[];
  /** Parameters that name a table, with what the procedure does to it. */
  tables: Record<string, 'read' | 'write'>;
}

const maintains = (...params: string[]): Procedure => ({ params: ['table', ...params], tables: { table: 'write' } });
const reads = (...params: string[]): Procedure => ({ params: ['table', ...params], tables: { table: 'read' } });

export const PROCEDURES: Record<string, Procedure> = {
  add_files: { params: ['table', 'source_table', 'partition_filter', 'check_duplicate_files', 'parallelism'], tables: { table: 'write', source_table: 'read' } },
  ancestors_of: reads('snapshot_id'),
  cherrypick_snapshot: maintains('snapshot_id'),
  compute_partition_stats: maintains('snapshot_id'),
  compute_table_stats: maintains('snapshot_id', 'columns'),
  create_changelog_view: reads('changelog_view', 'options', 'compute_updates', 'identifier_columns', 'net_changes'),
  expire_snapshots: maintains('older_than', 'retain_last', 'max_concurrent_deletes', 'stream_results', 'snapshot_ids', 'clean_expired_metadata'),
  fast_forward: maintains('branch', 'to'),
  migrate: maintains('properties', 'drop_backup', 'backup_table_name', 'parallelism'),
  publish_changes: maintains('wap_id'),
  register_table: maintains('metadata_file'),
  remove_orphan_files: maintains(
    'older_than',
    'location',
    'dry_run',
    'max_concurrent_deletes',
    'file_list_view',
    'equal_schemes',
    'equal_authorities',
    'prefix_mismatch_mode',
    'prefix_listing',
  ),
  rewrite_data_files: maintains('strategy', 'sort_order', 'options', 'where'),
  rewrite_manifests: maintains('use_caching', 'spec_id'),
  rewrite_position_delete_files: maintains('options', 'where'),
  rewrite_table_path: reads('source_prefix', 'target_prefix', 'start_version', 'end_version', 'staging_location'),
  rollback_to_snapshot: maintains('snapshot_id'),
  rollback_to_timestamp: maintains('timestamp'),
  set_current_snapshot: maintains('snapshot_id', 'ref'),
  snapshot: { params: ['source_table', 'table', 'location', 'properties', 'parallelism'], tables: { source_table: 'read', table: 'write' } },
};
