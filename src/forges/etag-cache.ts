/**
 * ETag cache for conditional requests: a GET that was answered with an ETag is sent again with
 * If-None-Match, and a 304 reuses the body kept here, so an unchanged repository costs no rate
 * limit (GitHub does not count a 304 against an authenticated client's primary limit).
 *
 * Kept in .cache/forges/etags.json (git-ignored), not in the committed snapshot: the bodies are
 * bulky raw API answers that reviewers should not have to diff, and they only help the machine
 * that made the requests. Keys are request URLs; no header, and so no token, is stored.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../utils/write-file-atomic.ts';

/** Default location of the cache, relative to the project root. */
export const DEFAULT_ETAG_CACHE_FILE = '.cache/forges/etags.json';

/** Entries not used for this long are dropped when the cache is saved. */
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

export interface EtagEntry {
  etag: string;
  /** The body as received: parsed JSON or text. */
  body: unknown;
  /** Response headers worth keeping for a replay (pagination, totals), lower-case names. */
  headers: Record<string, string>;
  /** When the entry was last sent or refreshed, ISO 8601. */
  usedAt: string;
}

export interface EtagCache {
  get(key: string): EtagEntry | undefined;
  set(key: string, entry: Omit<EtagEntry, 'usedAt'>): void;
  /** Mark an entry as used now (after a 304). */
  touch(key: string): void;
  /** Write the cache where it came from; no-op for an in-memory cache. */
  save(): Promise<void>;
  readonly size: number;
}

/** Headers kept with a cached body, so that a 304 replays pagination and totals. */
export const REPLAYED_HEADERS = [
  'link',
  'x-next-page',
  'x-total',
  'x-total-pages',
  'x-total-count',
  'content-type',
] as const;

/** Create an ETag cache held in memory, optionally saved to a file. */
export function createEtagCache(
  initial: Record<string, EtagEntry> = {},
  options: { file?: string; now?: () => Date } = {},
): EtagCache {
  const now = options.now ?? (() => new Date());
  const entries = new Map(Object.entries(initial));
  return {
    get: (key) => entries.get(key),
    set: (key, entry) => void entries.set(key, { ...entry, usedAt: now().toISOString() }),
    touch: (key) => {
      const entry = entries.get(key);
      if (entry) entry.usedAt = now().toISOString();
    },
    async save() {
      if (!options.file) return;
      const cutoff = now().getTime() - MAX_AGE_MS;
      const kept: Record<string, EtagEntry> = {};
      for (const key of [...entries.keys()].sort()) {
        const entry = entries.get(key)!;
        if (Date.parse(entry.usedAt) >= cutoff) kept[key] = entry;
      }
      await writeFileAtomic(options.file, `${JSON.stringify({ version: 1, entries: kept })}\n`);
    },
    get size() {
      return entries.size;
    },
  };
}

/** Load the ETag cache from a file; a missing or unreadable file gives an empty cache. */
export async function loadEtagCache(
  file: string,
  options: { now?: () => Date } = {},
): Promise<EtagCache> {
  let initial: Record<string, EtagEntry> = {};
  if (existsSync(file)) {
    try {
      const data = JSON.parse(await readFile(file, 'utf8')) as {
        version?: number;
        entries?: Record<string, EtagEntry>;
      };
      if (data.version === 1 && data.entries && typeof data.entries === 'object')
        initial = data.entries;
    } catch {
      // A damaged cache only costs full requests; start again.
    }
  }
  return createEtagCache(initial, { file, ...options });
}
