/**
 * A small HTTP client for the forges reached with plain fetch (GitLab, Forgejo, pagure):
 * conditional requests through the ETag cache, polite waits on rate limits, a few retries on
 * server errors, and `Link: rel="next"` / `x-next-page` pagination. What every forge request
 * shares (GitHub's through Octokit too) is here as well: a timeout per request, a time budget per
 * repository, bodies read up to a limit, and redirects followed by hand so that a token never
 * leaves the host it belongs to.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  ForgeError,
  ForgeUnreachableError,
  RateLimitError,
  RepoNotFoundError,
  rateLimitMessage,
} from './errors.ts';
import { REPLAYED_HEADERS, type EtagCache } from './etag-cache.ts';
import { parseNextLink, parseRetryAfter } from '../utils/http-headers.ts';
import { formatLimit, readBoundedBody } from '../utils/bounded-body.ts';

/** The limits every forge request keeps to; past one, the repository gets an error that says which. */
export const FORGE_LIMITS = {
  /** Bytes of an API answer (a JSON document or a page of a listing). */
  jsonBytes: 16 << 20,
  /** Bytes of a file read from a repository (ownership files, .tekton PipelineRuns). */
  fileBytes: 1 << 20,
  /** Bytes of an error answer's body, read for its message only. */
  errorBytes: 64 << 10,
  /** Pages of one listing. */
  pages: 50,
  /** Redirects of one request. */
  redirects: 5,
} as const;

/** Default timeout of one request, in ms (IMAGE_MODE_TIMEOUT_MS). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Headers that carry credentials: never sent past a redirect to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'private-token', 'cookie', 'proxy-authorization'];

/** A forge answer refused for its size, or a redirect chain refused for its length. */
export class ForgeLimitError extends ForgeError {
  override name = 'ForgeLimitError';
}

/**
 * A request that got no answer within its timeout, as the guarded fetch throws it: a plain error
 * (not a ForgeError), so that Octokit retries it like any network failure.
 */
export class ForgeTimeoutError extends Error {
  override name = 'ForgeTimeoutError';
}

/** The budget signal of the repository being read, carried through the forge calls of its sync. */
const budgets = new AsyncLocalStorage<AbortSignal>();

/** The budget signal of the repository being read, if any. */
export function currentBudget(): AbortSignal | undefined {
  return budgets.getStore();
}

/**
 * Run `work` within a time budget: when `ms` pass, every forge request it makes is aborted and the
 * result is the error `expired` returns. Requests find the budget without being handed it.
 */
export async function runWithBudget<T>(
  ms: number,
  expired: () => Error,
  work: () => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(expired()), ms);
  const stop = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), {
      once: true,
    }),
  );
  stop.catch(() => {});
  try {
    return await Promise.race([budgets.run(controller.signal, work), stop]);
  } finally {
    clearTimeout(timer);
  }
}

/** Tell whether a fetch failed for its timeout. */
function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

/** Format a timeout for a message: `30 s`, `0.1 s`. */
function formatSeconds(ms: number): string {
  return `${ms / 1000} s`;
}

/**
 * GET a URL, following redirects by hand (at most {@link FORGE_LIMITS.redirects}): credential
 * headers go only to the origin they were set for, and are dropped as soon as a redirect leaves it.
 * Returns the final answer and its URL; `refuse` makes the error for a redirect not followed
 * (`more than 5 times`, `to a non-HTTP URL`).
 */
export async function fetchFollowingRedirects(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit & { headers: Record<string, string> },
  refuse: (why: string) => Error,
): Promise<{ response: Response; url: string }> {
  let current = url;
  let headers: Record<string, string> = { ...init.headers };
  const origin = new URL(url).origin;
  const method = (init.method ?? 'GET').toUpperCase();
  for (let hop = 0; ; hop++) {
    const response = await doFetch(current, { ...init, headers, redirect: 'manual' });
    const location = response.headers.get('location');
    const redirected =
      [301, 302, 303, 307, 308].includes(response.status) &&
      location !== null &&
      (method === 'GET' || method === 'HEAD');
    if (!redirected) return { response, url: current };
    await response.body?.cancel().catch(() => {});
    if (hop >= FORGE_LIMITS.redirects) throw refuse(`more than ${FORGE_LIMITS.redirects} times`);
    const next = new URL(location, current);
    if (next.protocol !== 'https:' && next.protocol !== 'http:') throw refuse('to a non-HTTP URL');
    if (next.origin !== origin) {
      headers = Object.fromEntries(
        Object.entries(headers).filter(
          ([name]) => !CREDENTIAL_HEADERS.includes(name.toLowerCase()),
        ),
      );
    }
    current = next.href;
  }
}

/**
 * Wrap a fetch for Octokit: a timeout per request (a timeout is thrown as a plain error, which
 * Octokit retries), the repository's budget, redirects by hand without the token past its host,
 * and the body read up to {@link FORGE_LIMITS.jsonBytes} (an error body up to its own limit).
 */
export function createGuardedFetch(options: {
  fetch?: typeof fetch | undefined;
  forgeName: string;
  host: string;
  /** The API base URL, for messages. */
  baseUrl: string;
  timeoutMs?: number | undefined;
}): typeof fetch {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = input instanceof Request ? input.url : String(input);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    try {
      const { response, url: finalUrl } = await fetchFollowingRedirects(
        doFetch,
        url,
        { ...init, headers, signal },
        (why) =>
          new ForgeLimitError(
            options.host,
            `${options.forgeName} redirected ${url} ${why}; stopped.`,
          ),
      );
      const failed = response.status >= 400;
      const limit = failed ? FORGE_LIMITS.errorBytes : FORGE_LIMITS.jsonBytes;
      const read = await readBoundedBody(response, limit, signal);
      if (!read.complete && !failed)
        throw tooLarge(options.forgeName, options.host, finalUrl, 'json', options.baseUrl);
      const empty = [204, 205, 304].includes(response.status);
      const answer = new Response(empty ? null : Buffer.from(read.bytes), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      Object.defineProperty(answer, 'url', { value: finalUrl });
      return answer;
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      if (isTimeout(error))
        throw new ForgeTimeoutError(`no answer within ${formatSeconds(timeoutMs)}`, {
          cause: error,
        });
      throw error;
    }
  };
}

/** The error for an answer past its limit, naming the URL, the limit and what to do. */
function tooLarge(
  forgeName: string,
  host: string,
  url: string,
  kind: 'json' | 'file',
  base?: string,
): ForgeLimitError {
  const limit = formatLimit(kind === 'json' ? FORGE_LIMITS.jsonBytes : FORGE_LIMITS.fileBytes);
  const what = kind === 'json' ? 'an API answer' : 'a file';
  const hint =
    kind === 'json'
      ? `Check the API URL${base ? ` (${base})` : ''}.`
      : 'Ownership and .tekton files are small; check the file in the repository.';
  return new ForgeLimitError(
    host,
    `${forgeName} sent more than ${limit} for ${url}, the most the sync reads of ${what}; stopped reading. ${hint}`,
  );
}

/**
 * Refuse a file read from a repository (`where`: "CODEOWNERS in https://github.com/o/r") whose
 * size, as the forge declares it or as decoded, is past {@link FORGE_LIMITS.fileBytes}.
 */
export function checkFileSize(forgeName: string, host: string, where: string, bytes: number): void {
  if (bytes > FORGE_LIMITS.fileBytes) throw tooLarge(forgeName, host, where, 'file');
}

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
  /** Timeout of one request, in ms. Default 30 s. */
  timeoutMs?: number;
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
  /**
   * GET every page of a JSON list, following Link rel="next" or x-next-page; a listing longer than
   * `maxPages` (default 50), or one that links back to a page already read, is an error.
   */
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
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
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
    const budget = currentBudget();
    let rateLimitWaits = 0;
    for (let attempt = 0; ; attempt++) {
      if (budget?.aborted) throw budget.reason;
      const headers: Record<string, string> = {
        accept: accept === 'json' ? 'application/json' : '*/*',
        'user-agent': 'image-mode-hub',
        ...options.authHeaders,
      };
      if (cached) headers['if-none-match'] = cached.etag;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = budget ? AbortSignal.any([budget, timeout]) : timeout;
      let response: Response;
      let text: string;
      try {
        const answer = await fetchFollowingRedirects(
          doFetch,
          url,
          { headers, signal },
          (why) =>
            new ForgeLimitError(
              options.host,
              `${options.forgeName} redirected ${url} ${why}; stopped. Check the API URL (${base}).`,
            ),
        );
        response = answer.response;
        text = await readText(response, answer.url, accept, signal);
      } catch (error) {
        if (budget?.aborted) throw budget.reason;
        if (error instanceof ForgeError) throw error;
        if (attempt < retries) {
          await sleep(retryDelay * 2 ** attempt);
          continue;
        }
        const problem = isTimeout(error)
          ? `no answer within ${formatSeconds(timeoutMs)}, ${retries + 1} tries. Check the network or the API URL; IMAGE_MODE_TIMEOUT_MS sets the timeout.`
          : `${(error as Error).message}. Check the network or the API URL.`;
        throw new ForgeUnreachableError(
          options.host,
          `Could not reach ${options.forgeName} at ${new URL(url).origin}: ${problem}`,
          { cause: error },
        );
      }
      const responseHeaders = headersOf(response);
      if (response.status === 304 && cached) {
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
        await sleep(retryDelay * 2 ** attempt);
        continue;
      }
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
        options.cache.set(key, { etag: responseHeaders['etag'], body, headers: kept });
      }
      return { status: response.status, body, headers: responseHeaders, fromCache: false };
    }
  };

  /** Read a body as text up to the limit of its kind; an error body is cut to its own limit. */
  const readText = async (
    response: Response,
    url: string,
    accept: 'json' | 'text',
    signal: AbortSignal,
  ): Promise<string> => {
    const failed = response.status >= 400;
    const limit = failed
      ? FORGE_LIMITS.errorBytes
      : accept === 'json'
        ? FORGE_LIMITS.jsonBytes
        : FORGE_LIMITS.fileBytes;
    const read = await readBoundedBody(response, limit, signal);
    if (!read.complete && !failed)
      throw tooLarge(
        options.forgeName,
        options.host,
        url,
        accept === 'json' ? 'json' : 'file',
        base,
      );
    return new TextDecoder().decode(read.bytes);
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
      maxPages: number = FORGE_LIMITS.pages,
    ) {
      const items: T[] = [];
      let url: string | undefined = buildUrl(path, query);
      let total: number | undefined;
      const seen = new Set<string>();
      const listing = new URL(url).pathname;
      for (let page = 0; url; page++) {
        if (seen.has(url))
          throw new ForgeLimitError(
            options.host,
            `${options.forgeName} links ${listing} back to a page already read; stopped reading.`,
          );
        if (page >= maxPages)
          throw new ForgeLimitError(
            options.host,
            `${options.forgeName} lists more than ${maxPages} pages at ${listing}; stopped reading. A listing this long is a forge fault or a wrong API URL (${base}).`,
          );
        seen.add(url);
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
