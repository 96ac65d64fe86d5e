/** Both ASL validators the project trusts, as one call. */
import aslValidator from 'asl-validator';
import statelint from '@wmfs/statelint';

export interface AslProblems {
  aslValidator: string[];
  statelint: string[];
}

const linter = statelint();

/**
 * statelint predates `MaxConcurrencyPath` (a Map's concurrency read from the input, in the
 * States Language since 2023): asl-validator and moto's parser accept it, so statelint's
 * refusal of that one field is not counted.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html#map-state-inline-additional-fields
 */
const STATELINT_GAPS = [/^Field "MaxConcurrencyPath" not allowed in /];

/** Problems found by asl-validator (on a clone: it mutates its input) and by statelint. */
export function aslProblems(definition: unknown): AslProblems {
  const r = aslValidator(structuredClone(definition) as never);
  const a = r.isValid ? [] : r.errors.map((e) => ('message' in e ? String(e.message) : JSON.stringify(e)));
  const lint = linter.validate(structuredClone(definition)).filter((m: string) => !STATELINT_GAPS.some((g) => g.test(m)));
  return { aslValidator: a, statelint: lint };
}
