/**
 * The builds the harness deploys: `specs/` and every golden case whose spec tree
 * compiles at least one healthy use case, each compiled by `lakestep compile`.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, type Manifest } from '../../src/index.ts';
import { readManifestDir } from '../../src/build/manifest-files.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CompiledBuild {
  /** `specs`, or `golden/<case>`. */
  name: string;
  dir: string;
  manifest: Manifest;
}

async function compileTree(cwd: string, specs: string, out: string): Promise<Manifest | undefined> {
  const io = { out: () => {}, err: () => {}, cwd, env: {}, tty: false };
  await cli(['compile', specs, '--out', out], io);
  try {
    return readManifestDir(out);
  } catch {
    return undefined;
  }
}

/** `<region>/<state machine name>` of every workflow's state machine and watch machine of a build (the dispatcher is the platform's: shared by the builds of one prefix). */
function machineKeys(m: Manifest): string[] {
  return m.useCases.flatMap((uc) => uc.workflows.flatMap((wf) => [wf.stateMachineName, ...(wf.watch ? [wf.watch.stateMachineName] : [])])).map((n) => `${m.platform.region}/${n}`);
}

/**
 * Compiles `specs/` and the golden spec trees into a fresh temporary directory. A golden
 * build that names a state machine an earlier build deploys in the same region is left
 * out: moto, like AWS, holds one state machine per name and region.
 */
export async function compileBuilds(): Promise<CompiledBuild[]> {
  const base = mkdtempSync(join(tmpdir(), 'lakestep-aws-local-'));
  const out: CompiledBuild[] = [];
  const specs = await compileTree(ROOT, 'specs', join(base, 'specs'));
  if (!specs) throw new Error('specs/ did not compile');
  out.push({ name: 'specs', dir: join(base, 'specs'), manifest: specs });
  const taken = new Set(machineKeys(specs));
  const golden = join(ROOT, 'test/golden');
  for (const name of readdirSync(golden).sort()) {
    const tree = join(golden, name, 'specs');
    if (!statSync(join(golden, name)).isDirectory() || !statSync(tree, { throwIfNoEntry: false })?.isDirectory()) continue;
    const dir = join(base, 'golden', name);
    const manifest = await compileTree(tree, '.', dir);
    if (!manifest || manifest.useCases.length === 0) continue;
    const keys = machineKeys(manifest);
    if (keys.some((k) => taken.has(k))) continue;
    keys.forEach((k) => taken.add(k));
    out.push({ name: `golden/${name}`, dir, manifest });
  }
  return out;
}
