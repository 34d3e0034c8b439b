/** What the build derives from the catalog and the snapshot, without I/O: views for pages (images, owners, subprojects, milestones), links, JSON exports and feeds. */
export * from './badges.ts';
export * from './cadence.ts';
export * from './commands.ts';
export * from './exports.ts';
export * from './feed.ts';
export * from './image-facts.ts';
export * from './image-index.ts';
export * from './images.ts';
export * from './lineage-graph.ts';
export * from './links.ts';
export * from './milestones.ts';
export * from './owners.ts';
export * from './picker.ts';
export * from './subprojects.ts';
export * from './urls.ts';
export * from './views.ts';
