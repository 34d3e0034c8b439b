/**
 * What the loaders use of Astro's loader context (the store and its meta, the logger, the digest, the dev
 * watcher), so that a test can hand them a small fake, and how they watch files in dev.
 */
import { resolve, sep } from 'node:path';
import type { AstroIntegrationLogger } from 'astro';
import type { DataStore, LoaderContext, MetaStore } from 'astro/loaders';

/** What the loaders use of a file watcher (Vite's chokidar watcher in dev, none in a build). */
export interface Watcher {
  add(paths: string | readonly string[]): unknown;
  on(event: 'add' | 'change' | 'unlink', listener: (path: string) => unknown): unknown;
}

/** The part of Astro's loader context the loaders use. */
export interface LoaderServices {
  store: Pick<DataStore, 'set' | 'keys' | 'delete'>;
  logger: Pick<AstroIntegrationLogger, 'info' | 'warn' | 'error'>;
  generateDigest: LoaderContext['generateDigest'];
  /** The loader's own key-value store, kept between builds with the content (absent in some tests). */
  meta?: Pick<MetaStore, 'get' | 'set' | 'delete'> | undefined;
  watcher?: Watcher | undefined;
  /** Set when an integration asked for the reload; the same object for every collection of that reload. */
  refreshContextData?: Record<string, unknown> | undefined;
}

/** A content-layer loader whose `load` needs only {@link LoaderServices}. */
export interface SiteLoader {
  name: string;
  load(context: LoaderServices): Promise<void>;
}

/**
 * Watch files or folders in dev: call `onChange` when the watcher reports a file added, changed
 * or removed at or under one of `paths`. Does nothing without a watcher (a build).
 */
export function watchPaths(
  watcher: Watcher | undefined,
  paths: string[],
  onChange: () => Promise<void>,
): void {
  if (!watcher) return;
  const roots = paths.map((path) => resolve(path));
  watcher.add(roots);
  const listener = (path: string) => {
    const changed = resolve(path);
    if (roots.some((root) => changed === root || changed.startsWith(`${root}${sep}`)))
      return onChange();
    return undefined;
  };
  for (const event of ['add', 'change', 'unlink'] as const) watcher.on(event, listener);
}
