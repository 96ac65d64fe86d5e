/**
 * The JSON Schemas of the spec files: they compile in ajv strict mode, document
 * every property, accept exactly the shapes of `src/spec/types.ts`, accept every
 * example under `specs/`, and reject the invalid snippets below with the expected
 * keyword at the expected place.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ts from 'typescript';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SPEC_KINDS, type SpecKind } from '../../src/spec/types.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const schemaDir = join(root, 'src/spec/schemas');
const specsDir = join(root, 'specs');

type Schema = Record<string, any>;
const schemas = Object.fromEntries(
  SPEC_KINDS.map((k) => [k, JSON.parse(readFileSync(join(schemaDir, `${k}.schema.json`), 'utf8')) as Schema]),
) as Record<SpecKind, Schema>;

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = Object.fromEntries(SPEC_KINDS.map((k) => [k, ajv.compile(schemas[k])])) as Record<
  SpecKind,
  ValidateFunction
>;

/** The spec kind a dag type reads when it names its own `config:` file. */
const KIND_OF_DAG_TYPE: Record<string, SpecKind> = {
  migration: 'migration',
  ingestion: 'ingestion',
  transformation: 'processing',
  maintenance: 'maintenance',
};

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) return yamlFiles(p);
      return /\.ya?ml$/.test(n) ? [p] : [];
    });
}

/** Each example file with its kind: the base name, or the type of the dag whose `config:` names it. */
function exampleFiles(): { file: string; kind: SpecKind }[] {
  const files = yamlFiles(specsDir);
  const configKinds = new Map<string, SpecKind>();
  for (const f of files.filter((f) => basename(f) === 'orchestration.yaml')) {
    for (const dag of (parse(readFileSync(f, 'utf8'))?.dags ?? []) as { type: string; config?: string }[]) {
      const kind = KIND_OF_DAG_TYPE[dag.type];
      if (dag.config && kind) configKinds.set(join(dirname(f), dag.config), kind);
    }
  }
  return files.map((file) => {
    // Environment overlays (platform.<env>.yaml) are platform files.
    const base = basename(file).replace(/\.ya?ml$/, '').replace(/^platform\.[a-z][a-z0-9-]*$/, 'platform') as SpecKind;
    const kind = SPEC_KINDS.includes(base) ? base : configKinds.get(file);
    if (!kind) throw new Error(`${relative(root, file)}: no spec kind (not a kind name and no dag config names it)`);
    return { file, kind };
  });
}

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.keyword}: ${e.message}`).join('\n');
}

/**
 * Every schema with `properties` under `s`, with its JSON pointer. Walks the
 * subschema keywords only; `if`/`then` merely restate properties defined beside them.
 */
function* objectSchemas(s: unknown, at = '#'): Generator<[string, Schema]> {
  if (s === null || typeof s !== 'object') return;
  const schema = s as Schema;
  if (schema.properties) yield [at, schema];
  for (const key of ['properties', 'definitions'] as const) {
    for (const [k, v] of Object.entries((schema[key] ?? {}) as Record<string, unknown>)) {
      yield* objectSchemas(v, `${at}/${key}/${k}`);
    }
  }
  for (const key of ['items', 'additionalProperties'] as const) yield* objectSchemas(schema[key], `${at}/${key}`);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const [i, v] of ((schema[key] ?? []) as unknown[]).entries()) yield* objectSchemas(v, `${at}/${key}/${i}`);
  }
}

describe('spec schemas', () => {
  it.each(SPEC_KINDS)('%s: compiles in strict mode and names itself', (kind) => {
    const s = schemas[kind];
    expect(s.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(s.$id).toBe(`https://lakestep.dev/schemas/${kind}.schema.json`);
    expect(s.title).toMatch(/\S/);
    expect(typeof validators[kind]).toBe('function');
  });

  it.each(SPEC_KINDS)('%s: every property has a description; fixed-field objects reject unknown fields', (kind) => {
    const missing: string[] = [];
    for (const [at, s] of objectSchemas(schemas[kind])) {
      if (s.additionalProperties !== false) missing.push(`${at}: additionalProperties is not false`);
      for (const [name, p] of Object.entries(s.properties as Record<string, Schema>)) {
        if (typeof p?.description !== 'string' || p.description.length < 10) missing.push(`${at}/properties/${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('schemas match src/spec/types.ts', () => {
  const program = ts.createProgram([join(root, 'src/spec/types.ts')], { strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(join(root, 'src/spec/types.ts'))!;
  const kinds = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'SpecKinds',
  )!;
  const kindsType = checker.getTypeAtLocation(kinds);

  function resolve(schema: Schema, rootSchema: Schema): Schema {
    if (typeof schema.$ref === 'string') {
      const target = schema.$ref.replace('#/definitions/', '');
      return { ...resolve(rootSchema.definitions[target], rootSchema), ...schema, $ref: undefined };
    }
    // A value that is a text or an object (`schedule`): the object branch holds the fields.
    if (Array.isArray(schema.oneOf)) {
      const object = (schema.oneOf as Schema[]).map((b) => resolve(b, rootSchema)).find((b) => b.type === 'object');
      if (object) return object;
    }
    return schema;
  }

  /** Compares the object properties of a TS type with the schema, recursively; returns mismatches. */
  function compare(type: ts.Type, schema: Schema, rootSchema: Schema, at: string): string[] {
    const s = resolve(schema, rootSchema);
    const t = checker.getNonNullableType(type);
    if (checker.isArrayType(t)) {
      const [item] = checker.getTypeArguments(t as ts.TypeReference);
      return s.type === 'array' ? compare(item!, s.items, rootSchema, `${at}[]`) : [`${at}: array in types, not in schema`];
    }
    const parts = t.isUnion() ? t.types : [t];
    const objects = parts.filter((p) => p.flags & ts.TypeFlags.Object);
    if (objects.length === 0) return [];
    const props = new Map<string, boolean>();
    for (const o of objects) {
      for (const p of checker.getPropertiesOfType(o)) {
        const optional = (p.flags & ts.SymbolFlags.Optional) !== 0 || objects.length > 1;
        props.set(p.name, (props.get(p.name) ?? true) && !optional);
      }
    }
    if (props.size === 0) return s.type === 'object' && s.additionalProperties ? [] : [`${at}: map in types, not in schema`];
    const out: string[] = [];
    const schemaProps = (s.properties ?? {}) as Record<string, Schema>;
    const required = new Set<string>(s.required ?? []);
    for (const [name, req] of props) {
      if (!schemaProps[name]) out.push(`${at}.${name}: missing in schema`);
      else if (req !== required.has(name)) out.push(`${at}.${name}: required ${req} in types, ${!req} in schema`);
    }
    for (const name of Object.keys(schemaProps)) if (!props.has(name)) out.push(`${at}.${name}: missing in types`);
    for (const [name] of props) {
      const prop = objects.map((o) => checker.getPropertyOfType(o, name)).find(Boolean);
      if (prop && schemaProps[name]) {
        out.push(...compare(checker.getTypeOfSymbolAtLocation(prop, kinds), schemaProps[name], rootSchema, `${at}.${name}`));
      }
    }
    return out;
  }

  it.each(SPEC_KINDS)('%s: same fields, same required fields', (kind) => {
    const type = checker.getTypeOfSymbolAtLocation(kindsType.getProperty(kind)!, kinds);
    expect(compare(type, schemas[kind], schemas[kind], kind)).toEqual([]);
  });
});

describe('example specs', () => {
  const examples = exampleFiles();

  it('cover every kind', () => {
    expect(new Set(examples.map((e) => e.kind))).toEqual(new Set(SPEC_KINDS));
  });

  it.each(examples.map((e) => [relative(specsDir, e.file), e.kind, e.file] as const))(
    '%s validates as %s',
    (_name, kind, file) => {
      const text = readFileSync(file, 'utf8');
      const schemaPath = relative(dirname(file), join(schemaDir, `${kind}.schema.json`));
      expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${schemaPath}`);
      const ok = validators[kind](parse(text));
      expect(formatErrors(validators[kind].errors)).toBe('');
      expect(ok).toBe(true);
    },
  );
});

/** The example platform read as plain data, to check it is coherent as well as valid. */
function loadExample() {
  const read = (f: string) => parse(readFileSync(f, 'utf8')) as any;
  const useCases = readdirSync(specsDir)
    .filter((n) => statSync(join(specsDir, n)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(specsDir, name);
      const orchestration = read(join(dir, 'orchestration.yaml'));
      const dags = (orchestration.dags as any[]).map((dag) => {
        const file = dag.spark ? undefined : dag.config ?? `${KIND_OF_DAG_TYPE[dag.type]}.yaml`;
        return { ...dag, file, body: file ? read(join(dir, file)) : undefined };
      });
      return { name, dir, orchestration, dags };
    });
  return useCases;
}

describe('example platform is coherent', () => {
  const useCases = loadExample();
  const allDags = useCases.flatMap((uc) => uc.dags.map((d) => ({ uc, ...d })));
  const migrated = new Map<string, string>(); // db.table → use case/table
  const produced = new Set<string>();
  for (const d of allDags) {
    if (d.type === 'migration' && d.body) {
      for (const t of d.body.tables) migrated.set(`${d.body.database}.${t.name}`, `${d.uc.name}/${t.name}`);
    }
    if (d.type === 'ingestion' && d.body) {
      for (const s of [...(d.body.batch ?? []), ...(d.body.micro_batch ?? [])]) produced.add(s.target);
    }
  }
  const exists = (t: string) => migrated.has(t) || produced.has(t);

  it('has the four use cases, each with an orchestration file', () => {
    expect(useCases.map((u) => u.name)).toEqual(['clickstream', 'customers', 'orders', 'payments']);
  });

  it('uses every field of the orchestration format and every phase', () => {
    const used = new Set<string>();
    for (const uc of useCases) {
      for (const k of Object.keys(uc.orchestration)) used.add(k);
      for (const d of uc.orchestration.dags) {
        for (const [k, v] of Object.entries(d as Record<string, unknown>)) {
          used.add(`dag.${k}`);
          if (v && typeof v === 'object' && !Array.isArray(v)) for (const k2 of Object.keys(v)) used.add(`dag.${k}.${k2}`);
        }
      }
    }
    const fields: string[] = [];
    const dagSchema = schemas.orchestration.definitions.dag;
    for (const k of Object.keys(schemas.orchestration.properties)) fields.push(k);
    for (const [k, v] of Object.entries(dagSchema.properties as Record<string, Schema>)) {
      fields.push(`dag.${k}`);
      for (const k2 of Object.keys(v.properties ?? {})) fields.push(`dag.${k}.${k2}`);
    }
    expect(fields.filter((f) => !used.has(f))).toEqual([]);
    expect(new Set(allDags.map((d) => (d.spark ? 'spark' : d.type)))).toEqual(
      new Set(['migration', 'ingestion', 'transformation', 'maintenance', 'spark']),
    );
  });

  it('resolves every depends_on, config and sql file', () => {
    const names = new Set(allDags.map((d) => `${d.uc.name}/${d.name}`));
    const missing: string[] = [];
    for (const d of allDags) {
      for (const dep of d.depends_on ?? []) {
        const ref = dep.includes('/') ? dep : `${d.uc.name}/${dep}`;
        if (!names.has(ref)) missing.push(`${d.name} depends on ${dep}`);
      }
      for (const s of d.type === 'transformation' ? d.body?.sql ?? [] : []) {
        try {
          statSync(join(d.uc.dir, s.file));
        } catch {
          missing.push(`${d.name}: ${s.file}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('references only tables that are migrated or ingested', () => {
    const missing: string[] = [];
    for (const d of allDags) {
      const b = d.body;
      if (!b) continue;
      if (d.type === 'ingestion') {
        for (const s of b.micro_batch ?? []) {
          const w = s.start_from_watermark as string | undefined;
          if (w && ![...migrated.values()].includes(w.includes('/') ? w : `${d.uc.name}/${w}`)) missing.push(`${s.name}: ${w}`);
        }
      }
      if (d.type === 'transformation') {
        for (const m of b.merges ?? []) for (const t of [m.target, m.source]) if (!exists(t)) missing.push(`${d.name}: ${t}`);
      }
      if (d.type === 'maintenance') for (const t of b.tables) if (!exists(t.table)) missing.push(`${d.name}: ${t.table}`);
    }
    expect(missing).toEqual([]);
  });

  it('reads and writes only known tables in its SQL files', () => {
    const unknown: string[] = [];
    for (const uc of useCases) {
      const sqlDir = join(uc.dir, 'sql');
      let files: string[] = [];
      try {
        files = readdirSync(sqlDir).filter((f) => f.endsWith('.sql'));
      } catch {
        continue;
      }
      for (const f of files) {
        const sql = readFileSync(join(sqlDir, f), 'utf8').replace(/--.*$/gm, '');
        for (const m of sql.matchAll(/\b(?:FROM|JOIN|INTO|OVERWRITE|TABLE)\s+([a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*)/gi)) {
          if (!exists(m[1]!)) unknown.push(`${uc.name}/sql/${f}: ${m[1]}`);
        }
      }
    }
    expect(unknown).toEqual([]);
  });
});

const ARN_TASK = 'arn:aws:datasync:eu-west-1:123456789012:task/task-0123456789abcdef0';
const ARN_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:crm-db-AbCdEf';
const table = { name: 'orders', source: { hdfs_path: '/w/orders', format: 'parquet' }, datasync: { task_arn: ARN_TASK }, columns: [{ name: 'id', type: 'bigint' }] };
const batch = { name: 'crm', source: { engine: 'postgresql', secret_arn: ARN_SECRET, table: 'public.c' }, target: 'raw.c', mode: 'append' };
const kafka = { name: 'events', source: { bootstrap_servers_secret_arn: ARN_SECRET, topics: ['t'] }, target: 'raw.e' };
const dag = { name: 'd', type: 'ingestion' };

/** [kind, what, document, expected keyword, expected instancePath]. */
const INVALID: [SpecKind, string, unknown, string, string][] = [
  ['platform', 'unknown field', { prefix: 'acme', regoin: 'eu-west-1' }, 'additionalProperties', ''],
  ['platform', 'bucket given as URI', { buckets: { raw: 's3://acme-raw' } }, 'pattern', '/buckets/raw'],
  ['platform', 'bad release label', { emr: { release_label: '7.5.0' } }, 'pattern', '/emr/release_label'],
  ['platform', 'retries above 10', { defaults: { retries: 11 } }, 'maximum', '/defaults/retries'],
  ['platform', 'bad duration', { defaults: { timeout: '2 hours' } }, 'pattern', '/defaults/timeout'],
  ['platform', 'bad email', { notifications: { emails: ['ops at acme'] } }, 'pattern', '/notifications/emails/0'],
  ['platform', 'uppercase prefix', { prefix: 'ACME' }, 'pattern', '/prefix'],
  ['orchestration', 'missing owner', { dags: [dag] }, 'required', ''],
  ['orchestration', 'no dags', { owner: 'a@b.co', dags: [] }, 'minItems', '/dags'],
  ['orchestration', 'wrong dag type', { owner: 'a@b.co', dags: [{ name: 'd', type: 'etl' }] }, 'enum', '/dags/0/type'],
  ['orchestration', 'unknown dag field', { owner: 'a@b.co', dags: [{ ...dag, scheduel: 'rate(1 day)' }] }, 'additionalProperties', '/dags/0'],
  ['orchestration', 'uppercase dag name', { owner: 'a@b.co', dags: [{ ...dag, name: 'Orders' }] }, 'pattern', '/dags/0/name'],
  ['orchestration', 'dag name over 40', { owner: 'a@b.co', dags: [{ ...dag, name: 'a'.repeat(41) }] }, 'maxLength', '/dags/0/name'],
  ['orchestration', 'bad depends_on', { owner: 'a@b.co', dags: [{ ...dag, depends_on: ['a/b/c'] }] }, 'pattern', '/dags/0/depends_on/0'],
  ['orchestration', 'retries below 0', { owner: 'a@b.co', dags: [{ ...dag, retries: -1 }] }, 'minimum', '/dags/0/retries'],
  ['orchestration', 'bad timeout', { owner: 'a@b.co', dags: [{ ...dag, timeout: '1.5h' }] }, 'pattern', '/dags/0/timeout'],
  ['orchestration', 'max_active_runs 0', { owner: 'a@b.co', dags: [{ ...dag, max_active_runs: 0 }] }, 'minimum', '/dags/0/max_active_runs'],
  ['orchestration', 'max_active_runs above 10', { owner: 'a@b.co', dags: [{ ...dag, max_active_runs: 11 }] }, 'maximum', '/dags/0/max_active_runs'],
  ['orchestration', 'max_active_runs not whole', { owner: 'a@b.co', dags: [{ ...dag, max_active_runs: 1.5 }] }, 'type', '/dags/0/max_active_runs'],
  ['orchestration', 'max_active_runs as text', { owner: 'a@b.co', dags: [{ ...dag, max_active_runs: '1; DROP' }] }, 'type', '/dags/0/max_active_runs'],
  ['orchestration', 'entrypoint not s3', { owner: 'a@b.co', dags: [{ ...dag, spark: { entrypoint: '/jobs/a.py' } }] }, 'pattern', '/dags/0/spark/entrypoint'],
  ['orchestration', 'spark without entrypoint', { owner: 'a@b.co', dags: [{ ...dag, spark: { arguments: [] } }] }, 'required', '/dags/0/spark'],
  ['orchestration', 'callback not boolean', { owner: 'a@b.co', dags: [{ ...dag, notification: { on_failure_callback: 'yes' } }] }, 'type', '/dags/0/notification/on_failure_callback'],
  ['orchestration', 'config not yaml', { owner: 'a@b.co', dags: [{ ...dag, config: '../other.json' }] }, 'pattern', '/dags/0/config'],
  ['migration', 'missing tables', { database: 'raw_orders' }, 'required', ''],
  ['migration', 'concurrency above 40', { database: 'raw', max_concurrency: 41, tables: [table] }, 'maximum', '/max_concurrency'],
  ['migration', 'concurrency 0', { database: 'raw', max_concurrency: 0, tables: [table] }, 'minimum', '/max_concurrency'],
  ['migration', 'database not snake_case', { database: 'Raw-Orders', tables: [table] }, 'pattern', '/database'],
  ['migration', 'landing not s3', { database: 'raw', landing: 'acme-landing/orders', tables: [table] }, 'pattern', '/landing'],
  ['migration', 'wrong format', { database: 'raw', tables: [{ ...table, source: { hdfs_path: '/w', format: 'xml' } }] }, 'enum', '/tables/0/source/format'],
  ['migration', 'wrong layer', { database: 'raw', tables: [{ ...table, layer: 'gold' }] }, 'enum', '/tables/0/layer'],
  ['migration', 'bad task ARN', { database: 'raw', tables: [{ ...table, datasync: { task_arn: 'task-0abc' } }] }, 'pattern', '/tables/0/datasync/task_arn'],
  // Both a task and a location: MIGRATION_DATASYNC_FORM at compile time (test/compile/datasync.test.ts).
  ['migration', 'source_path with a filter wildcard', { database: 'raw', tables: [{ ...table, datasync: { task_arn: ARN_TASK, source_path: '/w/*' } }] }, 'pattern', '/tables/0/datasync/source_path'],
  ['migration', 'migration datasync without a task', { database: 'raw', datasync: {}, tables: [table] }, 'minProperties', '/datasync'],
  ['migration', 'empty datasync', { database: 'raw', tables: [{ ...table, datasync: {} }] }, 'minProperties', '/tables/0/datasync'],
  ['migration', 'location without agents', { database: 'raw', tables: [{ ...table, datasync: { location: { hostname: 'nn' } } }] }, 'required', '/tables/0/datasync/location'],
  ['migration', 'no columns', { database: 'raw', tables: [{ ...table, columns: [] }] }, 'minItems', '/tables/0/columns'],
  ['migration', 'column without type', { database: 'raw', tables: [{ ...table, columns: [{ name: 'id' }] }] }, 'required', '/tables/0/columns/0'],
  ['migration', 'table name with dash', { database: 'raw', tables: [{ ...table, name: 'order-lines' }] }, 'pattern', '/tables/0/name'],
  ['ingestion', 'empty file', {}, 'minProperties', ''],
  ['ingestion', 'wrong engine', { batch: [{ ...batch, source: { ...batch.source, engine: 'mysql' } }] }, 'enum', '/batch/0/source/engine'],
  ['ingestion', 'password instead of secret', { batch: [{ ...batch, source: { ...batch.source, password: 'x' } }] }, 'additionalProperties', '/batch/0/source'],
  ['ingestion', 'bad secret ARN', { batch: [{ ...batch, source: { ...batch.source, secret_arn: 'arn:aws:ssm:eu-west-1:123456789012:parameter/db' } }] }, 'pattern', '/batch/0/source/secret_arn'],
  ['ingestion', 'wrong mode', { batch: [{ ...batch, mode: 'upsert' }] }, 'enum', '/batch/0/mode'],
  ['ingestion', 'merge without keys', { batch: [{ ...batch, mode: 'merge' }] }, 'required', '/batch/0'],
  ['ingestion', 'zero partitions', { batch: [{ ...batch, partitioning: { column: 'id', lower: 1, upper: 9, partitions: 0 } }] }, 'minimum', '/batch/0/partitioning/partitions'],
  ['ingestion', 'one-part target', { batch: [{ ...batch, target: 'customers' }] }, 'pattern', '/batch/0/target'],
  ['ingestion', 'wrong trigger', { micro_batch: [{ ...kafka, trigger: 'once' }] }, 'enum', '/micro_batch/0/trigger'],
  ['ingestion', 'no topics', { micro_batch: [{ ...kafka, source: { ...kafka.source, topics: [] } }] }, 'minItems', '/micro_batch/0/source/topics'],
  ['processing', 'merge without keys', { merges: [{ target: 'p.o', source: 'r.o' }] }, 'required', '/merges/0'],
  ['processing', 'unknown merge field', { merges: [{ target: 'p.o', source: 'r.o', keys: ['id'], order: 'ts' }] }, 'additionalProperties', '/merges/0'],
  ['processing', 'sql file not .sql', { sql: [{ file: 'sql/report.txt' }] }, 'pattern', '/sql/0/file'],
  ['processing', 'empty keys', { merges: [{ target: 'p.o', source: 'r.o', keys: [] }] }, 'minItems', '/merges/0/keys'],
  ['maintenance', 'table without tasks', { tables: [{ table: 'raw.o' }] }, 'minProperties', '/tables/0'],
  ['maintenance', 'unknown task', { tables: [{ table: 'raw.o', vacuum: {} }] }, 'additionalProperties', '/tables/0'],
  ['maintenance', 'retain_last 0', { tables: [{ table: 'raw.o', expire_snapshots: { retain_last: 0 } }] }, 'minimum', '/tables/0/expire_snapshots/retain_last'],
  ['maintenance', 'bad duration', { tables: [{ table: 'raw.o', expire_snapshots: { older_than: '7 days' } }] }, 'pattern', '/tables/0/expire_snapshots/older_than'],
  ['maintenance', 'bad file size', { tables: [{ table: 'raw.o', rewrite_data_files: { target_file_size: '512M' } }] }, 'pattern', '/tables/0/rewrite_data_files/target_file_size'],
  ['maintenance', 'wrong strategy', { tables: [{ table: 'raw.o', rewrite_data_files: { strategy: 'zorder' } }] }, 'enum', '/tables/0/rewrite_data_files/strategy'],
  ['maintenance', 'sort without sort_order', { tables: [{ table: 'raw.o', rewrite_data_files: { strategy: 'sort' } }] }, 'required', '/tables/0/rewrite_data_files'],
  ['maintenance', 'hard_delete without column', { tables: [{ table: 'raw.o', hard_delete: { older_than: '5y' } }] }, 'required', '/tables/0/hard_delete'],
];

describe('invalid snippets', () => {
  it.each(INVALID)('%s: %s', (kind, _what, doc, keyword, instancePath) => {
    const validate = validators[kind];
    expect(validate(doc)).toBe(false);
    const hits = (validate.errors ?? []).map((e) => `${e.keyword} ${e.instancePath}`);
    expect(hits).toContain(`${keyword} ${instancePath}`);
  });
});
