/**
 * Text that something downstream of the compiler would act on instead of
 * passing along:
 *
 * - `${Name}` is how compiled artifacts mark values infra fills at deploy time
 *   (CloudFormation `DefinitionSubstitutions`). The same text in a spec would be
 *   substituted too — an argument `${Account}` would silently become the account
 *   id — so spec strings may not contain `${Name}`.
 * - `{{resolve:service:key}}` is a CloudFormation dynamic reference: wherever it
 *   lands in a template (a state machine definition, a tag, an SNS endpoint),
 *   CloudFormation replaces it at deploy time with the value of an SSM parameter
 *   or a Secrets Manager secret, so a spec could copy any secret the deploying
 *   role can read into a place its author can see. Every string and key of every
 *   spec file, and every SQL file, is checked.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
 */
import type { Report } from '../diagnostics.ts';
import { joinPointer, LineIndex, locate, locateInString, type SourceFile, type SpecFile } from './files.ts';

/** What CloudFormation's definition substitutions would replace. */
const PLACEHOLDER = /\$\{[A-Za-z0-9_]+\}/;

/**
 * A dynamic reference in any spelling CloudFormation might still resolve. The
 * documented form is `{{resolve:`; spaces and other cases are refused as well
 * (cfn-lint's W1053 says spaced forms stay literal, but no spec needs them and
 * nothing here can prove what CloudFormation does with them).
 */
const DYNAMIC_REFERENCE = /\{\{\s*resolve\s*:/i;

export const DYNAMIC_REFERENCE_CODE = 'SPEC_DYNAMIC_REFERENCE';
const DYNAMIC_REFERENCE_MESSAGE =
  "'{{resolve:…}}' is a CloudFormation dynamic reference: CloudFormation would replace it at deploy time with an SSM parameter or a secret; spec values and SQL files cannot contain it";

export function checkReservedSyntax(file: SpecFile, report: Report): void {
  const path: (string | number)[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      const pointer = joinPointer('', ...path);
      if (v.includes('${') && PLACEHOLDER.test(v)) {
        report.error('SPEC_RESERVED_SYNTAX', "'${Name}' is reserved for deployment placeholders and cannot appear in spec values", locate(file, pointer), file.useCase);
      }
      const ref = v.includes('{{') ? DYNAMIC_REFERENCE.exec(v) : null;
      if (ref) report.error(DYNAMIC_REFERENCE_CODE, DYNAMIC_REFERENCE_MESSAGE, locateInString(file, pointer, ref.index), file.useCase);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i]);
        path.pop();
      }
    } else if (v && typeof v === 'object') {
      for (const k in v) {
        path.push(k);
        // Keys reach templates too (tag keys, table properties).
        if (k.includes('{{') && DYNAMIC_REFERENCE.test(k)) report.error(DYNAMIC_REFERENCE_CODE, DYNAMIC_REFERENCE_MESSAGE, locate(file, joinPointer('', ...path), true), file.useCase);
        walk((v as Record<string, unknown>)[k]);
        path.pop();
      }
    }
  };
  walk(file.value);
}

/** Reports dynamic references in a SQL (or other text) file of a use case, at each occurrence. */
export function checkReservedText(file: SourceFile, useCase: string, report: Report): void {
  if (!file.text.includes('{{')) return;
  const all = new RegExp(DYNAMIC_REFERENCE.source, 'gi');
  let lines: LineIndex | undefined;
  for (const m of file.text.matchAll(all)) {
    lines ??= new LineIndex(file.text);
    const pos = lines.linePos(m.index);
    report.error(DYNAMIC_REFERENCE_CODE, DYNAMIC_REFERENCE_MESSAGE, { file: file.path, line: pos.line, column: pos.col, pointer: '' }, useCase);
  }
}
