/**
 * Glue Data Catalog table optimizers behind `arn:aws:states:::aws-sdk:glue:createTableOptimizer`:
 * one optimizer per catalog, table and type; a second create of the same one fails with
 * `AlreadyExistsException`, as the API does. Tables named in `missingTables` (a scenario's
 * tables not created yet) fail with `EntityNotFoundException`.
 * @see https://docs.aws.amazon.com/glue/latest/webapi/API_CreateTableOptimizer.html
 */
import { taskError } from '../errors.ts';
import { record, str, type TaskHandler } from './types.ts';

export interface TableOptimizer {
  catalogId: string;
  database: string;
  table: string;
  type: string;
  configuration: Record<string, unknown>;
  /** Simulated time it was created, ISO 8601. */
  created: string;
}

const TYPES = ['compaction', 'retention', 'orphan_file_deletion'];

export class GlueOptimizers {
  readonly optimizers: TableOptimizer[] = [];
  /** `database.table` of tables that do not exist (yet). */
  readonly missingTables = new Set<string>();

  readonly handlers: Record<string, TaskHandler> = {
    'arn:aws:states:::aws-sdk:glue:createTableOptimizer': ({ input, now }) => {
      const p = record(input);
      const [catalogId, database, table, type] = [str(p.CatalogId), str(p.DatabaseName), str(p.TableName), str(p.Type)];
      const configuration = record(p.TableOptimizerConfiguration);
      if (!catalogId || !database || !table || !type || !TYPES.includes(type) || p.TableOptimizerConfiguration === undefined) {
        throw taskError('Glue.InvalidInputException', 'CatalogId, DatabaseName, TableName, Type (compaction, retention, orphan_file_deletion) and TableOptimizerConfiguration are required');
      }
      if (this.missingTables.has(`${database}.${table}`)) throw taskError('Glue.EntityNotFoundException', `Table ${database}.${table} not found`);
      if (this.optimizers.some((o) => o.catalogId === catalogId && o.database === database && o.table === table && o.type === type)) {
        throw taskError('Glue.AlreadyExistsException', `Table optimizer of type ${type} already exists for ${database}.${table}`);
      }
      this.optimizers.push({ catalogId, database, table, type, configuration, created: new Date(now).toISOString() });
      return {};
    },
  };
}
