/**
 * lakestep benchmarks: `npm run bench` runs every section in order,
 * `npx tsx bench/run.ts compile stats` runs the named ones, `--list` lists them.
 * Options after the names go to the sections (`--sizes=10,100` for compile).
 *
 * The sections are listed in bench/sections.ts.
 *
 * A full run (every section, no failure) also writes its output into the
 * README's benchmark section (bench/readme.ts); `--no-readme` leaves it alone.
 *
 * Timings are printed, never judged: the exit code is non-zero only when a
 * section crashes or reports a wrong result.
 */
import { machineLine, type SectionOutcome } from './harness.ts';
import { writeBenchResults } from './readme.ts';
import { SECTIONS } from './sections.ts';

async function main(argv: string[]): Promise<number> {
  const names = argv.filter((a) => !a.startsWith('--'));
  const args = argv.filter((a) => a.startsWith('--'));
  if (args.includes('--list')) {
    for (const s of SECTIONS) console.log(`${s.name.padEnd(12)} ${s.title}`);
    return 0;
  }
  const unknown = names.filter((n) => !SECTIONS.some((s) => s.name === n));
  if (unknown.length > 0) {
    console.error(`unknown section(s): ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const selected = names.length === 0 ? SECTIONS : SECTIONS.filter((s) => names.includes(s.name));
  const printed: string[] = [];
  const out = (line = '') => {
    printed.push(line);
    process.stdout.write(line + '\n');
  };
  const failures: string[] = [];
  const started = performance.now();
  out(`lakestep bench — ${machineLine()}`);
  for (const s of selected) {
    out();
    out(`== ${s.name}: ${s.title}`);
    const t0 = performance.now();
    let outcome: SectionOutcome;
    try {
      outcome = await (await s.load()).run({ args, out });
    } catch (e) {
      outcome = { failures: [`crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`] };
    }
    for (const f of outcome.failures) {
      failures.push(`${s.name}: ${f}`);
      out(`FAILED ${f}`);
    }
    out(`(${s.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  out();
  out(`bench finished in ${((performance.now() - started) / 1000).toFixed(1)} s${failures.length ? `, ${failures.length} failure(s)` : ''}`);
  if (failures.length === 0 && selected.length === SECTIONS.length && !args.includes('--no-readme')) {
    writeBenchResults(new URL('../README.md', import.meta.url), printed);
    out('README.md: benchmark section updated');
  }
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
