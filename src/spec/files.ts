/**
 * A spec file: its text, its YAML document and a line counter, so any JSON
 * pointer can be turned into `line:column` when a diagnostic needs it.
 * @see https://eemeli.org/yaml/#documents
 */
import { parseDocument, isMap, isSeq, isScalar, isPair, visit, type Document, type Node } from 'yaml';
import type { Diagnostic, Origin } from '../diagnostics.ts';

export interface SourceFile {
  /** Path relative to the specs root, `/`-separated. */
  path: string;
  text: string;
}

/** Offset → 1-based line and column, computed from the text itself. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  linePos(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.starts[lo]! + 1 };
  }
}

export interface SpecFile extends SourceFile {
  doc: Document.Parsed;
  lines: LineIndex;
  /** Plain JS value of the document (undefined when it has syntax errors). */
  value: unknown;
  /**
   * Best-effort value even when the file has syntax errors, used only to index
   * dag and table names so that references into a broken file still resolve.
   */
  partial: unknown;
  /** Syntax errors and warnings found while parsing. */
  diagnostics: Diagnostic[];
  useCase?: string;
}

/** Parses one YAML file, keeping positions; YAML errors become `YAML_*` diagnostics. */
export function parseSpecFile(src: SourceFile, useCase?: string): SpecFile {
  const lines = new LineIndex(src.text);
  // logLevel 'error': the library's own position-less process warnings become diagnostics below.
  const doc = parseDocument(src.text, { prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const diagnostics: Diagnostic[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = lines.linePos(e.pos[0]);
    diagnostics.push({
      code: `YAML_${e.code}`,
      severity: doc.errors.includes(e as never) ? 'error' : 'warning',
      message: firstLine(e.message),
      file: src.path,
      line: pos.line,
      column: pos.col,
      pointer: '',
      ...(useCase === undefined ? {} : { useCase }),
    });
  }
  for (const offset of collectionKeys(doc)) {
    const pos = lines.linePos(offset);
    diagnostics.push({ code: 'YAML_COLLECTION_KEY', severity: 'error', message: 'a mapping key must be a plain value, not a list or a mapping', file: src.path, line: pos.line, column: pos.col, pointer: '', ...(useCase === undefined ? {} : { useCase }) });
  }
  let partial: unknown;
  try {
    partial = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Unresolved or exploding aliases: the library reports these only when converting.
    if (doc.errors.length === 0) {
      diagnostics.push({ code: 'YAML_ALIAS', severity: 'error', message: firstLine((e as Error).message), file: src.path, line: 1, column: 1, pointer: '', ...(useCase === undefined ? {} : { useCase }) });
    }
  }
  // An alias inside its own anchor (`&a [*a]`) converts to a cyclic value that no later stage could walk.
  if (partial !== undefined && src.text.includes('*') && isCyclic(partial)) {
    diagnostics.push({ code: 'YAML_ALIAS', severity: 'error', message: 'an alias refers to a node that contains it: the value would be infinite', file: src.path, line: 1, column: 1, pointer: '', ...(useCase === undefined ? {} : { useCase }) });
    partial = undefined;
  }
  const value = diagnostics.some((d) => d.severity === 'error') ? undefined : partial;
  return { ...src, doc, lines, value, partial, diagnostics, ...(useCase === undefined ? {} : { useCase }) };
}

/** Offsets of mapping keys that are lists or mappings (`? [a, b]: x`, `{[a]: 1}`), which JavaScript objects cannot hold. */
function collectionKeys(doc: Document.Parsed): number[] {
  const out: number[] = [];
  visit(doc, {
    Pair: (_, pair) => {
      if (isMap(pair.key) || isSeq(pair.key)) out.push((pair.key as Node).range?.[0] ?? 0);
    },
  });
  return out;
}

function isCyclic(root: unknown): boolean {
  const open = new Set<object>();
  const visit = (v: unknown): boolean => {
    if (!v || typeof v !== 'object') return false;
    if (open.has(v)) return true;
    open.add(v);
    const cyclic = Object.values(v).some(visit);
    open.delete(v);
    return cyclic;
  };
  return visit(root);
}

function firstLine(msg: string): string {
  return msg.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(s: string | number): string {
  return String(s).replaceAll('~', '~0').replaceAll('/', '~1');
}

export function joinPointer(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((s) => '/' + pointerSegment(s)).join('');
}

/**
 * Position of the node at `pointer` (or of its key, when `atKey`), falling back to
 * the closest existing ancestor so a diagnostic always has a real position.
 */
export function locate(file: SpecFile, pointer: string, atKey = false): Origin {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  let node: unknown = file.doc.contents;
  let offset = node && (node as Node).range ? (node as Node).range![0] : 0;
  for (const [i, seg] of segments.entries()) {
    const last = i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) break;
      const key = pair.key as Node;
      if (last && atKey && key.range) {
        offset = key.range[0];
        break;
      }
      node = pair.value;
      const r = (pair.value as Node | null)?.range ?? key.range;
      if (r) offset = r[0];
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (!item) break;
      node = item;
      if ((item as Node).range) offset = (item as Node).range![0];
    } else break;
  }
  const pos = file.lines.linePos(offset);
  return { file: file.path, line: pos.line, column: pos.col, pointer };
}

/**
 * Position of character `offset` of the string value at `pointer`: plain,
 * single- and double-quoted scalars are mapped through their escapes, so a
 * diagnostic about one character of a value points at that character.
 * Falls back to the value's own position (block scalars, aliases).
 * @see https://yaml.org/spec/1.2.2/#73-flow-scalar-styles
 */
export function locateInString(file: SpecFile, pointer: string, offset: number): Origin {
  const base = locate(file, pointer);
  const node = file.doc.getIn(pointerPath(pointer), true) as Node | undefined;
  if (!isScalar(node) || !node.range || typeof node.value !== 'string') return base;
  const [start, end] = node.range;
  const src = file.text.slice(start, end);
  let at: number | undefined;
  if (node.type === 'PLAIN' && src === node.value) at = start + offset;
  else if (node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') {
    const q = quotedOffset(src, node.type === 'QUOTE_DOUBLE', offset, node.value);
    at = q === undefined ? undefined : start + q;
  } else if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const b = blockOffset(src, node.value, offset);
    at = b === undefined ? undefined : start + b;
  }
  if (at === undefined) return base;
  const pos = file.lines.linePos(at);
  return { ...base, line: pos.line, column: pos.col };
}

/**
 * Source offset (from the block indicator) of value character `offset` of a
 * literal (`|`) or folded (`>`) block scalar: the value is walked beside its
 * content lines, a line break of the value (or the space a fold put in its
 * place) matching a line break of the source and the next line's indentation.
 * Undefined when the two cannot be aligned.
 */
function blockOffset(src: string, value: string, offset: number): number | undefined {
  const header = src.indexOf('\n');
  if (header === -1 || offset > value.length) return undefined;
  let si = header + 1;
  // The block's indentation is that of its first line with content.
  const indent = /^(?:[ \t]*\n)*( *)/.exec(src.slice(si))![1]!.length;
  const skipIndent = () => {
    for (let n = 0; n < indent && src[si] === ' '; n++) si++;
  };
  skipIndent();
  for (let vi = 0; vi < offset; vi++) {
    const c = value[vi]!;
    if (src[si] === c && c !== '\n') si++;
    else if ((c === '\n' || c === ' ') && src[si] === '\n') {
      // k line breaks of the value stand for k (literal) or k + 1 (folded) of the source; a fold's space for one.
      let k = 0;
      while (c === '\n' && value[vi + k] === '\n') k++;
      let m = 0;
      while (src[si] === '\n') {
        si++;
        m++;
        skipIndent();
        if (src[si] !== '\n' && /^[ \t]*\n/.test(src.slice(si))) si = src.indexOf('\n', si);
      }
      if (!(m === k || m === k + 1 || (c === ' ' && m === 1))) return undefined;
      vi += Math.max(k, 1) - 1;
    } else return undefined;
  }
  return si < src.length && src[si] === value[offset] ? si : undefined;
}

function pointerPath(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** Source offset (from the opening quote) of value character `offset`; undefined when the scalar spans lines. */
function quotedOffset(src: string, double: boolean, offset: number, value: string): number | undefined {
  if (src.includes('\n')) return undefined;
  let decoded = 0;
  let i = 1;
  while (i < src.length - 1 && decoded < offset) {
    if (double && src[i] === '\\') i += src[i + 1] === 'x' ? 4 : src[i + 1] === 'u' ? 6 : src[i + 1] === 'U' ? 10 : 2;
    else if (!double && src[i] === "'" && src[i + 1] === "'") i += 2;
    else i += src.codePointAt(i)! > 0xffff ? 2 : 1;
    decoded += 1;
  }
  return decoded === offset && offset <= value.length ? i : undefined;
}
