/**
 * ASL templates: valid JSON files in `asl-templates/` with `${name}` parameters.
 * A string that is exactly `${name}` is replaced by the parameter's JSON value
 * (object, array, number, null); inside a longer string or a key, by its text.
 * Platform placeholders (`${EmrApplicationId}` …) pass through for infra to fill.
 */
import { readFileSync } from 'node:fs';
import { PLATFORM_PLACEHOLDERS } from '../build/types.ts';

const dir = new URL('../../asl-templates/', import.meta.url);
const cache = new Map<string, unknown>();
const PASS_THROUGH = new Set<string>(PLATFORM_PLACEHOLDERS);
const PARAM = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;

export type TemplateParams = Record<string, unknown>;

/** Loads `asl-templates/<name>.asl.json` (cached) and fills its parameters. */
export function template<T = unknown>(name: string, params: TemplateParams): T {
  let raw = cache.get(name);
  if (raw === undefined) {
    raw = JSON.parse(readFileSync(new URL(`${name}.asl.json`, dir), 'utf8'));
    cache.set(name, raw);
  }
  return fill(raw, params, name) as T;
}

function fill(node: unknown, params: TemplateParams, name: string): unknown {
  if (typeof node === 'string') return fillString(node, params, name);
  if (Array.isArray(node)) return node.map((n) => fill(n, params, name));
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[String(fillString(k, params, name, true))] = fill(v, params, name);
    return out;
  }
  return node;
}

function fillString(s: string, params: TemplateParams, name: string, asText = false): unknown {
  if (!s.includes('${')) return s;
  const whole = /^\$\{([A-Za-z][A-Za-z0-9_]*)\}$/.exec(s);
  if (whole && !asText && !PASS_THROUGH.has(whole[1]!)) return param(whole[1]!, params, name);
  return s.replace(PARAM, (m, key: string) => (PASS_THROUGH.has(key) ? m : String(param(key, params, name))));
}

function param(key: string, params: TemplateParams, name: string): unknown {
  if (!(key in params)) throw new Error(`asl-templates/${name}.asl.json: no value for \${${key}}`);
  return params[key];
}
