/**
 * The DataSync calls of compiled migrations against the DataSync service model
 * shipped in @aws-sdk/client-datasync (not against lakestep's own idea of it):
 * every parameter of StartTaskExecution — `Includes` with its FilterRule
 * members and FilterType — is a member the API has, and a shared task's filter
 * is a single `/folder` pattern, which DataSync reads as that folder and its content.
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/API_StartTaskExecution.html
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/filtering.html
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FilterType } from '@aws-sdk/client-datasync';
import { describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { GOLDEN_DIR } from '../golden/cases.ts';

const require = createRequire(import.meta.url);
const schemas = require(join(dirname(require.resolve('@aws-sdk/client-datasync')), 'schemas', 'schemas_0.js')) as Record<string, unknown[]>;
/** Member names of a structure of the service model. */
const members = (shape: string) => schemas[`${shape}$`]![4] as string[];

type Json = Record<string, any>;
const result = compile(readSpecs(join(GOLDEN_DIR, 'datasync-shared', 'specs')), { lakestepVersion: '0' });
const starts = [...result.files]
  // The workflows of the use cases; lakestep/ holds platform machines (backfill) that migrate nothing.
  .filter(([p]) => p.endsWith('.asl.json') && !p.startsWith('lakestep/'))
  .flatMap(([p, text]) => Object.entries((JSON.parse(text) as Json).States['Migrate tables'].ItemProcessor.States as Record<string, Json>).filter(([, s]) => s.Resource === 'arn:aws:states:::aws-sdk:datasync:startTaskExecution').map(([name, s]) => [`${p} ${name}`, s.Parameters as Json] as const));

describe('StartTaskExecution as compiled', () => {
  it('uses only members of StartTaskExecutionRequest and FilterRule, with a FilterType the model has', () => {
    expect(starts.length).toBe(3);
    for (const [where, params] of starts) {
      for (const key of Object.keys(params)) expect(members('StartTaskExecutionRequest'), where).toContain(key.replace(/\.\$$/, ''));
      for (const rule of (params.Includes ?? []) as Json[]) {
        for (const key of Object.keys(rule)) expect(members('FilterRule'), where).toContain(key.replace(/\.\$$/, ''));
        expect(Object.values(FilterType)).toContain(rule.FilterType);
      }
    }
    expect(starts.filter(([, p]) => p.Includes).length).toBe(2);
  });

  it("gives each table of a shared task one '/folder' pattern, without DataSync's '|' separator or '*' wildcard", () => {
    const resources = result.manifest.useCases.flatMap((u) => u.workflows.flatMap((w) => w.resources.datasync));
    const filters = resources.flatMap((d) => (d.includes === undefined ? [] : [d.includes]));
    expect(filters.sort()).toEqual(['/crm/customers', '/order_lines', '/orders', '/y2019', '/y2020']);
    for (const f of filters) expect(f).toMatch(/^\/[^|*]+$/);
  });
});

describe("StartTaskExecution through a platform's shared task", () => {
  const platform = compile(readSpecs(join(GOLDEN_DIR, 'datasync-platform-task', 'specs')), { lakestepVersion: '0' });
  const resources = platform.manifest.useCases.flatMap((u) => u.workflows.flatMap((w) => w.resources.datasync.map((d) => ({ useCase: u.name, d }))));

  it('starts the one task of each use case with one Includes pattern inside the use case folder', () => {
    expect(resources.map(({ useCase, d }) => [useCase, 'taskArn' in d ? d.taskArn.slice(-3) : d.placeholder, d.includes])).toEqual([
      ['orders', '001', '/orders/orders'],
      ['orders', '001', '/orders/sales.db/order_lines'],
      ['payments', '002', '/payments/payments'],
    ]);
    for (const { useCase, d } of resources) expect(d.includes).toMatch(new RegExp(`^/${useCase}/[^|*]+$`));
  });

  it('passes the item filter as an Includes list of FilterRule members the model has', () => {
    const definitions = [...platform.files].filter(([p]) => p.endsWith('.asl.json') && !p.startsWith('lakestep/')).map(([, text]) => JSON.parse(text) as Json);
    expect(definitions).toHaveLength(2);
    for (const def of definitions) {
      const [start] = Object.values(def.States['Migrate tables'].ItemProcessor.States as Record<string, Json>).filter((s) => s.Resource === 'arn:aws:states:::aws-sdk:datasync:startTaskExecution');
      for (const key of Object.keys(start!.Parameters)) expect(members('StartTaskExecutionRequest')).toContain(key.replace(/\.\$$/, ''));
      expect(start!.Parameters.Includes).toEqual([{ FilterType: FilterType.SIMPLE_PATTERN, 'Value.$': expect.any(String) }]);
    }
  });
});
