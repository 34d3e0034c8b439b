/**
 * Wiring: a registry client from the environment's settings, with its transport, credentials,
 * content store and event hook.
 */
import { findCredentials, type ReadText } from './auth.ts';
import { createDiskStore, createMemoryStore, type ContentStore } from './cache.ts';
import { createRegistryClient, type RegistryClient } from './client.ts';
import type { RegistryConfig } from './config.ts';
import { createTransport, type TransportEvent } from './transport.ts';

/** Options of {@link createClientFromConfig}. */
export interface SetupOptions {
  fetch?: typeof fetch;
  /** Cache folder; undefined keeps the cache in memory. */
  cacheDir?: string;
  store?: ContentStore;
  onEvent?: (event: TransportEvent) => void;
  onWarning?: (message: string) => void;
  readText?: ReadText;
  sleep?: (ms: number) => Promise<void>;
  baseDelayMs?: number;
  quayRest?: boolean;
}

/** Create a registry client for a sync from its settings. */
export function createClientFromConfig(
  config: RegistryConfig,
  options: SetupOptions = {},
): RegistryClient {
  const store =
    options.store ?? (options.cacheDir ? createDiskStore(options.cacheDir) : createMemoryStore());
  // Credentials are looked up by the public host whose endpoint an origin is.
  const hostsByOrigin = new Map<string, string>();
  for (const [host, url] of config.endpoints) hostsByOrigin.set(url.origin, host);
  const transport = createTransport({
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
    concurrency: config.concurrency,
    maxConcurrency: config.maxConcurrency,
    timeoutMs: config.timeoutMs,
    attempts: config.attempts,
    userAgent: config.userAgent,
    credentials: (origin) => {
      const host = hostsByOrigin.get(origin) ?? new URL(origin).host;
      return findCredentials(
        host === 'registry-1.docker.io' ? 'docker.io' : host,
        config.authFiles,
        options.readText,
      );
    },
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    authHints: {
      load: async () =>
        ((await store.readState('auth-challenges')) as Record<
          string,
          { realm: string; service: string } | null
        >) ?? {},
      save: async (origin, hint) => {
        const state =
          ((await store.readState('auth-challenges')) as Record<string, unknown> | undefined) ?? {};
        if (JSON.stringify(state[origin]) === JSON.stringify(hint)) return;
        state[origin] = hint;
        await store.writeState('auth-challenges', state);
      },
    },
  });
  return createRegistryClient({
    transport,
    store,
    endpoints: config.endpoints,
    ...(options.quayRest !== undefined ? { quayRest: options.quayRest } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
}
