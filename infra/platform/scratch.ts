/**
 * Folders that synth writes for the CDK to stage as assets (the bundled schedule starter, the Spark
 * runtime's zip). The CDK copies an asset into the cloud assembly (`cdk.out/asset.<hash>`) as the construct
 * is created, so these folders are of no use once the process ends: they are removed then, instead of one
 * pair more being left in the temporary folder by every synth, deploy and diff.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

function removeAll(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A new, private (mode 0700) folder under the temporary folder, removed when the process exits. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  if (made.push(dir) === 1) process.once('exit', removeAll);
  return dir;
}
