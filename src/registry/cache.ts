/**
 * The content-addressed cache: manifests and config blobs kept on disk by digest, verified on the
 * way in and on the way out, kept between runs. Anything fetched by digest is fetched once, ever.
 *
 * Layout: `<dir>/packs/<run>.pack` holds the bytes a run fetched, appended one after the other, and
 * `<dir>/packs/<run>.json` maps each digest to its offset and length (written when the run ends).
 * One file per run instead of one per blob: creating thousands of small files costs more than the
 * requests. Small JSON state files (`<name>.json`) sit next to the packs.
 */
import { mkdir, open, readdir, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonBody } from './json.ts';
import { matchesDigest } from './manifest.ts';
import { writeFileAtomic } from '../utils/write-file-atomic.ts';

/** Default cache folder, relative to the project root. */
export const DEFAULT_CACHE_DIR = '.cache/registry';

/** A store of immutable content by digest. */
export interface ContentStore {
  get(digest: string): Promise<Uint8Array | undefined>;
  /** Store bytes under their digest; refuses bytes that do not hash to it. */
  put(digest: string, bytes: Uint8Array): Promise<void>;
  /** Wait until everything stored has reached the disk. */
  flush(): Promise<void>;
  /** Read a small JSON state file (undefined when missing or unreadable). */
  readState(name: string): Promise<unknown>;
  writeState(name: string, value: unknown): Promise<void>;
}

/** A pack's index: digest → [offset, length] in the pack. */
const PackIndexSchema = z.record(
  z.string(),
  z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
);

/** Where a digest's bytes are: pack file, offset, length. */
type Location = [pack: string, offset: number, length: number];

/** Create a content store in a folder (created on first write). */
export function createDiskStore(dir: string): ContentStore {
  const packs = join(dir, 'packs');
  const memory = new Map<string, Uint8Array>();
  let index: Promise<Map<string, Location>> | undefined;
  const readers = new Map<string, Promise<FileHandle>>();
  // This run's pack: opened on the first put, indexed on flush.
  const run = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
  let writer: Promise<FileHandle> | undefined;
  let size = 0;
  const written: Record<string, [number, number]> = {};
  const pending = new Set<Promise<unknown>>();

  function loadIndex(): Promise<Map<string, Location>> {
    index ??= (async () => {
      const map = new Map<string, Location>();
      const names = await readdir(packs).then(
        (all) => all.filter((name) => name.endsWith('.json')).sort(),
        () => [] as string[],
      );
      for (const name of names) {
        // An unreadable index only costs refetching what it listed.
        const text = await readFile(join(packs, name), 'utf8').catch(() => '');
        const read = readJsonBody(text, PackIndexSchema);
        if (!read.ok) continue;
        const pack = name.replace(/\.json$/, '.pack');
        for (const [digest, [offset, length]] of Object.entries(read.data))
          map.set(digest, [pack, offset, length]);
      }
      return map;
    })();
    return index;
  }

  async function readAt([pack, offset, length]: Location): Promise<Uint8Array | undefined> {
    let handle = readers.get(pack);
    if (!handle) {
      handle = open(join(packs, pack), 'r');
      readers.set(pack, handle);
    }
    try {
      const bytes = new Uint8Array(length);
      const { bytesRead } = await (await handle).read(bytes, 0, length, offset);
      return bytesRead === length ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    async get(digest) {
      const hit = memory.get(digest);
      if (hit) return hit;
      const location = (await loadIndex()).get(digest);
      if (!location) return undefined;
      const bytes = await readAt(location);
      // A damaged entry is ignored (and fetched again), never returned.
      if (!bytes || !matchesDigest(bytes, digest)) return undefined;
      memory.set(digest, bytes);
      return bytes;
    },
    async put(digest, bytes) {
      if (!matchesDigest(bytes, digest))
        throw new Error(`Refusing to cache bytes that do not hash to ${digest}.`);
      if (memory.has(digest)) return;
      memory.set(digest, bytes);
      if ((await loadIndex()).has(digest)) return;
      // 'w' creates the pack; after a flush closed it, 'r+' reopens it for positional writes.
      const flags = size > 0 ? 'r+' : 'w';
      writer ??= mkdir(packs, { recursive: true }).then(() =>
        open(join(packs, `${run}.pack`), flags),
      );
      const offset = size;
      size += bytes.length;
      // Positional writes, off the request path; the index entry only counts once the bytes are written.
      const write = writer
        .then((handle) => handle.write(bytes, 0, bytes.length, offset))
        .then(() => {
          written[digest] = [offset, bytes.length];
        });
      pending.add(write);
      write.catch(() => {}).finally(() => pending.delete(write));
    },
    async flush() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
      const handles = [...readers.values()];
      readers.clear();
      for (const handle of handles) await (await handle.catch(() => undefined))?.close();
      if (!writer) return;
      const handle = await writer;
      writer = undefined;
      await handle.sync().catch(() => {});
      await handle.close();
      await writeFileAtomic(join(packs, `${run}.json`), `${JSON.stringify(written)}\n`);
    },
    async readState(name) {
      try {
        return JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
    async writeState(name, value) {
      await writeFileAtomic(join(dir, `${name}.json`), `${JSON.stringify(value)}\n`);
    },
  };
}

/** Create a content store in memory (tests, one-off runs). */
export function createMemoryStore(): ContentStore {
  const memory = new Map<string, Uint8Array>();
  const state = new Map<string, unknown>();
  return {
    get(digest) {
      return Promise.resolve(memory.get(digest));
    },
    put(digest, bytes) {
      if (!matchesDigest(bytes, digest))
        return Promise.reject(new Error(`Refusing to cache bytes that do not hash to ${digest}.`));
      memory.set(digest, bytes);
      return Promise.resolve();
    },
    async flush() {},
    readState(name) {
      return Promise.resolve(structuredClone(state.get(name)));
    },
    writeState(name, value) {
      state.set(name, structuredClone(value));
      return Promise.resolve();
    },
  };
}
