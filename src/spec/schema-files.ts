/**
 * The JSON Schemas of the spec files, in `schemas/` (also what editors use
 * through `# yaml-language-server: $schema=…`).
 * @see https://json-schema.org/draft-07/json-schema-release-notes
 */
import { readFileSync } from 'node:fs';
import type { SpecKind } from './types.ts';

const schemaDir = new URL('./schemas/', import.meta.url);

/** The raw JSON Schema of a spec kind. */
export function schemaOf(kind: SpecKind): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`${kind}.schema.json`, schemaDir), 'utf8')) as Record<string, unknown>;
}
