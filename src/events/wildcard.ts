/**
 * The `wildcard` operator: `*` matches any run of characters (also none), `\*` a
 * literal star and `\\` a literal backslash; consecutive `*` are not allowed.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-wildcard-matching
 */

const compiled = new Map<string, RegExp>();

/** Describes why `pattern` is not a valid wildcard expression; undefined when it is. */
export function wildcardProblem(pattern: string): string | undefined {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') return `backslash at ${i} must escape "*" or "\\"`;
      i++;
    } else if (c === '*' && pattern[i + 1] === '*') {
      return `consecutive wildcard characters at ${i}`;
    }
  }
  return undefined;
}

/** True when the whole of `value` fits `pattern`. */
export function matchWildcard(pattern: string, value: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    re = toRegExp(pattern);
    compiled.set(pattern, re);
  }
  return re.test(value);
}

function toRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[i + 1] ?? '');
      i++;
    } else if (c === '*') {
      source += '[^]*';
    } else {
      source += escapeRegExp(c);
    }
  }
  return new RegExp(`^${source}$`, 'u');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
