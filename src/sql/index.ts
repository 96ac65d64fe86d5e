/** Iceberg Spark SQL generation: pure functions from the IR to SQL text. */
export * from './identifiers.ts';
export * from './types.ts';
export * from './partition.ts';
export * from './sort.ts';
export * from './ddl.ts';
export * from './watermark.ts';
export * from './conversion.ts';
export * from './expression.ts';
export * from './merge.ts';
export * from './maintenance-options.ts';
export * from './maintenance.ts';
export * from './conf.ts';
export * from './ingest.ts';
