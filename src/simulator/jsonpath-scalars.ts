/**
 * `jsonpath-plus` (which `aws-local-stepfunctions` queries every path with) hands back a
 * scalar result by throwing it inside an Error (its `NewError`) that its own call catches.
 * Capturing that Error's stack trace cost a tenth of a simulated day; nothing ever reads
 * it. This module makes `NewError` a subclass of a constructor that captures no stack,
 * leaving its value, message, name and `instanceof Error` as they were. Import it before
 * running the library. If the library no longer returns scalars this way, nothing changes.
 * @see https://github.com/JSONPath-Plus/JSONPath/blob/main/src/jsonpath.js
 */
import { JSONPath } from 'jsonpath-plus';

/** The class of the Error jsonpath-plus throws to return `value`, or undefined if it does not. */
function scalarErrorClass(): (new (value: unknown) => Error) | undefined {
  try {
    // With `new`, the scalar's Error is thrown to the caller instead of caught.
    new (JSONPath as unknown as new (opts: object) => unknown)({ path: '$.a', json: { a: 1 }, wrap: false });
  } catch (e) {
    if ((e as { avoidNew?: boolean }).avoidNew === true) return (e as Error).constructor as new (value: unknown) => Error;
  }
  return undefined;
}

/** Like Error's constructor, without `Error.captureStackTrace`. */
function StacklessError(this: { message: string }, message?: string): void {
  if (message !== undefined) this.message = message;
}
StacklessError.prototype = Error.prototype;

const ScalarError = scalarErrorClass();

/**
 * Whether the Error of each scalar result captures a stack trace, as jsonpath-plus does
 * by itself (`true`) or not (`false`, the simulator's setting on import); returns whether
 * the setting took effect. The bench's baseline turns it back on.
 */
export function scalarStackTraces(capture: boolean): boolean {
  const parent = ScalarError && Object.getPrototypeOf(ScalarError);
  if (parent !== Error && parent !== StacklessError) return false;
  Object.setPrototypeOf(ScalarError, capture ? Error : StacklessError);
  return true;
}

scalarStackTraces(false);
