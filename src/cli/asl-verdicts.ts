/**
 * The definitions the simulator's validation accepted, kept from one run to the next: the
 * library's validator (asl-validator, inside aws-local-stepfunctions) compiles its JSON schemas
 * on every call, ~120 ms a definition — about 40 % of `npm start`'s CPU, and 10 minutes for the
 * 5,000 state machines of 1,000 use cases — while a definition's text gets the same verdict
 * every time from the same validator. `start`, `simulate` and `ui --simulation` validate a
 * definition once, then only its changes.
 *
 * One file per lakestep and library version, `node_modules/.cache/lakestep/asl-valid/<versions>.txt`,
 * the digest of a definition's text per line (SHA-256, `digest` of src/compile/cache.ts), of those that passed: a definition that failed is
 * checked again next time. Trusted as the compile cache is (src/cli/compile-cache.ts): whoever
 * can write it can write the build.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { digest } from '../compile/cache.ts';
import type { ValidDefinitions } from '../simulator/index.ts';
import { cacheRoot } from './compile-cache.ts';

/** Lines past which the file starts again from its most recent half. */
const KEPT = 50_000;

export interface StoredVerdicts extends ValidDefinitions {
  /** Appends the definitions added since the file was read. */
  save(): void;
}

/** The verdicts of the validator of this install (`dir`: where the files are, default under {@link cacheRoot}). */
export function aslVerdicts(dir = join(cacheRoot(), 'asl-valid')): StoredVerdicts {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; dependencies: Record<string, string> };
  const file = join(dir, `lakestep-${pkg.version}-aws-local-stepfunctions-${pkg.dependencies['aws-local-stepfunctions'] ?? 'unknown'}.txt`);
  let lines: string[] = [];
  try {
    lines = readFileSync(file, 'utf8').split('\n').filter((l) => /^[\w-]{27}$/.test(l));
  } catch {
    // Nothing validated yet.
  }
  if (lines.length > KEPT) {
    lines = lines.slice(-KEPT / 2);
    try {
      writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
    } catch {
      // Kept as it was: only a cost.
    }
  }
  const known = new Set(lines);
  const added: string[] = [];
  return {
    has: (text) => known.has(digest(text)),
    add: (text) => {
      const d = digest(text);
      if (!known.has(d)) known.add(d), added.push(d);
    },
    save: () => {
      if (!added.length) return;
      try {
        mkdirSync(dir, { recursive: true });
        appendFileSync(file, added.splice(0).map((d) => `${d}\n`).join(''));
      } catch {
        // A read-only install validates again next time.
      }
    },
  };
}
