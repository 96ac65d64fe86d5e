/**
 * The supported Node.js (package.json `engines.node`, also stated in the README)
 * is accepted by the `engines.node` of every package `npm ci` installs, so a
 * dependency upgrade that needs a newer Node.js fails here instead of printing
 * an EBADENGINE warning on install. A package that asks for more than it uses
 * is listed in NEEDS_NEWER with what it needs and how lakestep provides it.
 * @see https://docs.npmjs.com/cli/v11/configuring-npm/package-json#engines
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };
const oldest = semver.minVersion(pkg.engines.node)!.version;

/**
 * Packages whose `engines` ask for a newer Node.js than they use. Pinned by version:
 * an upgrade comes back here for review.
 */
const NEEDS_NEWER: Record<string, { version: string; newerApis: string[]; why: string }> = {
  // Only 3.0.0 is published; its build calls Promise.withResolvers (Node 22), which src/simulator/polyfill.ts
  // adds before the library loads, and AbortSignal.any, which Node has had since 20.3.
  'aws-local-stepfunctions': { version: '3.0.0', newerApis: ['Promise.withResolvers'], why: 'polyfilled in src/simulator/polyfill.ts' },
};

/** Built-ins added after Node.js 20, by how they are called. */
const NODE_22_APIS = ['Promise.withResolvers', 'Object.groupBy', 'Map.groupBy', 'Array.fromAsync', 'Iterator.from', 'process.getBuiltinModule', 'Promise.try', 'RegExp.escape', 'URL.parse', 'Float16Array', 'Error.isError', '.isSubsetOf(', '.symmetricDifference('];

describe('Node.js engines', () => {
  it(`every installed package accepts the oldest supported Node.js (${oldest}), or is listed with what it needs`, () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, entry]) => {
        const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        if (range === undefined || semver.satisfies(oldest, range)) return [];
        return [`${path.slice(path.lastIndexOf('node_modules/') + 13)}@${entry.version} (node ${range})`];
      });
    const listed = Object.entries(NEEDS_NEWER).map(([name, n]) => `${name}@${n.version} (node ${lock.packages[`node_modules/${name}`]?.engines && (lock.packages[`node_modules/${name}`]!.engines as { node: string }).node})`);
    expect(refusing).toEqual(listed);
  });

  it('a listed package uses no Node 22 built-in beyond the ones lakestep provides, and those are provided', async () => {
    await import('../../src/simulator/polyfill.ts');
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
