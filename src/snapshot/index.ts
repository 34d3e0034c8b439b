/** The contract between the sync and the site: the snapshot's schema, reading and writing its files, and the status rules (last good data, sample data, freshness). */
export * from './images-files.ts';
export * from './io.ts';
export * from './schema.ts';
export * from './status.ts';
