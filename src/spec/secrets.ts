/**
 * Clear-text secret detection, one scanner for every string of a spec that can
 * reach an artifact (Spark arguments and parameters, URLs, table properties,
 * reader options, platform defaults, SQL files). Credentials belong in Secrets
 * Manager and are referenced by ARN; a password typed into a spec would end up
 * in state machine definitions, job documents, execution history and logs.
 * The patterns are the well-known credential shapes: `key=value` and JSON pairs
 * under a secret-sounding key, `--password value` flags, `user:pass@` and JDBC
 * `user/pass@` URLs, AWS access key ids, bearer tokens, private key blocks.
 * See https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html
 */

/** Where a secret sits in the scanned string (the value, not its key) and what it is. */
export interface SecretHit {
  message: string;
  start: number;
  end: number;
}

const SECRET_WORD = /(pass(word|wd|phrase)?|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|signature|auth)/i;
/** Keys that name where a secret is, or how to get it, rather than hold one. */
const REFERENCE_KEY = /(arn|[_.-]id|name|provider|class|file|path|location|enabled|type|length|ttl|timeout|uri|url|endpoint|mode|version|pattern|regex|count|size|expiry|duration|algorithm)$/i;
const ARN = /^arn:aws[a-z-]*:(secretsmanager|ssm|kms|iam|sts):/;
const FLAG = /^--?(p|pw|pwd|pass|passwd|password|passphrase|secret|token|api[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key|auth|credentials?)$/i;

const PATTERNS: { re: RegExp; group: number; message: string }[] = [
  { re: /\b((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16})\b/g, group: 1, message: 'an AWS access key id' },
  { re: /:\/\/[^\s/:@'"]{1,256}:([^\s@/'"]{1,256})@/g, group: 1, message: 'a URL with an embedded password' },
  { re: /\bjdbc:[a-z0-9]{1,32}:[^\s'"]{0,256}?[:/]([^\s/:@'"]{1,256})\/([^\s@/'"]{1,256})@/gi, group: 2, message: 'a JDBC URL with an embedded password' },
  { re: /\b(?:Bearer|Basic|Token)\s+([A-Za-z0-9\-._~+/]{8,}=*)/g, group: 1, message: 'an authorization token' },
  { re: /-----BEGIN ([A-Z ]+ )?PRIVATE KEY-----/g, group: 0, message: 'a private key' },
  { re: /\b(gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+)/g, group: 1, message: 'an access token' },
];
/** `key=value`, `key: value`, `"key": "value"`, `?key=value&`: a pair whose key sounds secret. */
const KEY_RUN = /[A-Za-z0-9_.\-]+/g;
const AFTER_KEY = /(\\?["']?)[ \t]*(=|:(?!\/\/))[ \t]*\\?["']?([^\s"'&;,}\]\\]*)/y;
/** ARNs name secrets, never hold them: blanked (offset for offset) before looking for pairs. */
const ANY_ARN = /\barn:aws[a-z-]*:[^\s"',\]}]*/g;

/**
 * The same text with look-alike characters (full-width `＝`, `ｐａｓｓ`…) folded
 * to ASCII, offset for offset, so detection cannot be dodged by compatibility forms.
 */
export function fold(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const n = ch.normalize('NFKC');
    out += n.length === ch.length ? n : ch;
  }
  return out;
}

/** True for a value that is a literal (not empty, not an ARN, not only run templates). */
export function isLiteralValue(v: string): boolean {
  const t = v.trim();
  return t !== '' && !ARN.test(t) && !/^(\{\{[^}]*\}\}\s*)+$/.test(t) && !/^\*+$/.test(t) && !/^(true|false|yes|no|none|null)$/i.test(t);
}

/** True when `key` sounds like it holds a secret. */
export function isSecretKey(key: string): boolean {
  const k = fold(key);
  return SECRET_WORD.test(k) && !REFERENCE_KEY.test(k);
}

/**
 * Most strings of a spec (names, keys, `db.table`, relative paths) are one run of
 * lower-case ASCII name characters: no `=`, `:` or space, so no pair, flag or URL,
 * and no upper-case letter that an access key id or a token starts with. Only the
 * lower-case token prefixes can still match.
 */
const PLAIN = /^[a-z0-9_.\-/]*$/;
const LOWER_TOKEN = /gh[pousr]_|xox[abpr]-/;

/** Every clear-text secret inside one string. */
export function scanText(text: string): SecretHit[] {
  if (PLAIN.test(text) && !LOWER_TOKEN.test(text)) return [];
  const t = fold(text);
  const hits: SecretHit[] = [];
  for (const { re, group, message } of PATTERNS) {
    for (const m of t.matchAll(re)) {
      const value = m[group]!;
      if (group > 0 && !isLiteralValue(value)) continue;
      const start = m.index + m[0].lastIndexOf(value);
      hits.push({ message, start, end: start + value.length });
    }
  }
  // Every maximal run of key characters, then what follows it: linear, and pairs may nest (`params: "token=x"`).
  const plain = t.replace(ANY_ARN, (a) => ' '.repeat(a.length));
  for (const k of plain.matchAll(KEY_RUN)) {
    AFTER_KEY.lastIndex = k.index + k[0].length;
    const m = AFTER_KEY.exec(plain);
    if (!m) continue;
    const value = m[3] ?? '';
    if (!isSecretKey(k[0]) || !isLiteralValue(value)) continue;
    const start = m.index + m[0].length - value.length;
    hits.push({ message: `'${k[0]}' is set to a literal value`, start, end: start + value.length });
  }
  const words = [...plain.matchAll(/[^\s"',=[\]]+/g)];
  for (const [i, w] of words.entries()) {
    const next = words[i + 1];
    if (FLAG.test(w[0]) && next && !next[0].startsWith('-') && !next[0].startsWith('{{') && isLiteralValue(next[0])) {
      hits.push({ message: `'${w[0]}' is followed by a literal value`, start: next.index, end: next.index + next[0].length });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** A secret in a mapping entry `key: value` (table properties, reader options, JSON-like maps). */
export function scanPair(key: string, value: string | number): SecretHit[] {
  const v = String(value);
  const inValue = typeof value === 'string' ? scanText(v) : [];
  if (inValue.length) return inValue;
  return isSecretKey(key) && isLiteralValue(v) ? [{ message: `'${key}' is set to a literal value`, start: 0, end: v.length }] : [];
}

/** A `--password` flag in one list item followed by its value in the next: the index of that value. */
export function scanFlagList(items: readonly unknown[]): { index: number; message: string }[] {
  const out: { index: number; message: string }[] = [];
  for (let i = 0; i + 1 < items.length; i++) {
    const flag = items[i];
    const next = items[i + 1];
    if (typeof flag !== 'string' || (typeof next !== 'string' && typeof next !== 'number')) continue;
    const f = fold(flag).trim();
    const n = String(next);
    if (FLAG.test(f) && !n.startsWith('-') && isLiteralValue(n)) out.push({ index: i + 1, message: `'${f}' is followed by a literal value` });
  }
  return out;
}

/** `text` with every secret replaced by `****`, for echoing a source line. */
export function maskSecrets(text: string): string {
  const hits = scanText(text);
  let out = '';
  let last = 0;
  for (const h of hits) {
    if (h.start < last) continue;
    out += text.slice(last, h.start) + '****';
    last = h.end;
  }
  return out + text.slice(last);
}
