/**
 * The dispatcher is an Express workflow (src/asl/dispatch.ts). moto's server creates and runs an Express
 * machine like a Standard one, so what Express refuses is checked with the analyser moto ships from
 * LocalStack's Step Functions provider, which that provider runs on every Express definition it is given
 * (`ExpressStaticAnalyser`: no Activity, no `.sync`, no `.waitForTaskToken`): it accepts the compiled
 * dispatcher and refuses a compiled workflow, which waits for its Spark jobs.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { motoVenv } from './moto-server.ts';

const ANALYSE = [
  'import sys',
  'from moto.stepfunctions.parser.asl.static_analyser.express_static_analyser import ExpressStaticAnalyser',
  'try:',
  '    ExpressStaticAnalyser().analyse(sys.stdin.read())',
  'except Exception as e:',
  '    print(e)',
  '    sys.exit(1)',
].join('\n');

/** LocalStack's Express analyser on `definition`: null when accepted, else its message. */
function expressRefusal(definition: string): string | null {
  const r = spawnSync(join(motoVenv(), 'bin/python'), ['-c', ANALYSE], { input: definition, encoding: 'utf8' });
  if (r.status === 0) return null;
  if (r.status !== 1) throw new Error(`the analyser did not run: ${r.stderr}`);
  return r.stdout.trim();
}

describe('the dispatcher on an Express analyser', () => {
  const result = compile(readSpecs('specs'), { lakestepVersion: '0.0.0-test' });
  const dispatcher = result.manifest.machines!.dispatcher!;

  it('accepts the compiled dispatcher as an Express workflow', () => {
    expect(dispatcher.type).toBe('EXPRESS');
    // Placeholders are plain text inside strings: the analyser reads resources, which hold none but ARNs' partition.
    const text = result.files.get(dispatcher.definition)!.replace(/\$\{Partition\}/g, 'aws');
    expect(expressRefusal(text)).toBeNull();
  });

  it('refuses a compiled workflow, which waits for its jobs with .sync', () => {
    const workflow = result.manifest.useCases.flatMap((u) => u.workflows).find((w) => w.kind === 'processing')!;
    expect(expressRefusal(result.files.get(workflow.definition)!)).toMatch(/Express state machine does not support .*sync/);
  });
});
