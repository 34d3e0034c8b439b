/**
 * Registry settings from the environment. This is the only module of src/registry that reads
 * `process.env`; everything else receives a {@link RegistryConfig}.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_HUB_API_HOST, DOCKER_HUB_HOST } from './reference.ts';

/** Settings every registry client shares. */
export interface RegistryConfig {
  /** Endpoint override per public host, from IMAGE_MODE_REGISTRIES (`quay.io` → `http://127.0.0.1:5000`). */
  endpoints: Map<string, URL>;
  /** Auth files to read Basic credentials from, first match wins. */
  authFiles: string[];
  /** Concurrent requests per registry host to start with. */
  concurrency: number;
  /** The most concurrent requests per registry host; the limit grows towards it while requests succeed and halves on 429 or 503. */
  maxConcurrency: number;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  /** Attempts per request (first try included) on 429, 5xx and network errors. */
  attempts: number;
  /** User-Agent header sent with every request. */
  userAgent: string;
}

/** The User-Agent of the sync. */
const USER_AGENT = 'image-mode-hub-sync/0.1 (Fedora Image Mode Hub)';

/** An invalid setting in the environment. */
export class RegistryConfigError extends Error {
  override name = 'RegistryConfigError';
}

/** Parse IMAGE_MODE_REGISTRIES (`host=url,host=url`) into a map of public host to endpoint URL. */
export function parseEndpointOverrides(text: string | undefined): Map<string, URL> {
  const endpoints = new Map<string, URL>();
  if (!text) return endpoints;
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      throw new RegistryConfigError(
        `IMAGE_MODE_REGISTRIES entry "${entry}" is not "host=url"; write e.g. "quay.io=http://127.0.0.1:5000".`,
      );
    }
    const host = entry.slice(0, eq).trim();
    let url: URL;
    try {
      url = new URL(entry.slice(eq + 1).trim());
    } catch {
      throw new RegistryConfigError(
        `IMAGE_MODE_REGISTRIES entry "${entry}" has an invalid URL; write e.g. "${host}=http://127.0.0.1:5000".`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new RegistryConfigError(
        `IMAGE_MODE_REGISTRIES entry "${entry}" must use http:// or https://.`,
      );
    }
    endpoints.set(host, url);
  }
  return endpoints;
}

/** Return the base URL requests for a public registry host go to (override, or https://host). */
export function endpointFor(host: string, endpoints: Map<string, URL>): URL {
  const override = endpoints.get(host);
  if (override) return new URL(override.origin);
  if (host === DOCKER_HUB_HOST) return new URL(`https://${DOCKER_HUB_API_HOST}`);
  return new URL(`https://${host}`);
}

/** Tell whether a public host is served from somewhere else (IMAGE_MODE_REGISTRIES). */
export function isOverridden(host: string, endpoints: Map<string, URL>): boolean {
  return endpoints.has(host);
}

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new RegistryConfigError(`${name}="${text}" is not a positive integer.`);
  }
  return value;
}

/** Read the registry settings from an environment (process.env by default). */
export function readRegistryConfig(
  env: Record<string, string | undefined> = process.env,
): RegistryConfig {
  const home = env['HOME'] ?? homedir();
  const authFiles: string[] = [];
  if (env['REGISTRY_AUTH_FILE']) authFiles.push(env['REGISTRY_AUTH_FILE']);
  if (env['XDG_RUNTIME_DIR'])
    authFiles.push(join(env['XDG_RUNTIME_DIR'], 'containers', 'auth.json'));
  authFiles.push(join(home, '.config', 'containers', 'auth.json'));
  authFiles.push(join(env['DOCKER_CONFIG'] ?? join(home, '.docker'), 'config.json'));
  return {
    endpoints: parseEndpointOverrides(env['IMAGE_MODE_REGISTRIES']),
    authFiles,
    concurrency: positiveInt('IMAGE_MODE_CONCURRENCY', env['IMAGE_MODE_CONCURRENCY'], 4),
    maxConcurrency: positiveInt(
      'IMAGE_MODE_MAX_CONCURRENCY',
      env['IMAGE_MODE_MAX_CONCURRENCY'],
      16,
    ),
    timeoutMs: positiveInt('IMAGE_MODE_TIMEOUT_MS', env['IMAGE_MODE_TIMEOUT_MS'], 30_000),
    attempts: positiveInt('IMAGE_MODE_ATTEMPTS', env['IMAGE_MODE_ATTEMPTS'], 5),
    userAgent: USER_AGENT,
  };
}
