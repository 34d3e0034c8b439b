/**
 * Which API each forge host is reached at, and with which token: the one place that reads the
 * environment (GITHUB_API_URL, GITHUB_TOKEN, GITLAB_API_URL, GITLAB_TOKEN, FORGEJO_API_URL,
 * FORGEJO_TOKEN, IMAGE_MODE_FORGES, IMAGE_MODE_TIMEOUT_MS, IMAGE_MODE_REPO_BUDGET_MS). A token
 * is only ever sent to the host it belongs to.
 */
import { FORGE_NAMES, ForgeError } from './errors.ts';
import type { EtagCache } from './etag-cache.ts';
import type { Forge } from './forge.ts';
import { createForgejoForge } from './forgejo.ts';
import { createGitHubForge, createOctokit, type RequestCounter } from './github.ts';
import { createGitLabForge } from './gitlab.ts';
import { createForgeHttp, DEFAULT_TIMEOUT_MS, runWithBudget } from './http.ts';
import { createPagureForge } from './pagure.ts';
import type { ForgeKind, RepoLocation } from './repo-url.ts';

/** API endpoint and token of one forge host. */
export interface ForgeEndpoint {
  kind: ForgeKind;
  apiUrl: string;
  /** Never logged, never written. */
  token?: string;
}

export interface ForgeConfig {
  /** Endpoints by web host (lower case). Hosts not listed get the forge's usual API path. */
  endpoints: Record<string, ForgeEndpoint>;
  /** Timeout of one request, in ms (IMAGE_MODE_TIMEOUT_MS; default 30 s). */
  timeoutMs?: number;
  /** Time allowed for reading one repository, in ms (IMAGE_MODE_REPO_BUDGET_MS; default 5 min). */
  repoBudgetMs?: number;
}

/** Default time allowed for reading one repository, in ms. */
export const DEFAULT_REPO_BUDGET_MS = 300_000;

/** A setting of the environment that is not what it should be. */
export class ForgeConfigError extends Error {
  override name = 'ForgeConfigError';
}

/** Read a number of milliseconds from the environment; the default when unset. */
function milliseconds(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new ForgeConfigError(`${name}="${text}" is not a positive number of milliseconds.`);
  return value;
}

/** Parse IMAGE_MODE_FORGES, "host=url,host=url", into API URLs by host. */
export function parseForgeOverrides(value: string | undefined): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const [host, url] = pair.split('=').map((part) => part.trim());
    if (host && url) overrides[host.toLowerCase()] = url;
  }
  return overrides;
}

/** Read the forge endpoints and tokens from the environment. */
export function forgeConfigFromEnv(env: Record<string, string | undefined>): ForgeConfig {
  const token = (name: string) =>
    env[name] && env[name].trim() !== '' ? env[name].trim() : undefined;
  const endpoints: Record<string, ForgeEndpoint> = {
    'github.com': { kind: 'github', apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com' },
    'gitlab.com': { kind: 'gitlab', apiUrl: env['GITLAB_API_URL'] || 'https://gitlab.com/api/v4' },
    'forge.fedoraproject.org': {
      kind: 'forgejo',
      apiUrl: env['FORGEJO_API_URL'] || 'https://forge.fedoraproject.org/api/v1',
    },
    'codeberg.org': { kind: 'forgejo', apiUrl: 'https://codeberg.org/api/v1' },
    'pagure.io': { kind: 'pagure', apiUrl: 'https://pagure.io/api/0' },
    'src.fedoraproject.org': { kind: 'pagure', apiUrl: 'https://src.fedoraproject.org/api/0' },
  };
  const githubToken = token('GITHUB_TOKEN');
  const gitlabToken = token('GITLAB_TOKEN');
  const forgejoToken = token('FORGEJO_TOKEN');
  if (githubToken) endpoints['github.com']!.token = githubToken;
  if (gitlabToken) endpoints['gitlab.com']!.token = gitlabToken;
  if (forgejoToken) endpoints['forge.fedoraproject.org']!.token = forgejoToken;
  for (const [host, url] of Object.entries(parseForgeOverrides(env['IMAGE_MODE_FORGES']))) {
    const existing = endpoints[host];
    if (existing) existing.apiUrl = url;
    else endpoints[host] = { kind: 'other', apiUrl: url };
  }
  return {
    endpoints,
    timeoutMs: milliseconds(env, 'IMAGE_MODE_TIMEOUT_MS', DEFAULT_TIMEOUT_MS),
    repoBudgetMs: milliseconds(env, 'IMAGE_MODE_REPO_BUDGET_MS', DEFAULT_REPO_BUDGET_MS),
  };
}

/** The usual API base URL of a forge host. */
export function defaultApiUrl(kind: ForgeKind, host: string): string | undefined {
  switch (kind) {
    case 'github':
      return `https://${host}/api/v3`;
    case 'gitlab':
      return `https://${host}/api/v4`;
    case 'forgejo':
      return `https://${host}/api/v1`;
    case 'pagure':
      return `https://${host}/api/0`;
    case 'other':
      return undefined;
  }
}

export interface ForgeDeps {
  fetch?: typeof fetch;
  cache?: EtagCache;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Wait for rate limits that reset within this many seconds. Default 60. */
  maxRateLimitWaitSeconds?: number;
  /** Milliseconds per second of rate-limit wait (tests shorten it). Default 1000. */
  retryAfterBaseValue?: number;
  /** Retries on server errors. Default 2. */
  retries?: number;
  warn?: (message: string) => void;
}

/** The forges of a sync, created on first use per host. */
export interface ForgeRegistry {
  /** The forge of a repository's host; undefined for hosts that are not a readable forge. */
  forgeFor(repo: RepoLocation): Forge | undefined;
  /** Whether the host's requests carry a token. */
  isAuthenticated(host: string): boolean;
  /** Requests sent to GitHub and how many were answered 304. */
  readonly github: RequestCounter;
  /**
   * Read a repository within its time budget: past it, its requests are aborted and the result is
   * an error for that repository alone.
   */
  withBudget<T>(repo: RepoLocation, work: () => Promise<T>): Promise<T>;
}

/** Create the forge clients for a config. */
export function createForgeRegistry(config: ForgeConfig, deps: ForgeDeps = {}): ForgeRegistry {
  const forges = new Map<string, Forge>();
  const counters: RequestCounter[] = [];
  const github: RequestCounter = {
    get requests() {
      return counters.reduce((sum, counter) => sum + counter.requests, 0);
    },
    get notModified() {
      return counters.reduce((sum, counter) => sum + counter.notModified, 0);
    },
  };
  const endpointOf = (repo: RepoLocation): ForgeEndpoint | undefined => {
    const configured = config.endpoints[repo.host];
    if (configured)
      return configured.kind === 'other' ? { ...configured, kind: repo.forge } : configured;
    const apiUrl = defaultApiUrl(repo.forge, repo.host);
    return apiUrl ? { kind: repo.forge, apiUrl } : undefined;
  };
  const create = (repo: RepoLocation, endpoint: ForgeEndpoint): Forge | undefined => {
    const forgeName = FORGE_NAMES[endpoint.kind];
    const http = (authHeaders: Record<string, string> | undefined, tokenHint: string) =>
      createForgeHttp({
        forgeName,
        host: repo.host,
        baseUrl: endpoint.apiUrl,
        tokenHint,
        ...(authHeaders ? { authHeaders } : {}),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.cache ? { cache: deps.cache } : {}),
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        ...(deps.now ? { now: deps.now } : {}),
        ...(deps.retries !== undefined ? { retries: deps.retries } : {}),
        ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
        rateLimit: { maxWaitSeconds: deps.maxRateLimitWaitSeconds ?? 60 },
      });
    switch (endpoint.kind) {
      case 'github': {
        const { octokit, counter } = createOctokit({
          baseUrl: endpoint.apiUrl,
          ...(endpoint.token ? { token: endpoint.token } : {}),
          ...(deps.cache ? { cache: deps.cache } : {}),
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
          ...(deps.warn ? { warn: deps.warn } : {}),
          ...(deps.retries !== undefined ? { retries: deps.retries } : {}),
          ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
          host: repo.host,
          maxRateLimitWaitSeconds: deps.maxRateLimitWaitSeconds ?? 60,
          retryAfterBaseValue: deps.retryAfterBaseValue ?? 1000,
        });
        counters.push(counter);
        return createGitHubForge({
          octokit,
          host: repo.host,
          authenticated: endpoint.token !== undefined,
          ...(deps.now ? { now: deps.now } : {}),
        });
      }
      case 'gitlab':
        return createGitLabForge({
          host: repo.host,
          http: http(
            endpoint.token ? { 'private-token': endpoint.token } : undefined,
            endpoint.token
              ? 'the token may lack access to it.'
              : 'a private project needs GITLAB_TOKEN.',
          ),
        });
      case 'forgejo':
        return createForgejoForge({
          host: repo.host,
          http: http(
            endpoint.token ? { authorization: `token ${endpoint.token}` } : undefined,
            endpoint.token
              ? 'the token may lack access to it.'
              : 'a private repository needs FORGEJO_TOKEN.',
          ),
        });
      case 'pagure':
        return createPagureForge({
          host: repo.host,
          http: http(undefined, 'pagure answers only for public projects.'),
        });
      case 'other':
        return undefined;
    }
  };
  return {
    forgeFor(repo) {
      const endpoint = endpointOf(repo);
      if (!endpoint || endpoint.kind === 'other') return undefined;
      const key = `${endpoint.kind} ${repo.host}`;
      if (!forges.has(key)) {
        const forge = create(repo, endpoint);
        if (!forge) return undefined;
        forges.set(key, forge);
      }
      return forges.get(key);
    },
    isAuthenticated: (host) => config.endpoints[host]?.token !== undefined,
    github,
    withBudget(repo, work) {
      const budget = config.repoBudgetMs ?? DEFAULT_REPO_BUDGET_MS;
      return runWithBudget(
        budget,
        () =>
          new ForgeError(
            repo.host,
            `Reading ${repo.webUrl} took longer than ${budget / 1000} s, the time allowed per repository; stopped. The forge is slow or the repository very large: sync it again later, or raise IMAGE_MODE_REPO_BUDGET_MS.`,
          ),
        work,
      );
    },
  };
}
