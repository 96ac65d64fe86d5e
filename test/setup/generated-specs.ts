/**
 * Writes the generated platform of bench/generate.ts to a folder, for the
 * tools that read a specs tree from disk (`npm run test:cfn-lint`).
 *
 *   npx tsx test/setup/generated-specs.ts <out-dir> <use-cases> [<tables of the first use case's migration>]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateSpecs } from '../../bench/generate.ts';

const [out, count, big] = process.argv.slice(2);
if (!out || !count || !/^[0-9]+$/.test(count) || (big !== undefined && !/^[0-9]+$/.test(big))) {
  console.error('usage: npx tsx test/setup/generated-specs.ts <out-dir> <use-cases> [<tables of the first use case\'s migration>]');
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });
const tree = generateSpecs({ useCases: Number(count), ...(big === undefined ? {} : { bigMigration: Number(big) }) });
for (const file of tree.sources) {
  const path = join(out, file.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.text);
}
console.log(`${tree.sources.length} spec files, ${tree.useCases.length} use cases, ${tree.dags} dags → ${out}`);
