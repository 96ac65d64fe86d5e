/** What the analysis of a user Spark SQL file reports (see analyzeSql). */

/** What a statement does to a table; every read is `select`. */
export type SqlOperation =
  | 'select'
  | 'insert'
  | 'insert_overwrite'
  | 'merge'
  | 'update'
  | 'delete'
  | 'create'
  | 'create_as_select'
  | 'replace'
  | 'create_view'
  | 'drop'
  | 'drop_view'
  | 'alter'
  | 'truncate'
  | 'call';

/** A 1-based position in the whole file text (columns count UTF-16 units; a tab is one). */
export interface SqlPosition {
  line: number;
  column: number;
}

export interface TableName {
  /**
   * The name as written: backquotes removed, case kept. One part (`t`), two
   * (`db.t`), or more: a catalog first (`glue_catalog.db.t`), or an Iceberg
   * branch, tag or metadata table last (`db.t.branch_audit`, `db.t.snapshots`)
   * — which one the grammar cannot tell; the catalog configuration can.
   */
  parts: string[];
  /** A one-part name after `USE <namespace>` earlier in the file: the namespace's parts, then the name. */
  resolved?: string[];
  /** Where that `USE` statement starts. */
  use?: SqlPosition;
}

export interface TableUse extends SqlPosition {
  name: TableName;
  operation: SqlOperation;
  /** `write`: the statement's target (also DROP, ALTER, TRUNCATE and the table of a maintenance CALL); `read`: every other table. */
  role: 'read' | 'write';
  /** For CALL: the procedure (`rewrite_data_files`, `expire_snapshots`, …). */
  procedure?: string;
  /** For CALL `<catalog>.system.<procedure>`: the catalog, in which the procedure reads a table argument of one or two parts. */
  catalog?: string;
}

export interface SqlStatement extends SqlPosition {
  /**
   * The statement as it runs: the source between two `;` (or the file's ends),
   * without the `;` and surrounding whitespace; comments kept, a leading one
   * included. `line`/`column` are those of its first word, after any comment.
   */
  text: string;
  /** False when a problem stopped the analysis of this statement: its `uses` are then incomplete. */
  analysed: boolean;
  /** Tables only: never CTE names, never temporary views. Sorted by position. */
  uses: TableUse[];
  /**
   * Temporary views: the one this statement defines (`CREATE TEMP VIEW`,
   * `CACHE TABLE … AS`, `create_changelog_view`), drops (`DROP VIEW`), and the
   * ones it reads (names as written, lower case).
   */
  tempViews: { defines?: string; drops?: string; reads: string[] };
  /** `USE <namespace>`: the parts of the namespace this statement makes current. */
  use?: string[];
}

/** `SQL_SYNTAX` (the grammar rejects the statement), `SQL_UNSUPPORTED` (a statement or construct the analysis does not model), `SQL_TEMPLATE` (`{{ … }}`). */
export interface SqlProblem extends SqlPosition {
  code: 'SQL_SYNTAX' | 'SQL_UNSUPPORTED' | 'SQL_TEMPLATE';
  message: string;
}

export interface SqlAnalysis {
  statements: SqlStatement[];
  problems: SqlProblem[];
}
