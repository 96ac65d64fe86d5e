import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnResource, CloudFormationValidatePlugin, Stack, Validations } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { CachedTemplateValidation, VALIDATOR } from '../../infra/validation-cache.ts';

// CloudFormation's template validation (the real engine of aws-cdk-lib) with the cache; each
// template that passed adds one file to the cache directory.
function synth(cacheDir: string, topicName: unknown): { validated: string[]; error?: string } {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'lakestep-cdkout-')), context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  Validations.of(app).addPlugins(new CachedTemplateValidation(cacheDir));
  const validated: string[] = [];
  for (const name of ['One', 'Two']) {
    new CfnResource(new Stack(app, name, { env: { account: '123456789012', region: 'eu-west-1' } }), 'Topic', {
      type: 'AWS::SNS::Topic',
      properties: { TopicName: name === 'Two' ? topicName : 'one' },
    });
  }
  const before = new Set(cacheEntries(cacheDir));
  try {
    app.synth();
  } catch (e) {
    return { validated, error: (e as Error).message };
  }
  validated.push(...cacheEntries(cacheDir).filter((f) => !before.has(f)));
  return { validated };
}

function cacheEntries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

describe('CachedTemplateValidation', () => {
  it('validates a template once, and again only when its bytes change', () => {
    const cache = mkdtempSync(join(tmpdir(), 'lakestep-cfn-validate-'));
    expect(synth(cache, 'two').validated).toHaveLength(2);
    expect(synth(cache, 'two').validated).toHaveLength(0);
    expect(synth(cache, 'two-changed').validated).toHaveLength(1);
    expect(cacheEntries(cache)).toHaveLength(3);
  }, 120_000);

  it('keys templates by the version the engine itself reports, read without loading the engine', () => {
    expect(VALIDATOR).toBe(`@aws/cloudformation-validate@${new CloudFormationValidatePlugin().version}`);
  });

  it('reports a finding on every synth and never remembers the template', () => {
    const cache = mkdtempSync(join(tmpdir(), 'lakestep-cfn-validate-'));
    const first = synth(cache, { bad: true });
    expect(first.error).toMatch(/TopicName/);
    expect(cacheEntries(cache)).toHaveLength(1);
    expect(synth(cache, { bad: true }).error).toMatch(/TopicName/);
    expect(cacheEntries(cache)).toHaveLength(1);
  }, 120_000);
});
