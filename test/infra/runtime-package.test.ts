/**
 * The runtime artifact EMR Serverless loads: `lakestep.zip` (the `lakestep` package,
 * `spark.submit.pyFiles` of every runtime job) beside the entry point. Built the same
 * byte for byte from the same sources, and importable by Python from the zip alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { runtimeZip, stageRuntime } from '../../infra/platform/runtime-deployment.ts';
import { readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { RUNTIME_ENTRYPOINT, RUNTIME_PACKAGE } from '../../src/phases/runtime.ts';

const sparkDir = join(dirname(fileURLToPath(import.meta.url)), '../../infra/spark');

describe('runtime package', () => {
  it('holds the package modules only, and is deterministic', () => {
    const zip = runtimeZip(sparkDir);
    const names = Object.keys(unzipSync(zip)).sort();
    expect(names).toContain('lakestep/__init__.py');
    expect(names).toContain('lakestep/steps/kafka.py');
    expect(names.every((n) => n.startsWith('lakestep/') && n.endsWith('.py') && !/\/test_/.test(n))).toBe(true);
    expect(Buffer.from(runtimeZip(sparkDir)).equals(Buffer.from(zip))).toBe(true);
  });

  it('stages exactly the entry point and the zip', () => {
    expect(readdirSync(stageRuntime(sparkDir)).sort()).toEqual(['lakestep.zip', 'lakestep_runtime.py']);
  });

  it('runs from the zip alone: the entry point imports the package and refuses a bad command line', () => {
    const dir = stageRuntime(sparkDir);
    const probe = join(mkdtempSync(join(tmpdir(), 'lakestep-probe-')), 'probe.py');
    // The zip first on the path, as spark.submit.pyFiles puts it; nothing of infra/spark is reachable.
    writeFileSync(probe, [
      'import sys, runpy',
      `sys.path.insert(0, ${JSON.stringify(join(dir, 'lakestep.zip'))})`,
      'import lakestep, lakestep.steps.sql',
      'assert lakestep.__file__.endswith("lakestep.zip/lakestep/__init__.py"), lakestep.__file__',
      'print(",".join(sorted(lakestep.STEPS)))',
      `sys.argv = ["lakestep_runtime.py", "--job", "not-s3"]`,
      'try:',
      `    runpy.run_path(${JSON.stringify(join(dir, 'lakestep_runtime.py'))}, run_name="__main__")`,
      'except SystemExit as e:',
      '    print("exit", e.code)',
    ].join('\n'));
    const out = execFileSync('python3', ['-S', probe], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(out.split('\n')[0]).toMatch(/(^|,)sql(,|$)/);
    expect(out).toContain('exit 2');
  });

  it('is on the Python path of every job of the runtime in the example platform', () => {
    expect(readFileSync(join(sparkDir, 'lakestep_runtime.py'), 'utf8')).toContain('from lakestep.main import main');
    const result = compile(readSpecs('specs'), { lakestepVersion: '0.0.0-test' });
    const tasks: { entry: string; submit: string }[] = [];
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        const o = n as Record<string, unknown>;
        const submit = o.SparkSubmit as Record<string, unknown> | undefined;
        if (submit) tasks.push({ entry: String(submit.EntryPoint), submit: String(submit.SparkSubmitParameters ?? submit['SparkSubmitParameters.$']) });
        if (typeof o.spark_conf === 'string') tasks.push({ entry: RUNTIME_ENTRYPOINT, submit: o.spark_conf });
        Object.values(o).forEach(walk);
      }
    };
    for (const [path, text] of result.files) if (path.endsWith('.asl.json')) walk(JSON.parse(text));
    const runtime = tasks.filter((t) => t.entry === RUNTIME_ENTRYPOINT);
    expect(runtime.length).toBeGreaterThan(10);
    // Literal parameters name the package; Map items (migration) get it from the shared `spark_conf`.
    for (const t of runtime.filter((x) => !x.submit.startsWith('States.Format('))) expect(t.submit).toContain(`--conf spark.submit.pyFiles=${RUNTIME_PACKAGE}`);
    expect(tasks.filter((t) => t.entry !== RUNTIME_ENTRYPOINT).every((t) => !t.submit.includes(RUNTIME_PACKAGE))).toBe(true);
  });
});
