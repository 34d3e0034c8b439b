/** What the build derives from the catalog and the snapshot, without I/O: views for pages, milestones, links, JSON exports and feeds. */
export * from './exports.ts';
export * from './feed.ts';
export * from './links.ts';
export * from './milestones.ts';
export * from './views.ts';
