/**
 * Every installed package that has an install script is reviewed in package.json's
 * `allowScripts` (npm 11.16+ lists unreviewed ones after every install; a later npm
 * skips their scripts): a dependency upgrade that brings a new install script fails
 * here until someone decides whether it may run, and an entry no installed package
 * needs is dropped.
 * @see https://docs.npmjs.com/cli/v12/commands/npm-install-scripts
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));
const pkg = read('package.json') as { allowScripts?: Record<string, boolean> };
const lock = read('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };

/** Names of the installed packages with an install script (`node_modules/a/node_modules/b` → b). */
const withScripts = [...new Set(Object.entries(lock.packages).flatMap(([path, p]) => (p.hasInstallScript && path !== '' ? [path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)] : [])))].sort();

describe('install scripts', () => {
  it('each one of an installed package is allowed or denied in allowScripts, and no other package is named there', () => {
    expect(withScripts.length).toBeGreaterThan(0);
    expect(Object.keys(pkg.allowScripts ?? {}).sort()).toEqual(withScripts);
  });

  it('the bundler and the embedded database keep theirs; a banner is skipped', () => {
    expect(pkg.allowScripts).toMatchObject({ esbuild: true, 'classic-level': true, 'core-js-pure': false });
  });
});
