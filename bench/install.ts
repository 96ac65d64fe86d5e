/**
 * Clean install, printed by the startup section: whether `npm ci` on the supported Node.js prints an
 * EBADENGINE warning, from the facts: the packages of package-lock.json whose
 * `engines.node` rejects the running Node.js and the oldest supported one
 * (package.json `engines`), each with whether it is covered — listed in
 * src/node-engines.ts for this version, calling no newer built-in than the ones
 * listed, those provided once the listed polyfill has loaded, and both named in
 * the README. Target: every refusal covered (the EBADENGINE line it prints is
 * then the documented one).
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { NEEDS_NEWER, NODE_22_APIS, refusingPackages, type EngineRefusal } from '../src/node-engines.ts';
import { table } from './harness.ts';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

/** Why a refusal is not covered, or undefined when it is. */
async function uncovered(r: EngineRefusal, readme: string): Promise<string | undefined> {
  const need = NEEDS_NEWER[r.name];
  if (!need || !r.listed) return `not listed in src/node-engines.ts for ${r.version}`;
  const manifest = JSON.parse(read(`node_modules/${r.name}/package.json`)) as { version: string; module?: string; main?: string };
  if (manifest.version !== r.version) return `installed ${manifest.version}, locked ${r.version}`;
  const code = read(`node_modules/${r.name}/${manifest.module ?? manifest.main ?? 'index.js'}`);
  const extra = NODE_22_APIS.filter((api) => code.includes(api) && !need.newerApis.includes(api));
  if (extra.length) return `calls ${extra.join(', ')}, not provided`;
  await import(`../${need.providedBy}`);
  const missing = need.newerApis.filter((api) => typeof api.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], globalThis) !== 'function');
  if (missing.length) return `${missing.join(', ')} missing after ${need.providedBy}`;
  if (!readme.includes(r.name) || !readme.includes(need.providedBy)) return 'not documented in the README';
  return undefined;
}

/** Prints the clean-install facts and status through `out`. */
export async function installStatus(out: (line: string) => void): Promise<void> {
  const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
  const lock = JSON.parse(read('package-lock.json')) as Parameters<typeof refusingPackages>[0];
  const readme = read('README.md');
  const oldest = semver.minVersion(pkg.engines.node)!.version;
  const running = process.version.slice(1);
  const rows: string[][] = [];
  let open = 0;
  for (const [label, node] of [[`running ${running}`, running], [`oldest supported ${oldest}`, oldest]] as const) {
    const refusals = refusingPackages(lock, node);
    if (refusals.length === 0) rows.push([label, '(none)', '', 'no EBADENGINE']);
    for (const r of refusals) {
      const why = await uncovered(r, readme);
      if (why) open++;
      rows.push([label, `${r.name}@${r.version}`, `node ${r.range}`, why ? `NOT covered: ${why}` : `covered: ${NEEDS_NEWER[r.name]!.newerApis.join(', ')} from ${NEEDS_NEWER[r.name]!.providedBy}`]);
    }
  }
  out(`package.json engines.node ${pkg.engines.node}; ${Object.keys(lock.packages).length - 1} locked packages`);
  for (const l of table(['node', 'package refusing it', 'its engines', 'status'], rows)) out(`  ${l}`);
  out(`clean install: every EBADENGINE covered by a documented polyfill (target) — ${open === 0 ? 'met' : `NOT met (${open} not covered)`}`);
}
