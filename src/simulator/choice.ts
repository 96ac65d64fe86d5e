/**
 * Choice rules rewritten so that `aws-local-stepfunctions` 3.0.0 evaluates them as the
 * Amazon States Language defines them. The library (its `ChoiceStateAction`) differs in:
 * - `IsPresent` / `IsNull` / `IsString` / `IsNumeric` / `IsBoolean` / `IsTimestamp` with
 *   `false` never match; the language says they match when the test is false.
 * - `StringMatches` is a glob (`?` matches one character); in ASL only `*` is a wildcard,
 *   `\*` and `\\` are escapes and an open escape is an error.
 * - String, numeric and timestamp comparisons coerce values of another type (or throw for
 *   `StringMatches`); ASL says such a comparison is false.
 * Each rewrite uses only operators the library evaluates correctly (`Not`, `And`, the
 * `Is…: true` tests, and its glob with every `?` escaped).
 * @see https://states-language.net/spec.html#choice-state
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 */

type Rule = Record<string, unknown>;

const TYPE_TESTS = ['IsPresent', 'IsNull', 'IsString', 'IsNumeric', 'IsBoolean', 'IsTimestamp'] as const;

/** Comparison operator → the type test its operand must pass, or the comparison is false. */
const OPERAND_TYPE: Record<string, (typeof TYPE_TESTS)[number]> = {};
for (const op of ['StringLessThan', 'StringGreaterThan', 'StringLessThanEquals', 'StringGreaterThanEquals', 'StringMatches']) OPERAND_TYPE[op] = 'IsString';
for (const op of ['NumericEquals', 'NumericLessThan', 'NumericGreaterThan', 'NumericLessThanEquals', 'NumericGreaterThanEquals']) OPERAND_TYPE[op] = 'IsNumeric';
for (const op of ['TimestampEquals', 'TimestampLessThan', 'TimestampGreaterThan', 'TimestampLessThanEquals', 'TimestampGreaterThanEquals']) OPERAND_TYPE[op] = 'IsTimestamp';
for (const op of Object.keys(OPERAND_TYPE)) if (op !== 'StringMatches') OPERAND_TYPE[`${op}Path`] = OPERAND_TYPE[op]!;

/** A `StringMatches` pattern that uses `\` other than in `\*` or `\\`: AWS fails the execution on it. */
export class OpenEscapeError extends Error {
  constructor(readonly pattern: string) {
    super(`StringMatches pattern ${JSON.stringify(pattern)} has an open escape: "\\" must be followed by "*" or "\\"`);
    this.name = 'OpenEscapeError';
  }
}

/**
 * The ASL pattern as a `wildcard-match` glob (separator off) with the same meaning:
 * `*` stays the wildcard, `\*` and `\\` stay escapes, `?` becomes the literal `\?`.
 * Throws `OpenEscapeError` for an open escape.
 */
export function globOfStringMatches(pattern: string): string {
  let glob = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') throw new OpenEscapeError(pattern);
      glob += `\\${next}`;
      i++;
    } else glob += c === '?' ? '\\?' : c;
  }
  return glob;
}

/** One Choice rule (with its `Next`, if any) rewritten for the library. */
export function faithfulRule(rule: Rule): Rule {
  const { Next, ...test } = rule;
  const rewritten = rewriteTest(test);
  return Next === undefined ? rewritten : { ...rewritten, Next };
}

function rewriteTest(rule: Rule): Rule {
  if (Array.isArray(rule.And)) return { And: (rule.And as Rule[]).map(rewriteTest) };
  if (Array.isArray(rule.Or)) return { Or: (rule.Or as Rule[]).map(rewriteTest) };
  if (rule.Not && typeof rule.Not === 'object') return { Not: rewriteTest(rule.Not as Rule) };
  const variable = rule.Variable;
  for (const test of TYPE_TESTS) {
    if (rule[test] === false) return { Not: { Variable: variable, [test]: true } };
  }
  const op = Object.keys(rule).find((k) => k in OPERAND_TYPE);
  if (!op) return rule;
  const comparison = op === 'StringMatches' ? { ...rule, StringMatches: globOfStringMatches(String(rule.StringMatches)) } : rule;
  return { And: [{ Variable: variable, [OPERAND_TYPE[op]!]: true }, comparison] };
}

/** A Choice state with every rule rewritten by `faithfulRule`. */
export function faithfulChoice<T extends { Choices: Rule[] }>(state: T): T {
  return { ...state, Choices: state.Choices.map(faithfulRule) };
}
