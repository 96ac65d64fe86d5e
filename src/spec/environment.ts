/**
 * Environments: one specs tree, several deployments. `platform.<env>.yaml` next
 * to `platform.yaml` overlays it for `--env <env>`: mappings merge key by key,
 * anything else (scalars, lists) replaces the base value. The use cases never
 * change; everything an environment varies (prefix, account, region, buckets,
 * tables, network, notifications, tags, schedules on or off) is platform
 * settings, resolved into absolute names when the environment's build is compiled.
 */
import type { PlatformSpec } from './types.ts';

/** Environment names: they become part of file names and of the `{env}` name token. */
export const ENV_NAME = /^[a-z][a-z0-9-]{0,15}$/;

/** `platform.<env>.yaml` → `<env>`; undefined for any other root file. */
export function overlayEnvironment(path: string): string | undefined {
  const m = /^platform\.([^./]+)\.ya?ml$/.exec(path);
  return m && ENV_NAME.test(m[1]!) ? m[1] : undefined;
}

/** The overlay file of an environment. */
export function overlayPath(env: string): string {
  return `platform.${env}.yaml`;
}

type Json = Record<string, unknown>;

const isMapping = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The base settings with the overlay on top (neither is modified). */
export function mergePlatform(base: PlatformSpec, overlay: PlatformSpec): PlatformSpec {
  return merge(base as Json, overlay as Json) as PlatformSpec;
}

function merge(base: Json, overlay: Json): Json {
  // Spec keys never meet a prototype (`__proto__`, `constructor`).
  const out: Json = Object.create(null) as Json;
  for (const [k, v] of Object.entries(base)) out[k] = v;
  for (const [k, v] of Object.entries(overlay)) {
    const b = out[k];
    out[k] = isMapping(b) && isMapping(v) ? merge(b, v) : v;
  }
  return out;
}
