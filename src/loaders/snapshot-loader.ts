/**
 * Content-layer loaders over the snapshot files: a collection per part (images.json, repos.json,
 * audit.json) with one entry named after the part, holding the whole file, since pages need the
 * header (when, sample or real) together with the records. A missing file leaves the collection
 * empty, so the site shows every source as unavailable rather than failing; an invalid file fails
 * the build. In dev, a change that the watcher reports in the file loads it again.
 */
import { join } from 'node:path';
import {
  AuditSnapshotSchema,
  ImagesSnapshotSchema,
  ReposSnapshotSchema,
  readSnapshotFile,
  SNAPSHOT_FILES,
} from '../snapshot/index.ts';
import { watchPaths, type LoaderServices, type SiteLoader } from './context.ts';

/** The schema of each snapshot part, which its file is checked against and its collection typed by. */
export const SNAPSHOT_SCHEMAS = {
  images: ImagesSnapshotSchema,
  repos: ReposSnapshotSchema,
  audit: AuditSnapshotSchema,
} as const;

/** A part of the snapshot, and the name of its collection. */
export type SnapshotPart = keyof typeof SNAPSHOT_SCHEMAS;

/** Load one snapshot file of `dir` into the collection of its part. */
export function snapshotLoader(options: { dir: string; part: SnapshotPart }): SiteLoader {
  const { part } = options;
  const file = join(options.dir, SNAPSHOT_FILES[part]);

  /** Read the file into the collection, or empty the collection when the file does not exist. */
  async function fill({ store, logger, generateDigest }: LoaderServices): Promise<void> {
    const data = await readSnapshotFile(file, SNAPSHOT_SCHEMAS[part]);
    if (!data) {
      store.delete(part);
      logger.warn(
        `${file} does not exist; pages will show its sources as unavailable. Run \`npm run sync\` to write it.`,
      );
      return;
    }
    store.set({ id: part, data, digest: generateDigest(data) });
  }

  return {
    name: `snapshot-${part}-loader`,
    async load(context) {
      watchPaths(context.watcher, [file], () =>
        fill(context).catch((error: unknown) => context.logger.error((error as Error).message)),
      );
      await fill(context);
    },
  };
}
