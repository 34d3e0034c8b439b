/** What people write: the catalog's schema, reading and validation with file:line:column problems, tag patterns, and what the catalog means (model). */
export * from './check.ts';
export * from './dates.ts';
export * from './json-schema.ts';
export * from './load.ts';
export * from './model.ts';
export * from './problems.ts';
export * from './schema.ts';
export * from './tag-pattern.ts';
