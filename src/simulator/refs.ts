/** Refs of the platform's own machines, in a module of their own: the start report names them without loading the simulator. */

/** Ref of the platform's dispatcher (`lakestep` is a reserved use-case name). */
export const DISPATCHER_REF = 'lakestep/dispatch';
