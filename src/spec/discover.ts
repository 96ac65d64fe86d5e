/**
 * Groups the files of a specs tree into the platform file and use cases:
 * `platform.yaml` at the root, one folder per use case holding
 * `orchestration.yaml`, its phase files and `sql/`.
 */
import type { Report } from '../diagnostics.ts';
import type { SourceFile } from './files.ts';
import { RESERVED_USE_CASE_NAMES } from '../naming.ts';
import { overlayEnvironment } from './environment.ts';

export interface UseCaseFiles {
  name: string;
  /** YAML files by path relative to the use-case folder (`orchestration.yaml`, `ingestion-nightly.yaml`). */
  yaml: Map<string, SourceFile>;
  /** Other files (SQL) by path relative to the use-case folder. */
  other: Map<string, SourceFile>;
}

/** A path of the specs tree the reader left out, and why (src/cli/spec-reader.ts). */
export interface SkippedEntry {
  /** Path relative to the specs root, `/`-separated. */
  path: string;
  /** `SPEC_LINK_FOLDER`, `SPEC_LINK_OUTSIDE`, `SPEC_LINK_LOOP`, `SPEC_LINK_DANGLING`, `SPEC_NOT_REGULAR_FILE`, `SPEC_FILE_TOO_LARGE`. */
  code: string;
  reason: string;
}

export interface SpecTree {
  platform?: SourceFile;
  /** Environment overlays `platform.<env>.yaml`, by environment name (src/spec/environment.ts). */
  overlays: Map<string, SourceFile>;
  useCases: UseCaseFiles[];
}

/**
 * Use-case names hold no `-`: `<prefix>-<use-case>-<dag>` then always splits back
 * into one use case and one dag, so no two dags of two use cases share a name.
 */
const USE_CASE_NAME = /^[a-z][a-z0-9]*$/;

/**
 * Pure: the CLI reads the files, this sorts them out. Output order is by use-case name.
 * What the reader left out is a warning at its path, in the use case whose folder holds it.
 */
export function discover(files: readonly SourceFile[], report: Report, skipped: readonly SkippedEntry[] = []): SpecTree {
  for (const s of skipped) {
    const slash = s.path.indexOf('/');
    report.warning(s.code, `'${s.path}' is not read: ${s.reason}`, at(s.path), slash === -1 ? undefined : s.path.slice(0, slash));
  }
  const tree: SpecTree = { useCases: [], overlays: new Map() };
  const byName = new Map<string, UseCaseFiles>();
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const slash = f.path.indexOf('/');
    if (slash === -1) {
      const env = overlayEnvironment(f.path);
      if (f.path === 'platform.yaml') tree.platform = f;
      else if (env) tree.overlays.set(env, f);
      else if (isYaml(f.path)) report.warning('SPEC_STRAY_FILE', `'${f.path}' is ignored: only platform.yaml and environment overlays platform.<env>.yaml belong at the root; use cases live in folders`, at(f.path));
      continue;
    }
    const name = f.path.slice(0, slash);
    const rel = f.path.slice(slash + 1);
    let uc = byName.get(name);
    if (!uc) {
      uc = { name, yaml: new Map(), other: new Map() };
      byName.set(name, uc);
    }
    (isYaml(rel) && !rel.includes('/') ? uc.yaml : uc.other).set(rel, f);
  }
  for (const uc of byName.values()) {
    if (!USE_CASE_NAME.test(uc.name)) {
      report.error('USE_CASE_NAME', `use-case folder '${uc.name}' must match ${USE_CASE_NAME.source}: lowercase letters and digits, no '-' (it becomes part of resource names, where '-' separates it from the dag)`, at(useCaseFirstFile(uc)), uc.name);
    } else if (RESERVED_USE_CASE_NAMES.has(uc.name)) {
      report.error('USE_CASE_RESERVED', `'${uc.name}' is a name the platform itself uses (${[...RESERVED_USE_CASE_NAMES].join(', ')}); choose another use-case folder name`, at(useCaseFirstFile(uc)), uc.name);
    }
    if (!uc.yaml.has('orchestration.yaml')) {
      const first = [...uc.yaml.keys(), ...uc.other.keys()][0] ?? '';
      report.error('USE_CASE_NO_ORCHESTRATION', `use case '${uc.name}' has no orchestration.yaml`, at(`${uc.name}/${first}`), uc.name);
    }
    tree.useCases.push(uc);
  }
  return tree;
}

/** The file a diagnostic about the use case as a whole points at: its first YAML file (or other file). */
export function useCaseFirstFile(uc: UseCaseFiles): string {
  const first = [...uc.yaml.keys()].sort()[0] ?? [...uc.other.keys()].sort()[0] ?? '';
  return `${uc.name}/${first}`;
}

function isYaml(p: string): boolean {
  return p.endsWith('.yaml') || p.endsWith('.yml');
}

function at(file: string) {
  return { file, line: 1, column: 1, pointer: '' };
}
