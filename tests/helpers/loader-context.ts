/**
 * A fake of the loader context Astro hands a content-layer loader, for unit tests of the loaders:
 * an in-memory store, a logger that records what it was told, a digest of the data, and a
 * watcher stub whose events a test fires as the dev server would.
 */
import { createHash } from 'node:crypto';
import type { LoaderServices, Watcher } from '../../src/loaders/context.ts';

/** One stored entry, as a loader sets it. */
export interface StoredEntry {
  id: string;
  data: Record<string, unknown>;
  digest?: string | number | undefined;
}

/** An in-memory store with the methods of Astro's scoped data store that loaders call. */
export interface MemoryStore {
  set(entry: StoredEntry): boolean;
  get(id: string): StoredEntry | undefined;
  keys(): string[];
  delete(id: string): void;
  clear(): void;
}

/** A watcher stub: records the paths added, and `emit` calls the listeners as chokidar would. */
export interface WatcherStub extends Watcher {
  added: string[];
  /** Fire an event for a path; resolves when every listener's work is done. */
  emit(event: 'add' | 'change' | 'unlink', path: string): Promise<void>;
}

/** A fake loader context, with the store, the recorded log lines and the watcher stub at hand. */
export interface FakeLoaderContext extends LoaderServices {
  store: MemoryStore;
  /** Every log line, as `level: message`. */
  logs: string[];
  watcher?: WatcherStub | undefined;
}

/** Make an empty in-memory store. */
export function createMemoryStore(): MemoryStore {
  const entries = new Map<string, StoredEntry>();
  return {
    set(entry) {
      entries.set(entry.id, entry);
      return true;
    },
    get: (id) => entries.get(id),
    keys: () => [...entries.keys()],
    delete: (id) => void entries.delete(id),
    clear: () => entries.clear(),
  };
}

/** Make a watcher stub with no listeners yet. */
export function createWatcherStub(): WatcherStub {
  const listeners = new Map<string, ((path: string) => unknown)[]>();
  const added: string[] = [];
  return {
    added,
    add(paths) {
      added.push(...(typeof paths === 'string' ? [paths] : paths));
    },
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
    },
    async emit(event, path) {
      await Promise.all((listeners.get(event) ?? []).map((listener) => listener(path)));
    },
  };
}

/**
 * Make a fake loader context: a build's by default, a dev server's when given a watcher (the dev
 * server hands every collection the same one).
 */
export function fakeLoaderContext(options: { watcher?: WatcherStub } = {}): FakeLoaderContext {
  const logs: string[] = [];
  return {
    store: createMemoryStore(),
    logs,
    logger: {
      info: (message) => void logs.push(`info: ${message}`),
      warn: (message) => void logs.push(`warn: ${message}`),
      error: (message) => void logs.push(`error: ${message}`),
    },
    generateDigest: (data) =>
      createHash('sha256')
        .update(typeof data === 'string' ? data : JSON.stringify(data))
        .digest('hex'),
    watcher: options.watcher,
  };
}
