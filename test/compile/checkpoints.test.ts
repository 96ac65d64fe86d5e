/** Each Kafka stream has a checkpoint of its own: two dags of a use case never share one. */
import { describe, expect, it } from 'vitest';
import { compileTree } from './support.ts';

const PLATFORM = 'prefix: acme\nemr:\n  network: {subnet_ids: [subnet-0a1b2c3d4e5f60718], security_group_ids: [sg-0d4e5f60718293a4b]}\n' +
  // The sources of several use cases read one secret here.
  'shared_secrets:\n  - {arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:k-AbCdEf", use_cases: [orders, web]}\n';
const kafka = (name: string, target: string) =>
  `micro_batch:\n  - name: ${name}\n    source: {bootstrap_servers_secret_arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:k-AbCdEf", topics: [t]}\n    target: ${target}\n    trigger: available_now\n`;
const orch = (dags: string) => `owner: a@example.com\ndags:\n${dags}`;

describe('Kafka checkpoints', () => {
  it('refuses a source name two ingestion files of one use case share', () => {
    const r = compileTree({
      'platform.yaml': PLATFORM,
      'orders/orchestration.yaml': orch('  - {name: a, type: ingestion}\n  - {name: b, type: ingestion, config: ingestion-b.yaml}\n'),
      'orders/ingestion.yaml': kafka('events', 'raw_orders.a'),
      'orders/ingestion-b.yaml': kafka('events', 'raw_orders.b'),
    });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`)).toEqual(['INGESTION_CHECKPOINT_SHARED orders/ingestion-b.yaml:2:5']);
  });

  it('refuses one ingestion file read by two dags', () => {
    const r = compileTree({ 'platform.yaml': PLATFORM, 'orders/orchestration.yaml': orch('  - {name: a, type: ingestion}\n  - {name: b, type: ingestion}\n'), 'orders/ingestion.yaml': kafka('events', 'raw_orders.a') });
    expect(r.diagnostics.map((d) => d.code)).toContain('INGESTION_CHECKPOINT_SHARED');
  });

  it('lets two use cases use the same source name', () => {
    const r = compileTree({
      'platform.yaml': PLATFORM,
      'orders/orchestration.yaml': orch('  - {name: a, type: ingestion}\n'),
      'orders/ingestion.yaml': kafka('events', 'raw_orders.a'),
      'web/orchestration.yaml': orch('  - {name: a, type: ingestion}\n'),
      'web/ingestion.yaml': kafka('events', 'raw_web.a'),
    });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
