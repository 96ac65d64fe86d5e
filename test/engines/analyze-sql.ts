/**
 * The SQL analysis side of test_sql_analysis.py: prints, as JSON, analyzeSql
 * of every file named on the command line — its run templates bound as the compiler binds
 * them (src/sql/templates.ts), which keeps every line where it was — and the Iceberg
 * procedure registry.
 * Run with `npx tsx test/engines/analyze-sql.ts <file>…`.
 */
import { readFileSync } from 'node:fs';
import { PROCEDURES, analyzeSql } from '../../src/sql/analysis/index.ts';
import { bindSqlTemplates } from '../../src/sql/templates.ts';

const files = Object.fromEntries(process.argv.slice(2).map((f) => [f, analyzeSql(bindSqlTemplates(readFileSync(f, 'utf8')).sql)]));
process.stdout.write(JSON.stringify({ procedures: PROCEDURES, files }));
