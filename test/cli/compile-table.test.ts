/** The compile table: every trigger of a dag is shown, in the spec's words. */
import { describe, expect, it } from 'vitest';
import { triggerText } from '../../src/cli/commands.ts';
import { kindLabel } from '../../src/cli/report.ts';
import { manifestWorkflow } from '../helpers/manifest.ts';
import { sparkUseCase } from '../compile/support.ts';
import { folder, runCli } from './support.ts';

describe('compile table', () => {
  it('shows depends_on beside a schedule, and both triggers of a compiled dag', async () => {
    const dir = folder({
      'specs/sales/orchestration.yaml': sparkUseCase('sales@example.com', [
        { name: 'extract', schedule: 'rate(1 day)' },
        { name: 'clean', schedule: 'cron(0 6 * * ? *)', dependsOn: ['extract'] },
      ]),
    });
    const r = await runCli(['compile', 'specs', '--out', 'build'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^sales +clean +spark +cron\(0 6 \* \* \? \*\) \+ after extract +\d+/m);
  });

  it('names other use cases in full, counts many schedule groups, and says manual otherwise', () => {
    const w = (over: object) => manifestWorkflow('orders', 'x', over);
    expect(triggerText('orders', w({ dependsOn: ['orders/a', 'customers/b'] }))).toBe('after a + customers/b');
    const groups = ['rate(1 day)', 'rate(7 days)', 'cron(0 2 * * ? *)'].map((schedule) => ({ schedule, group: schedule, tasks: [] }));
    expect(triggerText('orders', w({ scheduleGroups: groups }))).toBe('3 schedules');
    expect(triggerText('orders', w({ scheduleGroups: groups.slice(0, 2) }))).toBe('rate(1 day), rate(7 days)');
    expect(triggerText('orders', w({}))).toBe('manual');
  });

  it('calls processing dags transformation, as the specs do', () => {
    expect(kindLabel({ type: 'transformation', kind: 'processing' })).toBe('transformation');
    expect(kindLabel({ type: 'transformation', kind: 'spark' })).toBe('spark');
    expect(kindLabel({ type: 'migration', kind: 'migration' })).toBe('migration');
  });
});
