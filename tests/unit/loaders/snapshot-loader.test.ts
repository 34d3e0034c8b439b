import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotLoader } from '../../../src/loaders/snapshot-loader.ts';
import { readImagesSnapshot } from '../../../src/snapshot/index.ts';
import { writeImagesSnapshot } from '../../../src/sync/index.ts';
import { createWatcherStub, fakeLoaderContext } from '../../helpers/loader-context.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snapshot-'));
  await cp('tests/fixtures/snapshot', dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('snapshot loader', () => {
  it('loads the stamp of a snapshot file as one entry named after its part, digested by the hash of the file', async () => {
    const file = join(dir, 'audit.json');
    const text = '{ "schemaVersion": 1, "generatedAt": "2026-11-27T04:00:00Z", "findings": [] }';
    await writeFile(file, text);
    const context = fakeLoaderContext();
    await snapshotLoader({ dir, part: 'audit' }).load(context);
    expect(context.store.keys()).toEqual(['audit']);
    const sha256 = createHash('sha256').update(text).digest('hex');
    expect(context.store.get('audit')).toEqual({
      id: 'audit',
      data: { file, sha256, size: text.length },
      digest: sha256,
    });
    expect(context.logs).toEqual([]);
  });

  it('reads an unchanged file once, and sets the entry again only when its content changed', async () => {
    const file = join(dir, 'images.json');
    const meta = new Map<string, string>();
    const context = { ...fakeLoaderContext(), meta };
    const sets: unknown[] = [];
    const set = context.store.set.bind(context.store);
    context.store.set = (entry) => (sets.push(entry.digest), set(entry));
    const mtime = new Date('2026-11-27T04:00:00Z');
    await utimes(file, mtime, mtime);
    const loader = snapshotLoader({ dir, part: 'images' });
    await loader.load(context);
    expect(sets).toHaveLength(1);

    // Same size and time: the file is not read (its invalid content would fail the build).
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('"status": "stale"', '"status": "fresh"'));
    await utimes(file, mtime, mtime);
    await loader.load(context);
    expect(sets).toHaveLength(1);

    // A new time with the same content: read and hashed, and the entry is left as it was.
    await writeFile(file, original);
    await utimes(file, mtime, new Date(mtime.getTime() + 60_000));
    await loader.load(context);
    expect(sets).toHaveLength(1);
    expect(meta.get('modified')).toBe(`${original.length}:${mtime.getTime() + 60_000}`);

    // New content: a new entry with the new hash.
    const changed = original.replace('"status": "stale"', '"status": "live"');
    await writeFile(file, changed);
    await loader.load(context);
    expect(sets).toEqual([
      createHash('sha256').update(original).digest('hex'),
      createHash('sha256').update(changed).digest('hex'),
    ]);
  });

  it('stamps the images index alone, whose hash changes when an image file does', async () => {
    const file = join(dir, 'images.json');
    const snapshot = (await readImagesSnapshot(file))!;
    await writeImagesSnapshot(file, snapshot);
    const index = await readFile(file, 'utf8');
    const context = fakeLoaderContext();
    const loader = snapshotLoader({ dir, part: 'images' });
    await loader.load(context);
    const sha256 = createHash('sha256').update(index).digest('hex');
    expect(context.store.get('images')).toEqual({
      id: 'images',
      data: { file, sha256, size: index.length },
      digest: sha256,
    });

    snapshot.images[0]!.tags.pop();
    await writeImagesSnapshot(file, snapshot);
    await loader.load(context);
    expect(context.store.get('images')?.digest).toBe(
      createHash('sha256')
        .update(await readFile(file, 'utf8'))
        .digest('hex'),
    );
    expect(context.store.get('images')?.digest).not.toBe(sha256);
  });

  it('warns and leaves no entry when the snapshot file is missing', async () => {
    const context = fakeLoaderContext();
    const loader = snapshotLoader({ dir, part: 'audit' });
    await loader.load(context);
    expect(context.store.keys()).toEqual(['audit']);

    await rm(join(dir, 'audit.json'));
    await loader.load(context);
    expect(context.store.keys()).toEqual([]);
    expect(context.logs).toEqual([
      `warn: ${join(dir, 'audit.json')} does not exist; pages will show its sources as unavailable. Run \`npm run sync\` to write it.`,
    ]);
  });

  it('fails on an invalid snapshot file, naming the file and the field', async () => {
    const file = join(dir, 'images.json');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('"status": "stale"', '"status": "fresh"'),
    );
    const failure = snapshotLoader({ dir, part: 'images' })
      .load(fakeLoaderContext())
      .catch((error: Error) => error.message);
    expect(await failure).toMatch(
      new RegExp(
        `^${file.replaceAll('.', '\\.')} is not a valid snapshot:\\n  images\\.1\\.status: .*\\nRun \`npm run sync\` to write it again\\.$`,
      ),
    );
  });

  it('in dev, loads the file again when the watcher reports a change in it', async () => {
    const watcher = createWatcherStub();
    const context = fakeLoaderContext({ watcher });
    await snapshotLoader({ dir, part: 'audit' }).load(context);
    await rm(join(dir, 'audit.json'));
    await watcher.emit('unlink', join(dir, 'audit.json'));
    expect(context.store.keys()).toEqual([]);
  });
});
