/**
 * Content-layer loaders over the snapshot files: a collection per part (images.json, repos.json,
 * audit.json) with one entry named after the part. The entry is the file's stamp (where it is, its
 * size and SHA-256), not its data: the site data reads the file itself (see site-data.ts), so the
 * content layer neither copies nor serialises tens of megabytes of tags, and the entry's digest is
 * the file's hash, which stays the same while the file does. images.json is an index that lists
 * the SHA-256 of every image file (src/snapshot/images-files.ts), so its own hash stands for the
 * whole images snapshot and only the index is read here.
 *
 * An unchanged file costs nothing: the loader keeps the file's size and modification time in its
 * `meta` store and reads the file only when they differ (then hashes it, and checks it against its
 * schema only when the hash differs too). A missing file leaves the collection empty, so the site
 * shows every source as unavailable rather than failing; an invalid file fails the build. In dev, a
 * change that the watcher reports in the file loads it again.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'astro/zod';
import {
  AuditSnapshotSchema,
  ImagesSnapshotSchema,
  parseImagesFile,
  parseSnapshotText,
  ReposSnapshotSchema,
  SNAPSHOT_FILES,
  sha256Hex,
} from '../snapshot/index.ts';
import { watchPaths, type LoaderServices, type SiteLoader } from './context.ts';

/** The schema of each snapshot part, which its data is typed by and its file checked against (images.json: an index of image files, or, from older syncs, this schema). */
export const SNAPSHOT_SCHEMAS = {
  images: ImagesSnapshotSchema,
  repos: ReposSnapshotSchema,
  audit: AuditSnapshotSchema,
} as const;

/** A part of the snapshot, and the name of its collection. */
export type SnapshotPart = keyof typeof SNAPSHOT_SCHEMAS;

/** The entry of a snapshot collection: which file holds the part, and what it held when loaded. */
export const SnapshotStampSchema = z.object({
  /** Absolute path of the snapshot file. */
  file: z.string(),
  /** SHA-256 of the file's bytes, hex; also the entry's digest. */
  sha256: z.string(),
  /** Size in bytes. */
  size: z.number().int().nonnegative(),
});

/** A snapshot collection's entry. */
export type SnapshotStamp = z.output<typeof SnapshotStampSchema>;

/** Whether an error is a missing file. */
function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Load the stamp of one snapshot file of `dir` into the collection of its part. */
export function snapshotLoader(options: { dir: string; part: SnapshotPart }): SiteLoader {
  const { part } = options;
  const file = resolve(join(options.dir, SNAPSHOT_FILES[part]));

  /** Stamp the file into the collection when it changed, or empty the collection when it is gone. */
  async function fill({ store, logger, meta }: LoaderServices): Promise<void> {
    let size: number, modified: string;
    try {
      const stats = await stat(file);
      size = stats.size;
      modified = `${stats.size}:${stats.mtimeMs}`;
    } catch (error) {
      if (!isMissing(error)) throw error;
      store.delete(part);
      meta?.delete('modified');
      meta?.delete('sha256');
      logger.warn(
        `${file} does not exist; pages will show its sources as unavailable. Run \`npm run sync\` to write it.`,
      );
      return;
    }
    const stored = store.keys().includes(part);
    if (stored && meta?.get('modified') === modified) return;
    const text = await readFile(file, 'utf8');
    const sha256 = sha256Hex(text);
    if (!stored || meta?.get('sha256') !== sha256) {
      if (part === 'images') parseImagesFile(file, text);
      else parseSnapshotText(file, text, SNAPSHOT_SCHEMAS[part]);
      const stamp: SnapshotStamp = { file, sha256, size };
      store.set({ id: part, data: stamp, digest: sha256 });
    }
    meta?.set('modified', modified);
    meta?.set('sha256', sha256);
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
