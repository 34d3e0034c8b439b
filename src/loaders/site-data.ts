/**
 * The site's data for pages: the catalog and snapshot collections put back together as the typed
 * {@link SiteData} that src/site/ works on, in the order pages list them. Read once per build.
 */
import { getCollection, getEntry } from 'astro:content';
import { orderCatalog, type SiteData } from '../site/index.ts';

let cached: Promise<SiteData> | undefined;

/** Gather the catalog and the snapshot from the content collections. */
async function gather(): Promise<SiteData> {
  const [subprojects, sigs, initiative, images, repos, audit] = await Promise.all([
    getCollection('subprojects'),
    getCollection('sigs'),
    getEntry('initiative', 'initiative'),
    getEntry('images', 'images'),
    getEntry('repos', 'repos'),
    getEntry('audit', 'audit'),
  ]);
  if (!initiative)
    throw new Error(
      'The initiative collection is empty; content/catalog/initiative.yaml must exist.',
    );
  return {
    catalog: orderCatalog({
      initiative: initiative.data,
      sigs: sigs.map((entry) => entry.data),
      subprojects: subprojects.map((entry) => entry.data),
    }),
    images: images?.data,
    repos: repos?.data,
    audit: audit?.data,
  };
}

/** Return the site's data, gathered once per build. */
export function getSiteData(): Promise<SiteData> {
  if (import.meta.env.DEV) return gather();
  cached ??= gather();
  return cached;
}
