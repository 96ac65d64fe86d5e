/**
 * Error shapes of the AWS service models shipped in the `@aws-sdk/client-*`
 * packages: every exported class that extends the client's `<X>ServiceException`.
 * Read from the packages themselves, so the check does not depend on the
 * compiler's own list of names.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Shape names (`NoSuchKey`, `InternalServerError`, …) of one client package. */
export function errorShapes(pkg: string): Set<string> {
  const mod = require(pkg) as Record<string, unknown>;
  const base = Object.entries(mod).find(([k, v]) => k.endsWith('ServiceException') && typeof v === 'function')?.[1] as (new () => unknown) | undefined;
  if (!base) throw new Error(`${pkg}: no ServiceException export`);
  const shapes = new Set<string>();
  for (const [name, v] of Object.entries(mod)) {
    if (typeof v === 'function' && v !== base && v.prototype instanceof base) shapes.add(name);
  }
  return shapes;
}
