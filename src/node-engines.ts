/**
 * The packages `npm ci` installs whose `engines.node` asks for a newer Node.js
 * than lakestep supports (package.json `engines`), and how lakestep makes each
 * safe: the built-ins newer than Node.js 20 its code calls, and what provides
 * them. Read by test/ci/node-engines.test.ts, which proves each entry against
 * the installed code, and by the bench, which prints the clean-install status.
 * @see https://docs.npmjs.com/cli/v11/configuring-npm/package-json#engines
 */
import semver from 'semver';

export interface NewerEngine {
  /** The one version this entry vouches for: an upgrade comes back for review. */
  version: string;
  /** Built-ins newer than Node.js 20 that its code calls (each of {@link NODE_22_APIS}). */
  newerApis: string[];
  /** What provides them on Node.js 20. */
  providedBy: string;
}

/** Packages that ask for more than they use, by name. */
export const NEEDS_NEWER: Record<string, NewerEngine> = {
  // Only 3.0.0 is published; its build calls Promise.withResolvers (Node 22), which the polyfill adds before
  // the library loads, and AbortSignal.any, which Node has had since 20.3.
  'aws-local-stepfunctions': { version: '3.0.0', newerApis: ['Promise.withResolvers'], providedBy: 'src/simulator/polyfill.ts' },
};

/** Built-ins added after Node.js 20, by how code calls them. */
export const NODE_22_APIS = ['Promise.withResolvers', 'Object.groupBy', 'Map.groupBy', 'Array.fromAsync', 'Iterator.from', 'process.getBuiltinModule', 'Promise.try', 'RegExp.escape', 'URL.parse', 'Float16Array', 'Error.isError', '.isSubsetOf(', '.symmetricDifference('];

/** An installed package whose `engines.node` rejects a Node.js version. */
export interface EngineRefusal {
  name: string;
  version: string;
  range: string;
  /** Listed in {@link NEEDS_NEWER} for this very version. */
  listed: boolean;
}

interface Lockfile {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
}

/** The packages of a package-lock.json whose `engines.node` does not accept `node` (a version such as `20.19.0`). */
export function refusingPackages(lock: Lockfile, node: string): EngineRefusal[] {
  return Object.entries(lock.packages)
    .filter(([path]) => path !== '')
    .flatMap(([path, entry]) => {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (range === undefined || semver.satisfies(node, range)) return [];
      const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      const version = entry.version ?? '';
      return [{ name, version, range, listed: NEEDS_NEWER[name]?.version === version }];
    });
}
