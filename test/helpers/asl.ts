/** Both ASL validators the project trusts, as one call. */
import aslValidator from 'asl-validator';
import statelint from '@wmfs/statelint';

export interface AslProblems {
  aslValidator: string[];
  statelint: string[];
}

const linter = statelint();

/** Problems found by asl-validator (on a clone: it mutates its input) and by statelint. */
export function aslProblems(definition: unknown): AslProblems {
  const r = aslValidator(structuredClone(definition) as never);
  const a = r.isValid ? [] : r.errors.map((e) => ('message' in e ? String(e.message) : JSON.stringify(e)));
  return { aslValidator: a, statelint: linter.validate(structuredClone(definition)) };
}
