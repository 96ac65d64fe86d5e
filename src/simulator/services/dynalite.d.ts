/** The part of dynalite's API the simulator uses: an HTTP server backed by an in-memory LevelDB, and the store, validations and actions its request handler calls. */
declare module 'dynalite' {
  import type { Server } from 'node:http';
  interface DynaliteOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }
  export default function dynalite(options?: DynaliteOptions): Server;
}

/** dynalite's LevelDB-backed store (`db.create`). */
declare module 'dynalite/db/index.js' {
  const db: { create(options?: Record<string, unknown>): unknown };
  export default db;
}

declare module 'dynalite/validations/index.js' {
  const validations: {
    checkTypes(data: Record<string, unknown>, types: unknown): Record<string, unknown>;
    checkValidations(data: Record<string, unknown>, types: unknown, custom: unknown, store: unknown): void;
  };
  export default validations;
}

/** One operation's request types and checks (`dynalite/validations/<operation>.js`). */
declare module 'dynalite/validations/*' {
  const validation: { types: unknown; custom?: unknown };
  export default validation;
}

/** One operation (`dynalite/actions/<operation>.js`). */
declare module 'dynalite/actions/*' {
  const action: (store: unknown, data: Record<string, unknown>, cb: (err: unknown, data?: unknown) => void) => void;
  export default action;
}
