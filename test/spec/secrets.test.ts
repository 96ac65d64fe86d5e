/**
 * One secret scanner for every string that reaches an artifact: whatever field a
 * credential is typed into, and whatever shape it has, the use case is
 * quarantined, no artifact holds the secret, and the printed diagnostic masks it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics.ts';
import { maskSecrets, scanText } from '../../src/spec/secrets.ts';
import { compileTree } from '../compile/support.ts';

/** Credential shapes, with `<S>` standing for the secret value. */
const SHAPES = [
  '--conf spark.hadoop.fs.s3a.secret.key=<S>',
  '--conf "spark.hadoop.fs.s3a.secret.key=<S>"',
  'jdbc:postgresql://db:5432/crm?user=etl&password=<S>',
  'jdbc:oracle:thin:scott/<S>@//db:1521/orcl',
  'postgres://etl:<S>@db.example.com/crm',
  'spark.ssl.trustStorePassword=<S>',
  'password＝<S>',
  '{"user": "etl", "password": "<S>"}',
  'Authorization: Bearer <S>',
  'api_key: <S>',
  'X-Amz-Security-Token=<S>',
];
const secret = fc.stringMatching(/^[A-Za-z0-9]{10,16}$/).map((s) => `Zq${s}`);

/** Where a string can be typed: each returns the spec files holding `text`. */
const PLACES: Record<string, (text: string) => Record<string, string>> = {
  argument: (t) => ({ 'u/orchestration.yaml': `owner: u@example.com\ndags:\n  - name: j\n    type: transformation\n    spark: {entrypoint: s3://lakestep-artifacts/u/j.py, arguments: [${JSON.stringify(t)}]}\n` }),
  submit: (t) => ({ 'u/orchestration.yaml': `owner: u@example.com\ndags:\n  - name: j\n    type: transformation\n    spark: {entrypoint: s3://lakestep-artifacts/u/j.py, spark_submit_parameters: ${JSON.stringify(t)}}\n` }),
  platformDefault: (t) => ({ 'platform.yaml': `defaults: {spark_submit_parameters: ${JSON.stringify(t)}}\n`, 'u/orchestration.yaml': 'owner: u@example.com\ndags:\n  - {name: j, type: transformation, spark: {entrypoint: s3://lakestep-artifacts/u/j.py}}\n' }),
  readerOption: (t) => ({
    'u/orchestration.yaml': 'owner: u@example.com\ndags:\n  - {name: m, type: migration}\n',
    'u/migration.yaml': `database: raw_u\ntables:\n  - name: t\n    source: {hdfs_path: /w/t, format: csv, options: {note: ${JSON.stringify(t)}}}\n    datasync: {task_arn: arn:aws:datasync:us-east-1:123456789012:task/task-0a1b2c3d4e5f60718}\n    columns: [{name: id, type: bigint}]\n`,
  }),
};

describe('clear-text secrets', () => {
  it('are found in every place and every shape, never reach an artifact, and are masked when printed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SHAPES), secret, fc.constantFrom(...Object.keys(PLACES)), (shape, value, place) => {
        const files = PLACES[place]!(shape.replace('<S>', value));
        const r = compileTree(files);
        const found = r.diagnostics.filter((d) => d.code === 'SECRET_IN_CLEAR_TEXT');
        expect(found.length, `${place}: ${shape}`).toBeGreaterThan(0);
        for (const [path, text] of r.files) expect(text.includes(value), `${path} holds the secret`).toBe(false);
        for (const d of found) expect(formatDiagnostic(d, files[d.file])).not.toContain(value);
      }),
      { numRuns: 120, seed: 11 },
    );
  });

  it.each(['--conf spark.authenticate=true', '--conf spark.hadoop.fs.s3a.aws.credentials.provider=com.amazonaws.auth.DefaultAWSCredentialsProviderChain', '--password-secret-arn arn:aws:secretsmanager:eu-west-1:123456789012:secret:x', '--token {{ run_id }}', 's3.access-key-id: AKIDEXAMPLE'])('leaves %j alone', (text) => {
    expect(scanText(text)).toEqual([]);
  });

  it('finds the same in a plain lower-case word as in the same word scanned in full', () => {
    // A trailing space sends the word down the full scan and changes no match: the reference.
    const word = fc.oneof(
      fc.stringMatching(/^[a-z0-9_.\-/]{0,40}$/),
      fc.tuple(fc.constantFrom('ghp_', 'gho_', 'ghs_', 'xoxb-', 'xoxp-', 'a.ghu_', 'x/xoxa-'), fc.stringMatching(/^[a-z0-9_.\-/]{0,30}$/)).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(word, (w) => {
        expect(scanText(w)).toEqual(scanText(`${w} `));
      }),
      { numRuns: 2000 },
    );
    expect(scanText('ghp_abcdefghijklmnopqrstuvwxyz0123')).toHaveLength(1);
    expect(scanText('xoxb-0123456789-abcdef')).toHaveLength(1);
  });

  it('masks every secret of a line and keeps the rest', () => {
    expect(maskSecrets('a: ["--pw", "hunter2", "AKIAIOSFODNN7EXAMPLE", "ok"]')).toBe('a: ["--pw", "****", "****", "ok"]');
  });
});
