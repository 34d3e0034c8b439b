import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEtagCache } from '../../../src/forges/etag-cache.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'etags-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadEtagCache', () => {
  it('keeps entries between runs and drops those unused for 30 days', async () => {
    const file = join(dir, 'forges', 'etags.json');
    let now = new Date('2026-10-01T00:00:00Z');
    const first = await loadEtagCache(file, { now: () => now });
    first.set('github https://api.github.com/repos/a/old', {
      etag: 'W/"1"',
      body: { old: true },
      headers: {},
    });
    now = new Date('2026-11-20T00:00:00Z');
    first.set('github https://api.github.com/repos/a/new', {
      etag: 'W/"2"',
      body: { new: true },
      headers: { link: '<x>; rel="next"' },
    });
    await first.save();
    const second = await loadEtagCache(file, { now: () => now });
    expect(second.size).toBe(1);
    expect(second.get('github https://api.github.com/repos/a/new')).toEqual({
      etag: 'W/"2"',
      body: { new: true },
      headers: { link: '<x>; rel="next"' },
      usedAt: '2026-11-20T00:00:00.000Z',
    });
    expect(second.get('github https://api.github.com/repos/a/old')).toBeUndefined();
  });

  it('starts empty from a damaged file instead of failing the sync', async () => {
    const file = join(dir, 'etags.json');
    await writeFile(file, '{"version": 1, "entries": ');
    const cache = await loadEtagCache(file);
    expect(cache.size).toBe(0);
    cache.set('k', { etag: '"e"', body: 'text', headers: {} });
    await cache.save();
    expect(JSON.parse(await readFile(file, 'utf8')).entries.k.etag).toBe('"e"');
  });
});
