/**
 * The hook of .pre-commit-hooks.yaml run by pre-commit itself (pinned, test/setup/requirements-precommit.txt):
 * its manifest is valid, and `pre-commit try-repo` runs it as a repository of specs would, on the files
 * pre-commit selects and passes — the staged ones, or `--files` — against the lakestep that repository
 * installed (node_modules/lakestep, here this checkout).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let preCommit: string;
/** try-repo commits a checkout with uncommitted changes into a shadow copy: an identity for a machine without one. */
const IDENTITY = { GIT_AUTHOR_NAME: 'ci', GIT_AUTHOR_EMAIL: 'ci@acme.example', GIT_COMMITTER_NAME: 'ci', GIT_COMMITTER_EMAIL: 'ci@acme.example' };
/** pre-commit's own cache, apart from the user's. */
const home = mkdtempSync(join(tmpdir(), 'lakestep-pre-commit-home-'));

beforeAll(() => {
  const venv = execFileSync('bash', [join(root, 'test/setup/python-env.sh'), 'precommit'], { encoding: 'utf8' }).trim();
  preCommit = join(venv, 'bin/pre-commit');
});

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=ci@acme.example', '-c', 'user.name=ci', ...args], { cwd, stdio: 'ignore' });
}

/** A repository of specs (the example) that installed lakestep: node_modules/lakestep is this checkout. */
function specsRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lakestep-pre-commit-'));
  cpSync(join(root, 'specs'), join(dir, 'specs'), { recursive: true });
  writeFileSync(join(dir, 'README.md'), '# specs\n');
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(root, join(dir, 'node_modules/lakestep'));
  symlinkSync('../lakestep/bin/lakestep.mjs', join(dir, 'node_modules/.bin/lakestep'));
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'specs');
  return dir;
}

/** `pre-commit try-repo <this checkout> lakestep-validate ...`: the manifest's hook as a user's config would name it. */
function tryHook(cwd: string, ...args: string[]): { status: number; out: string } {
  return tryRepo(cwd, 'lakestep-validate', ...args);
}

function tryRepo(cwd: string, hook: string, ...args: string[]): { status: number; out: string } {
  const r = spawnSync(preCommit, ['try-repo', root, hook, '--verbose', ...args], { cwd, encoding: 'utf8', env: { ...process.env, PRE_COMMIT_HOME: home, NO_COLOR: '1', ...IDENTITY } });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describe('the pre-commit hook', () => {
  it('has a manifest pre-commit accepts', () => {
    const r = spawnSync(preCommit, ['validate-manifest', join(root, '.pre-commit-hooks.yaml')], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('passes the files pre-commit selects to lakestep validate, which checks them in their tree', () => {
    const dir = specsRepo();
    const ok = tryHook(dir, '--files', 'specs/orders/orchestration.yaml', 'specs/payments/sql/settlement_daily.sql', 'README.md');
    expect(ok.out).toMatch(/lakestep validate\.+Passed/);
    expect(ok.out).toContain('✓ specs/orders/orchestration.yaml\n✓ specs/payments/sql/settlement_daily.sql\n');
    expect(ok.out).toContain('2 of 25 files, 0 error(s), 0 warning(s)');
    expect(ok.status).toBe(0);
    // Nothing under specs/: pre-commit does not run it.
    expect(tryHook(dir, '--files', 'README.md').out).toMatch(/lakestep validate\.+\(no files to check\)Skipped/);
  });

  it('fails the commit on a broken staged file, with its file, line and column', () => {
    const dir = specsRepo();
    const processing = join(dir, 'specs/orders/processing.yaml');
    writeFileSync(processing, `${readFileSync(processing, 'utf8')}  - [unclosed\n`);
    git(dir, 'add', 'specs/orders/processing.yaml');
    const r = tryHook(dir);
    expect(r.out).toMatch(/lakestep validate\.+Failed/);
    expect(r.out).toMatch(/^specs\/orders\/processing\.yaml:\d+:\d+ error YAML_/m);
    expect(r.out).toContain('✘ specs/orders/processing.yaml');
    expect(r.status).toBe(1);
  });

  it('misses a deletion that breaks another use case, which the tree hook catches', () => {
    const dir = specsRepo();
    // orders waits for customers/customers-ingestion: removing customers breaks orders.
    expect(readFileSync(join(dir, 'specs/orders/orchestration.yaml'), 'utf8')).toContain('customers/customers-ingestion');
    git(dir, 'rm', '-rq', 'specs/customers');
    const files = tryRepo(dir, 'lakestep-validate');
    expect(files.out).toMatch(/lakestep validate\.+\(no files to check\)Skipped/);
    expect(files.status).toBe(0);
    const tree = tryRepo(dir, 'lakestep-validate-tree');
    expect(tree.out).toMatch(/lakestep validate \(specs tree\)\.+Failed/);
    expect(tree.out).toMatch(/^specs\/orders\/orchestration\.yaml:\d+:\d+ error DAG_UNKNOWN_DEPENDENCY /m);
    expect(tree.status).toBe(1);
    // Nothing wrong: it passes, also on a commit that stages no spec file.
    git(dir, 'reset', '-q', '--hard');
    expect(tryRepo(dir, 'lakestep-validate-tree').out).toMatch(/lakestep validate \(specs tree\)\.+Passed/);
  });
});
