/**
 * One handler per statement kind of the grammar (its `# label`), naming the
 * statement's target and what the statement does to it; the tables it reads
 * come from the walk (walk.ts) over the rest of the statement. A kind without
 * a handler is not modelled: the statement is reported, never skipped.
 * See https://spark.apache.org/docs/latest/sql-ref-syntax.html
 */
import type { ParseTree, ParserRuleContext } from 'antlr4ng';
import * as G from 'dt-sql-parser/dist/lib/spark/SparkSqlParser.js';
import type { SqlOperation } from './types.ts';
import { Refused, nameOf, referenceName, type Name, type Prefixes } from './names.ts';
import type { Reference } from './walk.ts';

export interface Use {
  name: Name;
  operation: SqlOperation;
  role: 'read' | 'write';
  procedure?: string;
  /** For CALL `<catalog>.system.<procedure>`: the catalog, where the procedure reads its table argument. */
  catalog?: string;
}

/** What one statement does: its targets (and CALL tables), the relations it reads, temporary views and USE. */
export interface Found {
  uses: Use[];
  references: Reference[];
  /** A temporary view it defines or drops (lower case; global ones as `global_temp.<name>`). */
  defines?: string;
  drops?: string;
  /** `USE <namespace>`: the namespace's parts. */
  use?: string[];
  /** Target nodes the walk must not take for reads. */
  skip?: ParseTree[];
  /** A one-part target name that may be a temporary view (DROP VIEW, ALTER VIEW … AS). */
  viewTarget?: { name: Name; operation: SqlOperation; temp: 'drops' | 'defines' };
}

type Handler = (ctx: never, prefixes: Prefixes) => Omit<Found, 'references'>;

const tableName = (ctx: G.TableNameContext | G.TableNameCreateContext, prefixes: Prefixes) => nameOf(ctx.tableIdentifier().errorCapturingIdentifier(), prefixes);
const viewName = (ctx: G.ViewNameContext | G.ViewNameCreateContext, prefixes: Prefixes) => nameOf(ctx.viewIdentifier().errorCapturingIdentifier(), prefixes);
const write = (name: Name, operation: SqlOperation, skip: ParseTree): Omit<Found, 'references'> => ({ uses: [{ name, operation, role: 'write' }], skip: [skip] });
const nothing = (): Omit<Found, 'references'> => ({ uses: [] });

/** ALTER TABLE/VIEW forms: the first table or view name of the statement is altered. */
function alter(ctx: ParserRuleContext, prefixes: Prefixes): Omit<Found, 'references'> {
  const table = ctx.getRuleContext(0, G.TableNameContext);
  if (table) return write(tableName(table, prefixes), 'alter', table);
  const view = ctx.getRuleContext(0, G.ViewNameContext)!;
  return write(viewName(view, prefixes), 'alter', view);
}

function insert(ins: G.InsertIntoContext, prefixes: Prefixes): Use {
  const target = ins.tableName();
  if (!target) throw new Refused('SQL_UNSUPPORTED', 'INSERT OVERWRITE DIRECTORY writes files, not a table', ins.start!.start);
  const overwrite = ins.KW_OVERWRITE() !== null || ins.KW_REPLACE() !== null;
  return { name: tableName(target, prefixes), operation: overwrite ? 'insert_overwrite' : 'insert', role: 'write' };
}

function dml(ctx: G.DmlStatementContext, prefixes: Prefixes): Omit<Found, 'references'> {
  const s = ctx.dmlStatementNoWith();
  if (s instanceof G.InsertFromQueryContext) return { uses: [insert(s.insertInto(), prefixes)], skip: [s.insertInto().tableName()!] };
  if (s instanceof G.MultipleInsertContext) return { uses: s.insertInto().map((i) => insert(i, prefixes)), skip: s.insertInto().map((i) => i.tableName()!) };
  if (s instanceof G.DeleteFromTableContext) return write(tableName(s.tableName(), prefixes), 'delete', s.tableName());
  if (s instanceof G.UpdateTableContext) return write(tableName(s.tableName(), prefixes), 'update', s.tableName());
  const merge = s as G.MergeIntoTableContext;
  return write(tableName(merge._target!, prefixes), 'merge', merge._target!);
}

/** A SET of a session setting that decides where tables live or how they are written. */
const RELOCATING = /^(spark\.sql\.catalog\b|spark\.sql\.extensions|spark\.sql\.defaultcatalog|spark\.sql\.warehouse|spark\.wap\.)/i;

/** The setting that would turn Spark's `${…}` substitution back on (src/sql/conf.ts VARIABLE_SUBSTITUTION_OFF). */
const SUBSTITUTION = /^spark\.sql\.variable\.substitute\b/i;

function set(ctx: ParserRuleContext): Omit<Found, 'references'> {
  const key = ctx.getText().replace(/^SET/i, '').split('=')[0]!.trim();
  const plain = key.replace(/`/g, '');
  if (RELOCATING.test(plain)) throw new Refused('SQL_UNSUPPORTED', `SET ${key} changes where tables are read or written`, ctx.start!.start);
  if (SUBSTITUTION.test(plain)) throw new Refused('SQL_UNSUPPORTED', `SET ${key} would let Spark rewrite the text of later statements (\${…}) after their analysis`, ctx.start!.start);
  return nothing();
}

export const HANDLERS: Record<string, Handler> = {
  statementDefault: nothing,
  dmlStatement: dml,
  createTable: (c: G.CreateTableContext, p) => {
    // Spark makes it a temporary view over files (CreateTempViewUsing): a path no table name stands for.
    if (c.KW_TEMPORARY()) throw new Refused('SQL_UNSUPPORTED', 'CREATE TEMPORARY TABLE makes a temporary view over files: use CREATE TEMPORARY VIEW … AS SELECT from tables', c.start!.start);
    refuseLocation(c.createTableClauses().KW_LOCATION());
    return write(tableName(c.tableNameCreate(), p), c.query() ? 'create_as_select' : 'create', c.tableNameCreate());
  },
  createTableLike: (c: G.CreateTableLikeContext, p) => {
    refuseLocation(c.KW_LOCATION());
    return write(tableName(c._target!, p), 'create', c._target!);
  },
  replaceTable: (c: G.ReplaceTableContext, p) => {
    refuseLocation(c.createTableClauses().KW_LOCATION());
    return write(tableName(c.tableNameCreate(), p), 'replace', c.tableNameCreate());
  },
  setTableLocation: (c: G.SetTableLocationContext, p) => {
    refuseLocation([c.KW_LOCATION()]);
    return alter(c, p);
  },
  createView: (c: G.CreateViewContext, p) => {
    const name = viewName(c.viewNameCreate(), p);
    if (!c.KW_TEMPORARY()) return write(name, 'create_view', c.viewNameCreate());
    return { uses: [], defines: tempName(name, c.KW_GLOBAL() !== null) };
  },
  createTempViewUsing: (c: G.CreateTempViewUsingContext, p) => ({ uses: [], defines: tempName(viewName(c.viewNameCreate(), p), c.KW_GLOBAL() !== null) }),
  alterViewQuery: (c: G.AlterViewQueryContext, p) => ({ uses: [], skip: [c.viewName()], viewTarget: { name: viewName(c.viewName(), p), operation: 'create_view', temp: 'defines' } }),
  dropView: (c: G.DropViewContext, p) => ({ uses: [], skip: [c.viewName()], viewTarget: { name: viewName(c.viewName(), p), operation: 'drop_view', temp: 'drops' } }),
  dropTable: (c: G.DropTableContext, p) => write(tableName(c.tableName(), p), 'drop', c.tableName()),
  truncateTable: (c: G.TruncateTableContext, p) => write(tableName(c.tableName(), p), 'truncate', c.tableName()),
  cacheTable: (c: G.CacheTableContext, p) => {
    if (!c.query()) return nothing();
    const name = tableName(c.tableName(), p);
    if (name.parts.length > 1) throw new Refused('SQL_SYNTAX', 'CACHE TABLE … AS names a temporary view: one name part', name.at);
    return { uses: [], defines: name.parts[0]!.toLowerCase(), skip: [c.tableName()] };
  },
  unCacheTable: nothing,
  refreshTable: nothing,
  renameTable: (c: G.RenameTableContext, p) => {
    const from = alter(c, p);
    const to = nameOf(c.multipartIdentifier().errorCapturingIdentifier(), p);
    return { uses: [...from.uses, { name: to, operation: 'alter', role: 'write' }], skip: from.skip! };
  },
  ...Object.fromEntries(
    [
      'alterTableAddColumn',
      'alterTableAddColumns',
      'renameTableColumn',
      'alterTableDropColumn',
      'dropTableColumns',
      'setTableProperties',
      'unsetTableProperties',
      'alterTableAlterColumn',
      'hiveChangeColumn',
      'hiveReplaceColumns',
      'setTableSerDe',
      'setTableSerDeProperties',
      'addTablePartition',
      'renameTablePartition',
      'dropTablePartitions',
      'recoverPartitions',
    ].map((label) => [label, alter]),
  ),
  useNamespace: (c: G.UseNamespaceContext, p) => ({ uses: [], use: referenceName(c.namespaceName().identifierReference(), p).parts }),
  createNamespace: (c: G.CreateNamespaceContext) => {
    refuseLocation(c.KW_LOCATION());
    return nothing();
  },
  setConfig: set,
  setConfigAndValue: set,
  setConfigAnyKey: set,
  setAny: set,
  resetConfig: nothing,
  resetAny: nothing,
  setTimeZone: nothing,
  setTimeZoneInterval: nothing,
  setTimeZoneAny: nothing,
  clearCache: nothing,
};

/**
 * `LOCATION '<path>'` on a table or database: its files would live where the statement says instead of where the
 * platform lays them out (`s3://<layer bucket>/<database>/<table>/`), which the grants and other use cases' tables
 * follow — another use case's prefix, or the artifacts bucket's runtime.
 */
function refuseLocation(nodes: readonly { symbol: { start: number } }[]): void {
  if (nodes.length > 0) throw new Refused('SQL_UNSUPPORTED', "LOCATION puts a table's or database's files elsewhere than the platform lays them out: leave it out", nodes[0]!.symbol.start);
}

function tempName(name: Name, global: boolean): string {
  if (name.parts.length > 1) throw new Refused('SQL_SYNTAX', 'a temporary view name has one part', name.at);
  return (global ? 'global_temp.' : '') + name.parts[0]!.toLowerCase();
}

/** The grammar label of a statement node (`createTable` for CreateTableContext). */
export function labelOf(ctx: ParserRuleContext): string {
  const cls = ctx.constructor.name.replace(/Context$/, '');
  return cls.charAt(0).toLowerCase() + cls.slice(1);
}
