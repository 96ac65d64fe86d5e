/**
 * Folders that synth writes for the CDK to stage as assets (the bundled schedule starter, the Spark
 * runtime's zip). The CDK copies an asset into the cloud assembly (`cdk.out/asset.<hash>`) as the construct
 * is created, so these folders are of no use once the process ends: they are removed then, instead of one
 * pair more being left in the temporary folder by every synth, deploy and diff — also when a signal ends it
 * (Ctrl-C, `kill`, a closed terminal), whose default action skips the `exit` event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
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

/** A new, private (mode 0700) folder under the temporary folder, removed when the process ends. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  // Armed with the first folder: the list empties only as the process ends.
  if (made.push(dir) === 1) {
    process.once('exit', removeAll);
    for (const s of SIGNALS) process.on(s, onSignal);
  }
  return dir;
}
