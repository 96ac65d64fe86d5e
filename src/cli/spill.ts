/**
 * Texts kept in a temporary file until they may be written (`compile --strict`, which writes nothing before
 * every use case is known to compile): memory holds where each one is, not its bytes, so a large platform's
 * build is never held whole. The file lives in a folder of its own under the system's temporary folder,
 * readable by its owner only, and goes with {@link SpillFile.close}.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class SpillFile {
  private readonly dir = mkdtempSync(join(tmpdir(), 'lakestep-spill-'));
  private readonly fd = openSync(join(this.dir, 'texts'), 'w+', 0o600);
  private size = 0;

  /** Writes `text` to the file (as UTF-8, without a copy of its own); the function returned reads it back. */
  keep(text: string): () => string {
    const length = Buffer.byteLength(text, 'utf8');
    const at = this.size;
    if (writeSync(this.fd, text, at, 'utf8') !== length) throw new Error('the temporary file of compile --strict could not be written whole');
    this.size += length;
    const fd = this.fd;
    return () => {
      const back = Buffer.allocUnsafe(length);
      for (let done = 0; done < back.length; ) {
        const n = readSync(fd, back, done, back.length - done, at + done);
        if (n === 0) throw new Error('the temporary file of compile --strict was cut short');
        done += n;
      }
      return back.toString('utf8');
    };
  }

  close(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
