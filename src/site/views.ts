/**
 * What every page works on: the catalog and the snapshot as {@link SiteData}, in the order pages
 * list them, and how fresh the snapshot is. Pure functions, no Astro; the views of images,
 * owners, subprojects and milestones live in their own modules.
 */
import type { Catalog, Subproject } from '../catalog/index.ts';
import type {
  AuditSnapshot,
  ImagesSnapshot,
  ReposSnapshot,
  SnapshotHeader,
  SourceStatus,
} from '../snapshot/index.ts';

/** Everything the site is generated from. */
export interface SiteData {
  catalog: Catalog;
  images?: ImagesSnapshot | undefined;
  repos?: ReposSnapshot | undefined;
  audit?: AuditSnapshot | undefined;
}

/** Order subprojects as pages list them: those of Fedora first, then by name. */
function compareSubprojects(a: Subproject, b: Subproject): number {
  return Number(b.official) - Number(a.official) || a.name.localeCompare(b.name);
}

/** Return the catalog with subprojects in page order ({@link compareSubprojects}) and SIGs by name. */
export function orderCatalog(catalog: Catalog): Catalog {
  return {
    initiative: catalog.initiative,
    sigs: [...catalog.sigs].sort((a, b) => a.name.localeCompare(b.name)),
    subprojects: [...catalog.subprojects].sort(compareSubprojects),
  };
}

/** Count records per status, for the freshness line of a page. */
export function countStatuses(records: { status: SourceStatus }[]): Record<SourceStatus, number> {
  const counts: Record<SourceStatus, number> = { live: 0, stale: 0, unavailable: 0 };
  for (const record of records) counts[record.status]++;
  return counts;
}

/** The snapshot headers present, for the site-wide data notice. */
export function snapshotHeaders(data: SiteData): { part: string; header: SnapshotHeader }[] {
  const parts: [string, SnapshotHeader | undefined][] = [
    ['images', data.images],
    ['repos', data.repos],
    ['audit', data.audit],
  ];
  return parts
    .filter((entry): entry is [string, SnapshotHeader] => entry[1] !== undefined)
    .map(([part, header]) => ({ part, header }));
}

/** Whether any part of the snapshot is sample data, so that pages never call it live. */
export function isSampleData(data: SiteData): boolean {
  return snapshotHeaders(data).some(({ header }) => header.sample);
}

/** Label a record's status for a chip: sample data fetched from fixtures is never "Live". */
export function statusLabel(status: SourceStatus, sample: boolean): string {
  if (status === 'live') return sample ? 'Sample' : 'Live';
  return status === 'stale' ? 'Stale' : 'Unavailable';
}

/** Say how many records have data, for a page's freshness line: `34 with sample data, 0 stale, 0 not fetched yet`. */
export function describeStatusCounts(
  counts: Record<SourceStatus, number>,
  sample: boolean,
): string {
  return `${counts.live} with ${sample ? 'sample' : 'live'} data, ${counts.stale} stale, ${counts.unavailable} not fetched yet`;
}
