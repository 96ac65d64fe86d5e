/**
 * DataSync tasks of a migration: one task (or location) for many tables, what
 * each table's run transfers and where it lands, the errors that would otherwise
 * fail at run time, and the warning past DataSync's 100 tasks per region.
 */
import { describe, expect, it } from 'vitest';
import { compileTree } from './support.ts';

const TASK = 'arn:aws:datasync:eu-west-1:123456789012:task/task-0aa00000000000100';
const PLATFORM = 'prefix: ds\nregion: eu-west-1\n';
const ORCH = 'owner: m@example.com\ndags:\n  - {name: mig, type: migration}\n';
const table = (name: string, path: string, extra = '') => `  - name: ${name}\n    source: {hdfs_path: ${path}, format: parquet}\n    columns: [{name: id, type: bigint}]\n${extra}`;
const build = (migration: string) => compileTree({ 'platform.yaml': PLATFORM, 'm/orchestration.yaml': ORCH, 'm/migration.yaml': migration });
const errors = (r: ReturnType<typeof build>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.line}:${d.column}`);

describe('a DataSync task shared by the tables of a migration', () => {
  it('transfers each table by its folder below source_path and lands it there below the landing', () => {
    const r = build(`database: raw_m\nlanding: s3://ds-landing/m/\ndatasync: {task_arn: ${TASK}, source_path: /w/raw_m.db}\ntables:\n${table('a', '/w/raw_m.db/a')}${table('b', '/w/raw_m.db/x/b/')}`);
    expect(errors(r)).toEqual([]);
    expect(r.manifest.useCases[0]!.workflows[0]!.resources.datasync).toEqual([
      { table: 'raw_m.a', taskArn: TASK, includes: '/a' },
      { table: 'raw_m.b', taskArn: TASK, includes: '/x/b' },
    ]);
    expect(r.files.get('m/jobs/mig/convert-b.json')).toContain('s3://ds-landing/m/x/b/');
  });

  it("lets the Spark jobs read the migration's landing as one prefix, whatever its table count", () => {
    const tables = Array.from({ length: 300 }, (_, i) => table(`t${i}`, `/w/t${i}`)).join('');
    const r = build(`database: raw_m\nlanding: s3://ds-landing/m/\ndatasync: {task_arn: ${TASK}, source_path: /w}\ntables:\n${tables}`);
    expect(errors(r)).toEqual([]);
    const w = r.manifest.useCases[0]!.workflows[0]!;
    expect(w.resources.storage?.read).toEqual(['s3://ds-landing/m/']);
    // Each table's folder below it is where the Spark job reads the table from.
    expect(w.resources.datasync.slice(0, 2).map((d) => 'includes' in d && d.includes)).toEqual(['/t0', '/t1']);
  });

  it('lets a table keep its own task, and one location serve the whole migration', () => {
    const own = 'arn:aws:datasync:eu-west-1:123456789012:task/task-0aa00000000000101';
    const r = build(`database: raw_m\ndatasync:\n  location: {hostname: nn.internal, agent_arns: [arn:aws:datasync:eu-west-1:123456789012:agent/agent-0a1b2c3d4e5f60718], subdirectory: /w}\ntables:\n${table('a', '/w/a')}${table('b', '/elsewhere/b', `    datasync: {task_arn: ${own}}\n`)}`);
    expect(errors(r)).toEqual([]);
    const ds = r.manifest.useCases[0]!.workflows[0]!.resources.datasync;
    expect(ds[0]).toMatchObject({ table: 'raw_m.a', placeholder: 'DataSyncShared_m_mig', destination: 's3://ds-landing/m/', includes: '/a', location: { subdirectory: '/w' } });
    expect(ds[1]).toEqual({ table: 'raw_m.b', taskArn: own });
  });

  it.each([
    ['a table outside the shared root', `datasync: {task_arn: ${TASK}, source_path: /w/raw_m.db}\ntables:\n${table('a', '/w/other/a')}`, ['MIGRATION_DATASYNC_SOURCE_PATH 5:25']],
    ['a shared task without source_path', `datasync: {task_arn: ${TASK}}\ntables:\n${table('a', '/w/a')}`, ['MIGRATION_DATASYNC_SOURCE_PATH 2:11']],
    ['a shared location without subdirectory', `datasync: {location: {hostname: h, agent_arns: [arn:aws:datasync:eu-west-1:123456789012:agent/agent-0a1b2c3d4e5f60718]}}\ntables:\n${table('a', '/w/a')}`, ['MIGRATION_DATASYNC_SOURCE_PATH 2:22']],
    ['a folder DataSync would read as a pattern', `datasync: {task_arn: ${TASK}, source_path: /w}\ntables:\n${table('a', "'/w/a|b'")}`, ['MIGRATION_DATASYNC_FILTER 5:25']],
    ['a folder that climbs out of the shared root', `datasync: {task_arn: ${TASK}, source_path: /w}\ntables:\n${table('a', '/w/a/../../etc')}`, ['MIGRATION_DATASYNC_FILTER 5:25']],
    ['a folder with an empty or `.` segment', `datasync: {task_arn: ${TASK}, source_path: /w}\ntables:\n${table('a', '/w//a')}${table('b', '/w/./b')}`, ['MIGRATION_DATASYNC_FILTER 5:25', 'MIGRATION_DATASYNC_FILTER 8:25']],
    ['both a task and a location', `tables:\n${table('a', '/w/a', `    datasync: {task_arn: ${TASK}, location: {hostname: h, agent_arns: [arn:aws:datasync:eu-west-1:123456789012:agent/agent-0a1b2c3d4e5f60718]}}\n`)}`, ['MIGRATION_DATASYNC_FORM 6:15']],
    ['a table without any task', `tables:\n${table('a', '/w/a')}`, ['MIGRATION_DATASYNC_MISSING 3:5']],
  ])('refuses %s', (_, body, expected) => {
    const r = build(`database: raw_m\n${body}`);
    expect(errors(r)).toEqual(expected);
    expect(r.quarantined.map((q) => q.useCase)).toEqual(['m']);
  });
});

describe('DATASYNC_TASK_QUOTA', () => {
  const tasks = (n: number, from = 0) => Array.from({ length: n }, (_, i) => table(`t${i + from}`, `/w/t${i + from}`, `    datasync: {task_arn: arn:aws:datasync:eu-west-1:123456789012:task/task-${String(i + from).padStart(17, '0')}}\n`)).join('');

  it('warns once past 100 tasks in a region, at the migration that crosses it; a shared task counts once', () => {
    const over = compileTree({ 'platform.yaml': PLATFORM, 'm/orchestration.yaml': ORCH, 'm/migration.yaml': `database: raw_m\ntables:\n${tasks(101)}` });
    expect(over.diagnostics.filter((d) => d.code === 'DATASYNC_TASK_QUOTA').map((d) => [d.severity, d.file, d.line])).toEqual([['warning', 'm/orchestration.yaml', 3]]);
    const shared = build(`database: raw_m\ndatasync: {task_arn: ${TASK}, source_path: /w}\ntables:\n${Array.from({ length: 150 }, (_, i) => table(`t${i}`, `/w/t${i}`)).join('')}`);
    expect(shared.diagnostics.filter((d) => d.code === 'DATASYNC_TASK_QUOTA')).toEqual([]);
  });
});
