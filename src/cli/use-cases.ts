/** The `--use-case NAME` names of the commands that take them, checked against the build. */
import type { Manifest } from '../build/types.ts';
import { escapeForTerminal } from '../diagnostics.ts';
import { OpsError } from '../ops/errors.ts';
import { closestNames, didYouMean } from '../ops/suggest.ts';

/**
 * The first `--use-case` name the build does not have, as `deploy` and the operator commands report one
 * (`UNKNOWN_USE_CASE`, exit 2, with the names close to it); `quarantined`: a quarantined use case's name is known too.
 */
export function checkUseCases(manifest: Manifest, names: readonly string[] | undefined, opts: { quarantined?: boolean } = {}): void {
  const known = manifest.useCases.map((u) => u.name);
  for (const name of names ?? []) {
    if (known.includes(name) || (opts.quarantined && manifest.quarantined.some((q) => q.useCase === name))) continue;
    throw new OpsError('UNKNOWN_USE_CASE', `unknown use case "${escapeForTerminal(name)}"${didYouMean(closestNames(name, known))}`);
  }
}
