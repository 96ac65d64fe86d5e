import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { CfnTopic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, NagPack } from 'cdk-nag';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CachedNagChecks } from '../../infra/nag/cache.ts';

// cdk-nag's real AwsSolutions pack behind the cache (CloudFormation's own template validation off:
// another plugin). An SNS topic without a policy requiring TLS is a finding (AwsSolutions-SNS3).
interface Synth {
  /** Stacks the pack walked. */
  checked: string[];
  error?: string;
}

function synth(cacheDir: string, opts: { acknowledge?: boolean; description?: string; topicIn?: 'Two' } = {}): Synth {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'lakestep-cdkout-')) });
  // Records the stacks the pack walks, and walks them.
  const spy = vi.spyOn(NagPack.prototype, 'validateScope');
  Validations.of(app).addPlugins(new CachedNagChecks(new AwsSolutionsChecks(app), cacheDir));
  for (const name of ['One', 'Two']) {
    const stack = new Stack(app, name, { env: { account: '123456789012', region: 'eu-west-1' }, description: name === 'Two' ? (opts.description ?? 'two') : 'one' });
    if (name !== opts.topicIn) continue;
    const topic = new CfnTopic(stack, 'Topic', { topicName: 'two' });
    if (opts.acknowledge) {
      Validations.of(topic).acknowledge({ id: 'AwsSolutions-SNS3', reason: 'test: no TLS policy' });
    }
  }
  const checked = () => spy.mock.calls.map(([scope]) => scope.node.path);
  let error: string | undefined;
  try {
    app.synth();
  } catch (e) {
    error = (e as Error).message;
  }
  const r = { checked: checked(), ...(error === undefined ? {} : { error }) };
  spy.mockRestore();
  return r;
}

const entries = (dir: string) => readdirSync(dir).length;

describe('CachedNagChecks', () => {
  beforeEach(() => vi.stubEnv('CDK_VALIDATION', 'false'));
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('checks a stack once, and again only when its template changes', () => {
    const cache = mkdtempSync(join(tmpdir(), 'lakestep-nag-'));
    expect(synth(cache).checked.sort()).toEqual(['One', 'Two']);
    expect(entries(cache)).toBe(2);
    expect(synth(cache).checked).toEqual([]);
    expect(synth(cache, { description: 'changed' }).checked).toEqual(['Two']);
    expect(entries(cache)).toBe(3);
  }, 60_000);

  it('reports a finding on every synth and never remembers the stack holding it', () => {
    const cache = mkdtempSync(join(tmpdir(), 'lakestep-nag-'));
    for (let i = 0; i < 2; i++) {
      const r = synth(cache, { topicIn: 'Two' });
      expect(r.error).toMatch(/AwsSolutions-SNS3/);
      expect(r.checked.sort()).toEqual(i === 0 ? ['One', 'Two'] : ['Two']);
    }
    expect(entries(cache)).toBe(1);
  }, 60_000);

  it('a cache that cannot be written never fails a synth: every stack is checked each time', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lakestep-nag-')), 'a-file');
    writeFileSync(file, '');
    for (let i = 0; i < 2; i++) {
      const r = synth(join(file, 'cache'));
      expect(r.error).toBeUndefined();
      expect(r.checked.sort()).toEqual(['One', 'Two']);
    }
  }, 60_000);

  it('a finding acknowledged passes and is remembered; the acknowledgement taken back, the finding is reported again', () => {
    const cache = mkdtempSync(join(tmpdir(), 'lakestep-nag-'));
    expect(synth(cache, { topicIn: 'Two', acknowledge: true }).error).toBeUndefined();
    expect(synth(cache, { topicIn: 'Two', acknowledge: true }).checked).toEqual([]);
    // The template is the same without the acknowledgement (construct metadata); the stack is checked again.
    const again = synth(cache, { topicIn: 'Two' });
    expect(again.checked).toEqual(['Two']);
    expect(again.error).toMatch(/AwsSolutions-SNS3/);
  }, 60_000);
});
