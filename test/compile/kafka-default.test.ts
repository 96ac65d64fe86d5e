/** A Kafka source without `columns` lands raw records, as the schema documents. */
import { describe, expect, it } from 'vitest';
import { compileTree, kafkaIngestion, VPC_PLATFORM } from './support.ts';

// Kafka is reached from inside a VPC, so the platform names the EMR application's subnets (VPC_PLATFORM).
const ORCHESTRATION = 'owner: feed@example.com\ndags:\n  - name: feed-ingestion\n    type: ingestion\n    schedule: rate(1 hour)\n';

interface Step {
  kind: string;
  name: string;
  sql?: string;
  format?: string;
  schemaDdl?: string;
  selectSql?: string;
}

function jobSteps(extra: string): { errors: string[]; steps: Step[] } {
  const result = compileTree({ 'platform.yaml': VPC_PLATFORM, 'feed/orchestration.yaml': ORCHESTRATION, 'feed/ingestion.yaml': kafkaIngestion(extra) });
  const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
  const job = [...result.files].find(([path]) => path.startsWith('feed/jobs/feed-ingestion/'));
  return { errors, steps: job ? (JSON.parse(job[1]) as { steps: Step[] }).steps : [] };
}

describe('Kafka source without columns', () => {
  it('compiles to a job that reads raw records: key, value and metadata, no parsing', () => {
    const { errors, steps } = jobSteps('');
    expect(errors).toEqual([]);
    const kafka = steps.find((s) => s.kind === 'kafka');
    expect(kafka).toMatchObject({ format: 'raw' });
    expect(kafka?.schemaDdl).toBeUndefined();
    expect(kafka?.selectSql).toMatch(/SELECT `key`, `value`, `topic`, `partition`, `offset`, `timestamp` FROM /);
    const ddl = steps.find((s) => s.kind === 'sql' && s.sql?.startsWith('CREATE TABLE'))?.sql ?? '';
    expect(ddl).toMatch(/`key` string,\n {2}`value` string,\n {2}`topic` string,\n {2}`partition` int,\n {2}`offset` bigint,\n {2}`timestamp` timestamp/);
  });

  it('parses json when columns are given', () => {
    const withColumns = compileTree({ 'platform.yaml': VPC_PLATFORM, 'feed/orchestration.yaml': ORCHESTRATION, 'feed/ingestion.yaml': `${kafkaIngestion()}    columns: [{name: id, type: bigint}]\n` });
    expect(withColumns.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const job = [...withColumns.files].find(([path]) => path.startsWith('feed/jobs/feed-ingestion/'))!;
    expect((JSON.parse(job[1]) as { steps: Step[] }).steps.find((s) => s.kind === 'kafka')).toMatchObject({ format: 'json', schemaDdl: '`id` bigint' });
  });

  it('still refuses an explicit `format: json` without columns, saying how to get raw records', () => {
    const { errors } = jobSteps('      format: json\n');
    expect(errors).toEqual(['INGESTION_KAFKA_COLUMNS `format: json` needs `columns` (the schema to parse them with); leave both out to land raw key, value and metadata']);
  });
});
