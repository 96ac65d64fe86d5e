import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { BuildDirError, loadBuild } from '../../infra/manifest.ts';
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

  it('stitches the index and the part of each use case back into the whole manifest', () => {
    const m = fixtureManifest();
    const dir = writeBuild(m, {});
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).useCases).toEqual(m.useCases.map((u) => ({ name: u.name, owner: u.owner, specHash: u.specHash, manifest: `${u.name}/manifest.json` })));
    expect(loadBuild(dir).manifest).toEqual({ ...m, version: 2 });
  });

  it('reads a version-1 manifest (every use case whole in manifest.json) as it is', () => {
    const m = { ...fixtureManifest(), version: 1 };
    const dir = mkdtempSync(join(tmpdir(), 'lakestep-v1-'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    expect(loadBuild(dir).manifest).toEqual(m);
  });

  it('refuses a manifest of a version this lakestep does not read, as the CLI does', () => {
    const dir = writeBuild(fixtureManifest(), {});
    const index = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...index, version: 99 }));
    expect(() => loadBuild(dir)).toThrow(BuildDirError);
    expect(() => loadBuild(dir)).toThrow('manifest version 99 is not one this lakestep reads');
  });

  it('refuses an index entry whose part is not <name>/manifest.json of a plain folder name, and a missing part', () => {
    const m = fixtureManifest();
    const uc = m.useCases[0]!.name;
    const edited = (edit: (entry: Record<string, unknown>) => void) => {
      const dir = writeBuild(m, {});
      const index = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      edit(index.useCases[0]);
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(index));
      return () => loadBuild(dir);
    };
    for (const path of [`../${uc}/manifest.json`, `/${uc}/manifest.json`, `${uc}/../${uc}/manifest.json`, `${uc}\\manifest.json`, 'other/manifest.json']) {
      expect(edited((e) => void (e.manifest = path)), path).toThrow(BuildDirError);
      expect(edited((e) => void (e.manifest = path))).toThrow(`names its manifest ${JSON.stringify(path)}; only "${uc}/manifest.json" is accepted`);
    }
    for (const name of ['..', '.', '', '../x', 'a/b', 'a\\b', 'a\0b', 7]) {
      expect(edited((e) => Object.assign(e, { name, manifest: `${name}/manifest.json` })), String(name)).toThrow('useCases[0] has no plain folder name');
    }
    const dir = writeBuild(m, {});
    rmSync(join(dir, uc, 'manifest.json'));
    expect(() => loadBuild(dir)).toThrow(`${join(dir, uc, 'manifest.json')}: not found: rebuild with \`lakestep compile\``);
    expect(() => buildApp({ buildDir: dir, app: new App() })).toThrow(BuildDirError);
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
