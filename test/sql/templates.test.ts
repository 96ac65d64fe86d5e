import { describe, expect, it } from 'vitest';
import { bindSqlTemplates } from '../../src/sql/templates.ts';

const bound = (sql: string) => {
  const r = bindSqlTemplates(sql);
  return { sql: r.sql, params: r.params, problems: r.problems.map((p) => [p.code, sql.slice(p.offset, p.offset + 2)]) };
};

describe('run templates in SQL files are bound as parameters, never spliced', () => {
  it.each([
    ["WHERE dt = '{{ ds }}'", 'WHERE dt = :ds', ['ds']],
    ['WHERE dt = "{{ds}}"', 'WHERE dt = :ds', ['ds']],
    ["WHERE dt = r'{{ ds }}'", 'WHERE dt = :ds', ['ds']],
    ["WHERE d = DATE '{{ ds }}'", 'WHERE d = CAST(:ds AS DATE)', ['ds']],
    ["WHERE t >= timestamp '{{ data_interval_start }}' AND t < TIMESTAMP'{{ data_interval_end }}'", 'WHERE t >= CAST(:data_interval_start AS TIMESTAMP) AND t < CAST(:data_interval_end AS TIMESTAMP)', ['data_interval_start', 'data_interval_end']],
    ['WHERE dt = {{ ds_nodash }}', 'WHERE dt = :ds_nodash', ['ds_nodash']],
    ["SELECT '{{ prev_ds }}', '{{ next_ds }}', '{{ ts }}', '{{ run_id }}', '{{ dag }}', '{{ use_case }}'", 'SELECT :prev_ds, :next_ds, :ts, :run_id, :dag, :use_case', ['prev_ds', 'next_ds', 'ts', 'run_id', 'dag', 'use_case']],
    ["WHERE dt = :ds AND x = 'a:b'", "WHERE dt = :ds AND x = 'a:b'", ['ds']],
    ["-- runs for '{{ ds }}'\nSELECT 1 /* {{ nope }} */", "-- runs for '{{ ds }}'\nSELECT 1 /* {{ nope }} */", []],
    ["SELECT 'it''s', x::string", "SELECT 'it''s', x::string", []],
  ])('%s', (sql, want, params) => {
    expect(bound(sql)).toEqual({ sql: want, params, problems: [] });
  });

  it('refuses a template inside a longer literal, with the rewrite', () => {
    const r = bindSqlTemplates("INSERT INTO t SELECT * FROM s WHERE path = 's3://b/dt={{ ds }}/x'");
    expect(r.problems).toEqual([
      {
        code: 'SQL_TEMPLATE_IN_TEXT',
        message: "a run template inside a longer string literal cannot be bound as a parameter; write the literal as concat('s3://b/dt=', '{{ ds }}', '/x')",
        offset: 54,
      },
    ]);
    expect(bound("WHERE t = '{{ ds }} 00:00:00'").problems).toEqual([['SQL_TEMPLATE_IN_TEXT', '{{']]);
  });

  it('refuses templates in names, unknown templates, Jinja statements and unknown markers', () => {
    expect(bound('SELECT * FROM events_{{ ds_nodash }}').problems).toEqual([['SQL_TEMPLATE_IN_NAME', '{{']]);
    expect(bound('SELECT * FROM `events_{{ ds_nodash }}`').problems).toEqual([['SQL_TEMPLATE_IN_NAME', '{{']]);
    expect(bound("WHERE dt = '{{ execution_date }}'").problems).toEqual([['SQL_TEMPLATE_UNKNOWN', '{{']]);
    expect(bindSqlTemplates("WHERE dt = '{{ macros.ds_add(ds, 1) }}'").problems[0]?.message).toContain('macros and expressions are not supported');
    expect(bound('{% if x %}SELECT 1{% endif %}').problems.map((p) => p[0])).toEqual(['SQL_TEMPLATE_STATEMENT', 'SQL_TEMPLATE_STATEMENT']);
    expect(bound('WHERE dt = :day').problems).toEqual([['SQL_PARAMETER_UNKNOWN', ':d']]);
    expect(bound("WHERE dt = '{{ ds '").problems).toEqual([['SQL_TEMPLATE_UNCLOSED', '{{']]);
    expect(bound("WHERE i = INTERVAL '{{ ds }}'").problems).toEqual([['SQL_TEMPLATE_IN_TEXT', '{{']]);
  });

  it('reports hostile template text instead of binding or splicing it', () => {
    const r = bindSqlTemplates("WHERE x = '{{ ds'); DROP TABLE t; -- }}'");
    expect(r.problems.map((p) => p.code)).toEqual(['SQL_TEMPLATE_UNCLOSED']);
    expect(r.params).toEqual([]);
    // The literal holds an escaped quote, so the whole text up to the last quote is one literal.
    const text = String.raw`WHERE x = '{{ ds\'); DROP TABLE t; --x }}'`;
    const unknown = bindSqlTemplates(text);
    expect(unknown.problems.map((p) => p.code)).toEqual(['SQL_TEMPLATE_UNKNOWN']);
    expect(unknown.sql).toBe(text);
  });
});
