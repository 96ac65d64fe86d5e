"""One module per step kind of a job document (`JobStep` in src/build/types.ts)."""
