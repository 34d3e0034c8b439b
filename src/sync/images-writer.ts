/**
 * Writing the images snapshot in its split form (see src/snapshot/images-files.ts): one file per
 * image, named after its content, then images.json, the index, last. A sync cut short before the
 * index is written leaves the previous index and every file it names untouched; an image whose
 * data did not change keeps its file, neither rewritten nor touched.
 */
import { readFile, readdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import {
  type ImageIndexEntry,
  imageFilePath,
  imagesFolderName,
  type ImagesIndex,
  IMAGES_INDEX_SCHEMA_VERSION,
  type ImagesSnapshot,
  sha256Hex,
  stringifySnapshot,
  writeSnapshotFile,
} from '../snapshot/index.ts';
import { mapLimit } from '../utils/pool.ts';
import { writeFileAtomic } from '../utils/write-file-atomic.ts';

/** How many image files are compared or written at once. */
const WRITE_CONCURRENCY = 4;

/** What {@link writeImagesSnapshot} did, with paths relative to the index's folder. */
export interface ImagesWriteReport {
  /** Image files written because they are new or their data changed. */
  written: string[];
  /** Image files already on disk with the same bytes. */
  unchanged: string[];
  /** Files removed from the images folder: images no longer listed, older data, stray temporary files. */
  removed: string[];
  /** Size in bytes of every image file the index lists. */
  bytes: number;
}

/** Whether a file exists with exactly these bytes. */
async function hasBytes(file: string, text: string): Promise<boolean> {
  try {
    return (await readFile(file)).equals(Buffer.from(text, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Whether a file name is an image file's (`<name>.<16 hex digits>.json`) or a temporary file of one. */
function isImageFileName(name: string): boolean {
  return /\.[a-f0-9]{16}\.json$/.test(name) || /^\..+\.json\.\d+\.[a-z0-9]*\.tmp$/.test(name);
}

/**
 * Remove every image file (and temporary file) of `folder` that `keep` does not list, then the
 * folders left empty; files of any other name are left alone.
 */
async function prune(root: string, folder: string, keep: Set<string>): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  const folders: string[] = [];
  for (const entry of entries) {
    const path = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (entry.isDirectory()) folders.push(path);
    else if (!keep.has(path) && isImageFileName(entry.name)) {
      await rm(join(root, path), { force: true });
      removed.push(path);
    }
  }
  // Deepest first, so that a folder emptied by its children's removal goes too.
  for (const path of folders.sort((a, b) => b.length - a.length))
    await rmdir(join(root, path)).catch(() => undefined);
  return removed.sort();
}

/**
 * Write the images snapshot to `file` (images.json) and one file per image beside it, in the folder
 * named after it (images/): changed and new image files first, each atomically, then the index;
 * then remove the files the index no longer names. An older single-file images.json is replaced by
 * the index.
 */
export async function writeImagesSnapshot(
  file: string,
  snapshot: ImagesSnapshot,
): Promise<ImagesWriteReport> {
  const root = dirname(file);
  const folder = imagesFolderName(file);
  const written: string[] = [];
  const unchanged: string[] = [];
  const entries = await mapLimit(
    snapshot.images,
    WRITE_CONCURRENCY,
    async (image): Promise<ImageIndexEntry> => {
      const text = stringifySnapshot(image);
      const sha256 = sha256Hex(text);
      const path = imageFilePath(folder, image.ref, sha256);
      if (await hasBytes(join(root, path), text)) unchanged.push(path);
      else {
        await writeFileAtomic(join(root, path), text);
        written.push(path);
      }
      const { ref, status, fetchedAt, tagCount } = image;
      return {
        ref,
        status,
        fetchedAt,
        tagCount,
        file: path,
        sha256,
        size: Buffer.byteLength(text),
      };
    },
  );
  const { images: _images, ...header } = snapshot;
  const index: ImagesIndex = {
    ...header,
    schemaVersion: IMAGES_INDEX_SCHEMA_VERSION,
    images: entries,
  };
  await writeSnapshotFile(file, index);
  const removed = await prune(root, folder, new Set(entries.map((entry) => entry.file)));
  const bytes = entries.reduce((sum, entry) => sum + entry.size, 0);
  return { written: written.sort(), unchanged: unchanged.sort(), removed, bytes };
}
