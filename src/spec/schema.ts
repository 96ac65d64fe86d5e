/**
 * JSON Schema validation of spec files (ajv, all errors), mapped to positioned
 * diagnostics. The schemas in `schemas/` are also what editors use through
 * `# yaml-language-server: $schema=…`.
 * @see https://ajv.js.org/api.html#validation-errors
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Report } from '../diagnostics.ts';
import { SPEC_KINDS, type SpecKind } from './types.ts';
import { joinPointer, locate, type SpecFile } from './files.ts';
import { closest, suggestValue } from './suggest.ts';
import { compileValidators } from './schema-compile.ts';

export { schemaOf } from './schema-files.ts';

let validators: Record<SpecKind, ValidateFunction> | undefined;

function compiled(): Record<SpecKind, ValidateFunction> {
  return (validators ??= compileValidators());
}

/** Validates a parsed file against its kind's schema; returns false when invalid. */
export function validateSchema(file: SpecFile, kind: SpecKind, report: Report): boolean {
  return validateSchemaItems(file, kind, report, '').clean;
}

/**
 * Validates like {@link validateSchema} and says which items of the list at
 * `list` (e.g. `/dags`) the errors are in: `whole` is false only for errors
 * outside every item (an unknown top-level field does not count), so the caller
 * can go on checking the valid items and report their problems in the same run;
 * `clean` is true only without any error.
 */
export function validateSchemaItems(file: SpecFile, kind: SpecKind, report: Report, list: string): { whole: boolean; clean: boolean; badItems: Set<number> } {
  const { whole, clean, bad } = validateSchemaLists(file, kind, report, list ? [list] : []);
  return { whole, clean, badItems: new Set([...bad].map((p) => Number(p.slice(list.length + 1)))) };
}

/**
 * Like {@link validateSchemaItems} over several lists of one file (a phase
 * file's `/batch` and `/micro_batch`): `bad` holds the pointers of the items
 * with errors (`/batch/2`).
 */
export function validateSchemaLists(file: SpecFile, kind: SpecKind, report: Report, lists: readonly string[]): { whole: boolean; clean: boolean; bad: Set<string> } {
  const validate = compiled()[kind]!;
  const bad = new Set<string>();
  if (validate(file.value)) return { whole: true, clean: true, bad };
  let whole = true;
  const escaped = lists.map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const item = lists.length ? new RegExp(`^((?:${escaped.join('|')})/\\d+)(/|$)`) : undefined;
  for (const e of relevantErrors(validate.errors ?? [])) {
    const { code, message, pointer, atKey } = describe(e);
    report.error(code, message, locate(file, pointer, atKey), file.useCase);
    const m = item?.exec(e.instancePath);
    if (m) bad.add(m[1]!);
    // An unknown top-level field changes nothing the checks read: the rest of the file is still checked.
    else if (!(e.keyword === 'additionalProperties' && e.instancePath === '')) whole = false;
  }
  return { whole, clean: false, bad };
}

/**
 * Drops `oneOf`/`anyOf` summaries when a more precise error points inside them,
 * and `if` summaries ("must match \"then\" schema"), which only repeat that the
 * errors of their `then`/`else` branch exist.
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    if ((e.keyword === 'oneOf' || e.keyword === 'anyOf') && errors.some((o) => o !== e && o.instancePath.startsWith(e.instancePath) && o.keyword !== e.keyword)) {
      return false;
    }
    if (e.keyword === 'if' && errors.some((o) => o !== e && o.keyword !== 'if' && o.instancePath.startsWith(e.instancePath))) return false;
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describe(e: ErrorObject): { code: string; message: string; pointer: string; atKey: boolean } {
  const where = e.instancePath || '(top level)';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String(p.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      const hint = closest(field, allowed);
      // `{type: decimal(12,2)}` in flow style: YAML splits at the comma and `2)` becomes a key.
      const split = /^[^(]*\)$/.test(field) ? '; a value with a comma inside {…} or […] must be quoted, e.g. "decimal(12,2)"' : '';
      return {
        code: 'SCHEMA_UNKNOWN_FIELD',
        message: `unknown field '${field}'${hint ? ` (did you mean '${hint}'?)` : ''}${split}; allowed: ${allowed.join(', ')}`,
        pointer: joinPointer(e.instancePath, field),
        atKey: true,
      };
    }
    case 'required':
      return { code: 'SCHEMA_REQUIRED', message: `missing required field '${String(p.missingProperty)}' in ${where}`, pointer: e.instancePath, atKey: false };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      // A typo, or a word cut short (`ingest` for `ingestion`).
      const value = typeof e.data === 'string' ? e.data : undefined;
      const hint = value === undefined ? undefined : suggestValue(value, allowed);
      return {
        code: 'SCHEMA_ENUM',
        message: `${where} must be one of: ${allowed.join(', ')}${hint ? ` (did you mean '${hint}'?)` : ''}`,
        pointer: e.instancePath,
        atKey: false,
      };
    }
    case 'type':
      return { code: 'SCHEMA_TYPE', message: `${where} must be ${String(p.type)}`, pointer: e.instancePath, atKey: false };
    case 'pattern': {
      const desc = (e.parentSchema as { description?: string })?.description;
      return {
        code: 'SCHEMA_PATTERN',
        message: `${where} must match ${String(p.pattern)}${desc ? ` (${firstSentence(desc)})` : ''}`,
        pointer: e.instancePath,
        atKey: false,
      };
    }
    default:
      return { code: `SCHEMA_${e.keyword.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase()}`, message: `${where} ${e.message ?? 'is invalid'}`, pointer: e.instancePath, atKey: false };
  }
}

/** The first sentence of a description; `e.g.` and `i.e.` do not end one. */
function firstSentence(text: string): string {
  const m = /^(.*?)(?<!\be\.g|\bi\.e)\.(\s|$)/s.exec(text);
  return m ? m[1]! : text;
}
