/**
 * Reading a specs tree never blocks and never leaves it: FIFOs, devices,
 * dangling and looping links and links out of the tree are skipped and named.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpecTree } from '../../src/cli/spec-reader.ts';
import { sparkUseCase } from '../compile/support.ts';
import { folder, runCli } from './support.ts';

describe('readSpecTree', () => {
  it('skips what it must not read and compiles the rest', async () => {
    const dir = folder({ 'specs/sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract' }]), 'specs/sales/sql/ok.sql': 'SELECT 1' });
    const specs = join(dir, 'specs');
    execFileSync('mkfifo', [join(specs, 'sales/fifo.yaml')]);
    symlinkSync('/dev/urandom', join(specs, 'sales/sql/random.sql'));
    symlinkSync('/etc/passwd', join(specs, 'sales/sql/evil.sql'));
    symlinkSync(join(specs, 'nowhere.yaml'), join(specs, 'sales/dangling.yaml'));
    symlinkSync(join(specs, 'sales/loop-b.yaml'), join(specs, 'sales/loop-a.yaml'));
    symlinkSync(join(specs, 'sales/loop-a.yaml'), join(specs, 'sales/loop-b.yaml'));
    mkdirSync(join(specs, 'sales/nested'));
    symlinkSync(join(specs, 'sales'), join(specs, 'sales/nested/up'));
    symlinkSync(join(specs, 'sales/sql/ok.sql'), join(specs, 'sales/sql/alias.sql'));
    const r = readSpecTree(specs);
    expect(r.files.map((f) => f.path).sort()).toEqual(['sales/orchestration.yaml', 'sales/sql/alias.sql', 'sales/sql/ok.sql']);
    expect(r.skipped.map((s) => s.path).sort()).toEqual(['sales/dangling.yaml', 'sales/fifo.yaml', 'sales/loop-a.yaml', 'sales/loop-b.yaml', 'sales/nested/up', 'sales/sql/evil.sql', 'sales/sql/random.sql']);
    const run = await runCli(['compile', 'specs', '--out', 'build'], dir);
    expect(run.code).toBe(0);
    expect(run.err).toContain('lakestep: skipped specs/sales/sql/evil.sql: a link out of the specs folder');
  });
});
