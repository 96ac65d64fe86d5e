/**
 * Running `cli()` with a captured Io in a temporary folder.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Manifest } from '../../src/build/types.ts';
import { BUILD_MARKER } from '../../src/cli/build-dir.ts';
import type { Io } from '../../src/cli/io.ts';
import { cli } from '../../src/cli/main.ts';
import { readTree } from '../golden/cases.ts';
import { writeManifest } from '../helpers/manifest.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** A fresh temporary folder holding `files` (paths relative to it). */
export function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'lakestep-cli-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A fresh temporary folder (holding `files`) whose `build/` holds manifest `m`, as a compile writes it. */
export function folderWithBuild(m: Manifest, files: Record<string, string> = {}): string {
  const dir = folder(files);
  writeManifest(join(dir, 'build'), m);
  return dir;
}

/** A build folder's files without its marker (whose stamps carry modification times), path → text. */
export function buildFiles(dir: string): Map<string, string> {
  const files = readTree(dir);
  files.delete(BUILD_MARKER);
  return files;
}

export async function runCli(argv: string[], cwd: string, extra: Partial<Io> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => void out.push(t), err: (t) => void err.push(t), cwd, env: {}, tty: false, ...extra };
  const code = await cli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
