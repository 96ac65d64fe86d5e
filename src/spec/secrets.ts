/**
 * Clear-text secret detection for free-form strings (Spark arguments, submit
 * parameters, JDBC options). Credentials belong in Secrets Manager and are
 * referenced by `secret_arn`; a password typed into a spec would end up in
 * state machine definitions, execution history and logs.
 */

const SECRET_WORD = /(pass(word|wd)?|secret|token|api[_-]?key|credential|private[_-]?key)/i;
const ARN = /^arn:aws[a-z-]*:(secretsmanager|ssm|kms):/;
const TEMPLATE_ONLY = /^\{\{[^}]*\}\}$/;

/** The first clear-text secret in `args`: what it is and the index of the argument holding it. */
export function findClearTextSecret(args: readonly string[]): { message: string; index: number } | undefined {
  for (const [i, raw] of args.entries()) {
    for (const arg of raw.split(/\s+/)) {
      const url = /:\/\/[^/\s:@]+:([^@\s]+)@/.exec(arg);
      if (url) return { message: `a URL with an embedded password ('${redact(arg)}')`, index: i };
      const kv = /^(?:--conf=?)?(?:-{1,2})?([\w.-]+)=(.+)$/.exec(arg);
      if (kv && SECRET_WORD.test(kv[1]!) && isValue(kv[2]!)) return { message: `'${kv[1]}' is set to a literal value`, index: i };
    }
    const flag = /^--?([\w.-]+)$/.exec(raw);
    const next = args[i + 1];
    if (flag && SECRET_WORD.test(flag[1]!) && !/(arn|_id|-id|name)$/i.test(flag[1]!) && next !== undefined && isValue(next) && !next.startsWith('-')) {
      return { message: `'${raw}' is followed by a literal value`, index: i + 1 };
    }
  }
  return undefined;
}

function isValue(v: string): boolean {
  return v !== '' && !ARN.test(v) && !TEMPLATE_ONLY.test(v);
}

function redact(arg: string): string {
  return arg.replace(/(:\/\/[^/\s:@]+:)[^@\s]+@/, '$1****@');
}
