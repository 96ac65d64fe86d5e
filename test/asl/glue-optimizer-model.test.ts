/**
 * The createTableOptimizer calls of a compiled maintenance workflow against the Glue
 * service model shipped in @aws-sdk/client-glue: every parameter is a member the API
 * has, at every depth, and each Type is one the model lists — one call per type per
 * managed table.
 * @see https://docs.aws.amazon.com/glue/latest/webapi/API_CreateTableOptimizer.html
 */
import * as glue from '@aws-sdk/client-glue';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { GOLDEN_DIR } from '../golden/cases.ts';

type Json = Record<string, any>;
const model = glue as unknown as Record<string, unknown[]>;
/** Member names of a structure of the service model. */
const members = (shape: string) => model[`${shape}$`]![4] as string[];
/** Structure of each nested member of the request, by member name. */
const NESTED: Record<string, string> = {
  TableOptimizerConfiguration: 'TableOptimizerConfiguration',
  retentionConfiguration: 'RetentionConfiguration',
  orphanFileDeletionConfiguration: 'OrphanFileDeletionConfiguration',
  compactionConfiguration: 'CompactionConfiguration',
};
const ICEBERG: Record<string, string> = {
  RetentionConfiguration: 'IcebergRetentionConfiguration',
  OrphanFileDeletionConfiguration: 'IcebergOrphanFileDeletionConfiguration',
  CompactionConfiguration: 'IcebergCompactionConfiguration',
};

function checkShape(shape: string, value: Json, where: string): void {
  for (const [key, v] of Object.entries(value)) {
    const name = key.replace(/\.\$$/, '');
    expect(members(shape), `${where}: ${shape}.${name}`).toContain(name);
    const nested = name === 'icebergConfiguration' ? ICEBERG[shape] : NESTED[name];
    if (nested && typeof v === 'object') checkShape(nested, v as Json, where);
  }
}

const result = compile(readSpecs(join(GOLDEN_DIR, 'maintenance-managed', 'specs')), { lakestepVersion: '0' });
const calls = [...result.files]
  .filter(([p]) => p.endsWith('.asl.json'))
  .flatMap(([p, text]) => Object.entries((JSON.parse(text) as Json).States as Record<string, Json>).filter(([, s]) => s.Resource === 'arn:aws:states:::aws-sdk:glue:createTableOptimizer').map(([name, s]) => [`${p} ${name}`, s] as const));

describe('createTableOptimizer as compiled', () => {
  it('creates one optimizer of each type the model lists for the managed table', () => {
    expect(calls.map(([, s]) => s.Parameters.Type).sort()).toEqual(Object.values(glue.TableOptimizerType).sort());
    expect(new Set(calls.map(([, s]) => `${s.Parameters.DatabaseName}.${s.Parameters.TableName}`))).toEqual(new Set(['raw_orders.orders']));
  });

  it('uses only members of CreateTableOptimizerRequest and its nested structures', () => {
    for (const [where, s] of calls) checkShape('CreateTableOptimizerRequest', s.Parameters, where);
  });

  it('leaves an existing optimizer and a table not created yet to the next run, failing on anything else', () => {
    for (const [where, s] of calls) {
      const caught = (s.Catch as Json[]).flatMap((c) => c.ErrorEquals as string[]);
      expect(caught, where).toEqual(['Glue.AlreadyExistsException', 'Glue.EntityNotFoundException', 'States.ALL']);
      expect((s.Catch as Json[]).at(-1)!.Next, where).toBe('Record failure');
    }
  });
});
