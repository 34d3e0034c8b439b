/**
 * The images snapshot on disk. From schema version 2, images.json is an index (header, sources'
 * status, and per image the file that holds it with that file's SHA-256) and every image is a file
 * of its own under images/, so that no file, and no string read at once, grows with the whole
 * snapshot. Up to version 1, images.json held every image itself; {@link readImagesSnapshot} reads
 * both forms into the same {@link ImagesSnapshot}.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { mapLimit } from '../utils/pool.ts';
import { checkSnapshot, parseSnapshotJson, parseSnapshotText, SnapshotFormatError } from './io.ts';
import {
  IMAGES_INDEX_SCHEMA_VERSION,
  type ImageIndexEntry,
  type ImageSnapshot,
  ImageSnapshotSchema,
  type ImagesIndex,
  ImagesIndexSchema,
  type ImagesSnapshot,
  ImagesSnapshotSchema,
  SNAPSHOT_SCHEMA_VERSION,
} from './schema.ts';

/** How many image files are read at once. */
const READ_CONCURRENCY = 4;

/** What images.json holds: an index of image files (version 2), or every image itself (version 1). */
export type ImagesFile =
  { form: 'index'; index: ImagesIndex } | { form: 'single'; snapshot: ImagesSnapshot };

/** Options of {@link readImagesSnapshot}. */
export interface ReadImagesOptions {
  /**
   * Called with the error of an image file that is missing or invalid; the image is then left out
   * and the others are read. Without it, such a file fails the whole read.
   */
  onImageError?: (error: SnapshotFormatError, entry: ImageIndexEntry) => void;
}

/** Return the SHA-256 of some bytes or text, hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Return the name of the folder, beside the index, that holds the image files: "images" for images.json. */
export function imagesFolderName(indexFile: string): string {
  return basename(indexFile).replace(/\.json$/, '');
}

/**
 * Return the path of an image's file relative to the index's folder:
 * `<folder>/<registry host>/<repository path>.<first 16 hex digits of sha256>.json`. Characters a
 * file name should not carry (a port's ":") become "_"; the hash keeps names apart.
 */
export function imageFilePath(folder: string, ref: string, sha256: string): string {
  const segments = ref
    .split('/')
    .map((segment) => (/^\.*$/.test(segment) ? '_' : segment.replace(/[^A-Za-z0-9._-]/g, '_')));
  return `${folder}/${segments.join('/')}.${sha256.slice(0, 16)}.json`;
}

/** The advice of errors about image files. */
function remedyFor(indexFile: string): string {
  return `Run \`npm run sync\` to write the images snapshot again, or \`git checkout -- ${dirname(indexFile)}\` to go back to the committed one.`;
}

/**
 * Parse the text of images.json in either form; `file` names it in errors.
 * Throws {@link SnapshotFormatError} when it is not JSON, or matches neither form.
 */
export function parseImagesFile(file: string, text: string): ImagesFile {
  const data = parseSnapshotJson(file, text);
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version === IMAGES_INDEX_SCHEMA_VERSION)
    return { form: 'index', index: checkSnapshot(file, data, ImagesIndexSchema) };
  if (version === SNAPSHOT_SCHEMA_VERSION)
    return { form: 'single', snapshot: checkSnapshot(file, data, ImagesSnapshotSchema) };
  throw new SnapshotFormatError(file, [
    `schemaVersion: ${JSON.stringify(version)} is not a version this site reads (${SNAPSHOT_SCHEMA_VERSION}: every image in images.json, ${IMAGES_INDEX_SCHEMA_VERSION}: an index of per-image files).`,
  ]);
}

/** Read one image's file and check it against its index entry: hash, schema and ref. */
async function readImageFile(indexFile: string, entry: ImageIndexEntry): Promise<ImageSnapshot> {
  const file = join(dirname(indexFile), entry.file);
  const remedy = remedyFor(indexFile);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SnapshotFormatError(
      file,
      [
        code === 'ENOENT'
          ? `the file is missing; ${indexFile} lists it for ${entry.ref}.`
          : `could not read it (${(error as Error).message}); ${indexFile} lists it for ${entry.ref}.`,
      ],
      remedy,
    );
  }
  const sha256 = sha256Hex(bytes);
  if (sha256 !== entry.sha256)
    throw new SnapshotFormatError(
      file,
      [
        `its SHA-256 is ${sha256}, but ${indexFile} lists ${entry.sha256} for ${entry.ref}: the file was changed or cut short.`,
      ],
      remedy,
    );
  const image = parseSnapshotText(file, bytes.toString('utf8'), ImageSnapshotSchema, remedy);
  if (image.ref !== entry.ref)
    throw new SnapshotFormatError(
      file,
      [`ref: the file holds ${image.ref}, but ${indexFile} lists it for ${entry.ref}.`],
      remedy,
    );
  return image;
}

/**
 * Read the images snapshot from images.json and, in the split form, every image file it lists.
 * Returns undefined when images.json does not exist; throws {@link SnapshotFormatError} naming the
 * file that is invalid (images.json, or an image file that is missing, changed or invalid).
 */
export async function readImagesSnapshot(
  file: string,
  options: ReadImagesOptions = {},
): Promise<ImagesSnapshot | undefined> {
  if (!existsSync(file)) return undefined;
  const parsed = parseImagesFile(file, await readFile(file, 'utf8'));
  if (parsed.form === 'single') return parsed.snapshot;
  const { images: entries, ...header } = parsed.index;
  const images = await mapLimit(entries, READ_CONCURRENCY, async (entry) => {
    try {
      return await readImageFile(file, entry);
    } catch (error) {
      if (!(error instanceof SnapshotFormatError) || !options.onImageError) throw error;
      options.onImageError(error, entry);
      return undefined;
    }
  });
  return {
    ...header,
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    images: images.filter((image) => image !== undefined),
  };
}
