/** The network side: the steps of `npm run sync` that read registries and forges and write the snapshot (images, lineage, repos, pipelines, audit). */
export * from './audit.ts';
export * from './errors.ts';
export * from './images-step.ts';
export * from './images-writer.ts';
export * from './images.ts';
export * from './lineage.ts';
export * from './pipelines.ts';
export * from './repos-step.ts';
export * from './repos.ts';
export * from './steps.ts';
