/**
 * The `images` step of `npm run sync`: read the previous images snapshot, sync every image of the
 * catalog through one registry client, write the new snapshot (changed image files, then the
 * index; see images-writer.ts), and say whether every
 * image has usable data.
 */
import { join } from 'node:path';
import { refuseOnlyOverInvalid } from './errors.ts';
import { syncImages, type ImageSyncEvent } from './images.ts';
import { type Catalog, catalogImages, imageRepositories } from '../catalog/index.ts';
import { writeImagesSnapshot } from './images-writer.ts';
import {
  assessImages,
  type ImagesSnapshot,
  readImagesSnapshot,
  SNAPSHOT_FILES,
  SnapshotFormatError,
} from '../snapshot/index.ts';
import type { RegistryConfig } from '../registry/config.ts';
import { createClientFromConfig } from '../registry/setup.ts';
import type { TransportEvent } from '../registry/transport.ts';

/** Counters of one registry host, for progress. */
export interface HostProgress {
  host: string;
  total: number;
  done: number;
  requests: number;
  retries: number;
  errors: number;
}

/** Options of {@link runImagesStep}. */
export interface ImagesStepOptions {
  catalog: Catalog;
  /** The snapshot folder, or the images file itself when it ends in .json. */
  snapshot: string;
  config: RegistryConfig;
  cacheDir: string;
  only?: string[];
  maxStaleDays: number;
  sample?: { note: string };
  fetch?: typeof fetch;
  now?: () => Date;
  signal?: AbortSignal;
  /** A line for the log (plain output). */
  log: (line: string) => void;
  /** Called whenever the counters change. */
  onProgress?: (hosts: HostProgress[]) => void;
}

/** What a step reports. */
export interface StepResult {
  ok: boolean;
  summary: string;
  problems: string[];
}

/** Resolve the images snapshot file from `--snapshot DIR|FILE`. */
export function imagesFile(snapshot: string): string {
  return snapshot.endsWith('.json') ? snapshot : join(snapshot, SNAPSHOT_FILES.images);
}

/** Run the images step: sync, write, assess. */
export async function runImagesStep(
  options: ImagesStepOptions,
): Promise<StepResult & { snapshot: ImagesSnapshot }> {
  const file = imagesFile(options.snapshot);
  let previous: ImagesSnapshot | undefined;
  try {
    // A missing or invalid image file costs that image its previous data only; with --only, which
    // keeps the other images as they were read, it refuses like an invalid index.
    previous = await readImagesSnapshot(
      file,
      options.only
        ? {}
        : {
            onImageError: (error, entry) =>
              options.log(
                `warning: ${error.file}: ${error.issues.join('; ')} ${entry.ref} starts without its previous data.`,
              ),
          },
    );
  } catch (error) {
    if (options.only && error instanceof SnapshotFormatError)
      refuseOnlyOverInvalid(error.file, error.issues[0] ?? 'invalid', 'images');
    options.log(
      `warning: ${(error as Error).message.split('\n')[0]} Starting from an empty snapshot.`,
    );
  }

  const hosts = new Map<string, HostProgress>();
  const originToHost = new Map<string, string>();
  const repositories = imageRepositories(options.catalog);
  for (const image of catalogImages(options.catalog)) {
    if (options.only && !options.only.includes(image.ref)) continue;
    for (const ref of [image.ref, ...image.mirrors]) {
      const host = repositories.get(ref)!.host;
      if (!hosts.has(host))
        hosts.set(host, { host, total: 0, done: 0, requests: 0, retries: 0, errors: 0 });
      const endpoint = options.config.endpoints.get(host);
      originToHost.set(endpoint ? endpoint.origin : `https://${host}`, host);
    }
  }
  const progress = () =>
    options.onProgress?.([...hosts.values()].sort((a, b) => a.host.localeCompare(b.host)));
  const hostOf = (origin: string) => originToHost.get(origin);

  const onTransport = (event: TransportEvent) => {
    const host = hostOf(event.origin);
    const counters = host ? hosts.get(host) : undefined;
    if (event.type === 'request' && counters) counters.requests++;
    if (event.type === 'retry') {
      if (counters) counters.retries++;
      options.log(
        `retry: ${host ?? event.origin}${event.path}: ${event.reason}; waiting ${(event.delayMs / 1000).toFixed(1)} s`,
      );
    }
    progress();
  };
  const onImage = (event: ImageSyncEvent) => {
    const counters = hosts.get(event.host);
    if (event.type === 'start' && counters) counters.total = event.total;
    if (event.type === 'done') {
      if (counters) {
        counters.done++;
        if (!event.ok) counters.errors++;
      }
      options.log(event.ok ? `ok: ${event.ref}` : `error: ${event.ref}: ${event.error}`);
    }
    progress();
  };

  const client = createClientFromConfig(options.config, {
    cacheDir: options.cacheDir,
    onEvent: onTransport,
    onWarning: (message) => options.log(`warning: ${message}`),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const snapshot = await syncImages(options.catalog, previous, {
    client,
    ...(options.only ? { only: options.only } : {}),
    ...(options.sample ? { sample: options.sample } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onEvent: onImage,
    onWarning: (message) => options.log(`warning: ${message}`),
  });
  options.signal?.throwIfAborted();
  const written = await writeImagesSnapshot(file, snapshot);
  const { ok, problems } = assessImages(
    snapshot,
    options.maxStaleDays,
    (options.now ?? (() => new Date()))(),
  );
  const counts = { live: 0, stale: 0, unavailable: 0 };
  for (const image of snapshot.images) counts[image.status]++;
  const requests = [...hosts.values()].reduce((n, h) => n + h.requests, 0);
  const summary = `images: ${snapshot.images.length} (${counts.live} live, ${counts.stale} stale, ${counts.unavailable} unavailable), ${requests} requests; wrote ${file} (image files: ${written.written.length} written, ${written.unchanged.length} unchanged, ${written.removed.length} removed)`;
  return { ok, summary, problems, snapshot };
}
