/**
 * Argument checks shared by the commands: usage errors (exit 2), positional
 * arity, per-command help cut from the usage text, and the filesystem errors
 * that are the user's to fix (a missing specs folder, an `--out` that is a file).
 */

/** The exit codes of `lakestep`. */
export const EXIT = { ok: 0, diagnostics: 1, usage: 2 } as const;

/** A usage error: printed with the usage text, exit 2. */
export function usage(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_PARSE_ARGS_USAGE' });
}

/** An error printed as one line without the usage text, exit 2. */
export function plainUsage(message: string): Error {
  return Object.assign(new Error(message), { exitCode: 2 });
}

/** The integer of a numeric flag; a usage error for anything else, and for one past what a number holds exactly. */
export function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) throw usage(`${flag} must be an integer, got "${value}"`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw usage(`${flag} is too large, got ${value.trim()}`);
  return n;
}

/** At most one positional (a folder); more is an error naming the first extra one. */
export function optionalFolder(positionals: string[], fallback: string): string {
  if (positionals.length > 1) throw usage(`unexpected argument '${positionals[1]}' (give one folder)`);
  return positionals[0] ?? fallback;
}

/** The single `<use-case>/<dag>` positional of an operator command. */
export function workflowRef(positionals: string[], command: string): string {
  const [ref, ...extra] = positionals;
  if (!ref) throw usage(`${command} needs a workflow: lakestep ${command} <use-case>/<dag>`);
  if (extra.length) throw usage(`unexpected argument '${extra[0]}'`);
  return ref;
}

export const wantsHelp = (args: readonly string[]): boolean => args.includes('--help') || args.includes('-h');

/**
 * The section of `usage` that documents `command`: its line(s) in the
 * `commands:` list, from `  <command> ` to the next command, plus the exit codes line.
 */
export function commandHelp(usageText: string, command: string): string {
  const lines = usageText.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  ${command} `) || l === `  ${command}`);
  if (start < 0) return usageText;
  let end = start + 1;
  while (end < lines.length && /^ {3,}/.test(lines[end]!) && !/^ {2}[a-z]/.test(lines[end]!)) end++;
  const exit = lines.find((l) => l.startsWith('exit codes:'));
  return [`usage: lakestep ${lines[start]!.trim().replace(/\s+/g, ' ')}`, ...lines.slice(start + 1, end), '', ...(exit ? [exit] : [])].join('\n');
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a file is in the way (not a directory)',
  EEXIST: 'a file is in the way (not a directory)',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/** A Node filesystem error on a path the user gave, as one line; undefined for anything else. */
export function fsFailure(err: unknown): string | undefined {
  const e = err as { code?: string; path?: string; syscall?: string };
  if (!e || typeof e.code !== 'string' || typeof e.path !== 'string' || !(e.code in FS_REASONS)) return undefined;
  const verb = /^(mkdir|open|write|rename|unlink|rmdir|rm|copyfile)/.test(e.syscall ?? '') ? 'cannot write' : 'cannot read';
  return `${verb} ${e.path}: ${FS_REASONS[e.code]}`;
}
