/**
 * Joins whose upstreams can never run for the same logical date: cron() pairs
 * without a common minute, rate() schedules against other schedules, and dates
 * inherited through chains and through other joins.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.ts';
import { canCoincide, cronsIntersect } from '../../src/ir/join-dates.ts';
import type { SourceFile } from '../../src/spec/files.ts';

describe('cronsIntersect', () => {
  it.each([
    [['cron(0 6 * * ? *)', 'cron(0 * * * ? *)'], true],
    [['cron(0 6 * * ? *)', 'cron(0 7 * * ? *)'], false],
    [['cron(0/30 * * * ? *)', 'cron(0 * * * ? *)'], true],
    [['cron(15 * * * ? *)', 'cron(0/30 * * * ? *)'], false],
    // Some 1st of a month is a Monday; some 29 February too.
    [['cron(0 6 ? * MON *)', 'cron(0 6 1 * ? *)'], true],
    [['cron(0 6 29 2 ? *)', 'cron(0 6 ? * MON *)'], true],
    [['cron(0 6 ? * MON-FRI *)', 'cron(0 6 ? * SAT,SUN *)'], false],
    [['cron(0 6 * * ? 2027)', 'cron(0 6 * * ? 2028)'], false],
    [['cron(0 6 * * ? *)', 'cron(0 * * * ? *)', 'cron(0 18 * * ? *)'], false],
  ])('%j → %s', (expressions, shared) => {
    expect(cronsIntersect(expressions)).toBe(shared);
  });
});

describe('canCoincide', () => {
  const rate = { schedule: 'rate(15 minutes)', dag: 'p/ingest' };
  it('a rate() rule coincides only with itself', () => {
    expect(canCoincide([rate, rate])).toBe(true);
    expect(canCoincide([rate, { ...rate, dag: 'q/other' }])).toBe(false);
    expect(canCoincide([rate, { schedule: 'cron(0 * * * ? *)', dag: 'q/hourly' }])).toBe(false);
  });
});

const spark = (name: string, extra: string) => `  - name: ${name}\n    type: transformation\n${extra}    spark:\n      entrypoint: s3://lakestep-artifacts/${name.split('-')[0]}/jobs/${name}.py\n`;

function run(dags: string): ReturnType<typeof compile>['diagnostics'] {
  const sources: SourceFile[] = [
    { path: 'payments/orchestration.yaml', text: `owner: p@example.com\ndags:\n${spark('payments-ingestion', '    schedule: rate(15 minutes)\n')}${spark('payments-upserts', '    depends_on: [payments-ingestion]\n')}` },
    { path: 'customers/orchestration.yaml', text: `owner: c@example.com\ndags:\n${dags}` },
  ];
  return compile(sources, { lakestepVersion: '0.0.0-test' }).diagnostics.filter((d) => d.code.startsWith('JOIN_'));
}

describe('JOIN_DATES_DISJOINT', () => {
  it('warns at the entry whose dates are inherited from a rate() upstream and can never be a daily cron date', () => {
    const diagnostics = run(`${spark('customers-daily', '    schedule: cron(0 6 * * ? *)\n')}${spark('customers-360', '    depends_on: [customers-daily, payments/payments-upserts]\n')}`);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'JOIN_DATES_DISJOINT', severity: 'warning', file: 'customers/orchestration.yaml', line: 10, column: 35 });
    expect(diagnostics[0]!.message).toContain("'payments/payments-upserts' (logical dates from rate(15 minutes) of payments/payments-ingestion)");
    expect(diagnostics[0]!.message).toContain("'customers/customers-360'");
  });

  it('follows dates through a join: hourly and daily share 06:00, which an evening cron never is', () => {
    const dags = [
      spark('hourly', '    schedule: cron(0 * * * ? *)\n'),
      spark('daily', '    schedule: cron(0 6 * * ? *)\n'),
      spark('evening', '    schedule: cron(0 18 * * ? *)\n'),
      spark('scores', '    depends_on: [hourly, daily]\n'),
      spark('morning-report', '    depends_on: [scores, daily]\n'),
      spark('evening-report', '    depends_on: [scores, evening]\n'),
    ].join('');
    const diagnostics = run(dags);
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([['JOIN_DATES_DISJOINT', 30]]);
    expect(diagnostics[0]!.message).toContain("'customers/evening-report'");
  });

  it('stays silent when both upstreams inherit the same rate() dates, or one is only started by hand', () => {
    const dags = [
      spark('a', '    depends_on: [payments/payments-upserts]\n'),
      spark('b', '    depends_on: [payments/payments-upserts]\n'),
      spark('both', '    depends_on: [a, b]\n'),
      spark('manual', ''),
      spark('with-manual', '    depends_on: [manual, a]\n'),
    ].join('');
    expect(run(dags)).toEqual([]);
  });
});

describe('JOIN_RATE_SCHEDULE', () => {
  it('sits on the entry naming the rate() upstream, also after an entry that was refused', () => {
    const dags = [spark('daily', '    schedule: cron(0 6 * * ? *)\n'), spark('fast', '    schedule: rate(15 minutes)\n'), spark('both', '    depends_on: [daily, nope, fast]\n')].join('');
    const text = `owner: c@example.com\ndags:\n${dags}`;
    const all = compile([{ path: 'customers/orchestration.yaml', text }], { lakestepVersion: '0.0.0-test' }).diagnostics;
    expect(all.map((d) => d.code)).toContain('DAG_UNKNOWN_DEPENDENCY');
    const rate = all.filter((d) => d.code === 'JOIN_RATE_SCHEDULE');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('depends_on: [daily, nope, fast]'));
    expect(rate.map((d) => [d.file, d.line, d.column])).toEqual([['customers/orchestration.yaml', line + 1, lines[line]!.indexOf('fast') + 1]]);
  });
});
