/**
 * Secrets encrypted with a customer managed KMS key: a source's `kms_key_arn`, or
 * the platform's `defaults.secrets_kms_key_arn`, reaches the manifest
 * (`resources.secretKeys`) and from there the Spark job role's `kms:Decrypt`,
 * allowed only through Secrets Manager of the key's region. A key of another
 * region than its secret is an error at compile time.
 */
import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { secretKeyStatements } from '../../infra/usecase/spark-job-role.ts';
import { compileTree } from './support.ts';

const NETWORK = 'emr:\n  network: {subnet_ids: [subnet-0a1b2c3d4e5f60718], security_group_ids: [sg-0d4e5f60718293a4b]}\n';
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1b2c3d4e-5f60-4718-92a3-b4c5d6e7f809';
const OTHER_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/mrk-0a1b2c3d4e5f60718293a4b5c6d7e8f9';

const ingestion = (jdbcKey?: string, kafkaKey?: string) => `batch:
  - name: pg
    source:
      engine: postgresql
      secret_arn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf
${jdbcKey ? `      kms_key_arn: "${jdbcKey}"\n` : ''}      table: public.t
    target: raw_x.t
    mode: overwrite
    columns: [{name: id, type: bigint}]
micro_batch:
  - name: events
    source:
      bootstrap_servers_secret_arn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka-AbCdEf
${kafkaKey ? `      kms_key_arn: ${kafkaKey}\n` : ''}      topics: [t]
    target: raw_x.events
    trigger: available_now
`;

const specs = (ing: string, platformExtra = '') => ({
  'platform.yaml': `prefix: acme\nregion: eu-west-1\n${NETWORK}${platformExtra}`,
  'x/orchestration.yaml': 'owner: x@example.com\ndags:\n  - {name: ing, type: ingestion}\n',
  'x/ingestion.yaml': ing,
});

const keysOf = (r: ReturnType<typeof compileTree>) => r.manifest.useCases[0]?.workflows[0]?.resources.secretKeys;
const errors = (r: ReturnType<typeof compileTree>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`);

describe('kms_key_arn of a source secret', () => {
  it('lists the keys of the sources in the manifest, once each', () => {
    const r = compileTree(specs(ingestion(KEY, OTHER_KEY)));
    expect(errors(r)).toEqual([]);
    expect(keysOf(r)).toEqual([KEY, OTHER_KEY].sort());
  });

  it("falls back to the platform's defaults.secrets_kms_key_arn for sources without a key", () => {
    const r = compileTree(specs(ingestion(OTHER_KEY), `defaults:\n  secrets_kms_key_arn: ${KEY}\n`));
    expect(keysOf(r)).toEqual([KEY, OTHER_KEY].sort());
  });

  it('leaves secretKeys out when no key applies (secrets under the AWS managed key)', () => {
    const r = compileTree(specs(ingestion()));
    expect(errors(r)).toEqual([]);
    expect(r.manifest.useCases[0]!.workflows[0]!.resources).not.toHaveProperty('secretKeys');
  });

  it('is an error when the key is of another region than the secret, at the key (or at the source for the platform default)', () => {
    const east = KEY.replace('eu-west-1', 'us-east-1');
    const own = compileTree(specs(ingestion(east)));
    expect(errors(own)).toEqual(['INGESTION_KMS_REGION x/ingestion.yaml:6:20']);
    expect(own.diagnostics.find((d) => d.code === 'INGESTION_KMS_REGION')!.message).toBe('kms_key_arn is a key of us-east-1, the secret is in eu-west-1: Secrets Manager encrypts a secret with a key of its own region');
    expect(own.quarantined.map((q) => q.useCase)).toEqual(['x']);
    const platform = compileTree(specs(ingestion(), `defaults:\n  secrets_kms_key_arn: ${east}\n`));
    expect(errors(platform)).toEqual(['INGESTION_KMS_REGION x/ingestion.yaml:4:7', 'INGESTION_KMS_REGION x/ingestion.yaml:13:7']);
  });

  it.each(['arn:aws:kms:eu-west-1:123456789012:alias/payments', `${KEY}*`, '*', 'arn:aws:kms:eu-west-1:123456789012:key/*'])('refuses %s (a key ARN, never an alias or a wildcard)', (bad) => {
    const r = compileTree(specs(ingestion(bad)));
    expect(errors(r)).toEqual(['SCHEMA_PATTERN x/ingestion.yaml:6:20']);
    const platform = compileTree(specs(ingestion(), `defaults:\n  secrets_kms_key_arn: "${bad}"\n`));
    expect(platform.diagnostics.filter((d) => d.file === 'platform.yaml').map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual(['SCHEMA_PATTERN 6:24']);
    expect(platform.useCases).toEqual([]);
  });
});

describe('the Spark job role statement', () => {
  it('allows kms:Decrypt on exactly the keys, only via Secrets Manager of their region', () => {
    const west2 = 'arn:aws:kms:us-west-2:123456789012:key/0a1b2c3d-0000-4718-92a3-b4c5d6e7f809';
    const stack = new Stack();
    const json = secretKeyStatements([KEY, OTHER_KEY, west2]).map((s) => stack.resolve(s.toStatementJson()));
    expect(json).toEqual([
      { Action: 'kms:Decrypt', Effect: 'Allow', Resource: [KEY, OTHER_KEY], Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } } },
      { Action: 'kms:Decrypt', Effect: 'Allow', Resource: west2, Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-west-2.amazonaws.com' } } },
    ]);
    expect(secretKeyStatements([])).toEqual([]);
  });
});
