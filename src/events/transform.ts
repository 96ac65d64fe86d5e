/**
 * What a rule target receives for an event: the fixed `Input`, the result of its
 * `InputTransformer`, or else the whole event. Used by the local simulator's event
 * bus and by tests, so both deliver what EventBridge would.
 *
 * Input transformer rules followed: each `<variable>` of the template is the value
 * at its `InputPathsMap` path; inside a quoted string of the template the raw text
 * is inserted (not escaped, as EventBridge does), elsewhere the JSON value; a path
 * missing from the event inserts nothing inside a string and `null` elsewhere.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
import type { RuleTarget } from '../build/types.ts';

export type InputTransformer = NonNullable<RuleTarget['InputTransformer']>;

/** The input text `target` is invoked with for `event`. */
export function targetInput(target: RuleTarget, event: unknown): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputTransformer) return applyInputTransformer(target.InputTransformer, event);
  return JSON.stringify(event);
}

/** Renders the template of `transformer` for `event`. */
export function applyInputTransformer(transformer: InputTransformer, event: unknown): string {
  const { InputPathsMap: paths, InputTemplate: template } = transformer;
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i] ?? '';
    const close = c === '<' ? template.indexOf('>', i) : -1;
    const name = close > i ? template.slice(i + 1, close) : undefined;
    const path = name === undefined ? undefined : paths[name];
    if (path !== undefined) {
      const value = readPath(event, path);
      out += inString ? rawText(value) : JSON.stringify(value ?? null);
      i = close;
    } else if (c === '\\' && inString) {
      out += c + (template[i + 1] ?? '');
      i++;
    } else {
      if (c === '"') inString = !inString;
      out += c;
    }
  }
  return out;
}

/** Reads a JSONPath of dotted names and `[n]` indexes (`$.detail.items[0].id`). */
export function readPath(root: unknown, path: string): unknown {
  if (path === '$') return root;
  const steps = path.replace(/^\$\.?/, '').match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let node = root;
  for (const step of steps) {
    if (node === null || typeof node !== 'object') return undefined;
    const index = /^\[(\d+)\]$/.exec(step);
    node = index ? (Array.isArray(node) ? node[Number(index[1])] : undefined) : (node as Record<string, unknown>)[step];
  }
  return node;
}

function rawText(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
