/**
 * `${Name}` is how compiled artifacts mark values infra fills at deploy time
 * (CloudFormation `DefinitionSubstitutions`). The same text in a spec would be
 * substituted too — an argument `${Account}` would silently become the account
 * id — so spec strings may not contain `${Name}`.
 */
import type { Report } from '../diagnostics.ts';
import { joinPointer, locate, type SpecFile } from './files.ts';

/** What CloudFormation's definition substitutions would replace. */
const PLACEHOLDER = /\$\{[A-Za-z0-9_]+\}/;

export function checkReservedSyntax(file: SpecFile, report: Report): void {
  const path: (string | number)[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.includes('${') && PLACEHOLDER.test(v)) {
        report.error('SPEC_RESERVED_SYNTAX', "'${Name}' is reserved for deployment placeholders and cannot appear in spec values", locate(file, joinPointer('', ...path)), file.useCase);
      }
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i]);
        path.pop();
      }
    } else if (v && typeof v === 'object') {
      for (const k in v) {
        path.push(k);
        walk((v as Record<string, unknown>)[k]);
        path.pop();
      }
    }
  };
  walk(file.value);
}
