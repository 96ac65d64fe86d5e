/**
 * Schedule expressions: the validation (src/spec/schedule.ts) takes exactly what the timetable reads
 * (src/time/cron.ts), so an accepted cron is never refused by the compiler later — nor read as something else.
 */
import { describe, expect, it } from 'vitest';
import { checkScheduleExpression } from '../../src/spec/schedule.ts';
import { parseCron } from '../../src/time/cron.ts';
import { firesBetween, timetable } from '../../src/time/timetable.ts';
import { compileTree } from '../compile/support.ts';

const check = (body: string) => checkScheduleExpression(`cron(${body})`);

describe('cron validation', () => {
  it.each([
    // Before: accepted, then thrown by the timetable at compile time (a stack trace, every use case lost).
    ['*/0 * * * ? *', "minutes has an invalid step '0'"],
    ['1/0 * * * ? *', "minutes has an invalid step '0'"],
    ['0 0 L,15 * ? *', "day-of-month has 'L' in a list"],
    ['0 0 ? * 2#1,4#1 *', "day-of-week has '2#1' in a list"],
    ['0 0 1 1, ? *', "month has an empty item in '1,'"],
    ['0 0 1 1 ? 2027,', "year has an empty item in '2027,'"],
    // Before: accepted and read as something else (an empty item as 0, day 0 as the month before's last, 32W as the last).
    ['0 6, * * ? *', "hours has an empty item in '6,'"],
    ['30, 6 * * ? *', "minutes has an empty item in '30,'"],
    ['0 0 0W * ? *', "day-of-month has an invalid value '0W'"],
    ['0 0 32W * ? *', "day-of-month has an invalid value '32W'"],
    // Before: accepted and never fired.
    ['0 0 30 2 ? *', 'never fires: no day from 1970 to 2199'],
    ['0 0 31 4,6,9,11 ? *', 'never fires'],
    ['50-10 * * * ? *', "minutes has the range '50-10', which goes downward: write it as two ranges (e.g. '50-59,0-10')"],
    ['0 0 ? * FRI-MON *', "day-of-week has the range 'FRI-MON', which goes downward: write it as two ranges (e.g. 'FRI-SAT,SUN-MON')"],
  ])('refuses cron(%s)', (body, problem) => {
    expect(check(body)).toContain(problem);
  });

  it.each(['0 2 * * ? *', '0/15 * * * ? *', '0 0 ? * MON-FRI *', '0 0 L * ? *', '0 0 LW * ? *', '0 0 15W * ? *', '0 0 ? * 6#3 *', '0 0 ? * 5L *', '0 0 29 2 ? *', '0 6 * * ? 2027-2030', '0 0 1 JAN-MAR ? *', '0 0 l * ? *', '0 0 15w * ? *', '0 0 ? * mon#2 *'])(
    'accepts cron(%s), which the timetable reads and fires',
    (body) => {
      expect(check(body)).toBeUndefined();
      expect(() => parseCron(body)).not.toThrow();
      expect(firesBetween(timetable(`cron(${body})`, 'UTC'), Date.UTC(2026, 0, 1), Date.UTC(2031, 0, 1)).length).toBeGreaterThan(0);
    },
  );

  it('reads letters in any case as the validation takes them: lw is LW', () => {
    const fires = (body: string) => firesBetween(timetable(`cron(${body})`, 'UTC'), Date.UTC(2026, 0, 1), Date.UTC(2026, 6, 1));
    expect(fires('0 0 lw * ? *')).toEqual(fires('0 0 LW * ? *'));
    expect(fires('0 0 ? * 6l *')).toEqual(fires('0 0 ? * 6L *'));
  });

  it('quarantines the use case of a cron the timetable cannot read, at its position, and compiles the others (before: a TypeError)', () => {
    const dag = (useCase: string, name: string, schedule: string) => ['owner: a@example.com', 'dags:', `  - name: ${name}`, '    type: transformation', `    schedule: ${schedule}`, `    spark: {entrypoint: s3://lakestep-artifacts/${useCase}/one.py}`, ''].join('\n');
    const r = compileTree({ 'a/orchestration.yaml': dag('a', 'one', 'cron(0 0 L,15 * ? *)'), 'b/orchestration.yaml': dag('b', 'two', 'cron(0 2 * * ? *)') });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(['a/orchestration.yaml:5:15 SCHEDULE_INVALID']);
    expect(r.quarantined.map((q) => q.useCase)).toEqual(['a']);
    expect(r.useCases.map((u) => u.name)).toEqual(['b']);
  });
});
