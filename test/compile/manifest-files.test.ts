import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_INDEX, ManifestError, manifestFiles, readManifest } from '../../src/build/manifest-files.ts';
import { MANIFEST_VERSION, type Manifest } from '../../src/build/types.ts';
import { loadManifest } from '../../src/ops/deploy.ts';
import { OpsError } from '../../src/ops/errors.ts';
import { writeManifest } from '../helpers/manifest.ts';
import { manifest as opsManifest } from '../ops/fixtures.ts';
import { compileTree, sparkUseCase } from './support.ts';

const result = compileTree({
  'sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract', schedule: 'cron(0 1 * * ? *)' }, { name: 'clean', dependsOn: ['extract'] }]),
  'crm/orchestration.yaml': sparkUseCase('crm@example.com', [{ name: 'scores', dependsOn: ['sales/clean', 'sales/extract'] }]),
});

/** The files of `m` with `edit` applied to the parsed index. */
function withIndex(m: Manifest, edit: (index: Record<string, any>) => void): Map<string, string> {
  const files = new Map(manifestFiles(m));
  const index = JSON.parse(files.get(MANIFEST_INDEX)!);
  edit(index);
  files.set(MANIFEST_INDEX, JSON.stringify(index));
  return files;
}

const readOf = (files: ReadonlyMap<string, string>) => (p: string) => files.get(p);

describe('the manifest on disk: an index plus one part per use case', () => {
  it('compile writes a small index and each use case whole in its own part', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const index = JSON.parse(result.files.get('manifest.json')!);
    expect(index.version).toBe(MANIFEST_VERSION);
    expect(Object.keys(index)).toEqual(Object.keys(result.manifest));
    expect(index.useCases).toEqual(result.manifest.useCases.map((u) => ({ name: u.name, owner: u.owner, specHash: u.specHash, manifest: `${u.name}/manifest.json` })));
    expect(index.tables).toEqual(result.manifest.tables);
    for (const u of result.manifest.useCases) expect(JSON.parse(result.files.get(`${u.name}/manifest.json`)!)).toEqual(u);
    expect(result.files.get('sales/manifest.json')).toBe(JSON.stringify(result.manifest.useCases.find((u) => u.name === 'sales')) + '\n');
    expect(new Map(manifestFiles(result.manifest))).toEqual(new Map([...result.files].filter(([p]) => p.endsWith('manifest.json'))));
  });

  it('reads back exactly the manifest compile produced, key order included', () => {
    const read = readManifest(readOf(result.files));
    expect(read).toEqual(result.manifest);
    expect(JSON.stringify(read)).toBe(JSON.stringify(result.manifest));
  });

  it('reads a version-1 build (one whole manifest.json) as it is', () => {
    const whole = { ...opsManifest(), version: 1 };
    expect(readManifest(readOf(new Map([[MANIFEST_INDEX, JSON.stringify(whole)]])))).toEqual(whole);
  });

  it('says which file is missing or malformed, and to rebuild', () => {
    const files = new Map(manifestFiles(result.manifest));
    expect(() => readManifest(() => undefined, 'build')).toThrow('build/manifest.json: not found: rebuild with `lakestep compile`');
    expect(() => readManifest(readOf(new Map([...files].filter(([p]) => p !== 'crm/manifest.json'))), 'build')).toThrow('build/crm/manifest.json: not found');
    expect(() => readManifest(readOf(new Map([...files, ['crm/manifest.json', '{"name": ']])))).toThrow(/^crm\/manifest.json: not valid JSON \(.*\): rebuild with `lakestep compile`$/);
    expect(() => readManifest(readOf(new Map([...files, ['crm/manifest.json', files.get('sales/manifest.json')!]])))).toThrow('crm/manifest.json: not the manifest of use case "crm"');
    expect(() => readManifest(readOf(new Map([...files, [MANIFEST_INDEX, '[]']])))).toThrow('manifest.json: no "platform" or "useCases"');
    expect(() => readManifest(readOf(withIndex(result.manifest, (i) => void (i.version = 3))))).toThrow('manifest version 3 is not one this lakestep reads (2)');
  });

  it('reads a part only from <name>/manifest.json of a plain folder name, whatever the index says', () => {
    const reads: string[] = [];
    const attempt = (edit: (index: Record<string, any>) => void) => {
      const files = withIndex(result.manifest, edit);
      return () => readManifest((p) => (reads.push(p), files.get(p)));
    };
    const first = (f: (u: Record<string, any>) => void) => attempt((i) => f(i.useCases[0]));
    expect(first((u) => void (u.manifest = '../crm/manifest.json'))).toThrow(`useCases[0] ("crm") names its manifest "../crm/manifest.json"; only "crm/manifest.json" is accepted`);
    expect(first((u) => void (u.manifest = 'sales/manifest.json'))).toThrow('only "crm/manifest.json" is accepted');
    expect(first((u) => void (u.manifest = '/etc/passwd'))).toThrow('only "crm/manifest.json" is accepted');
    expect(first((u) => void (u.manifest = 'crm\\manifest.json'))).toThrow('only "crm/manifest.json" is accepted');
    expect(first((u) => void delete u.manifest)).toThrow('names its manifest undefined');
    for (const name of ['..', '.', '', '../etc', 'a/b', 'a\\b', 'a\0b', '..\\x', 42, null]) {
      expect(first((u) => Object.assign(u, { name, manifest: `${name}/manifest.json` })), String(name)).toThrow('manifest.json: useCases[0] has no plain folder name');
    }
    expect(attempt((i) => void (i.useCases[0] = 'crm'))).toThrow('useCases[0] has no plain folder name');
    // Nothing but the index was ever read: a refused entry names no file to open.
    expect(new Set(reads)).toEqual(new Set([MANIFEST_INDEX]));
  });

  it('the operator commands report a broken build as such (MANIFEST_INVALID), a missing one as MANIFEST_MISSING', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakestep-manifest-'));
    await expect(loadManifest(dir)).rejects.toMatchObject({ code: 'MANIFEST_MISSING' });
    writeManifest(dir, opsManifest());
    expect(await loadManifest(dir)).toEqual({ ...opsManifest(), version: MANIFEST_VERSION });
    const broken = withIndex(opsManifest(), (i) => void (i.useCases[1].manifest = '../../customers/manifest.json'));
    const dir2 = mkdtempSync(join(tmpdir(), 'lakestep-manifest-'));
    writeManifest(dir2, opsManifest());
    writeFileSync(join(dir2, MANIFEST_INDEX), broken.get(MANIFEST_INDEX)!);
    const err = await loadManifest(dir2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsError);
    expect(err).toMatchObject({ code: 'MANIFEST_INVALID', exitCode: 1, message: `${join(dir2, 'manifest.json')}: useCases[1] ("customers") names its manifest "../../customers/manifest.json"; only "customers/manifest.json" is accepted: rebuild with \`lakestep compile\`` });
    expect(() => readManifest(readOf(broken))).toThrow(ManifestError);
  });
});
