/**
 * spark-submit parameters as a spec writes them (`--conf k=v --packages a,b`):
 * split into words the way a POSIX shell splits them (quotes group, nothing is
 * expanded), each option with its value and offset, so a setting can be
 * checked where it was written and list-valued settings can be merged.
 * spark-submit keeps the last `--conf` of a key, and `--jars` replaces
 * `spark.jars` outright, so a user's value would silently drop a generated one.
 * @see https://spark.apache.org/docs/3.5.6/submitting-applications.html
 * @see https://spark.apache.org/docs/3.5.6/configuration.html
 */

/** One option of the parameters: a flag with its value, or a lone word. */
export interface SubmitOption {
  /** `--conf`, `--packages`…, or `''` for a word that is no option. */
  flag: string;
  /** For `--conf`: the key; else undefined. */
  key?: string;
  value: string;
  /** Offset of the option's first character in the text. */
  offset: number;
  /** Offset of the value (of `k=v` for `--conf`) in the text. */
  valueOffset: number;
}

/** spark-submit options that take a value (SparkSubmitOptionParser), so the next word is theirs. */
const VALUE_FLAGS = new Set([
  '--conf', '-c', '--class', '--name', '--jars', '--packages', '--exclude-packages', '--repositories', '--py-files', '--files', '--archives',
  '--properties-file', '--driver-memory', '--driver-java-options', '--driver-library-path', '--driver-class-path', '--driver-cores',
  '--executor-memory', '--executor-cores', '--num-executors', '--total-executor-cores', '--master', '--deploy-mode', '--queue',
  '--principal', '--keytab', '--proxy-user',
]);

/**
 * Comma-separated lists spark-submit reads from either a flag or a `--conf` key,
 * the flag winning over the key. Generated values are merged with the user's.
 */
export const LIST_SETTINGS: readonly { flag?: string; key: string }[] = [
  { flag: '--jars', key: 'spark.jars' },
  { flag: '--packages', key: 'spark.jars.packages' },
  { flag: '--exclude-packages', key: 'spark.jars.excludes' },
  { flag: '--repositories', key: 'spark.jars.repositories' },
  { flag: '--py-files', key: 'spark.submit.pyFiles' },
  { flag: '--files', key: 'spark.files' },
  { flag: '--archives', key: 'spark.archives' },
  { key: 'spark.sql.extensions' },
];

/** Words of `text` with their offsets; unbalanced quotes end at the end of the text. */
function words(text: string): { word: string; offset: number; quoted: boolean }[] {
  const out: { word: string; offset: number; quoted: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const offset = i;
    let word = '';
    let quoted = false;
    while (i < text.length && !/\s/.test(text[i]!)) {
      const c = text[i]!;
      if (c === "'" || c === '"') {
        quoted = true;
        const end = text.indexOf(c, i + 1);
        const stop = end === -1 ? text.length : end;
        word += c === '"' ? text.slice(i + 1, stop).replace(/\\(["\\$`])/g, '$1') : text.slice(i + 1, stop);
        i = stop + 1;
      } else if (c === '\\' && i + 1 < text.length) {
        word += text[i + 1];
        i += 2;
      } else {
        word += c;
        i++;
      }
    }
    out.push({ word, offset, quoted });
  }
  return out;
}

/** The options of spark-submit parameters, in order. `--flag=value` and `--flag value` are the same option. */
export function parseSubmitParameters(text: string): SubmitOption[] {
  const ws = words(text);
  const out: SubmitOption[] = [];
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    const eq = w.word.startsWith('--') ? w.word.indexOf('=') : -1;
    const flag = eq > 0 && VALUE_FLAGS.has(w.word.slice(0, eq)) ? w.word.slice(0, eq) : w.word;
    let value: string;
    let valueOffset: number;
    if (!VALUE_FLAGS.has(flag)) {
      out.push({ flag: '', value: w.word, offset: w.offset, valueOffset: w.offset });
      continue;
    }
    if (eq > 0 && flag !== w.word) {
      value = w.word.slice(eq + 1);
      valueOffset = w.offset + eq + 1;
    } else {
      const next = ws[i + 1];
      value = next?.word ?? '';
      valueOffset = next?.offset ?? text.length;
      i++;
    }
    const canonical = flag === '-c' ? '--conf' : flag;
    if (canonical === '--conf') {
      const k = value.indexOf('=');
      out.push({ flag: canonical, key: k === -1 ? value : value.slice(0, k), value: k === -1 ? '' : value.slice(k + 1), offset: w.offset, valueOffset });
    } else out.push({ flag: canonical, value, offset: w.offset, valueOffset });
  }
  return out;
}

/** Which {@link LIST_SETTINGS} entry an option sets, if any. */
function listSetting(o: SubmitOption): (typeof LIST_SETTINGS)[number] | undefined {
  return LIST_SETTINGS.find((s) => (o.flag === '--conf' ? o.key === s.key : s.flag !== undefined && o.flag === s.flag));
}

function quote(word: string): string {
  return word === '' || /[\s'"\\]/.test(word) ? `"${word.replace(/(["\\$`])/g, '\\$1')}"` : word;
}

/**
 * The parameters with every list-valued setting ({@link LIST_SETTINGS}) given
 * once, where it first appears, holding every value of every occurrence (comma
 * joined, in order, duplicates dropped): a user's `--packages` or
 * `spark.sql.extensions` adds to the generated ones instead of replacing them.
 * Other settings are left as written (a later `--conf` of the same key wins).
 * Unchanged text when no list setting appears twice.
 */
export function mergeSubmitParameters(text: string): string {
  const options = parseSubmitParameters(text);
  const groups = new Map<(typeof LIST_SETTINGS)[number], SubmitOption[]>();
  for (const o of options) {
    const s = listSetting(o);
    if (s) groups.set(s, [...(groups.get(s) ?? []), o]);
  }
  if (![...groups.values()].some((g) => g.length > 1)) return text;
  const out: string[] = [];
  for (const o of options) {
    const s = listSetting(o);
    const group = s && groups.get(s)!;
    if (group && group[0] !== o) continue;
    const value = group ? [...new Set(group.flatMap((g) => g.value.split(',').map((v) => v.trim()).filter(Boolean)))].join(',') : o.value;
    if (o.flag === '') out.push(quote(o.value));
    else if (o.flag === '--conf') out.push('--conf', quote(`${o.key}=${value}`));
    else out.push(o.flag, quote(value));
  }
  return out.join(' ');
}

/** Whether the parameters set any list-valued setting ({@link LIST_SETTINGS}). */
export function ownsListSetting(text: string): boolean {
  return parseSubmitParameters(text).some((o) => listSetting(o) !== undefined);
}
