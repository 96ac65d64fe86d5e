import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBuild, lakestepVersion } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { exampleSources } from '../../test/infra/compiled.ts';
import { synthesize } from '../../test/infra/synth.ts';
const synthOf = (edit: (path: string, text: string) => string) => {
  const sources = exampleSources().map((f) => ({ ...f, text: edit(f.path, f.text) }));
  const r = compile(sources, { lakestepVersion: lakestepVersion() });
  const dir = mkdtempSync(join(tmpdir(), 'churn-'));
  writeBuild(dir, r.files);
  return synthesize(dir, { nagChecks: false, lean: true }).json;
};
const base = synthOf((_p, t) => t);
const edited = synthOf((p, t) => (p === 'orders/orchestration.yaml' ? `# owner: team orders\n${t}` : t));
for (const [stack, tpl] of base) {
  const after = edited.get(stack)!;
  const changed = Object.keys(tpl.Resources).filter((k) => JSON.stringify(tpl.Resources[k]) !== JSON.stringify(after.Resources[k]));
  console.log(stack, Object.keys(tpl.Resources).length, 'changed', changed.length, changed.map((k) => tpl.Resources[k]!.Type).join(','));
}
