import { mkdtemp, readdir, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiskStore } from '../../../src/registry/cache.ts';
import { digestOf } from '../../../src/registry/manifest.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imh-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytes = (text: string) => new TextEncoder().encode(text);

describe('disk store', () => {
  it('keeps what was stored for the next run, in one pack file per run', async () => {
    const a = bytes('{"a":1}');
    const b = bytes('{"b":2}');
    const first = createDiskStore(dir);
    await first.put(digestOf(a), a);
    await first.put(digestOf(b), b);
    await first.flush();
    expect((await readdir(join(dir, 'packs'))).length).toBe(2);
    const second = createDiskStore(dir);
    expect(await second.get(digestOf(a))).toEqual(a);
    expect(await second.get(digestOf(b))).toEqual(b);
    expect(await second.get(digestOf(bytes('other')))).toBeUndefined();
    await second.flush(); // closes the pack it read from
  });

  it('refuses bytes that do not hash to the digest', async () => {
    await expect(createDiskStore(dir).put(digestOf(bytes('x')), bytes('y'))).rejects.toThrow(
      /Refusing to cache/,
    );
  });

  it('ignores a damaged entry instead of returning it', async () => {
    const a = bytes('{"a":1}');
    const store = createDiskStore(dir);
    await store.put(digestOf(a), a);
    await store.flush();
    const pack = (await readdir(join(dir, 'packs'))).find((n) => n.endsWith('.pack'))!;
    const content = await readFile(join(dir, 'packs', pack));
    content[2] = content[2]! ^ 1;
    await writeFile(join(dir, 'packs', pack), content);
    const reader = createDiskStore(dir);
    expect(await reader.get(digestOf(a))).toBeUndefined();
    await reader.flush();
  });
});
