/**
 * What a use case's result depends on outside its own files, as the answers to
 * the reads its normalization made of the platform index (src/ir/context.ts
 * {@link RecordingIndex}). A cached result is reused only while every read it
 * made answers the same on the index of this run: an upstream's dag, a table's
 * owner or columns, a share, a new use case naming the same secret — each
 * changes an answer, so it invalidates exactly the use cases that asked.
 */
import { canonical, digest } from './cache.ts';
import { entryDigest, type UseCaseScan } from './scan.ts';
import { allEntries, findTable, isCreated, platformDatabases, RecordingIndex, type PlatformIndex } from '../ir/context.ts';
import { taskUsers } from '../ir/datasync.ts';
import { readersOf } from '../ir/shared-secrets.ts';

/** Read key → the answer's fingerprint. */
export type Reads = Record<string, string>;

/**
 * The print of a run's index: every answer {@link ReadAnswers} gives is a function of the platform (its
 * database owners among it), each use case's index entry and its ownership claims (which decide the tables'
 * owners and which tables are created), so two runs whose prints are equal answer every read alike.
 * `platformKey` covers the platform; `scans` are the use cases in index order.
 */
export function indexPrint(platformKey: string, scans: readonly Pick<UseCaseScan, 'name' | 'entryDigest' | 'ownershipDigest'>[]): string {
  return digest(platformKey, ...scans.flatMap((s) => [s.name, s.entryDigest, s.ownershipDigest]));
}

/** Answers the reads of one run's index, each computed once. */
export class ReadAnswers {
  private readonly memo = new Map<string, string>();

  /** `digests`: each use case's {@link entryDigest}, made when it was scanned. */
  constructor(
    private readonly index: PlatformIndex,
    private readonly digests: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** The fingerprint of the answer to `key` on this index. */
  answer(key: string): string {
    let a = this.memo.get(key);
    if (a === undefined) {
      a = this.compute(key);
      this.memo.set(key, a);
    }
    return a;
  }

  /** Fingerprints of every key in `keys`. */
  answers(keys: Iterable<string>): Reads {
    const out: Reads = {};
    for (const k of [...keys].sort()) out[k] = this.answer(k);
    return out;
  }

  /** True when every read of `reads` still answers the same. */
  unchanged(reads: Reads): boolean {
    for (const [k, v] of Object.entries(reads)) if (this.answer(k) !== v) return false;
    return true;
  }

  private compute(key: string): string {
    const index = this.index;
    const colon = key.indexOf(':');
    const kind = colon < 0 ? key : key.slice(0, colon);
    const arg = colon < 0 ? '' : key.slice(colon + 1);
    switch (kind) {
      case 'uc': {
        const known = this.digests.get(arg);
        if (known !== undefined) return known;
        const e = Map.prototype.get.call(index, arg) as ReturnType<PlatformIndex['get']>;
        return e ? entryDigest(e) : '-';
      }
      case 'names':
        return digest([...Map.prototype.keys.call(index)].join('\n'));
      case '*':
        return digest(canonical([...allEntries(index)]));
      case 'table':
        return digest(JSON.stringify(findTable(index, arg) ?? null));
      case 'created':
        return isCreated(index, arg) ? 'yes' : 'no';
      case 'databases':
        return digest([...platformDatabases(index)].sort().join('\n'));
      case 'datasync':
        return digest(taskUsers(index, arg).join('\n'));
      case 'secret':
        return digest(readersOf(index, arg).join('\n'));
      default:
        // A key this version does not know: never answer the same, so the result is recomputed.
        return `?${Math.random()}`;
    }
  }
}

/** Runs `fn` with the index noting its reads; returns them with `fn`'s result. */
export function recordReads<T>(index: PlatformIndex, fn: () => T): { value: T; keys: Set<string> } {
  const keys = new Set<string>();
  if (!(index instanceof RecordingIndex)) return { value: fn(), keys: new Set(['*']) };
  index.log = keys;
  try {
    return { value: fn(), keys };
  } finally {
    index.log = undefined;
  }
}
