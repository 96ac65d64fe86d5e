/** The process environment in tests. */

/** Puts back the environment `saved` (a copy taken earlier), in place: `process.env` stays the object Node gave it. */
export function restoreEnv(saved: Readonly<Record<string, string | undefined>>): void {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  for (const [key, value] of Object.entries(saved)) if (value !== undefined && process.env[key] !== value) process.env[key] = value;
}
