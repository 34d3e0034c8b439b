/**
 * Wiring: a registry client from the environment's settings, with its transport, credentials,
 * content store and event hook.
 */
import { z } from 'zod';
import { findCredentials, type ReadText } from './auth.ts';
import { createDiskStore, createMemoryStore, type ContentStore } from './cache.ts';
import { createRegistryClient, type RegistryClient } from './client.ts';
import type { RegistryConfig } from './config.ts';
import { createTransport, type TransportEvent } from './transport.ts';

/** Options of {@link createClientFromConfig}. */
export interface SetupOptions {
  fetch?: typeof fetch | undefined;
  /** Cache folder; undefined keeps the cache in memory. */
  cacheDir?: string | undefined;
  store?: ContentStore | undefined;
  onEvent?: ((event: TransportEvent) => void) | undefined;
  onWarning?: ((message: string) => void) | undefined;
  readText?: ReadText | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  baseDelayMs?: number | undefined;
  quayRest?: boolean | undefined;
}

/** Cache state: the auth challenge of each origin, or null for an origin that wanted none. */
const AuthHintsSchema = z
  .record(z.string(), z.object({ realm: z.string(), service: z.string() }).nullable())
  .catch(() => ({}));

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
    fetch: options.fetch,
    sleep: options.sleep,
    baseDelayMs: options.baseDelayMs,
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
    onEvent: options.onEvent,
    authHints: {
      load: async () => AuthHintsSchema.parse(await store.readState('auth-challenges')),
      save: async (origin, hint) => {
        const state = AuthHintsSchema.parse(await store.readState('auth-challenges'));
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
    quayRest: options.quayRest,
    onWarning: options.onWarning,
  });
}
