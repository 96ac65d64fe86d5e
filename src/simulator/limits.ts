/**
 * The simulator's limits, in a module of their own so the CLI checks its flags against them
 * without loading the simulator.
 */
/** Executions a simulation runs at most, unless told otherwise: a guard against rules that start each other in a loop. */
export const MAX_EXECUTIONS = 10_000;
/**
 * The highest limit a simulation may be given: it keeps every execution and its history in memory
 * (the report, the timeline and the page are made from them), so a larger one would run out of memory
 * long before it ends instead of being refused.
 */
export const MAX_EXECUTIONS_CEILING = 100_000;
