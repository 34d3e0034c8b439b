/**
 * A small HTTP client for the forges reached with plain fetch (GitLab, Forgejo, pagure):
 * conditional requests through the ETag cache, polite waits on rate limits, a few retries on
 * server errors, and `Link: rel="next"` / `x-next-page` pagination.
 */
import {
  ForgeError,
  ForgeUnreachableError,
  RateLimitError,
  RepoNotFoundError,
  rateLimitMessage,
} from './errors.ts';
import { REPLAYED_HEADERS, type EtagCache } from './etag-cache.ts';
import { parseNextLink, parseRetryAfter } from '../utils/http-headers.ts';

export interface RateLimitPolicy {
  /** Wait for a rate limit that resets within this many seconds; stop the forge otherwise. Default 60. */
  maxWaitSeconds: number;
}

export interface ForgeHttpOptions {
  /** Display name for messages, e.g. "GitLab". */
  forgeName: string;
  /** Web host the repos are on, for messages and cache keys, e.g. "gitlab.com". */
  host: string;
  /** API base URL, e.g. "https://gitlab.com/api/v4". */
  baseUrl: string;
  /** Authentication headers; never logged or stored. */
  authHeaders?: Record<string, string>;
  /** What to tell the user about tokens when a limit or a 404 happens. */
  tokenHint: string;
  fetch?: typeof fetch;
  cache?: EtagCache;
  rateLimit?: Partial<RateLimitPolicy>;
  /** Retries on 5xx and network errors. Default 2. */
  retries?: number;
  /** Base of the backoff between retries, in ms. Default 500. */
  retryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

export interface ForgeResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string>;
  /** True when the body came from the ETag cache after a 304. */
  fromCache: boolean;
}

export interface ForgeHttp {
  /** GET a JSON document; a 404 throws RepoNotFoundError when `notFound` is "repo", else returns undefined. */
  getJson<T>(
    path: string,
    options?: {
      query?: Record<string, string | number | undefined>;
      notFound?: 'repo' | 'missing';
    },
  ): Promise<ForgeResponse<T> | undefined>;
  /** GET a text file; undefined on 404. */
  getText(
    path: string,
    query?: Record<string, string | number | undefined>,
  ): Promise<string | undefined>;
  /** GET every page of a JSON list, following Link rel="next" or x-next-page, up to maxPages. */
  getAllPages<T>(
    path: string,
    query?: Record<string, string | number | undefined>,
    maxPages?: number,
  ): Promise<{ items: T[]; total: number | undefined }>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  return headers;
}

/** Create the HTTP client of one forge host. */
export function createForgeHttp(options: ForgeHttpOptions): ForgeHttp {
  const doFetch = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? (() => new Date());
  const maxWait = options.rateLimit?.maxWaitSeconds ?? 60;
  const retries = options.retries ?? 2;
  const retryDelay = options.retryDelayMs ?? 500;
  const base = options.baseUrl.replace(/\/+$/, '');

  const buildUrl = (path: string, query?: Record<string, string | number | undefined>): string => {
    const url = new URL(
      path.startsWith('http') ? path : `${base}${path.startsWith('/') ? '' : '/'}${path}`,
    );
    for (const [key, value] of Object.entries(query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    return url.toString();
  };

  /** Seconds until a limit resets, from Retry-After or the reset headers; undefined when not a rate limit. */
  const rateLimitWait = (status: number, headers: Record<string, string>): number | undefined => {
    const remaining = headers['ratelimit-remaining'] ?? headers['x-ratelimit-remaining'];
    const limited =
      status === 429 ||
      ((status === 403 || status === 503) &&
        (remaining === '0' || headers['retry-after'] !== undefined));
    if (!limited) return undefined;
    const retryAfter = parseRetryAfter(headers['retry-after'], now().getTime());
    if (retryAfter !== undefined) return retryAfter / 1000;
    const reset = Number(headers['ratelimit-reset'] ?? headers['x-ratelimit-reset']);
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset - now().getTime() / 1000);
    return 60;
  };

  const request = async (
    url: string,
    accept: 'json' | 'text',
  ): Promise<{
    status: number;
    body: unknown;
    headers: Record<string, string>;
    fromCache: boolean;
  }> => {
    const key = `${options.host} ${url}`;
    const cached = options.cache?.get(key);
    let rateLimitWaits = 0;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {
        accept: accept === 'json' ? 'application/json' : '*/*',
        'user-agent': 'image-mode-hub',
        ...options.authHeaders,
      };
      if (cached) headers['if-none-match'] = cached.etag;
      let response: Response;
      try {
        response = await doFetch(url, { headers, redirect: 'follow' });
      } catch (error) {
        if (attempt < retries) {
          await sleep(retryDelay * 2 ** attempt);
          continue;
        }
        throw new ForgeUnreachableError(
          options.host,
          `Could not reach ${options.forgeName} at ${new URL(url).origin}: ${(error as Error).message}. Check the network or the API URL.`,
          { cause: error },
        );
      }
      const responseHeaders = headersOf(response);
      if (response.status === 304 && cached) {
        await response.body?.cancel();
        options.cache?.touch(key);
        return {
          status: 200,
          body: cached.body,
          headers: { ...cached.headers, ...responseHeaders },
          fromCache: true,
        };
      }
      const wait = rateLimitWait(response.status, responseHeaders);
      if (wait !== undefined) {
        await response.body?.cancel();
        if (wait <= maxWait && rateLimitWaits < 2) {
          rateLimitWaits++;
          await sleep(Math.ceil(wait * 1000) + 100);
          attempt--;
          continue;
        }
        const resetAt = new Date(now().getTime() + wait * 1000);
        throw new RateLimitError(
          options.host,
          rateLimitMessage(options.forgeName, options.host, resetAt, now(), options.tokenHint),
          resetAt,
          { status: response.status },
        );
      }
      if (response.status >= 500 && attempt < retries) {
        await response.body?.cancel();
        await sleep(retryDelay * 2 ** attempt);
        continue;
      }
      const text = await response.text();
      let body: unknown = text;
      if (response.ok && accept === 'json') {
        try {
          body = JSON.parse(text);
        } catch {
          throw new ForgeError(
            options.host,
            `${options.forgeName} answered ${new URL(url).pathname} with something that is not JSON; check the API URL (${base}).`,
            { status: response.status },
          );
        }
      }
      if (response.ok && options.cache && responseHeaders['etag']) {
        const kept: Record<string, string> = {};
        for (const name of REPLAYED_HEADERS)
          if (responseHeaders[name] !== undefined) kept[name] = responseHeaders[name]!;
        options.cache.set(key, { etag: responseHeaders['etag']!, body, headers: kept });
      }
      return { status: response.status, body, headers: responseHeaders, fromCache: false };
    }
  };

  const errorMessage = (body: unknown): string => {
    if (typeof body === 'string') {
      try {
        const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
        const message = parsed.message ?? parsed.error;
        if (typeof message === 'string') return message.split('\n')[0]!.slice(0, 200);
      } catch {
        return body.split('\n')[0]!.slice(0, 200);
      }
    }
    return '';
  };

  const fail = (url: string, status: number, body: unknown): never => {
    const path = new URL(url).pathname;
    const detail = errorMessage(body);
    throw new ForgeError(
      options.host,
      `${options.forgeName} answered ${status} for ${path}${detail ? ` (${detail})` : ''}.`,
      { status },
    );
  };

  const http: ForgeHttp = {
    async getJson<T>(
      path: string,
      opts: {
        query?: Record<string, string | number | undefined>;
        notFound?: 'repo' | 'missing';
      } = {},
    ) {
      const url = buildUrl(path, opts.query);
      const response = await request(url, 'json');
      if (
        response.status === 404 ||
        ((response.status === 401 || response.status === 403) && opts.notFound === 'missing')
      ) {
        if (opts.notFound === 'missing') return undefined;
        throw new RepoNotFoundError(
          options.host,
          `not found on ${options.forgeName} (404): the repository does not exist or is private. Check the URL in the catalog; ${options.tokenHint}`,
          { status: 404 },
        );
      }
      if (response.status >= 400) fail(url, response.status, response.body);
      return {
        status: response.status,
        data: response.body as T,
        headers: response.headers,
        fromCache: response.fromCache,
      };
    },
    async getText(path, query) {
      const url = buildUrl(path, query);
      const response = await request(url, 'text');
      if (response.status === 404) return undefined;
      if (response.status >= 400) fail(url, response.status, response.body);
      return String(response.body);
    },
    async getAllPages<T>(
      path: string,
      query: Record<string, string | number | undefined> = {},
      maxPages = 10,
    ) {
      const items: T[] = [];
      let url: string | undefined = buildUrl(path, query);
      let total: number | undefined;
      for (let page = 0; url && page < maxPages; page++) {
        const response = await request(url, 'json');
        if (response.status === 404)
          throw new RepoNotFoundError(
            options.host,
            `not found on ${options.forgeName} (404): ${new URL(url).pathname}.`,
            { status: 404 },
          );
        if (response.status >= 400) fail(url, response.status, response.body);
        if (!Array.isArray(response.body))
          throw new ForgeError(
            options.host,
            `${options.forgeName} answered ${new URL(url).pathname} with something that is not a list.`,
          );
        items.push(...(response.body as T[]));
        const totalHeader = response.headers['x-total'] ?? response.headers['x-total-count'];
        if (totalHeader !== undefined && Number.isFinite(Number(totalHeader)))
          total = Number(totalHeader);
        const next = parseNextLink(response.headers['link'], url);
        if (next) url = next.href;
        else if (response.headers['x-next-page']) {
          const nextUrl: URL = new URL(url);
          nextUrl.searchParams.set('page', response.headers['x-next-page']);
          url = nextUrl.toString();
        } else url = undefined;
      }
      return { items, total };
    },
  };
  return http;
}
