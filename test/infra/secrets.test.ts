/**
 * A use case's Spark role reads only the secrets its own sources name; a secret
 * two use cases name must be declared in platform.yaml `shared_secrets` with
 * both, else each use is an error. Checked on the compiled diagnostics and on
 * the synthesized templates (every policy of every stack).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SourceFile } from '../../src/spec/files.ts';
import { compileTree } from '../compile/support.ts';
import { compileToBuild } from './compiled.ts';
import { resourcesOfType, type Synthesized, synthesize } from './synth.ts';

const ARN = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}`;
const KAFKA = ARN('kafka/bootstrap-Lm2Vb7');
const ORDERS_DB = ARN('orders/db-Xk3p9Q');
const PAY_DB = ARN('payments/db');

const platform = (shared: string) =>
  `prefix: acme\nregion: eu-west-1\nemr:\n  network: {subnet_ids: [subnet-0a1b2c3d4e5f60718], security_group_ids: [sg-0d4e5f60718293a4b]}\n${shared}`;
const orchestration = (uc: string) => `owner: ${uc}@acme.example\ndags:\n  - {name: ${uc}-ingestion, type: ingestion}\n`;
const jdbc = (uc: string, arn: string) => `  - {name: ${uc}-db, source: {engine: postgresql, secret_arn: "${arn}", table: public.t}, target: raw_${uc}.t, mode: append, columns: [{name: a, type: int}]}\n`;
const kafka = (uc: string, arn: string) => `  - {name: ${uc}-events, source: {bootstrap_servers_secret_arn: "${arn}", topics: [${uc}]}, target: raw_${uc}.events}\n`;

function tree(shared: string, payments: string): SourceFile[] {
  const files: Record<string, string> = {
    'platform.yaml': platform(shared),
    'orders/orchestration.yaml': orchestration('orders'),
    'orders/ingestion.yaml': `batch:\n${jdbc('orders', ORDERS_DB)}micro_batch:\n${kafka('orders', KAFKA)}`,
    'clicks/orchestration.yaml': orchestration('clicks'),
    'clicks/ingestion.yaml': `micro_batch:\n${kafka('clicks', KAFKA.replace(/-Lm2Vb7$/, ''))}`,
    'payments/orchestration.yaml': orchestration('payments'),
    'payments/ingestion.yaml': `batch:\n${jdbc('payments', payments)}`,
  };
  return Object.entries(files).map(([path, text]) => ({ path, text }));
}

const SHARED = `shared_secrets:\n  - {arn: "${KAFKA}", use_cases: [orders, clicks]}\n`;
const errors = (sources: SourceFile[]) => compileTree(sources).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`);

describe('a secret read by several use cases', () => {
  it('is an error at each use unless platform.yaml declares it shared with all of them (with or without its suffix)', () => {
    expect(errors(tree('', PAY_DB))).toEqual(['clicks/ingestion.yaml:2:66 SECRET_SHARED', 'orders/ingestion.yaml:4:66 SECRET_SHARED']);
    expect(errors(tree(SHARED, PAY_DB))).toEqual([]);
    // payments points its job at the orders database, which platform.yaml does not list: both uses are errors.
    expect(errors(tree(SHARED, ORDERS_DB))).toEqual(['orders/ingestion.yaml:2:64 SECRET_SHARED', 'payments/ingestion.yaml:2:66 SECRET_SHARED']);
    // Declared for two, a third naming it is refused alone: the declared ones keep it.
    expect(errors(tree(SHARED, KAFKA))).toEqual(['payments/ingestion.yaml:2:66 SECRET_SHARED']);
  });

  it('names every other reader, and tells two suffixes of one name apart', () => {
    const messages = (sources: SourceFile[]) => compileTree(sources).diagnostics.filter((d) => d.code === 'SECRET_SHARED').map((d) => `${d.file}: ${d.message.split(':').slice(0, 7).join(':')}`);
    // Without its suffix, clicks' ARN matches both complete ones: its message names both readers.
    expect(messages(tree('', KAFKA.replace(/-Lm2Vb7$/, '-Ab1Cd2')))).toEqual([
      `clicks/ingestion.yaml: secret ${KAFKA.replace(/-Lm2Vb7$/, '')} is also read by use case 'orders', 'payments'`,
      `orders/ingestion.yaml: secret ${KAFKA} is also read by use case 'clicks'`,
      `payments/ingestion.yaml: secret ${KAFKA.replace(/-Lm2Vb7$/, '-Ab1Cd2')} is also read by use case 'clicks'`,
    ]);
  });
});

describe('in the synthesized templates', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize(compileToBuild(tree(SHARED, PAY_DB)).buildDir);
  }, 120_000);

  /** Secrets Manager resources of every policy statement, by stack and role. */
  function secretGrants(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const policies = [
      ...resourcesOfType(s, 'AWS::IAM::Role').flatMap((r) => (r.props.Policies ?? []).map((p: any) => ({ who: `${r.stack} ${r.props.RoleName ?? r.id}`, doc: p.PolicyDocument }))),
      ...resourcesOfType(s, 'AWS::IAM::Policy').map((p) => ({ who: `${p.stack} ${p.id}`, doc: p.props.PolicyDocument })),
      ...resourcesOfType(s, 'AWS::IAM::ManagedPolicy').map((p) => ({ who: `${p.stack} ${p.id}`, doc: p.props.PolicyDocument })),
    ];
    for (const { who, doc } of policies) {
      for (const st of doc.Statement as { Action: string | string[]; Resource: unknown }[]) {
        if (![st.Action].flat().some((a) => a.startsWith('secretsmanager:') || a === '*')) continue;
        out.set(who, [...(out.get(who) ?? []), ...[st.Resource].flat().map((r) => JSON.stringify(r).replaceAll('"', ''))]);
      }
    }
    return out;
  }

  it('grants each Spark role exactly the secrets its use case names, the declared shared one to both, and nothing to any other role', () => {
    const partial = (arn: string) => [arn, `${arn}-??????`];
    expect(Object.fromEntries([...secretGrants()].map(([k, v]) => [k, v.sort()]))).toEqual({
      'acme-clicks acme-clicks-spark': partial(KAFKA.replace(/-Lm2Vb7$/, '')).sort(),
      'acme-orders acme-orders-spark': [KAFKA, ORDERS_DB].sort(),
      'acme-payments acme-payments-spark': partial(PAY_DB).sort(),
    });
  });
});
