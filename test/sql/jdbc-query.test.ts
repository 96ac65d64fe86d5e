/**
 * JDBC source queries run inside `SELECT * FROM (<query>) SPARK_GEN_SUBQ_n`; what
 * cannot sit there is refused at compile time, at the offending character. The
 * same verdicts are checked against real PostgreSQL in
 * test/engines/test_jdbc_ingestion.py (via test/engines/jdbc-queries.json).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jdbcQueryProblem, type JdbcEngine } from '../../src/sql/jdbc-query.ts';
import { compileTree } from '../compile/support.ts';

interface Case {
  engine: JdbcEngine;
  query: string;
  /** The refused character, or null when the query wraps. */
  at: string | null;
}

export const CASES = JSON.parse(readFileSync(new URL('../engines/jdbc-queries.json', import.meta.url), 'utf8')) as Case[];

describe('jdbcQueryProblem', () => {
  it.each(CASES.map((c) => [c.engine, c.query, c.at] as const))('%s %j → %j', (engine, query, at) => {
    const p = jdbcQueryProblem(query, engine);
    expect(p === undefined ? null : query.slice(p.offset, p.offset + (at?.length ?? 0))).toBe(at);
  });

  it('covers both engines, and queries both accepted and refused', () => {
    for (const engine of ['postgresql', 'oracle']) {
      expect(CASES.filter((c) => c.engine === engine && c.at === null).length, engine).toBeGreaterThan(3);
      expect(CASES.filter((c) => c.engine === engine && c.at !== null).length, engine).toBeGreaterThan(3);
    }
  });
});

describe('a JDBC query that cannot be wrapped', () => {
  it('is an error at the character, in a folded block too', () => {
    const r = compileTree({
      'platform.yaml': 'prefix: acme\nregion: eu-west-1\nemr:\n  network: {subnet_ids: [subnet-0a1b2c3d4e5f60718], security_group_ids: [sg-0d4e5f60718293a4b]}\n',
      'a/orchestration.yaml': 'owner: a@example.com\ndags:\n  - {name: load, type: ingestion}\n',
      'a/ingestion.yaml': [
        'batch:',
        '  - name: lines',
        '    source:',
        '      engine: postgresql',
        '      secret_arn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf',
        '      query: >-',
        '        SELECT order_id, line_no -- the key',
        '        FROM public.order_lines',
        '    target: raw_a.lines',
        '    mode: append',
        '    columns: [{name: order_id, type: bigint}, {name: line_no, type: int}]',
        '',
      ].join('\n'),
    });
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(['a/ingestion.yaml:7:34 INGESTION_QUERY']);
    expect(r.diagnostics[0]!.message).toContain('comment runs to the end of the query');
  });
});
