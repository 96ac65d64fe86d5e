/**
 * Environments that can meet in one account. Every name lakestep gives starts
 * with the environment's prefix, then the use case: `<prefix>-<use-case>-…`
 * (src/naming.ts). That is injective inside one environment, but not across
 * two whose prefixes nest: with `acme` and `acme-dev` (the example's dev
 * environment), use case `dev` of `acme` names `acme-dev-x-y` the state
 * machine of its dag `x-y`, which is the name of dag `y` of use case `x` in
 * `acme-dev`. Whichever deploys first keeps the name and the other's deploy
 * fails: one team could block another's. So in a tree whose platform files
 * give prefixes `P` and `P-R…`, the use case named `R` (the first
 * `-`-separated part) is reserved in every environment, as the use cases
 * are shared by all of them. Two environments of different known accounts
 * never meet.
 */
import type { Report } from '../diagnostics.ts';
import type { SpecTree } from '../spec/discover.ts';
import { overlayPath } from '../spec/environment.ts';
import { parseSpecFile } from '../spec/files.ts';
import type { PlatformSpec } from '../spec/types.ts';
import { PLATFORM_DEFAULTS } from './platform.ts';

/** The names one platform file's environment deploys under: its prefix, account and region (`env` undefined for platform.yaml alone). */
export interface EnvironmentNames {
  env: string | undefined;
  file: string;
  prefix: string;
  account: string | undefined;
  region: string;
}

/** As the schema allows it (platform.schema.json `prefix`); a value it refuses is reported where that file is loaded. */
const PREFIX = /^[a-z][a-z0-9-]{0,11}$/;

/**
 * The names of every environment of the tree: platform.yaml's, and each overlay's over it. An overlay is read only
 * for its `prefix`, `account` and `region`, and a value that is not one (a broken or hostile file) counts as absent.
 */
export function environmentNames(tree: Pick<SpecTree, 'platform' | 'overlays'>, base: PlatformSpec): EnvironmentNames[] {
  const prefix = PREFIX.test(String(base.prefix)) ? base.prefix! : PLATFORM_DEFAULTS.prefix;
  const account = typeof base.account === 'string' ? base.account : undefined;
  const region = typeof base.region === 'string' ? base.region : PLATFORM_DEFAULTS.region;
  const out: EnvironmentNames[] = [{ env: undefined, file: tree.platform?.path ?? 'platform.yaml', prefix, account, region }];
  for (const [env, src] of [...tree.overlays].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const value = parseSpecFile(src).value;
    const own = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    out.push({
      env,
      file: src.path,
      prefix: typeof own.prefix === 'string' && PREFIX.test(own.prefix) ? own.prefix : prefix,
      account: typeof own.account === 'string' ? own.account : account,
      region: typeof own.region === 'string' ? own.region : region,
    });
  }
  return out;
}

/** Two environments meet unless both name their account and the accounts differ (no account: the credentials' at deploy time). */
const mayShareAccount = (a: EnvironmentNames, b: EnvironmentNames) => a.account === undefined || b.account === undefined || a.account === b.account;

const whose = (e: EnvironmentNames) => (e.env === undefined ? `platform.yaml ('${e.prefix}')` : `environment '${e.env}' (${e.file}: '${e.prefix}')`);

/**
 * USE_CASE_RESERVED at each use case whose names would fall under another environment's prefix, once per use case
 * (the environments it meets listed). The error quarantines that use case only, in every environment.
 */
export function checkEnvironmentNames(envs: readonly EnvironmentNames[], useCases: readonly { name: string; firstFile: string }[], report: Report): void {
  const meets = new Map<string, [EnvironmentNames, EnvironmentNames][]>();
  for (const a of envs) {
    for (const b of envs) {
      if (a === b || !b.prefix.startsWith(`${a.prefix}-`) || !mayShareAccount(a, b)) continue;
      const name = b.prefix.slice(a.prefix.length + 1).split('-')[0]!;
      meets.set(name, [...(meets.get(name) ?? []), [a, b]]);
    }
  }
  for (const uc of useCases) {
    const pairs = meets.get(uc.name);
    if (!pairs) continue;
    const [a, b] = pairs[0]!;
    const also = pairs.length > 1 ? ` (and ${pairs.length - 1} more such pair${pairs.length > 2 ? 's' : ''} of environments)` : '';
    report.error(
      'USE_CASE_RESERVED',
      `use case '${uc.name}' names its dags' state machines '${a.prefix}-${uc.name}-<dag>' under ${whose(a)}, which are names of ${whose(b)}${also}, in an account they may share: its dag 'x-y' would take the name of dag 'y' of a use case 'x' there. Rename the use-case folder, or give ${b.env === undefined ? 'platform.yaml' : overlayPath(b.env)} a prefix that does not begin with '${a.prefix}-'`,
      { file: uc.firstFile, line: 1, column: 1, pointer: '' },
      uc.name,
    );
  }
}
