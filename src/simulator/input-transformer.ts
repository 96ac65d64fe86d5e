/**
 * EventBridge target input: `Input` (a constant JSON text), `InputTransformer`
 * (`InputPathsMap` + `InputTemplate`) or, by default, the whole event.
 *
 * Substitution follows the EventBridge rules: outside quotes a variable becomes its
 * JSON value (strings quoted); inside a quoted string, a string is inserted as is,
 * unescaped, and an object or array as its JSON text with the quotes removed; a path
 * that matches nothing gives `null` (empty inside quotes).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
import type { RuleTarget } from '../build/types.ts';

export interface TransformContext {
  ruleName: string;
  ruleArn: string;
}

/** The text EventBridge delivers to the target. */
export function targetInput(target: RuleTarget, event: Record<string, unknown>, ctx: TransformContext): string {
  if (target.Input !== undefined) return target.Input;
  if (!target.InputTransformer) return JSON.stringify(event);
  const { InputPathsMap, InputTemplate } = target.InputTransformer;
  const vars = new Map<string, unknown>();
  for (const [name, path] of Object.entries(InputPathsMap ?? {})) vars.set(name, readPath(event, path));
  const withoutDetail = Object.fromEntries(Object.entries(event).filter(([k]) => k !== 'detail'));
  vars.set('aws.events.rule-name', ctx.ruleName);
  vars.set('aws.events.rule-arn', ctx.ruleArn);
  vars.set('aws.events.event.ingestion-time', event.time);
  vars.set('aws.events.event', withoutDetail);
  vars.set('aws.events.event.json', event);
  const json = /^\s*[[{"]/.test(InputTemplate);
  let out = '';
  let inString = false;
  for (let i = 0; i < InputTemplate.length; i++) {
    const ch = InputTemplate[i] as string;
    if (ch === '<') {
      const close = InputTemplate.indexOf('>', i);
      const name = close > i ? InputTemplate.slice(i + 1, close) : '';
      if (vars.has(name) || Object.hasOwn(InputPathsMap ?? {}, name)) {
        out += render(vars.get(name), !json || inString);
        i = close;
        continue;
      }
    }
    if (ch === '"' && InputTemplate[i - 1] !== '\\') inString = !inString;
    out += ch;
  }
  return out;
}

function render(value: unknown, quoted: boolean): string {
  if (quoted) {
    if (value === undefined) return '';
    if (typeof value === 'string') return value;
    return JSON.stringify(value).replaceAll('"', '');
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** `$.a.b[0].c` (dot notation and indexes, as EventBridge supports). */
export function readPath(root: unknown, path: string): unknown {
  if (path === '$') return root;
  if (!path.startsWith('$.')) return undefined;
  let current: unknown = root;
  for (const part of path.slice(2).split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[m[1]] : undefined;
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) {
      current = Array.isArray(current) ? current[Number(idx[1])] : undefined;
    }
  }
  return current;
}
