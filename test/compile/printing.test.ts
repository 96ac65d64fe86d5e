/**
 * Printing diagnostics is safe and linear: spec text cannot drive the terminal
 * or forge a line, and 40,000 diagnostics of one file print without re-reading
 * the file for each.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeForTerminal, formatDiagnostic, type Diagnostic } from '../../src/diagnostics.ts';

/** Terminal-active characters among ordinary ones. */
const CHARS = fc.oneof(fc.constantFrom('\u001b', '\r', '\n', '\u2028', '\u2029', '\u202e', '\u2066', '\u0007', '\u009b', '\u007f', '\ufeff', '\t'), fc.constantFrom('a', ' ', ':', '"', 'é', '😀', '[', '2J'));

const at = (line: number, column: number, message = 'm'): Diagnostic => ({ code: 'X', severity: 'error', message, file: 'a/b.yaml', line, column, pointer: '' });

describe('formatDiagnostic', () => {
  it('never prints a control character, a line separator or a bidi override from spec text', () => {
    fc.assert(
      fc.property(fc.string({ unit: CHARS, maxLength: 40 }), fc.string({ unit: CHARS, maxLength: 20 }), (line, message) => {
        const printed = formatDiagnostic(at(1, 1, message), line);
        expect(printed).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
        // Exactly three lines: head, source, caret — nothing forged in between.
        expect(printed.split('\n')).toHaveLength(line.split(/\r?\n/)[0] === undefined ? 1 : 3);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('keeps the caret under the column after escapes and masks', () => {
    const line = 'k: "\u001b[2J", pw: --password hunter2 x';
    const printed = formatDiagnostic(at(1, line.indexOf('x') + 1), line).split('\n');
    expect(printed[1]).toContain('--password ****');
    expect(printed[2]!.indexOf('^') - printed[2]!.indexOf('|')).toBe(printed[1]!.lastIndexOf('x') - printed[1]!.indexOf('|'));
    expect(escapeForTerminal('\u001b\r\u2028')).toBe('\\x1b\\x0d\\u2028');
  });

  it('prints 40,000 diagnostics of one large file in well under a second each thousand', () => {
    const text = Array.from({ length: 40_000 }, (_, i) => `key${i}: value`).join('\n');
    const started = performance.now();
    for (let i = 1; i <= 40_000; i++) formatDiagnostic(at(i, 1), text);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
