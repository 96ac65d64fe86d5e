/**
 * The SQL analysis side of test_sql_analysis.py: prints, as JSON, analyzeSql
 * of every file named on the command line and the Iceberg procedure registry.
 * Run with `npx tsx test/engines/analyze-sql.ts <file>…`.
 */
import { readFileSync } from 'node:fs';
import { PROCEDURES, analyzeSql } from '../../src/sql/analysis/index.ts';

const files = Object.fromEntries(process.argv.slice(2).map((f) => [f, analyzeSql(readFileSync(f, 'utf8'))]));
process.stdout.write(JSON.stringify({ procedures: PROCEDURES, files }));
