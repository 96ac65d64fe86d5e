/**
 * Folders that synth writes for the CDK to stage as assets (the bundled schedule starter, the Spark
 * runtime's zip). The CDK copies an asset into the cloud assembly (`cdk.out/asset.<hash>`) as the construct
 * is created, so these folders are of no use once the process ends: they are removed then, instead of one
 * pair more being left in the temporary folder by every synth, deploy and diff — also when a signal ends it
 * (Ctrl-C, `kill`, a closed terminal), whose default action skips the `exit` event. A process killed
 * outright (SIGKILL, a crash of node itself) runs no code: its folders carry its process id in their
 * name, and the next process that makes one removes those of processes that no longer run.
 */
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function removeAll(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Removes the folders, then lets the signal end the process as it would have (its exit status tells the signal). */
function onSignal(signal: NodeJS.Signals): void {
  removeAll();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}

/** True while process `pid` runs (or runs under another user: it cannot be signalled, but it exists). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes `<prefix>-<pid>-*` folders of processes that no longer run: only real folders (not links) of this
 * user, since the temporary folder is shared.
 */
function sweep(prefix: string): void {
  const own = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)-[^/]+$`);
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(own.exec(name)?.[1]);
    if (!pid || pid === process.pid || running(pid)) continue;
    const path = join(tmpdir(), name);
    try {
      const st = lstatSync(path);
      if (st.isDirectory() && st.uid === process.getuid?.()) rmSync(path, { recursive: true, force: true });
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

/**
 * A new, private (mode 0700) folder under the temporary folder, `<prefix>-<pid>-XXXXXX`, removed when the
 * process ends; folders of the same prefix left by killed processes go first.
 */
export function scratchDir(prefix: string): string {
  sweep(prefix);
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-${process.pid}-`));
  // Armed with the first folder: the list empties only as the process ends.
  if (made.push(dir) === 1) {
    process.once('exit', removeAll);
    for (const s of SIGNALS) process.on(s, onSignal);
  }
  return dir;
}
