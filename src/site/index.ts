/** What the build derives from the catalog and the snapshot, without I/O: views for pages (images, owners, subprojects, milestones), links, JSON exports and feeds. */
export * from './exports.ts';
export * from './feed.ts';
export * from './handover.ts';
export * from './history.ts';
export * from './images.ts';
export * from './links.ts';
export * from './milestones.ts';
export * from './owners.ts';
export * from './provenance.ts';
export * from './subprojects.ts';
export * from './views.ts';
