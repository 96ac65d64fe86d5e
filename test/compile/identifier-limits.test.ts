/**
 * Shapes that crashed the whole compile: a dag entry without a name, and Glue
 * names between the old 128-character check and the schema's limit. Names at
 * the limits Iceberg's Glue catalog accepts (databases 252, tables 255) compile,
 * and every name derived from them fits its own AWS limit; one more character is
 * a positioned error.
 */
import { describe, expect, it } from 'vitest';
import type { CompileResult } from '../../src/compile.ts';
import { compileTree, expectValidAsl } from './support.ts';
import { syntaxErrors } from '../sql/syntax.ts';

const DB = 'd'.repeat(252);
const TABLE = 't'.repeat(255);
const NETWORK = 'prefix: acme\nregion: us-east-1\nemr:\n  network: {subnet_ids: [subnet-0a1b2c3d4e5f60718], security_group_ids: [sg-0d4e5f60718293a4b]}\n';

function longNames(db: string, table: string, kafkaTable = `${table.slice(0, 242)}k`): Record<string, string> {
  return {
    'platform.yaml': NETWORK,
    'lg/orchestration.yaml': ['owner: lg@example.com', 'dags:', ...['migration', 'ingestion', 'transformation', 'maintenance'].map((t) => `  - {name: lg-${t}, type: ${t}}`), ''].join('\n'),
    'lg/migration.yaml': [
      `database: ${db}`,
      'tables:',
      `  - name: ${table}`,
      '    source: {hdfs_path: /w/t, format: csv}',
      '    datasync: {location: {hostname: nn.example, agent_arns: [arn:aws:datasync:us-east-1:123456789012:agent/agent-0123456789abcdef0]}}',
      '    watermark_column: w',
      `    columns: [{name: w, type: timestamp}, {name: ${'c'.repeat(255)}, type: int}]`,
      '',
    ].join('\n'),
    'lg/ingestion.yaml': [
      'micro_batch:',
      '  - name: k',
      '    source: {bootstrap_servers_secret_arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:k", topics: [t]}',
      `    target: ${db}.${kafkaTable}`,
      '    columns: [{name: a, type: int}]',
      `    start_from_watermark: ${table}`,
      '',
    ].join('\n'),
    // A SQL file creates the merge target: a merge into a table nothing creates is an error.
    'lg/processing.yaml': `merges:\n  - {target: ${db}.${table.slice(0, 254)}m, source: ${db}.${table}, keys: [w]}\nsql:\n  - {file: sql/create.sql}\n`,
    'lg/sql/create.sql': `CREATE TABLE IF NOT EXISTS ${db}.${table.slice(0, 254)}m (w TIMESTAMP) USING iceberg;\n`,
    'lg/maintenance.yaml': `schedule: rate(1 day)\ntables:\n  - table: ${db}.${table}\n    expire_snapshots: {}\n    hard_delete: {column: w, older_than: 1y}\n`,
  };
}

const errors = (r: CompileResult) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`);

describe('a dag entry without a name', () => {
  it('is a schema error at the entry, and a misspelt dependency next to it is reported, not a crash', () => {
    const r = compileTree({
      'a/orchestration.yaml': [
        'owner: a@example.com',
        'dags:',
        '  - {name: extract, type: transformation, spark: {entrypoint: s3://lakestep-artifacts/a/e.py}}',
        '  - type: transformation',
        '    spark: {entrypoint: s3://lakestep-artifacts/a/x.py}',
        '  - name: report',
        '    type: transformation',
        '    depends_on: [extrct]',
        '    spark: {entrypoint: s3://lakestep-artifacts/a/r.py}',
        '',
      ].join('\n'),
      'b/orchestration.yaml': 'owner: b@example.com\ndags:\n  - {name: load, type: transformation, spark: {entrypoint: s3://lakestep-artifacts/b/l.py}}\n',
    });
    expect(errors(r)).toEqual(['a/orchestration.yaml:4:5 SCHEMA_REQUIRED', 'a/orchestration.yaml:8:18 DAG_UNKNOWN_DEPENDENCY']);
    expect(r.diagnostics.find((d) => d.code === 'DAG_UNKNOWN_DEPENDENCY')!.message).toContain("did you mean 'extract'?");
    expect(r.useCases.map((u) => u.name)).toEqual(['b']);
  });
});

describe('Glue names at the limits of Iceberg’s Glue catalog', () => {
  it('compile, and every name derived from them fits its AWS limit', () => {
    const r = compileTree(longNames(DB, TABLE));
    expect(errors(r)).toEqual([]);
    expect(r.useCases.map((u) => u.name)).toEqual(['lg']);
    expectValidAsl(r.files);
    for (const [path, text] of r.files) {
      // A file name is at most 255 bytes on the file systems builds are written to.
      for (const part of path.split('/')) expect(Buffer.byteLength(part), path).toBeLessThanOrEqual(255);
      if (path.endsWith('.asl.json')) {
        // EMR Serverless job run names: at most 256 characters, the execution name (≤ 80) included.
        for (const m of text.matchAll(/"Name\.\$": "States\.Format\('([^']*)\{\}', \$\$\.Execution\.Name\)"/g)) expect(m[1]!.length + 80, m[1]).toBeLessThanOrEqual(256);
      }
      if (path.includes('/jobs/')) {
        for (const step of JSON.parse(text).steps as { name: string; sql?: string }[]) if (step.sql) expect(syntaxErrors(step.sql), `${path} ${step.name}`).toEqual([]);
      }
    }
  });

  it('one character more is a positioned error, never a crash', () => {
    expect(errors(compileTree(longNames(`${DB}d`, TABLE)))).toEqual(['lg/migration.yaml:1:11 SCHEMA_MAX_LENGTH', 'lg/ingestion.yaml:4:13 SCHEMA_PATTERN', 'lg/maintenance.yaml:3:12 SCHEMA_PATTERN', 'lg/processing.yaml:2:14 SCHEMA_PATTERN', 'lg/processing.yaml:2:533 SCHEMA_PATTERN'].sort());
    expect(errors(compileTree(longNames(DB, `${TABLE}t`)))).toContain('lg/migration.yaml:3:11 SCHEMA_MAX_LENGTH');
  });

  it('a JSON Kafka source whose dead-letter table would pass 255 characters is an error at its target', () => {
    expect(errors(compileTree(longNames(DB, TABLE, TABLE.slice(0, 244))))).toEqual(['lg/ingestion.yaml:4:13 INGESTION_DEAD_LETTER_NAME']);
  });
});
