/**
 * Run templates in `spark.arguments`: `{{ ds }}`, `{{ ts }}`, `{{ run_id }}`,
 * `{{ dag }}`, `{{ use_case }}`. Anything else inside `{{ }}` is an error.
 */
import { RUN_TEMPLATES, type ArgPart, type RunTemplate } from '../ir/types.ts';

export type TemplateParse = { parts: ArgPart[] } | { error: string; offset: number };

/** Splits a string into literal text and run templates. */
export function parseTemplates(text: string): TemplateParse {
  const parts: ArgPart[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    const strayClose = text.indexOf('}}', i);
    if (strayClose !== -1 && (open === -1 || strayClose < open)) return { error: "'}}' without a matching '{{'", offset: strayClose };
    if (open === -1) {
      parts.push({ text: text.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: text.slice(i, open) });
    const close = text.indexOf('}}', open + 2);
    if (close === -1) return { error: "'{{' without a closing '}}'", offset: open };
    const name = text.slice(open + 2, close).trim();
    if (!(RUN_TEMPLATES as readonly string[]).includes(name)) {
      return { error: `unknown template '{{ ${name} }}'; use one of ${RUN_TEMPLATES.map((t) => `{{ ${t} }}`).join(', ')}`, offset: open };
    }
    parts.push({ template: name as RunTemplate });
    i = close + 2;
  }
  return { parts: mergeText(parts) };
}

function mergeText(parts: ArgPart[]): ArgPart[] {
  const out: ArgPart[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if ('text' in p && prev && 'text' in prev) prev.text += p.text;
    else if (!('text' in p) || p.text !== '') out.push(p);
  }
  return out.length ? out : [{ text: '' }];
}
