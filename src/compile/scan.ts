/**
 * The first per-use-case stage: parse its files, run the checks that need
 * nothing but the file itself (syntax, reserved names, secrets written in
 * clear), and extract what the platform-wide decisions need — its entry of the
 * index, its table-ownership claims and shares, its `depends_on` edges. The
 * result is plain data: an unchanged use case's scan comes from the cache
 * without parsing a file (src/compile/cache.ts).
 */
import { Report, type Diagnostic } from '../diagnostics.ts';
import { canonical, digest } from './cache.ts';
import type { UseCaseIndexEntry } from '../ir/context.ts';
import { dependencyEdges, indexUseCase, type DependencyEdge } from '../ir/index-platform.ts';
import { ownershipFacts, type OwnershipFacts } from '../ir/ownership.ts';
import type { Platform } from '../ir/types.ts';
import type { UseCaseFiles } from '../spec/discover.ts';
import { parseSpecFile, type SpecFile } from '../spec/files.ts';
import { checkReservedSyntax, checkReservedText } from '../spec/reserved.ts';
import { checkSecrets, checkTextSecrets } from '../spec/secrets-check.ts';

export interface UseCaseScan {
  name: string;
  entry: UseCaseIndexEntry;
  /** Digest of {@link entry}: the answer to a read of this use case's entry (src/compile/reads.ts). */
  entryDigest: string;
  ownership: OwnershipFacts;
  /** Digest of {@link ownership}: with {@link entryDigest}, what this use case adds to the index (src/compile/reads.ts `indexPrint`). */
  ownershipDigest: string;
  edges: DependencyEdge[];
  /** Digest of {@link edges}, for the whole-platform stages' memo (src/compile/cache.ts `CrossEntry`). */
  edgesDigest: string;
  /** What the file-level checks found. */
  diagnostics: Diagnostic[];
}

/** Parses the YAML files of a use case; the file-level checks report into `report` when given. */
export function parseUseCase(uc: UseCaseFiles, report?: Report): Map<string, SpecFile> {
  const files = new Map<string, SpecFile>();
  for (const [rel, src] of uc.yaml) {
    const f = parseSpecFile(src, uc.name);
    if (report) {
      f.diagnostics.forEach((d) => report.add(d));
      checkReservedSyntax(f, report);
      checkSecrets(f, report);
    }
    files.set(rel, f);
  }
  if (report) {
    for (const src of uc.other.values()) {
      checkTextSecrets(src, uc.name, report);
      checkReservedText(src, uc.name, report);
    }
  }
  return files;
}

export function scanUseCase(uc: UseCaseFiles, platform: Pick<Platform, 'buckets' | 'catalog'>): { scan: UseCaseScan; parsed: Map<string, SpecFile> } {
  const report = new Report();
  const parsed = parseUseCase(uc, report);
  const entry = indexUseCase(uc.name, parsed, platform);
  const ownership = ownershipFacts(uc, parsed, platform.catalog);
  const edges = dependencyEdges(uc.name, parsed.get('orchestration.yaml'));
  const scan: UseCaseScan = {
    name: uc.name,
    entry,
    entryDigest: entryDigest(entry),
    ownership,
    ownershipDigest: digest(canonical(ownership)),
    edges,
    edgesDigest: digest(canonical(edges)),
    diagnostics: report.diagnostics,
  };
  return { scan, parsed };
}

/** The fingerprint of an index entry, as a read of it answers. */
export function entryDigest(entry: UseCaseIndexEntry): string {
  return digest(canonical(entry));
}
