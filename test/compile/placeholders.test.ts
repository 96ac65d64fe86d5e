/**
 * `${Name}` in compiled files is how infra injects account-specific values
 * (`definitionSubstitutions`, DESIGN §6). Text from a spec must never become
 * one: `${Account}` typed into an argument would silently be replaced by the
 * account id, and `${DbPassword}` would make `cdk synth` fail on an unknown
 * placeholder long after `lakestep validate` said the spec was fine.
 */
import { describe, expect, it } from 'vitest';
import { PLATFORM_PLACEHOLDERS } from '../../src/build/types.ts';
import { compileTree, sparkUseCase } from './support.ts';
import { manifestOf } from '../helpers/manifest.ts';

describe('spec text never becomes a ${placeholder}', () => {
  it.each([['${Account}'], ['${DbPassword}'], ['s3://bucket/${Region}/x']])('argument %s is reported or kept out of the placeholders', (arg) => {
    const r = compileTree({ 'a/orchestration.yaml': sparkUseCase('a@example.com', [{ name: 'job', args: ['--value', arg] }]) });
    const reported = r.diagnostics.some((d) => d.severity === 'error' && d.pointer === '/dags/0/spark/arguments/1');
    if (reported) return;
    const asl = r.files.get('a/job.asl.json')!;
    expect(asl).not.toContain(arg);
    const manifest = manifestOf(r.files);
    for (const p of manifest.useCases[0]!.workflows[0]!.placeholders) expect(PLATFORM_PLACEHOLDERS).toContain(p);
  });
});
