/**
 * Content-layer loaders over the snapshot files (images.json, repos.json, audit.json). Each file
 * becomes one collection entry keyed by its part, holding the whole file: pages need the header
 * (when, sample or real) together with the records. A missing file is an empty snapshot, so the
 * site shows every source as unavailable rather than failing; an invalid file fails the build.
 */
import type { Loader } from 'astro/loaders';
import { join } from 'node:path';
import { readSnapshotFile, SNAPSHOT_FILES } from '../snapshot/index.ts';
import {
  AuditSnapshotSchema,
  ImagesSnapshotSchema,
  ReposSnapshotSchema,
} from '../snapshot/index.ts';

const schemas = {
  images: ImagesSnapshotSchema,
  repos: ReposSnapshotSchema,
  audit: AuditSnapshotSchema,
} as const;

/** Load the snapshot files of `dir` into one collection with an entry per part. */
export function snapshotLoader(options: { dir: string }): Loader {
  return {
    name: 'snapshot-loader',
    async load({ store, logger, generateDigest, watcher }) {
      store.clear();
      for (const part of Object.keys(schemas) as (keyof typeof schemas)[]) {
        const file = join(options.dir, SNAPSHOT_FILES[part]);
        watcher?.add(file);
        const data = await readSnapshotFile(file, schemas[part]);
        if (!data) {
          logger.warn(
            `${file} does not exist; pages will show its sources as unavailable. Run \`npm run sync\` to write it.`,
          );
          continue;
        }
        store.set({
          id: part,
          data: data as Record<string, unknown>,
          digest: generateDigest(data as Record<string, unknown>),
        });
      }
    },
  };
}
