/**
 * The images snapshot on disk, in real files: written as an index and one file per image, read back
 * as the same snapshot; an older single images.json still read; a missing, changed or invalid image
 * file named in the error with what to run; a sync cut short leaves the previous snapshot readable;
 * an unchanged image's file is left alone and a removed image's file goes.
 */
import { cp, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ImagesIndexSchema,
  ImagesSnapshotSchema,
  readImagesSnapshot,
  sha256Hex,
  stringifySnapshot,
  type ImagesSnapshot,
} from '../../../src/snapshot/index.ts';
import { writeImagesSnapshot } from '../../../src/sync/index.ts';

const FIXTURE = 'tests/fixtures/snapshot/images.json';
const BOOTC = 'quay.io/fedora/fedora-bootc';
const COREOS = 'quay.io/fedora/fedora-coreos';

let dir: string;
let file: string;
let fixture: ImagesSnapshot;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'images-files-'));
  file = join(dir, 'images.json');
  fixture = ImagesSnapshotSchema.parse(JSON.parse(await readFile(FIXTURE, 'utf8')));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Every file under the snapshot folder, relative to it, sorted. */
async function listFiles(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

/** The index as written, parsed. */
async function readIndex() {
  return ImagesIndexSchema.parse(JSON.parse(await readFile(file, 'utf8')));
}

/** The snapshot with one image changed. */
function withBootcStale(snapshot: ImagesSnapshot): ImagesSnapshot {
  const copy = structuredClone(snapshot);
  copy.images[0]!.status = 'stale';
  copy.images[0]!.error = 'Could not list tags of quay.io/fedora/fedora-bootc: 503';
  return copy;
}

describe('the images snapshot as an index and one file per image', () => {
  it('reads back what it wrote: the same snapshot, from an index that holds no tags', async () => {
    const report = await writeImagesSnapshot(file, fixture);
    const index = await readIndex();
    expect(index.schemaVersion).toBe(2);
    expect(index.images.map(({ ref, status, tagCount }) => [ref, status, tagCount])).toEqual([
      [BOOTC, 'live', 212],
      [COREOS, 'stale', 3],
    ]);
    const bootcText = stringifySnapshot(fixture.images[0]);
    expect(index.images[0]).toMatchObject({
      file: `images/quay.io/fedora/fedora-bootc.${sha256Hex(bootcText).slice(0, 16)}.json`,
      sha256: sha256Hex(bootcText),
      size: Buffer.byteLength(bootcText),
    });
    expect(await readFile(file, 'utf8')).not.toContain('"tags"');
    expect(await listFiles()).toEqual(['images.json', ...index.images.map((i) => i.file)]);
    expect(report.written).toEqual(index.images.map((i) => i.file));
    expect(await readFile(join(dir, index.images[0]!.file), 'utf8')).toBe(bootcText);

    const read = await readImagesSnapshot(file);
    expect(stringifySnapshot(read)).toBe(stringifySnapshot(fixture));
  });

  it('still reads an older images.json that holds every image, and replaces it with the index on the next write', async () => {
    await cp(FIXTURE, file);
    expect(stringifySnapshot(await readImagesSnapshot(file))).toBe(stringifySnapshot(fixture));
    await writeImagesSnapshot(file, fixture);
    expect((await readIndex()).images).toHaveLength(2);
    expect(stringifySnapshot(await readImagesSnapshot(file))).toBe(stringifySnapshot(fixture));
  });

  it('returns undefined when images.json does not exist', async () => {
    expect(await readImagesSnapshot(file)).toBeUndefined();
  });

  it('refuses a schema version it does not know, saying which it reads', async () => {
    await writeFile(file, '{ "schemaVersion": 3, "images": [] }');
    await expect(readImagesSnapshot(file)).rejects.toThrow(
      `${file} is not a valid snapshot:\n  schemaVersion: 3 is not a version this site reads (1: every image in images.json, 2: an index of per-image files).\nRun \`npm run sync\` to write it again.`,
    );
  });

  it('refuses an index that names a file outside its folder', async () => {
    await writeImagesSnapshot(file, fixture);
    const index = await readIndex();
    index.images[0]!.file = '../outside.json';
    await writeFile(file, stringifySnapshot(index));
    await expect(readImagesSnapshot(file)).rejects.toThrow(
      `${file} is not a valid snapshot:\n  images.0.file: must not contain "." or ".." segments\n`,
    );
  });

  it('names a missing image file, the image it holds, and what to run', async () => {
    await writeImagesSnapshot(file, fixture);
    const part = join(dir, (await readIndex()).images[1]!.file);
    await rm(part);
    await expect(readImagesSnapshot(file)).rejects.toThrow(
      `${part} is not a valid snapshot:\n  the file is missing; ${file} lists it for ${COREOS}.\nRun \`npm run sync\` to write the images snapshot again, or \`git checkout -- ${dir}\` to go back to the committed one.`,
    );
  });

  it('names an image file that was cut short or edited after the index was written', async () => {
    await writeImagesSnapshot(file, fixture);
    const entry = (await readIndex()).images[0]!;
    const part = join(dir, entry.file);
    const text = await readFile(part, 'utf8');
    await writeFile(part, text.slice(0, 100));
    await expect(readImagesSnapshot(file)).rejects.toThrow(
      `${part} is not a valid snapshot:\n  its SHA-256 is ${sha256Hex(text.slice(0, 100))}, but ${file} lists ${entry.sha256} for ${BOOTC}: the file was changed or cut short.\n`,
    );
  });

  it('names an image file that does not match the image schema, and the field', async () => {
    await writeImagesSnapshot(file, fixture);
    const index = await readIndex();
    const part = join(dir, index.images[1]!.file);
    const invalid = (await readFile(part, 'utf8')).replace('"status": "stale"', '"status": "old"');
    await writeFile(part, invalid);
    index.images[1]!.sha256 = sha256Hex(invalid);
    await writeFile(file, stringifySnapshot(index));
    await expect(readImagesSnapshot(file)).rejects.toThrow(
      new RegExp(`^${part.replaceAll('.', '\\.')} is not a valid snapshot:\\n  status: `),
    );
  });

  it('leaves out an unreadable image and says so when asked to, reading the others', async () => {
    await writeImagesSnapshot(file, fixture);
    await rm(join(dir, (await readIndex()).images[0]!.file));
    const skipped: string[] = [];
    const read = await readImagesSnapshot(file, {
      onImageError: (error, entry) => skipped.push(`${entry.ref}: ${error.issues[0]}`),
    });
    expect(read?.images.map((image) => image.ref)).toEqual([COREOS]);
    expect(skipped).toEqual([`${BOOTC}: the file is missing; ${file} lists it for ${BOOTC}.`]);
  });

  it('leaves the previous snapshot readable when a write is cut short before the index', async () => {
    await writeImagesSnapshot(file, fixture);
    const before = await listFiles();
    // What a sync cut short leaves: the changed image's new file, a stray temporary file, the old index.
    const other = await mkdtemp(join(tmpdir(), 'images-files-other-'));
    try {
      const changed = await writeImagesSnapshot(
        join(other, 'images.json'),
        withBootcStale(fixture),
      );
      const newFile = changed.written.find((path) => path.includes('fedora-bootc'))!;
      await cp(join(other, newFile), join(dir, newFile));
      await writeFile(join(dir, 'images/quay.io/fedora/.fedora-bootc.json.4242.abc.tmp'), '{"ref');
      expect(before).not.toContain(newFile);

      expect(stringifySnapshot(await readImagesSnapshot(file))).toBe(stringifySnapshot(fixture));

      // The next complete write takes the new file as it is, and clears what the old index named.
      const next = await writeImagesSnapshot(file, withBootcStale(fixture));
      expect(next.written).toEqual([]);
      expect(next.removed).toEqual([
        'images/quay.io/fedora/.fedora-bootc.json.4242.abc.tmp',
        before.find((path) => path.includes('fedora-bootc'))!,
      ]);
      expect((await readImagesSnapshot(file))?.images[0]?.status).toBe('stale');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('does not touch the file of an unchanged image, and replaces the file of a changed one', async () => {
    await writeImagesSnapshot(file, fixture);
    const [bootc, coreos] = (await readIndex()).images;
    const past = new Date('2026-01-01T00:00:00Z');
    for (const entry of [bootc!, coreos!]) await utimes(join(dir, entry.file), past, past);

    const report = await writeImagesSnapshot(file, withBootcStale(fixture));
    const [newBootc, sameCoreos] = (await readIndex()).images;
    expect(sameCoreos).toEqual(coreos);
    expect((await stat(join(dir, coreos!.file))).mtime).toEqual(past);
    expect(report).toMatchObject({
      written: [newBootc!.file],
      unchanged: [coreos!.file],
      removed: [bootc!.file],
    });
    expect(newBootc!.file).not.toBe(bootc!.file);
    expect(existsSync(join(dir, bootc!.file))).toBe(false);
  });

  it('deletes the file of an image no longer listed, and the folders it leaves empty', async () => {
    const gitlab = structuredClone(fixture.images[1]!);
    gitlab.ref = 'registry.gitlab.com/fedora/bootc/base';
    await writeImagesSnapshot(file, { ...fixture, images: [...fixture.images, gitlab] });
    expect(existsSync(join(dir, 'images/registry.gitlab.com/fedora/bootc'))).toBe(true);

    await writeFile(join(dir, 'images/quay.io/notes.txt'), 'not an image file');
    const report = await writeImagesSnapshot(file, fixture);
    expect(report.removed).toEqual([
      expect.stringMatching(
        /^images\/registry\.gitlab\.com\/fedora\/bootc\/base\.[a-f0-9]{16}\.json$/,
      ),
    ]);
    expect(existsSync(join(dir, 'images/registry.gitlab.com'))).toBe(false);
    expect(await listFiles()).toEqual([
      'images.json',
      ...(await readIndex()).images.map((i) => i.file),
      'images/quay.io/notes.txt',
    ]);
  });

  it('keeps a port out of file names', async () => {
    const local = structuredClone(fixture.images[0]!);
    local.ref = 'localhost:5000/fedora/bootc';
    await writeImagesSnapshot(file, { ...fixture, images: [local] });
    expect((await readIndex()).images[0]!.file).toMatch(
      /^images\/localhost_5000\/fedora\/bootc\.[a-f0-9]{16}\.json$/,
    );
    expect((await readImagesSnapshot(file))?.images[0]?.ref).toBe('localhost:5000/fedora/bootc');
  });
});
