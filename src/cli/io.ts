/** The only place that touches the disk for specs and build artifacts. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { CredentialsCheck, SpawnFn } from '../ops/index.ts';
import type { SourceFile } from '../spec/files.ts';
import { replaceBuild, type BuildGuard } from './build-dir.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (colors, interactive deploy). */
  tty: boolean;
  /** Step Functions client for a region; default `new SFNClient({ region })` (tests pass a mocked one). */
  sfn?: (region: string) => SFNClient;
  /** Replaces the credentials preflight of `deploy` (tests). */
  checkCredentials?: () => Promise<CredentialsCheck>;
  /** Replaces the `cdk` child process of `deploy` (tests). */
  spawn?: SpawnFn;
  /** The clock of the operator commands (default: the wall clock). */
  now?: () => Date;
}

export const processIo: Io = {
  out: (t) => void process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => void process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  cwd: process.cwd(),
  env: process.env,
  tty: Boolean(process.stdout.isTTY),
};

const SPEC_FILE = /\.(ya?ml|sql)$/;

/** Every spec file under `dir` (YAML and SQL), paths relative to it with `/`. */
export function readSpecs(dir: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (SPEC_FILE.test(name)) files.push({ path: relative(dir, p).split(sep).join('/'), text: readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return files;
}

/**
 * Replaces the lakestep build in `outDir` with `files`, removing only the files
 * of the previous build; refuses anything else (see {@link replaceBuild}).
 */
export function writeBuild(outDir: string, files: ReadonlyMap<string, string>, guard: BuildGuard = {}): void {
  replaceBuild(outDir, files, guard);
}

/** The version in package.json, recorded in the manifest and in resource tags. */
export function lakestepVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
