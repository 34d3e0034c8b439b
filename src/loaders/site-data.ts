/**
 * The site's data for pages: the catalog collections and the snapshot files put back together as
 * the typed {@link SiteData} that src/site/ works on, in the order pages list them.
 *
 * The snapshot collections hold each file's stamp (path and hash, see snapshot-loader.ts); the
 * data is read from the file (for images, the index and its image files) here, once per hash: once
 * per build, and in dev again only after the file changed. Reading the file directly rather than through the content layer spares the build
 * serialising every tag into Astro's data store and reading it back.
 */
import { getCollection, getEntry } from 'astro:content';
import type { z } from 'astro/zod';
import { readImagesSnapshot, readSnapshotFile } from '../snapshot/index.ts';
import { listImages, orderCatalog, type ImageView, type SiteData } from '../site/index.ts';
import { SNAPSHOT_SCHEMAS, type SnapshotPart, type SnapshotStamp } from './snapshot-loader.ts';

let cached: Promise<SiteData> | undefined;
const parts = new Map<SnapshotPart, { sha256: string; data: Promise<unknown> }>();

/** Read a snapshot part from its file, or reuse the last read when the file's hash is the same. */
async function readPart<P extends SnapshotPart>(
  part: P,
  stamp: SnapshotStamp | undefined,
): Promise<z.output<(typeof SNAPSHOT_SCHEMAS)[P]> | undefined> {
  if (!stamp) {
    parts.delete(part);
    return undefined;
  }
  let last = parts.get(part);
  if (last?.sha256 !== stamp.sha256) {
    const data =
      part === 'images'
        ? readImagesSnapshot(stamp.file)
        : readSnapshotFile(stamp.file, SNAPSHOT_SCHEMAS[part]);
    last = { sha256: stamp.sha256, data };
    parts.set(part, last);
  }
  return (await last.data) as z.output<(typeof SNAPSHOT_SCHEMAS)[P]> | undefined;
}

/** Gather the catalog from the content collections and the snapshot from its files. */
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
    images: await readPart('images', images?.data),
    repos: await readPart('repos', repos?.data),
    audit: await readPart('audit', audit?.data),
  };
}

/** Return the site's data, gathered once per build. */
export function getSiteData(): Promise<SiteData> {
  if (import.meta.env.DEV) return gather();
  cached ??= gather();
  return cached;
}

/** The static paths of the per-image routes (page, card, JSON): one per image, with its view. */
export async function imageStaticPaths(): Promise<
  { params: { ref: string }; props: { view: ImageView } }[]
> {
  return listImages(await getSiteData()).map((view) => ({
    params: { ref: view.ref },
    props: { view },
  }));
}
