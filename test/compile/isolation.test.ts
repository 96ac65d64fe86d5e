/**
 * Fault isolation (DESIGN §3): a use case with any error is quarantined and
 * every other use case compiles exactly as if it were absent.
 */
import { describe, expect, it } from 'vitest';
import { compileTree, expectValidAsl, filesOf, sparkUseCase } from './support.ts';
import { manifestOf } from '../helpers/manifest.ts';

/** sales ← crm (cross-use-case), billing (stand-alone, with a join), audit depends on sales and billing. */
const ARTIFACTS = 'iso-artifacts';
const HEALTHY: Record<string, string> = {
  'platform.yaml': 'prefix: iso\nregion: eu-west-1\n',
  'sales/orchestration.yaml': sparkUseCase('sales@example.com', [
    { name: 'extract', schedule: 'cron(0 1 * * ? *)', args: ['--date', '{{ ds }}'] },
    { name: 'clean', dependsOn: ['extract'] },
  ], ARTIFACTS),
  'crm/orchestration.yaml': sparkUseCase('crm@example.com', [{ name: 'customers', dependsOn: ['sales/clean'], args: ['{{ run_id }}'] }], ARTIFACTS),
  'billing/orchestration.yaml': sparkUseCase('billing@example.com', [
    { name: 'invoices', schedule: 'cron(0 * * * ? *)' },
    { name: 'ledger', dependsOn: ['invoices', 'sales/extract'] },
  ], ARTIFACTS),
  'audit/orchestration.yaml': sparkUseCase('audit@example.com', [{ name: 'check', dependsOn: ['sales/clean', 'billing/ledger'] }], ARTIFACTS),
};

/** Ways to break the `audit` use case, which no other use case depends on. */
const BREAKS: [string, string][] = [
  ['YAML syntax', 'owner: audit@example.com\ndags:\n  - name: check\n   type: transformation\n'],
  ['schema error', HEALTHY['audit/orchestration.yaml']!.replace('type: transformation', 'type: transformation\n    colour: red')],
  ['semantic error', HEALTHY['audit/orchestration.yaml']!.replace('    spark:', '    schedule: rate(1 minutes)\n    spark:')],
  ['unknown upstream', HEALTHY['audit/orchestration.yaml']!.replace('billing/ledger', 'billing/ledgr')],
  ['empty file', ''],
];

function without(files: Record<string, string>, useCase: string): Record<string, string> {
  return Object.fromEntries(Object.entries(files).filter(([p]) => !p.startsWith(`${useCase}/`)));
}

describe('a broken use case is quarantined, the others compile as if it were absent', () => {
  const healthy = compileTree(HEALTHY);
  const absent = compileTree(without(HEALTHY, 'audit'));

  it('the healthy tree compiles cleanly and passes both ASL validators', () => {
    expect(healthy.diagnostics).toEqual([]);
    expect(healthy.useCases.map((u) => u.name)).toEqual(['audit', 'billing', 'crm', 'sales']);
    // Every workflow, and the platform's machines: the backfill and the dispatcher (no join machines).
    const workflows = healthy.manifest.useCases.flatMap((u) => u.workflows).length;
    expect(workflows).toBe(6);
    expect(expectValidAsl(healthy.files)).toBe(workflows + 2);
    expect([...healthy.files.keys()].filter((p) => p.startsWith('lakestep/')).sort()).toEqual(['lakestep/backfill.asl.json', 'lakestep/dispatch.asl.json']);
  });

  it.each(BREAKS)('%s in audit/orchestration.yaml', (_how, text) => {
    const broken = compileTree({ ...HEALTHY, 'audit/orchestration.yaml': text });
    expect(broken.quarantined.map((q) => q.useCase)).toEqual(['audit']);
    expect(broken.quarantined[0]!.diagnostics.length).toBeGreaterThan(0);
    expect(broken.quarantined[0]!.diagnostics.every((d) => d.useCase === 'audit' && d.file.startsWith('audit/'))).toBe(true);
    expect(filesOf(broken, 'audit').size).toBe(0);

    const artifacts = (r: typeof broken) => [...r.files].filter(([p]) => p !== 'manifest.json' && p !== 'report.json').sort();
    expect(artifacts(broken)).toEqual(artifacts(absent));
    expectValidAsl(broken.files);

    const manifest = (r: typeof broken) => manifestOf(r.files);
    const { quarantined, ...rest } = manifest(broken);
    const { quarantined: none, ...restAbsent } = manifest(absent);
    expect(none).toEqual([]);
    expect(rest).toEqual(restAbsent);
    expect(quarantined).toEqual(broken.quarantined);
  });

  it('breaking a use case others depend on leaves their artifacts byte-identical, with a warning per dependency', () => {
    const broken = compileTree({ ...HEALTHY, 'sales/orchestration.yaml': HEALTHY['sales/orchestration.yaml']!.replace('{{ ds }}', '{{ day }}') });
    expect(broken.quarantined.map((q) => q.useCase)).toEqual(['sales']);
    for (const uc of ['audit', 'billing', 'crm']) expect(filesOf(broken, uc)).toEqual(filesOf(healthy, uc));
    const warnings = broken.diagnostics.filter((d) => d.code === 'DEPENDENCY_QUARANTINED');
    expect(warnings.map((d) => `${d.file}:${d.line}:${d.column}`)).toEqual([
      'audit/orchestration.yaml:5:18',
      'billing/orchestration.yaml:10:28',
      'crm/orchestration.yaml:5:18',
    ]);
    expect(warnings.every((d) => d.severity === 'warning')).toBe(true);
    expectValidAsl(broken.files);
  });

  it.each([
    ['a duplicate key', (t: string) => t + 'owner: twice@example.com\n'],
    ['broken indentation', (t: string) => t.replace('  - name: clean', '   - name: clean')],
    ['a misspelt `dags:`', (t: string) => t.replace('dags:', 'dag:')],
    ['`dags:` written as a mapping', (t: string) => t.replace(/\ndags:[\s\S]*$/, '\ndags: {extract: {type: transformation}, clean: {type: transformation}}\n')],
    ['a dag without a name', (t: string) => t.replace('  - name: clean', '  - nme: clean')],
  ])('%s in an upstream use case keeps its dependents compiling, with a warning', (_how, breakIt) => {
    const broken = compileTree({ ...HEALTHY, 'sales/orchestration.yaml': breakIt(HEALTHY['sales/orchestration.yaml']!) });
    expect(broken.quarantined.map((q) => q.useCase)).toEqual(['sales']);
    expect(broken.diagnostics.filter((d) => d.severity === 'error' && d.useCase !== 'sales')).toEqual([]);
    // The definitions and job documents; the manifest's part may differ (a timetable read from an unreadable upstream).
    const definitions = (r: typeof broken, uc: string) => new Map([...filesOf(r, uc)].filter(([p]) => p !== `${uc}/manifest.json`));
    for (const uc of ['audit', 'billing', 'crm']) expect(definitions(broken, uc)).toEqual(definitions(healthy, uc));
    expect(broken.diagnostics.filter((d) => d.code === 'DEPENDENCY_QUARANTINED').length).toBe(3);
  });

  it('a platform.yaml error quarantines every use case, because the environment is shared', () => {
    const broken = compileTree({ ...HEALTHY, 'platform.yaml': 'prefix: iso\nregoin: eu-west-1\n' });
    expect(broken.quarantined.map((q) => q.useCase)).toEqual(['audit', 'billing', 'crm', 'sales']);
    expect([...broken.files.keys()].sort()).toEqual(['manifest.json', 'report.json']);
    for (const q of broken.quarantined) expect(q.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(['platform.yaml:2:1 SCHEMA_UNKNOWN_FIELD']);
  });
});
