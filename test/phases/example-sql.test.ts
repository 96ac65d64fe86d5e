/**
 * Every SQL statement the compiler emits for the example platform — job
 * document steps and the write statements of ingestion steps — passes a Spark
 * SQL syntax check (dt-sql-parser after normalizing markers and catalog
 * prefixes; Iceberg `CALL` and `WRITE ORDERED BY` by their own grammars).
 * User SQL files are checked too: they run as given.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { JobDocument } from '../../src/build/types.ts';
import { readSpecs } from '../../src/cli/io.ts';
import { compile, type CompileResult } from '../../src/compile.ts';
import { syntaxErrors } from '../sql/syntax.ts';

let result: CompileResult;
const statements: { where: string; sql: string }[] = [];

beforeAll(() => {
  result = compile(readSpecs('specs'), { lakestepVersion: '0.0.0-test' });
  for (const [path, text] of result.files) {
    if (!path.includes('/jobs/')) continue;
    const doc = JSON.parse(text) as JobDocument;
    for (const step of doc.steps) {
      if ('sql' in step) statements.push({ where: `${path} › ${step.name}`, sql: step.sql });
      if ('writeSql' in step) statements.push({ where: `${path} › ${step.name} (write)`, sql: step.writeSql });
      if ('selectSql' in step) statements.push({ where: `${path} › ${step.name} (select)`, sql: step.selectSql });
      if ('deadLetter' in step && step.deadLetter) statements.push({ where: `${path} › ${step.name} (dead letter)`, sql: step.deadLetter.selectSql });
    }
  }
});

describe('SQL emitted for the example specs', () => {
  it('covers every kind of statement the phases generate', () => {
    expect(result.quarantined).toEqual([]);
    const kinds = ['CREATE NAMESPACE', 'CREATE TABLE', 'CREATE OR REPLACE TEMPORARY VIEW', 'INSERT OVERWRITE', 'MERGE INTO', 'SELECT', 'ALTER TABLE', 'DELETE FROM', 'CALL'];
    for (const kind of kinds) expect(statements.some((s) => s.sql.startsWith(kind)), kind).toBe(true);
    expect(statements.length).toBeGreaterThan(60);
  });

  it('parses as Spark SQL, statement by statement', () => {
    const failures = statements.map((s) => ({ ...s, errors: syntaxErrors(s.sql) })).filter((s) => s.errors.length > 0);
    expect(failures.map((f) => `${f.where}: ${f.errors.join('; ')}\n${f.sql}`)).toEqual([]);
  });
});
