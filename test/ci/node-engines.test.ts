/**
 * The supported Node.js (package.json `engines.node`, also stated in the README)
 * is accepted by the `engines.node` of every package `npm ci` installs, so a
 * dependency upgrade that needs a newer Node.js fails here instead of printing
 * an EBADENGINE warning on install. A package that asks for more than it uses
 * is listed in NEEDS_NEWER (src/node-engines.ts) with what it needs and how
 * lakestep provides it.
 * @see https://docs.npmjs.com/cli/v11/configuring-npm/package-json#engines
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { NEEDS_NEWER, NODE_22_APIS, refusingPackages } from '../../src/node-engines.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
const lock = JSON.parse(read('package-lock.json')) as Parameters<typeof refusingPackages>[0];
const oldest = semver.minVersion(pkg.engines.node)!.version;

describe('Node.js engines', () => {
  it(`every installed package accepts the oldest supported Node.js (${oldest}), or is listed with what it needs`, () => {
    const refusing = refusingPackages(lock, oldest).map((r) => `${r.name}@${r.version} (node ${r.range})`);
    const listed = Object.entries(NEEDS_NEWER).map(([name, n]) => `${name}@${n.version} (node ${lock.packages[`node_modules/${name}`]?.engines && (lock.packages[`node_modules/${name}`]!.engines as { node: string }).node})`);
    expect(refusing).toEqual(listed);
  });

  it('counts as listed only the listed version of a package', () => {
    const fake = (version: string) => ({ packages: { '': {}, 'node_modules/aws-local-stepfunctions': { version, engines: { node: '>=22.0.0' } }, 'node_modules/x/node_modules/y': { version: '1.0.0', engines: { node: '>=18' } } } });
    expect(refusingPackages(fake('3.0.0'), '20.19.0')).toEqual([{ name: 'aws-local-stepfunctions', version: '3.0.0', range: '>=22.0.0', listed: true }]);
    expect(refusingPackages(fake('3.0.1'), '20.19.0')).toEqual([{ name: 'aws-local-stepfunctions', version: '3.0.1', range: '>=22.0.0', listed: false }]);
    expect(refusingPackages(fake('3.0.0'), '22.0.0')).toEqual([]);
  });

  it('a listed package uses no Node 22 built-in beyond the ones lakestep provides, and those are provided', async () => {
    for (const n of Object.values(NEEDS_NEWER)) await import(`../../${n.providedBy}`);
    for (const [name, n] of Object.entries(NEEDS_NEWER)) {
      const manifest = JSON.parse(read(`node_modules/${name}/package.json`)) as { version: string; module: string };
      expect(manifest.version).toBe(n.version);
      const code = read(`node_modules/${name}/${manifest.module}`);
      expect(NODE_22_APIS.filter((api) => code.includes(api))).toEqual(n.newerApis);
      for (const api of n.newerApis) expect(typeof api.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], globalThis)).toBe('function');
    }
    expect(typeof AbortSignal.any).toBe('function');
  });

  it('the README states the same oldest Node.js as package.json', () => {
    expect(read('README.md')).toContain(`Node.js ≥ ${semver.minVersion(pkg.engines.node)!.major}.${semver.minVersion(pkg.engines.node)!.minor}`);
  });
});
