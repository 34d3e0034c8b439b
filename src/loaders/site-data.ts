/**
 * The site's data for pages: the catalog and snapshot collections put back together as the typed
 * {@link SiteData} that src/catalog/views.ts works on. Read once per build.
 */
import { getCollection, getEntry } from 'astro:content';
import type { Initiative, Sig, Subproject } from '../catalog/index.ts';
import type { AuditSnapshot, ImagesSnapshot, ReposSnapshot } from '../snapshot/index.ts';
import type { SiteData } from '../site/index.ts';

let cached: Promise<SiteData> | undefined;

/** Gather the catalog and the snapshot from the content collections. */
async function gather(): Promise<SiteData> {
  const [subprojects, sigs, initiative, snapshot] = await Promise.all([
    getCollection('subprojects'),
    getCollection('sigs'),
    getEntry('initiative', 'initiative'),
    getCollection('snapshot'),
  ]);
  if (!initiative)
    throw new Error(
      'The initiative collection is empty; content/catalog/initiative.yaml must exist.',
    );
  const part = <T>(id: string) => snapshot.find((entry) => entry.id === id)?.data as T | undefined;
  const order = (a: Subproject, b: Subproject) =>
    Number(b.official) - Number(a.official) || a.name.localeCompare(b.name);
  return {
    catalog: {
      initiative: initiative.data as Initiative,
      sigs: sigs.map((entry) => entry.data as Sig).sort((a, b) => a.name.localeCompare(b.name)),
      subprojects: subprojects.map((entry) => entry.data as Subproject).sort(order),
    },
    images: part<ImagesSnapshot>('images'),
    repos: part<ReposSnapshot>('repos'),
    audit: part<AuditSnapshot>('audit'),
  };
}

/** Return the site's data, gathered once per build. */
export function getSiteData(): Promise<SiteData> {
  if (import.meta.env.DEV) return gather();
  cached ??= gather();
  return cached;
}
