/**
 * Every `ErrorEquals` entry of every compiled definition (the example platform
 * and every golden case) can actually match: a `States.*` error, an error a Fail
 * state of the same definition raises, or an error of the task's integration that
 * exists in that service's model (the `@aws-sdk/client-*` packages).
 *
 * Naming facts checked here, from the Step Functions developer guide:
 * - AWS SDK integrations raise `<Service>.<Shape>`, `Exception` appended when the
 *   shape lacks it; unmodeled errors arrive as `<Service>.<Service>Exception`
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html).
 * - Optimized DynamoDB raises `DynamoDB.` (upper-case DB), the SDK integration
 *   `DynamoDb.`; `DynamoDB.AmazonDynamoDBException` is its generic error
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { caseNames, GOLDEN_DIR } from '../golden/cases.ts';
import { errorShapes } from './service-models.ts';

/** https://states-language.net/spec.html#appendix-a and the Step Functions error-handling guide. */
const STATES_ERRORS = new Set([
  'States.ALL', 'States.HeartbeatTimeout', 'States.Timeout', 'States.TaskFailed', 'States.Permissions',
  'States.ResultPathMatchFailure', 'States.ParameterPathFailure', 'States.QueryEvaluationError', 'States.BranchFailed',
  'States.NoChoiceMatched', 'States.IntrinsicFailure', 'States.ExceedToleratedFailureThreshold', 'States.ItemReaderFailed',
  'States.ResultWriterFailed',
]);

interface Integration { pkg: string; prefix: string; generic: string[] }

/** `aws-sdk:<service>` → its client and error prefix (the service's PascalCase name). */
const SDK: Record<string, Integration> = {
  datasync: { pkg: '@aws-sdk/client-datasync', prefix: 'DataSync', generic: ['DataSyncException'] },
  emrserverless: { pkg: '@aws-sdk/client-emr-serverless', prefix: 'EmrServerless', generic: ['EmrServerlessException'] },
  s3: { pkg: '@aws-sdk/client-s3', prefix: 'S3', generic: ['S3Exception'] },
  dynamodb: { pkg: '@aws-sdk/client-dynamodb', prefix: 'DynamoDb', generic: ['DynamoDbException'] },
  sfn: { pkg: '@aws-sdk/client-sfn', prefix: 'Sfn', generic: ['SfnException'] },
  sns: { pkg: '@aws-sdk/client-sns', prefix: 'Sns', generic: ['SnsException'] },
  cloudwatch: { pkg: '@aws-sdk/client-cloudwatch', prefix: 'CloudWatch', generic: ['CloudWatchException'] },
  glue: { pkg: '@aws-sdk/client-glue', prefix: 'Glue', generic: ['GlueException'] },
  ssm: { pkg: '@aws-sdk/client-ssm', prefix: 'Ssm', generic: ['SsmException'] },
};
/** Optimized integrations: `arn:aws:states:::<service>:<action>`. */
const OPTIMIZED: Record<string, Integration> = {
  dynamodb: { pkg: '@aws-sdk/client-dynamodb', prefix: 'DynamoDB', generic: ['AmazonDynamoDBException'] },
  'emr-serverless': { pkg: '@aws-sdk/client-emr-serverless', prefix: 'EMRServerless', generic: [] },
  states: { pkg: '@aws-sdk/client-sfn', prefix: 'StepFunctions', generic: [] },
  sns: { pkg: '@aws-sdk/client-sns', prefix: 'SNS', generic: [] },
};

function integrationOf(resource: string): Integration {
  const sdk = /^arn:aws:states:::aws-sdk:([a-z0-9]+):/.exec(resource);
  const opt = /^arn:aws:states:::([a-z-]+):/.exec(resource);
  const found = sdk ? SDK[sdk[1]!] : opt ? OPTIMIZED[opt[1]!] : undefined;
  if (!found) throw new Error(`no service model known for ${resource}`);
  return found;
}

/** The names a task of this integration can raise. */
function namesOf(i: Integration): Set<string> {
  const names = new Set(i.generic.map((g) => `${i.prefix}.${g}`));
  for (const shape of errorShapes(i.pkg)) names.add(`${i.prefix}.${shape.endsWith('Exception') ? shape : `${shape}Exception`}`);
  return names;
}

type Json = Record<string, unknown>;
interface Use { state: string; resource?: string; name: string }

/** Every ErrorEquals entry, with the task resource it belongs to; and every error a Fail state raises. */
function errorUses(def: Json): { uses: Use[]; raised: Set<string> } {
  const uses: Use[] = [];
  const raised = new Set<string>();
  const walk = (states: Record<string, Json>) => {
    for (const [name, s] of Object.entries(states)) {
      if (s.Type === 'Fail' && typeof s.Error === 'string') raised.add(s.Error);
      for (const key of ['Retry', 'Catch'] as const) {
        for (const r of (s[key] as { ErrorEquals: string[] }[] | undefined) ?? []) {
          for (const e of r.ErrorEquals) uses.push({ state: name, resource: s.Type === 'Task' ? String(s.Resource) : undefined, name: e });
        }
      }
      const inner = (s.ItemProcessor ?? s.Iterator) as { States: Record<string, Json> } | undefined;
      if (inner) walk(inner.States);
      for (const b of (s.Branches as { States: Record<string, Json> }[] | undefined) ?? []) walk(b.States);
    }
  };
  walk(def.States as Record<string, Json>);
  return { uses, raised };
}

const trees: [string, string][] = [
  ['specs', 'specs'],
  ...caseNames().map((c): [string, string] => [`golden/${c}`, join(GOLDEN_DIR, c, 'specs')]),
];
const definitions: [string, Json][] = trees.flatMap(([label, dir]) => {
  const result = compile(readSpecs(dir), { lakestepVersion: '0.0.0-test' });
  return [...result.files].filter(([p]) => p.endsWith('.asl.json')).map(([p, text]): [string, Json] => [`${label}: ${p}`, JSON.parse(text)]);
});

describe('ErrorEquals names', () => {
  it('covers the example platform and the golden cases, with every integration in use', () => {
    const resources = new Set(definitions.flatMap(([, d]) => errorUses(d).uses.map((u) => u.resource).filter(Boolean)));
    expect(definitions.length).toBeGreaterThan(20);
    for (const r of ['arn:aws:states:::dynamodb:updateItem', 'arn:aws:states:::aws-sdk:s3:getObject', 'arn:aws:states:::aws-sdk:datasync:startTaskExecution']) {
      expect(resources).toContain(r);
    }
  });

  it.each(definitions.map(([p]) => p))('%s: every name can match', (path) => {
    const def = definitions.find(([p]) => p === path)![1];
    const { uses, raised } = errorUses(def);
    const unmatched = uses.filter((u) => {
      if (u.name.startsWith('States.')) return !STATES_ERRORS.has(u.name);
      if (raised.has(u.name)) return false;
      return !u.resource || !namesOf(integrationOf(u.resource)).has(u.name);
    });
    expect(unmatched).toEqual([]);
  });

  it('rejects the names that can never match', () => {
    const s3 = namesOf(SDK.s3!);
    expect(s3.has('S3.InternalError')).toBe(false);
    expect(s3.has('S3.NoSuchKey')).toBe(false);
    expect(s3.has('S3.NoSuchKeyException')).toBe(true);
    expect(namesOf(SDK.datasync!).has('DataSync.ThrottlingException')).toBe(false);
    expect(namesOf(OPTIMIZED['emr-serverless']!).has('EMRServerless.ThrottlingException')).toBe(false);
    expect(namesOf(OPTIMIZED.dynamodb!).has('DynamoDB.RequestLimitExceeded')).toBe(false);
    expect(namesOf(OPTIMIZED.dynamodb!).has('DynamoDB.RequestLimitExceededException')).toBe(true);
    expect(namesOf(OPTIMIZED.states!).has('StepFunctions.ExecutionAlreadyExistsException')).toBe(true);
  });
});
