/**
 * A diagnostic about one character of a value points at that character, in
 * folded (`>`) and literal (`|`) block scalars too (a JDBC query is usually one).
 */
import { describe, expect, it } from 'vitest';
import { locateInString, parseSpecFile } from '../../src/spec/files.ts';

const TEXT = 'a:\n  query: >-\n    SELECT x -- key\n    FROM t;\n\n    more\n  lit: |\n    one\n      two;\n    three\n';

/** The five source characters a diagnostic about value character `of` of `pointer` points at. */
function shown(pointer: string, of: string): string {
  const f = parseSpecFile({ path: 'f.yaml', text: TEXT });
  const value = (f.value as { a: Record<string, string> }).a[pointer.split('/').pop()!]!;
  const o = locateInString(f, pointer, value.indexOf(of));
  return TEXT.split('\n')[o.line - 1]!.slice(o.column - 1, o.column + 4);
}

describe('locateInString', () => {
  it.each([
    ['/a/query', '--', '-- ke'],
    ['/a/query', ';', ';'],
    ['/a/query', 'more', 'more'],
    ['/a/lit', ';', ';'],
    ['/a/lit', 'three', 'three'],
  ])('maps %s %j in a block scalar to its line and column', (pointer, of, want) => expect(shown(pointer, of)).toBe(want));
});
