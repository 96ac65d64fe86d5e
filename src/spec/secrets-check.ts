/**
 * The one pass that looks for clear-text secrets: every string, key and
 * number of every spec file, and every SQL file, whatever field it sits in —
 * so a new field can never be a way around the check.
 * See https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html
 */
import type { Report } from '../diagnostics.ts';
import { joinPointer, LineIndex, locate, locateInString, type SourceFile, type SpecFile } from './files.ts';
import { scanFlagList, scanPair, scanText } from './secrets.ts';

export const SECRET_CODE = 'SECRET_IN_CLEAR_TEXT';
const ADVICE = 'keep credentials in Secrets Manager and reference them by ARN';

/** Reports every clear-text secret in a parsed spec file, one diagnostic per value. */
export function checkSecrets(file: SpecFile, report: Report): void {
  const walk = (v: unknown, pointer: string, key: string | undefined): void => {
    if (typeof v === 'string' || typeof v === 'number') {
      const hit = (key === undefined ? (typeof v === 'string' ? scanText(v) : []) : scanPair(key, v))[0];
      if (hit) report.error(SECRET_CODE, `${hit.message}: ${ADVICE}`, typeof v === 'string' ? locateInString(file, pointer, hit.start) : locate(file, pointer), file.useCase);
    } else if (Array.isArray(v)) {
      const flagged = new Map(scanFlagList(v).map((f) => [f.index, f.message]));
      v.forEach((item, i) => {
        const p = joinPointer(pointer, i);
        const message = flagged.get(i);
        if (message !== undefined) report.error(SECRET_CODE, `${message}: ${ADVICE}`, locate(file, p), file.useCase);
        else walk(item, p, undefined);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        const p = joinPointer(pointer, k);
        const inKey = scanText(k)[0];
        if (inKey) report.error(SECRET_CODE, `${inKey.message}: ${ADVICE}`, locate(file, p, true), file.useCase);
        else walk(item, p, k);
      }
    }
  };
  walk(file.value, '', undefined);
}

/** Reports clear-text secrets in a SQL (or other text) file of a use case. */
export function checkTextSecrets(file: SourceFile, useCase: string, report: Report): void {
  const hits = scanText(file.text);
  if (hits.length === 0) return;
  const lines = new LineIndex(file.text);
  for (const h of hits) {
    const pos = lines.linePos(h.start);
    report.error(SECRET_CODE, `${h.message}: ${ADVICE}`, { file: file.path, line: pos.line, column: pos.col, pointer: '' }, useCase);
  }
}
