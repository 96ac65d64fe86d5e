import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { fixtureManifest, SPARK_ASL, writeBuild } from './fixture.ts';

function single(asl: unknown, placeholders?: string[]) {
  const m = fixtureManifest();
  const wf = { ...m.useCases[0]!.workflows[0]!, jobs: [], ...(placeholders ? { placeholders } : {}) };
  const manifest = { ...m, useCases: [{ ...m.useCases[0]!, workflows: [wf] }], quarantined: [] };
  return writeBuild(manifest, { [wf.definition]: asl });
}

describe('build directory', () => {
  it('asks to compile first when manifest.json is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakestep-empty-'));
    expect(() => buildApp({ buildDir: dir, app: new App() })).toThrow(/run `npx lakestep compile` first/);
  });

  it('fails for an unknown placeholder in a definition', () => {
    const asl = JSON.parse(JSON.stringify(SPARK_ASL).replace('${RunsTable}', '${RunTable}'));
    expect(() => buildApp({ buildDir: single(asl, []), app: new App() })).toThrow(/unknown placeholder \$\{RunTable\}/);
  });

  it('fails for an unknown placeholder listed in the manifest', () => {
    expect(() => buildApp({ buildDir: single(SPARK_ASL, ['Mystery']), app: new App() })).toThrow(/workflow orders-daily-report: unknown placeholder \$\{Mystery\}/);
  });

  it('fails for a task resource the IAM registry does not know', () => {
    const asl = JSON.parse(JSON.stringify(SPARK_ASL).replace('arn:aws:states:::dynamodb:putItem', 'arn:aws:states:::glue:startJobRun.sync'));
    expect(() => buildApp({ buildDir: single(asl), app: new App() })).toThrow(/no IAM permissions known for task resource arn:aws:states:::glue:startJobRun.sync/);
  });
});
