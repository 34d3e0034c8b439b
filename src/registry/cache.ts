/**
 * The content-addressed cache: manifests and config blobs stored on disk by digest, verified on the
 * way in and on the way out, kept between runs. Anything fetched by digest is fetched once, ever.
 * Layout: `<dir>/blobs/<algorithm>/<hex>`, plus small JSON state files next to it.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { matchesDigest } from './manifest.ts';

/** Default cache folder, relative to the project root. */
export const DEFAULT_CACHE_DIR = '.cache/registry';

/** A store of immutable content by digest. */
export interface ContentStore {
  get(digest: string): Promise<Uint8Array | undefined>;
  /** Store bytes under their digest; refuses bytes that do not hash to it. */
  put(digest: string, bytes: Uint8Array): Promise<void>;
  /** Read a small JSON state file (undefined when missing or unreadable). */
  readState(name: string): Promise<unknown>;
  writeState(name: string, value: unknown): Promise<void>;
}

function blobPath(dir: string, digest: string): string {
  const [algorithm, hex] = digest.split(':');
  if (!algorithm || !hex || !/^[a-f0-9]+$/.test(hex)) throw new Error(`Not a digest: ${digest}`);
  return join(dir, 'blobs', algorithm, hex);
}

/** Create a content store in a folder (created on first write). */
export function createDiskStore(dir: string): ContentStore {
  const memory = new Map<string, Uint8Array>();
  // What the cache folder holds, listed once per algorithm, so that a miss costs no I/O.
  const listings = new Map<string, Promise<Set<string>>>();
  const madeDirs = new Set<string>();
  function listing(algorithm: string): Promise<Set<string>> {
    let list = listings.get(algorithm);
    if (!list) {
      list = readdir(join(dir, 'blobs', algorithm)).then(
        (names) => new Set(names.filter((name) => !name.endsWith('.tmp'))),
        () => new Set<string>(),
      );
      listings.set(algorithm, list);
    }
    return list;
  }
  return {
    async get(digest) {
      const hit = memory.get(digest);
      if (hit) return hit;
      const [algorithm, hex] = digest.split(':');
      if (!algorithm || !hex || !(await listing(algorithm)).has(hex)) return undefined;
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(blobPath(dir, digest)));
      } catch {
        return undefined;
      }
      if (!matchesDigest(bytes, digest)) {
        await rm(blobPath(dir, digest), { force: true });
        return undefined;
      }
      memory.set(digest, bytes);
      return bytes;
    },
    async put(digest, bytes) {
      if (!matchesDigest(bytes, digest))
        throw new Error(`Refusing to cache bytes that do not hash to ${digest}.`);
      memory.set(digest, bytes);
      const file = blobPath(dir, digest);
      const folder = join(file, '..');
      if (!madeDirs.has(folder)) {
        await mkdir(folder, { recursive: true });
        madeDirs.add(folder);
      }
      const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, file);
    },
    async readState(name) {
      try {
        return JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8'));
      } catch {
        return undefined;
      }
    },
    async writeState(name, value) {
      await mkdir(dir, { recursive: true });
      const file = join(dir, `${name}.json`);
      const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
      await rename(temporary, file);
    },
  };
}

/** Create a content store in memory (tests, one-off runs). */
export function createMemoryStore(): ContentStore {
  const memory = new Map<string, Uint8Array>();
  const state = new Map<string, unknown>();
  return {
    async get(digest) {
      return memory.get(digest);
    },
    async put(digest, bytes) {
      if (!matchesDigest(bytes, digest))
        throw new Error(`Refusing to cache bytes that do not hash to ${digest}.`);
      memory.set(digest, bytes);
    },
    async readState(name) {
      return structuredClone(state.get(name));
    },
    async writeState(name, value) {
      state.set(name, structuredClone(value));
    },
  };
}
