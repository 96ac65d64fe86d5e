/**
 * Table ownership: every table belongs to one use case, and no other use case
 * writes or maintains it unless the owner shares it (`share:` in the owner's
 * orchestration.yaml). Read from the parsed (not yet validated) files, like the
 * platform index, so the owner is known even when a writer's file is broken.
 *
 * The source of truth is platform.yaml's `databases:`: a database declared
 * there belongs to its owner, and so does every table in it, whatever other
 * specs claim — a newcomer naming such a table is told it needs a share, and
 * the owner compiles as before, whichever way the use-case names sort.
 *
 * A table of an undeclared database belongs to the use case that creates it:
 * its migration (DDL) first, then an ingestion that creates it (`CREATE TABLE IF
 * NOT EXISTS` from declared columns), then a writer (ingestion or merge target),
 * then a maintainer. When two use cases tie, the one whose migration declares
 * the table's database owns it; otherwise the table has two owners, both are
 * told, and the way out is to declare the database's owner in platform.yaml.
 *
 * Every error lands on the use case that reaches into a table it does not own,
 * at the spec position of that target: the owner stays healthy.
 */
import { useCaseFirstFile, type UseCaseFiles } from '../spec/discover.ts';
import { joinPointer, locate, type SpecFile } from '../spec/files.ts';
import type { TableShare } from '../build/types.ts';
import type { ShareAccess } from '../spec/types.ts';
import { deadLetterOf } from './index-platform.ts';
import { sqlFileAccess } from './sql-access.ts';
import type { TableAccessKind } from './types.ts';
import type { Origin, Report } from '../diagnostics.ts';

/** What a use case does to a table, from the strongest claim of ownership to the weakest. */
const RANKS = ['migrates', 'creates', 'writes', 'maintains'] as const;
type Rank = (typeof RANKS)[number];

interface Claim {
  useCase: string;
  /** `database.table` as written. */
  fqn: string;
  rank: Rank;
  /** What the claimant needs the owner to share when it is not the owner. */
  need: ShareAccess;
  /** What it does, for messages: `writing`, `maintaining`, `dropping (statement 2 of orders/sql/x.sql)`. */
  what: string;
  origin: Origin;
  /** A table that goes with another claim of the same entry (a Kafka target's dead letters): never reported on its own. */
  follows?: true;
}

/** The access a claim needs on a table it does not own. */
const NEEDS: Record<Rank, ShareAccess> = { migrates: 'write', creates: 'write', writes: 'write', maintains: 'maintain' };

const DONE: Record<Rank, string> = { migrates: 'migrated', creates: 'created', writes: 'written', maintains: 'maintained' };

const WHAT: Record<Rank, string> = {
  migrates: 'migrating into',
  creates: 'writing',
  writes: 'writing',
  maintains: 'maintaining',
};

/** A SQL statement's access kinds → the rank it claims and the share it needs (strongest kind first). */
const SQL_CLAIMS: [TableAccessKind, Rank, ShareAccess, string][] = [
  ['drop', 'writes', 'drop', 'dropping'],
  ['alter', 'writes', 'alter', 'altering'],
  ['create', 'creates', 'write', 'creating'],
  ['update', 'writes', 'write', 'changing rows of'],
  ['write', 'writes', 'write', 'writing'],
  ['maintain', 'maintains', 'maintain', 'maintaining'],
];

const DEFAULT_FILE: Record<string, string> = { migration: 'migration.yaml', ingestion: 'ingestion.yaml', transformation: 'processing.yaml', maintenance: 'maintenance.yaml' };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const key = (fqn: string) => fqn.toLowerCase();

/** The phase files a use case's dags read, each once, with the dag type reading it. */
function phaseFiles(files: ReadonlyMap<string, SpecFile>): [string, SpecFile][] {
  const out = new Map<string, [string, SpecFile]>();
  const orch = files.get('orchestration.yaml')?.partial;
  for (const d of isObj(orch) ? list(orch.dags) : []) {
    if (d.spark || typeof d.type !== 'string' || !(d.type in DEFAULT_FILE)) continue;
    const path = typeof d.config === 'string' ? d.config : DEFAULT_FILE[d.type]!;
    const f = files.get(path);
    if (f && !out.has(`${d.type}:${path}`)) out.set(`${d.type}:${path}`, [d.type, f]);
  }
  return [...out.values()];
}

function claimsOf(useCase: string, type: string, file: SpecFile, ctx: ClaimContext): Claim[] {
  const v = file.partial;
  if (!isObj(v)) return [];
  const claims: Claim[] = [];
  const add = (fqn: unknown, rank: Rank, pointer: string, follows = false) => {
    if (typeof fqn === 'string' && fqn.includes('.')) claims.push({ useCase, fqn, rank, need: NEEDS[rank], what: WHAT[rank], origin: locate(file, pointer), ...(follows ? { follows: true as const } : {}) });
  };
  if (type === 'migration' && typeof v.database === 'string') {
    for (const [i, t] of list(v.tables).entries()) if (typeof t.name === 'string') add(`${v.database}.${t.name}`, 'migrates', `/tables/${i}/name`);
  }
  if (type === 'ingestion') {
    // A JDBC source creates its target from declared columns; a Kafka source always creates its target.
    for (const [i, b] of list(v.batch).entries()) add(b.target, Array.isArray(b.columns) && b.columns.length > 0 ? 'creates' : 'writes', `/batch/${i}/target`);
    for (const [i, s] of list(v.micro_batch).entries()) {
      add(s.target, 'creates', `/micro_batch/${i}/target`);
      add(deadLetterOf(s as Parameters<typeof deadLetterOf>[0]), 'creates', `/micro_batch/${i}/target`, true);
    }
  }
  if (type === 'transformation') {
    for (const [i, m] of list(v.merges).entries()) add(m.target, 'writes', `/merges/${i}/target`);
    for (const [i, f] of list(v.sql).entries()) {
      const sql = typeof f.file === 'string' ? ctx.other.get(f.file) : undefined;
      for (const [j, w] of (Array.isArray(f.writes) ? f.writes : []).entries()) add(w, 'creates', `/sql/${i}/writes/${j}`);
      if (sql === undefined) continue;
      for (const st of sqlFileAccess(sql.path, sql.text, ctx.catalog).statements) {
        for (const u of st.uses) {
          const claim = SQL_CLAIMS.find(([k]) => u.kinds.includes(k));
          if (!claim) continue;
          const [, rank, need, verb] = claim;
          claims.push({ useCase, fqn: `${u.table.database}.${u.table.table}`, rank, need, what: `${verb} (statement ${st.index} of ${u.origin.file})`, origin: u.origin });
        }
      }
    }
  }
  if (type === 'maintenance') for (const [i, t] of list(v.tables).entries()) add(t.table, 'maintains', `/tables/${i}/table`);
  return claims;
}

/**
 * A custom Spark job's declared `spark.writes` tables: what the job does inside is
 * unknown, so it may create them (Iceberg `CREATE TABLE IF NOT EXISTS`), and it
 * claims them as a creator — writing another use case's table still needs a share.
 */
function sparkClaims(useCase: string, orch: SpecFile | undefined): Claim[] {
  const v = orch?.partial;
  const claims: Claim[] = [];
  for (const [i, d] of (isObj(v) ? list(v.dags) : []).entries()) {
    const writes = isObj(d.spark) && Array.isArray(d.spark.writes) ? d.spark.writes : [];
    for (const [j, w] of writes.entries()) {
      if (typeof w !== 'string' || w.startsWith('s3://') || !w.includes('.')) continue;
      claims.push({ useCase, fqn: w, rank: 'creates', need: 'write', what: 'writing', origin: locate(orch!, `/dags/${i}/spark/writes/${j}`) });
    }
  }
  return claims;
}

/** What claims need besides the parsed phase files: the platform's catalog and the use case's SQL files. */
interface ClaimContext {
  catalog: string;
  other: ReadonlyMap<string, { path: string; text: string }>;
}

function migrationDatabases(files: ReadonlyMap<string, SpecFile>): Set<string> {
  const dbs = new Set<string>();
  for (const [type, f] of phaseFiles(files)) if (type === 'migration' && isObj(f.partial) && typeof f.partial.database === 'string') dbs.add(f.partial.database.toLowerCase());
  return dbs;
}

function sharesOf(orch: SpecFile | undefined): { share: TableShare; pointer: string }[] {
  const v = orch?.partial;
  if (!isObj(v)) return [];
  return list(v.share).flatMap((s, i) =>
    typeof s.table === 'string' && Array.isArray(s.with)
      ? [{ share: { table: s.table, with: s.with.filter((w): w is string => typeof w === 'string'), access: (Array.isArray(s.access) ? s.access : ['read']) as ShareAccess[] }, pointer: `/share/${i}` }]
      : [],
  );
}

/** platform.yaml's `databases:`, with the file to point at. */
export interface DeclaredOwners {
  owners: Readonly<Record<string, { owner: string }>>;
  /** platform.yaml parsed, read only to locate a diagnostic. */
  file?: () => SpecFile;
}

function declaredAt(declared: DeclaredOwners, db: string): string {
  if (!declared.file) return `its database '${db}' belongs to it in platform.yaml`;
  const o = locate(declared.file(), joinPointer('/databases', db));
  return `its database '${db}' belongs to it: ${o.file}:${o.line}:${o.column}`;
}

const where = (c: Claim) => `${c.origin.file}:${c.origin.line}:${c.origin.column}`;

/** A share a use case declares, with the positions its errors point at. */
interface ShareFact {
  share: TableShare;
  at: Origin;
  /** Position of each `with` entry. */
  withAt: Origin[];
}

/**
 * What one use case's files say about table ownership — its claims, the databases its migrations
 * declare, its shares — computed once per use case (SQL files analysed here) and kept as plain data,
 * so a cached scan of an unchanged use case serves the platform-wide decision (src/compile/cache.ts).
 */
export interface OwnershipFacts {
  useCase: string;
  claims: Claim[];
  homes: string[];
  shares: ShareFact[];
}

export function ownershipFacts(uc: UseCaseFiles, files: ReadonlyMap<string, SpecFile>, catalog = 'glue_catalog'): OwnershipFacts {
  const orch = files.get('orchestration.yaml');
  const claims = [...phaseFiles(files).flatMap(([type, f]) => claimsOf(uc.name, type, f, { catalog, other: uc.other })), ...sparkClaims(uc.name, orch)];
  const shares = sharesOf(orch).map(({ share, pointer }) => ({ share, at: locate(orch!, `${pointer}/table`), withAt: share.with.map((_, j) => locate(orch!, `${pointer}/with/${j}`)) }));
  return { useCase: uc.name, claims, homes: [...migrationDatabases(files)], shares };
}

/**
 * Decides the owner of every table the specs name, reports every write or
 * maintenance of another use case's table that its owner did not share, and
 * every share of a table the sharer does not own. Returns the owner by lower-cased
 * `database.table`, and the tables some use case creates.
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/sharing-catalog-resources.html
 */
export function checkTableOwnership(facts: readonly OwnershipFacts[], report: Report, declared: DeclaredOwners = { owners: {} }): { owners: Map<string, string>; created: Set<string> } {
  const claims = new Map<string, Claim[]>();
  const homes = new Map<string, Set<string>>();
  const shares = new Map<string, ShareFact[]>();
  for (const f of facts) {
    homes.set(f.useCase, new Set(f.homes));
    shares.set(f.useCase, f.shares);
    for (const c of f.claims) {
      const k = key(c.fqn);
      const list = claims.get(k);
      if (list) list.push(c);
      else claims.set(k, [c]);
    }
  }

  const owners = new Map<string, string>();
  for (const [fqn, cs] of claims) {
    const declaredOwner = declared.owners[fqn.split('.')[0]!]?.owner;
    if (declaredOwner !== undefined) {
      owners.set(fqn, declaredOwner);
      continue;
    }
    const best = cs.reduce<number>((b, c) => Math.min(b, RANKS.indexOf(c.rank)), RANKS.length);
    const top = cs.filter((c) => RANKS.indexOf(c.rank) === best);
    let candidates = [...new Set(top.map((c) => c.useCase))];
    if (candidates.length > 1) {
      const db = fqn.split('.')[0]!;
      const home = candidates.filter((u) => homes.get(u)!.has(db));
      if (home.length === 1) candidates = home;
    }
    if (candidates.length === 1) {
      owners.set(fqn, candidates[0]!);
      continue;
    }
    for (const c of top.filter((x) => !x.follows)) {
      const others = candidates.filter((u) => u !== c.useCase).map((u) => `'${u}' (${where(top.find((x) => x.useCase === u)!)})`);
      report.error(
        'TABLE_OWNER_CONFLICT',
        `'${c.fqn}' is ${DONE[RANKS[best]!]} by use case ${others.join(', ')} as well: a table has one owner; declare the owner of database '${fqn.split('.')[0]}' in platform.yaml (\`databases: {${fqn.split('.')[0]}: {owner: <use case>}}\`) and let it share the table with the other (\`share:\` in its orchestration.yaml)`,
        c.origin,
        c.useCase,
      );
    }
  }

  // A layer bucket keeps a table's files under `<database>/` and a use case's own files under `<use case>/`: a database
  // named after another use case would put the tables of its owner inside that use case's own prefix. The owner of
  // such a table is told, and the use case of that name compiles as before (a declared database whose owner is
  // another use case is that use case's error instead: src/ir/load-platform.ts).
  const useCases = new Set(facts.map((f) => f.useCase));
  for (const [fqn, cs] of claims) {
    const db = fqn.split('.')[0]!;
    const owner = owners.get(fqn);
    if (owner === undefined || owner === db || !useCases.has(db) || declared.owners[db] !== undefined) continue;
    for (const c of cs.filter((x) => x.useCase === owner && !x.follows)) {
      report.error(
        'DATABASE_NAMES_USE_CASE',
        `database '${c.fqn.split('.')[0]}' has the name of use case '${db}': its tables' files would lie under s3://<layer bucket>/${db}/, the own prefix of that use case, which may write anything there. Choose a database name that is no use case's name`,
        c.origin,
        c.useCase,
      );
    }
  }

  for (const [fqn, cs] of claims) {
    const owner = owners.get(fqn);
    if (owner === undefined) continue;
    // Where the owner's claim is, said only in an error (locating a declared owner parses platform.yaml again when it came from the cache).
    const ownedAt = () => {
      const ownerClaim = cs.find((c) => c.useCase === owner);
      const db = fqn.split('.')[0]!;
      return declared.owners[db] !== undefined || !ownerClaim ? declaredAt(declared, db) : `${DONE[ownerClaim.rank]} at ${where(ownerClaim)}`;
    };
    for (const c of cs) {
      if (c.useCase === owner || c.follows) continue;
      const need = c.need;
      const granted = (shares.get(owner) ?? []).some(({ share }) => key(share.table) === fqn && share.with.includes(c.useCase) && share.access.includes(need));
      if (granted) continue;
      report.error(
        'TABLE_NOT_OWNED',
        `${c.what} '${c.fqn}', a table of use case '${owner}' (${ownedAt()}), needs its owner to share it: \`share: [{table: ${c.fqn}, with: [${c.useCase}], access: [${need}]}]\` in ${owner}/orchestration.yaml`,
        c.origin,
        c.useCase,
      );
    }
  }

  for (const f of facts) {
    for (const { share, at, withAt } of f.shares) {
      const owner = owners.get(key(share.table)) ?? declared.owners[key(share.table).split('.')[0]!]?.owner;
      if (owner !== f.useCase) {
        const why = owner === undefined ? 'no use case of the platform creates it' : `it belongs to use case '${owner}'`;
        report.error('SHARE_NOT_OWNED', `'${share.table}' cannot be shared by this use case: ${why}; only the owner of a table shares it`, at, f.useCase);
      }
      for (const [j, w] of share.with.entries()) {
        if (w !== f.useCase && !shares.has(w)) report.warning('SHARE_UNKNOWN_USE_CASE', `'${w}' is not a use case of the platform`, withAt[j]!, f.useCase);
      }
    }
  }
  const created = new Set([...claims].filter(([, cs]) => cs.some((c) => c.rank === 'migrates' || c.rank === 'creates')).map(([fqn]) => fqn));
  return { owners, created };
}

/**
 * Warns at each `databases:` entry of platform.yaml whose owner is no use case of
 * the specs tree: its tables then belong to nobody here, and every use case that
 * writes them is told so. A use case named after a database platform.yaml gives
 * another use case is refused (USE_CASE_RESERVED): its own prefix
 * `s3://<layer bucket>/<name>/` would hold that database's tables.
 */
export function checkDatabaseOwners(platform: { databaseOwners: Readonly<Record<string, { owner: string }>> }, file: (() => SpecFile) | undefined, useCases: readonly UseCaseFiles[], report: Report): void {
  if (!file) return;
  const byName = new Map(useCases.map((u) => [u.name, u]));
  for (const [db, { owner }] of Object.entries(platform.databaseOwners)) {
    const named = byName.get(db);
    if (named && owner !== db) {
      report.error(
        'USE_CASE_RESERVED',
        `use case '${db}' has the name of database '${db}', which platform.yaml gives use case '${owner}': its own prefix s3://<layer bucket>/${db}/ would hold that database's tables. Rename the use-case folder`,
        { file: useCaseFirstFile(named), line: 1, column: 1, pointer: '' },
        db,
      );
    }
    if (byName.has(owner)) continue;
    report.warning('DATABASE_OWNER_UNKNOWN', `database '${db}' is declared to belong to '${owner}', which is not a use case of these specs: no use case may write its tables`, locate(file(), joinPointer('/databases', db, 'owner')));
  }
}
