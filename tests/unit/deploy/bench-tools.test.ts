/**
 * The build benchmark's tools: the synthetic catalog and snapshot must be what the site accepts
 * (the catalog validates, the snapshot matches its schema, tags are what the streams select), and a
 * failed build must be reported by the line that says why.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog, selectTags } from '../../../src/catalog/index.ts';
import { readImagesSnapshot, type ImagesSnapshot } from '../../../src/snapshot/index.ts';
import { failureLine, processTreeRss, renderTable } from '../../tools/bench-build.ts';
import { writeSyntheticData, type SyntheticData } from '../../tools/synthetic-snapshot.ts';

describe('synthetic catalog and snapshot', () => {
  let dir: string;
  let data: SyntheticData;
  let snapshot: ImagesSnapshot;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synthetic-'));
    data = await writeSyntheticData({ out: dir, images: 44, tags: 3000 });
    snapshot = (await readImagesSnapshot(join(data.snapshotDir, 'images.json')))!;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('has exactly the images and tags asked for, in a snapshot that matches the schema', () => {
    expect(data).toMatchObject({ images: 44, tags: 3000 });
    expect(snapshot.images).toHaveLength(44);
    expect(snapshot.images.reduce((sum, image) => sum + image.tags.length, 0)).toBe(3000);
    expect(snapshot.sample).toBe(true);
  });

  it('writes a valid catalog that lists every image of the snapshot', async () => {
    const { catalog, problems } = await readCatalog(data.catalogDir);
    expect(problems).toEqual([]);
    const images = catalog!.subprojects.flatMap((subproject) => subproject.images);
    expect(images.map((image) => image.ref).sort()).toEqual(
      snapshot.images.map((image) => image.ref).sort(),
    );
  });

  it("keeps the tags that the catalog's streams select, as the sync does", async () => {
    const { catalog } = await readCatalog(data.catalogDir);
    const images = new Map(
      catalog!.subprojects.flatMap((subproject) => subproject.images).map((i) => [i.ref, i]),
    );
    for (const record of snapshot.images) {
      const names = record.tags.map((tag) => tag.name);
      const selection = selectTags(images.get(record.ref)!.streams, names);
      expect([...selection.keys()]).toEqual(names);
      for (const tag of record.tags) expect(tag.streams).toEqual(selection.get(tag.name));
      expect(record.tagCount).toBeGreaterThanOrEqual(record.tags.length);
    }
  });

  it('gives multi-platform builds 2 to 4 platforms with the labels of bootc images', () => {
    const indexes = snapshot.images
      .flatMap((image) => image.tags)
      .filter((tag) => tag.mediaType === 'application/vnd.oci.image.index.v1+json');
    expect(indexes.length).toBeGreaterThan(1000);
    for (const tag of indexes) {
      expect(tag.platforms.length).toBeGreaterThanOrEqual(2);
      expect(tag.platforms.length).toBeLessThanOrEqual(4);
      for (const platform of tag.platforms)
        expect(platform.labels).toMatchObject({ 'containers.bootc': '1', 'redhat.id': 'fedora' });
    }
  });

  it('refuses fewer images than the committed catalog has', async () => {
    await expect(
      writeSyntheticData({ out: join(dir, 'few'), images: 3, tags: 100 }),
    ).rejects.toThrow(/--images 3 is fewer than the \d+ images of content\/catalog/);
  });
});

describe('bench:build reporting', () => {
  it('names the cause of a failed build, not the line that says it failed', () => {
    const vite = [
      '03:53:16 [build] Building static entrypoints...',
      '03:53:23 [ERROR] [vite] ✗ Build failed in 6.81s',
      'No cached compile metadata found for "Page.astro".',
      '  Stack trace:',
      '    at handler (file:///astro/index.js:109:19)',
    ].join('\n');
    expect(failureLine(vite)).toBe(
      '03:53:23 [ERROR] [vite] ✗ Build failed in 6.81s: No cached compile metadata found for "Page.astro".',
    );
    const length = [
      '[content] Syncing content',
      '[ERROR] Caught error rendering /images/x/',
      'RangeError: Invalid string length',
      '    at JSON.stringify (<anonymous>)',
    ].join('\n');
    expect(failureLine(length)).toBe('RangeError: Invalid string length');
    expect(failureLine('')).toBe('no output');
  });

  it('measures the memory of a running process from /proc', () => {
    expect(processTreeRss(process.pid)).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('prints per page time, the ratio to the peer, how much faster the warm rebuild is and the forced one', () => {
    const measure = (wallMs: number, pages: number) => ({
      wallMs,
      peakRss: 1024 ** 3,
      pages,
      otherFiles: 0,
      distBytes: 2 * 1024 ** 2,
      htmlBytes: 1024 ** 2,
      folders: [],
      largest: { page: '/index.html', bytes: 300 * 1024, gzipBytes: 30 * 1024 },
      textChars: [],
    });
    const table = renderTable([
      {
        data: 'site',
        measure: measure(20_000, 100),
        peer: measure(10_000, 100),
        warm: { ms: 4_000, rss: 1024 ** 3 },
        forcedMs: 15_000,
      },
    ]);
    expect(table.split('\n')[2]).toBe(
      '| site | 100 | 20.0 s | 200 ms | 2.00× | 4.0 s (5.0× faster) | 15.0 s | 1.00 GiB / 1.00 GiB | 300 KiB, 30 KiB | 2.0 MiB |',
    );
  });
});
