/** Acknowledgements keep their reason, and carry the call stack CDK records only while the app keeps construct stack traces. */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { DISABLE_METADATA_STACK_TRACE } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { afterEach, describe, expect, it } from 'vitest';
import { acknowledge } from '../../infra/nag/acknowledge.ts';

/** A stack frame as CDK renders it: `at fn (file.ts:12:3)`. */
const FRAME = /\.[cm]?[jt]s:\d+/;

function acknowledged(context: Record<string, unknown>) {
  const scope = new Construct(new Stack(new App({ context }), 'S'), 'C');
  const limit = Error.stackTraceLimit;
  acknowledge(scope, { id: 'AwsSolutions-S1', reason: 'why' }, { id: 'AwsSolutions-L1', reason: 'why not' });
  expect(Error.stackTraceLimit).toBe(limit);
  return scope.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
}

describe('acknowledge', () => {
  const debug = process.env.CDK_DEBUG;
  afterEach(() => {
    if (debug === undefined) delete process.env.CDK_DEBUG;
    else process.env.CDK_DEBUG = debug;
  });

  it('records each finding with its reason, without a call stack when the app turns stack traces off', () => {
    delete process.env.CDK_DEBUG;
    const metadata = acknowledged({ [DISABLE_METADATA_STACK_TRACE]: true });
    // The same entries CDK's own acknowledge makes.
    const plain = new Construct(new Stack(new App(), 'S'), 'C');
    Validations.of(plain).acknowledge({ id: 'AwsSolutions-S1', reason: 'why' }, { id: 'AwsSolutions-L1', reason: 'why not' });
    const expected = plain.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data);
    expect(expected).toHaveLength(2);
    expect(metadata.map((m) => m.data)).toEqual(expected);
    // No frame captured: CDK renders an empty stack as one line saying so.
    for (const m of metadata) expect((m.trace ?? []).join('\n')).not.toMatch(FRAME);
  });

  it('keeps the call stack by default and under CDK_DEBUG, as Validations.acknowledge does', () => {
    delete process.env.CDK_DEBUG;
    for (const m of acknowledged({})) expect((m.trace ?? []).join('\n')).toMatch(FRAME);
    process.env.CDK_DEBUG = 'true';
    for (const m of acknowledged({ [DISABLE_METADATA_STACK_TRACE]: true })) expect((m.trace ?? []).join('\n')).toMatch(FRAME);
  });
});
