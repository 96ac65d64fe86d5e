/**
 * Reading a specs tree never blocks and never leaves it: FIFOs, devices,
 * dangling and looping links, links out of the tree and links to folders are
 * skipped and reported as warnings at their path.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifestDir } from '../../src/build/manifest-files.ts';
import { MAX_SPEC_FILE_BYTES, RACY_MS, readSpecTree, type SpecTreeMemo } from '../../src/cli/spec-reader.ts';
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
    expect(r.skipped.map((s) => `${s.path} ${s.code}`).sort()).toEqual([
      'sales/dangling.yaml SPEC_LINK_DANGLING',
      'sales/fifo.yaml SPEC_NOT_REGULAR_FILE',
      'sales/loop-a.yaml SPEC_LINK_LOOP',
      'sales/loop-b.yaml SPEC_LINK_LOOP',
      'sales/nested/up SPEC_LINK_FOLDER',
      'sales/sql/evil.sql SPEC_LINK_OUTSIDE',
      'sales/sql/random.sql SPEC_LINK_OUTSIDE',
    ]);
    const run = await runCli(['compile', 'specs', '--out', 'build'], dir);
    expect(run.code).toBe(0);
    expect(run.err).toContain("specs/sales/sql/evil.sql:1:1 warning SPEC_LINK_OUTSIDE 'sales/sql/evil.sql' is not read: a link out of the specs folder; only files inside it are read");
  });

  it('reads a linked use-case folder under its real name only, and says so', async () => {
    const dir = folder({
      'specs/payments/orchestration.yaml': sparkUseCase('payments@example.com', [{ name: 'settle' }]),
      'specs/orders/orchestration.yaml': sparkUseCase('orders@example.com', [{ name: 'report' }]),
    });
    // Sorted before `payments`, the link used to be read in its place: payments' workflows compiled as `aaa`, payments not at all.
    symlinkSync('payments', join(dir, 'specs/aaa'));
    const run = await runCli(['compile', 'specs', '--out', 'build'], dir);
    expect(run.code).toBe(0);
    expect(run.err).toContain("specs/aaa:1:1 warning SPEC_LINK_FOLDER 'aaa' is not read: a link to the folder 'payments', which is read under its own name only");
    const manifest = readManifestDir(join(dir, 'build'));
    expect(manifest.useCases.map((u) => u.name)).toEqual(['orders', 'payments']);
    expect(manifest.useCases.flatMap((u) => u.workflows.map((w) => w.stateMachineName))).toEqual(['lakestep-orders-report', 'lakestep-payments-settle']);
  });

  it('reads every file whole and alone, large and small, multi-byte characters and all', () => {
    const texts: Record<string, string> = {
      'specs/sales/a-large.sql': `-- é ✓ 🙂\n${'SELECT 1; -- café\n'.repeat(20_000)}`,
      'specs/sales/b-small.sql': 'SELECT 2',
      'specs/sales/c-empty.sql': '',
      'specs/sales/d-medium.sql': `-- ${'ü'.repeat(40_000)}\n`,
      'specs/sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract' }]),
    };
    const dir = folder(texts);
    const r = readSpecTree(join(dir, 'specs'));
    expect(r.files.map((f) => [f.path, f.text])).toEqual(Object.entries(texts).map(([p, t]) => [p.slice('specs/'.length), t]));
  });

  it('refuses a spec file past the size limit without reading it, and reads one at the limit', async () => {
    const dir = folder({ 'specs/sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract' }]) });
    const specs = join(dir, 'specs');
    // Sparse files: the limit is checked on the open file's size, before a byte is read.
    writeFileSync(join(specs, 'sales/huge.sql'), '');
    truncateSync(join(specs, 'sales/huge.sql'), MAX_SPEC_FILE_BYTES + 1);
    writeFileSync(join(specs, 'sales/limit.sql'), '');
    truncateSync(join(specs, 'sales/limit.sql'), MAX_SPEC_FILE_BYTES);
    writeFileSync(join(specs, 'sales/notes.txt'), 'not a spec');
    // Through a link inside the tree, the same limit on the same file.
    symlinkSync(join(specs, 'sales/huge.sql'), join(specs, 'sales/huge-link.sql'));
    symlinkSync(join(specs, 'sales/limit.sql'), join(specs, 'sales/limit-link.sql'));
    const r = readSpecTree(specs);
    expect(r.skipped.map((s) => `${s.path} ${s.code}`)).toEqual(['sales/huge-link.sql SPEC_FILE_TOO_LARGE', 'sales/huge.sql SPEC_FILE_TOO_LARGE']);
    expect(r.files.map((f) => [f.path, f.text.length])).toEqual([
      ['sales/limit-link.sql', MAX_SPEC_FILE_BYTES],
      ['sales/limit.sql', MAX_SPEC_FILE_BYTES],
      ['sales/orchestration.yaml', readFileSync(join(specs, 'sales/orchestration.yaml'), 'utf8').length],
    ]);
  });
});

describe('readSpecTree with a memo (the runs of --watch)', () => {
  /** A tree whose files were last written an hour ago: their times can no longer hide a later write. */
  const oldTree = () => {
    const dir = folder({ 'specs/sales/orchestration.yaml': 'owner: a\n', 'specs/sales/sql/a.sql': 'SELECT 1', 'specs/sales/sql/b.sql': 'SELECT 2' });
    const specs = join(dir, 'specs');
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const f of ['sales/orchestration.yaml', 'sales/sql/a.sql', 'sales/sql/b.sql']) utimesSync(join(specs, f), hourAgo, hourAgo);
    return { specs, hourAgo };
  };
  const texts = (r: ReturnType<typeof readSpecTree>) => Object.fromEntries(r.files.map((f) => [f.path, f.text]));
  const readAt = (memo: SpecTreeMemo, specs: string, f: string) => memo.get(join(specs, f))?.readAt;

  it('reads an unchanged file once, and again every file whose inode, size or times changed', () => {
    const { specs, hourAgo } = oldTree();
    const memo: SpecTreeMemo = new Map();
    const first = readSpecTree(specs, memo);
    expect(texts(first)).toEqual(texts(readSpecTree(specs)));
    const before = readAt(memo, specs, 'sales/sql/a.sql')!;
    // Same size and modification time, other content: its change time still tells (an editor that restores times).
    writeFileSync(join(specs, 'sales/sql/b.sql'), 'SELECT 3');
    utimesSync(join(specs, 'sales/sql/b.sql'), hourAgo, hourAgo);
    // Saved as a new file renamed over the old one, same size and times: another inode.
    writeFileSync(join(specs, 'sales/orchestration.yaml.new'), 'owner: b\n');
    utimesSync(join(specs, 'sales/orchestration.yaml.new'), hourAgo, hourAgo);
    renameSync(join(specs, 'sales/orchestration.yaml.new'), join(specs, 'sales/orchestration.yaml'));
    const second = readSpecTree(specs, memo);
    expect(texts(second)).toEqual({ 'sales/orchestration.yaml': 'owner: b\n', 'sales/sql/a.sql': 'SELECT 1', 'sales/sql/b.sql': 'SELECT 3' });
    expect(texts(second)).toEqual(texts(readSpecTree(specs)));
    // The unchanged file was taken from the memo, not read again.
    expect(readAt(memo, specs, 'sales/sql/a.sql')).toBe(before);
  });

  it('reads a file written just before its reading again on every run, until it is older than the clock can blur', () => {
    const { specs } = oldTree();
    writeFileSync(join(specs, 'sales/sql/a.sql'), 'SELECT 9');
    const memo: SpecTreeMemo = new Map();
    readSpecTree(specs, memo);
    const first = readAt(memo, specs, 'sales/sql/a.sql')!;
    const old = readAt(memo, specs, 'sales/sql/b.sql')!;
    while (Date.now() === first) {
      // the next reading must be at a later millisecond to tell a reading from the memo
    }
    readSpecTree(specs, memo);
    expect(readAt(memo, specs, 'sales/sql/a.sql')).toBeGreaterThan(first);
    expect(readAt(memo, specs, 'sales/sql/b.sql')).toBe(old);
    expect(RACY_MS).toBeGreaterThanOrEqual(1_000);
  });

  it('forgets removed files, and a file turned into a link or a FIFO is judged again as without a memo', () => {
    const { specs } = oldTree();
    const memo: SpecTreeMemo = new Map();
    readSpecTree(specs, memo);
    rmSync(join(specs, 'sales/sql/b.sql'));
    rmSync(join(specs, 'sales/sql/a.sql'));
    symlinkSync('/etc/passwd', join(specs, 'sales/sql/a.sql'));
    rmSync(join(specs, 'sales/orchestration.yaml'));
    execFileSync('mkfifo', [join(specs, 'sales/orchestration.yaml')]);
    const r = readSpecTree(specs, memo);
    expect(r.files).toEqual([]);
    expect(r.skipped.map((s) => `${s.path} ${s.code}`).sort()).toEqual(['sales/orchestration.yaml SPEC_NOT_REGULAR_FILE', 'sales/sql/a.sql SPEC_LINK_OUTSIDE']);
    expect([...memo.keys()]).toEqual([]);
  });
});
