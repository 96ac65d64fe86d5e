/** The only place that touches the disk for specs and build artifacts. */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { EMRServerlessClient } from '@aws-sdk/client-emr-serverless';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { CredentialsCheck, SpawnFn } from '../ops/index.ts';
import type { SourceFile } from '../spec/files.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (colors, interactive deploy). */
  tty: boolean;
  /** Step Functions client for a region; default `new SFNClient({ region })` (tests pass a mocked one). */
  sfn?: (region: string) => SFNClient;
  /** EventBridge client for a region (pause, resume, status); default `new EventBridgeClient({ region })`. */
  eventbridge?: (region: string) => EventBridgeClient;
  /** EMR Serverless client for a region (logs, cancel); default `new EMRServerlessClient({ region })`. */
  emr?: (region: string) => EMRServerlessClient;
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
 * Replaces the contents of the build directory with `files`. Refuses to clear a
 * non-empty directory that is not a lakestep build (no manifest.json).
 */
export function writeBuild(outDir: string, files: ReadonlyMap<string, string>): void {
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    if (!existsSync(join(outDir, 'manifest.json')) && !existsSync(join(outDir, 'report.json'))) {
      throw Object.assign(new Error(`${outDir} is not empty and holds no lakestep build; choose another --out`), { exitCode: 2 });
    }
    rmSync(outDir, { recursive: true, force: true });
  }
  mkdirSync(outDir, { recursive: true });
  for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const p = join(outDir, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

/** The version in package.json, recorded in the manifest and in resource tags. */
export function lakestepVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
