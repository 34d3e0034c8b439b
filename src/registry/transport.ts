/**
 * The HTTP layer every registry call goes through: bounded concurrency per host, retries with
 * exponential backoff and jitter on 408/429/5xx and network errors (honouring Retry-After), no
 * retry on other 4xx, a timeout per request, the Bearer/Basic auth flow, and redirects followed by
 * hand so that `Authorization` never leaves the host it was meant for.
 */
import {
  basicAuthorization,
  parseChallenge,
  parseTokenReply,
  TokenCache,
  type Credentials,
} from './auth.ts';
import { AdaptiveLimit } from './limit.ts';

/** What a caller asks the transport for. */
export interface RegistryRequest {
  method: 'GET' | 'HEAD';
  url: URL;
  /** Accept header. */
  accept?: string;
  /** Token scope, e.g. "repository:fedora/fedora-bootc:pull". */
  scope?: string;
  /** Largest body accepted, in bytes (default 16 MiB). */
  maxBytes?: number;
  /** What the request is for, used in error messages ("list tags of quay.io/fedora/fedora-bootc"). */
  what: string;
  /**
   * A probe (e.g. the referrers API): one try, no retries, and a redirect to another host is
   * returned as is instead of followed.
   */
  probe?: boolean;
}

/** A response with its body read completely. */
export interface RegistryResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  /** The final URL, after redirects. */
  url: string;
}

/** Something the transport did, for progress, counting and logs. Never carries a token. */
export type TransportEvent =
  | {
      type: 'request';
      origin: string;
      method: string;
      path: string;
      status: number;
      kind: 'registry' | 'token';
    }
  | { type: 'retry'; origin: string; path: string; reason: string; delayMs: number }
  | { type: 'warning'; origin: string; message: string };

/** A registry call that failed for good; the message says what, where, and what to do. */
export class RegistryError extends Error {
  override name = 'RegistryError';
  readonly status: number | undefined;
  readonly code: string | undefined;
  constructor(message: string, status?: number, code?: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Options of {@link createTransport}. */
export interface TransportOptions {
  fetch?: typeof fetch;
  /** Concurrent requests per origin to start with (default 4). */
  concurrency?: number;
  /**
   * The most concurrent requests per origin (default: `concurrency`, a fixed limit). Above
   * `concurrency`, the limit grows while requests succeed and halves on 429 or 503 (see limit.ts).
   */
  maxConcurrency?: number;
  /** Timeout per attempt in ms (default 30 s). */
  timeoutMs?: number;
  /** Attempts per request, first try included (default 5). */
  attempts?: number;
  /** First backoff delay in ms (default 500), doubled each retry. */
  baseDelayMs?: number;
  /** Longest wait between tries in ms, Retry-After included (default 60 s). */
  maxDelayMs?: number;
  userAgent?: string;
  /** Basic credentials for an origin's public host, if any. */
  credentials?: (origin: string) => Promise<Credentials | undefined>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onEvent?: (event: TransportEvent) => void;
  /**
   * Auth challenges remembered from earlier runs (origin → realm and service, or null for an origin
   * that wanted none), so that a new run does not spend a 401 per host to learn them again.
   */
  authHints?: {
    load(): Promise<Record<string, { realm: string; service: string } | null>>;
    save(origin: string, hint: { realm: string; service: string } | null): Promise<void>;
  };
}

/** The transport: one `request` function and its shared state. */
export interface Transport {
  request(request: RegistryRequest): Promise<RegistryResponse>;
}

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** Network errors that mean the host cannot be reached at all (no name, nobody listening, no route). */
const UNREACHABLE = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const MAX_REDIRECTS = 5;

/** Parse Retry-After as seconds or an HTTP date; return milliseconds from now, or undefined. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}

/** Read the first error of a registry error body (`{"errors":[{code,message}]}`), defensively. */
export function parseErrorBody(body: Uint8Array): { code?: string; message?: string } {
  try {
    const data = JSON.parse(new TextDecoder().decode(body)) as {
      errors?: Array<{ code?: unknown; message?: unknown }>;
    };
    const first = data.errors?.[0];
    if (!first) return {};
    const result: { code?: string; message?: string } = {};
    if (typeof first.code === 'string') result.code = first.code;
    if (typeof first.message === 'string') result.message = first.message;
    return result;
  } catch {
    return {};
  }
}

/** Describe a non-success response as an error message with a hint. */
export function describeFailure(what: string, response: RegistryResponse): RegistryError {
  const { code, message } = parseErrorBody(response.body);
  const detail = [code, message].filter(Boolean).join(' ');
  const base = `Could not ${what}: ${response.status}${detail ? ` ${detail}` : ''}`;
  let hint = '';
  if (response.status === 401) {
    hint =
      ' The repository is private or does not exist; check the name, or add credentials to REGISTRY_AUTH_FILE or ~/.config/containers/auth.json.';
  } else if (response.status === 403) {
    hint = ' Access denied; check the credentials for this registry.';
  } else if (response.status === 404) {
    hint = ' Not found; check the repository and tag names.';
  }
  return new RegistryError(`${base}.${hint}`, response.status, code);
}

function pathOf(url: URL): string {
  return url.pathname;
}

interface OriginAuth {
  bearer?: { realm: string; service: string };
  basic?: boolean;
  /** Set once the first request to the origin has shown whether it wants auth. */
  known?: boolean;
  /** The first request in flight; the others wait for it instead of each collecting a 401. */
  discovering?: Promise<void>;
}

/** Create the transport shared by all registry clients of a sync. */
export function createTransport(options: TransportOptions = {}): Transport {
  const doFetch = options.fetch ?? globalThis.fetch;
  const concurrency = options.concurrency ?? 4;
  const maxConcurrency = options.maxConcurrency ?? concurrency;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const attempts = options.attempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const userAgent = options.userAgent ?? 'image-mode-hub-sync';
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => {});
  const limits = new Map<string, AdaptiveLimit>();
  // Hosts that could not be reached at all in this sync, with why: later requests fail at once
  // instead of each spending its retries on a host that is down or offline.
  const unreachable = new Map<string, string>();
  const auth = new Map<string, OriginAuth>();
  const tokens = new TokenCache(now);
  const pendingTokens = new Map<string, Promise<string>>();
  const credentialCache = new Map<string, Promise<Credentials | undefined>>();
  let hints: Promise<void> | undefined;
  /** Apply remembered challenges once, before the first request. */
  function loadHints(): Promise<void> {
    hints ??= (async () => {
      if (!options.authHints) return;
      try {
        for (const [origin, hint] of Object.entries(await options.authHints.load())) {
          const state = authState(origin);
          if (hint) state.bearer = { ...hint };
          state.known = true;
        }
      } catch {
        // No hints: learn them again.
      }
    })();
    return hints;
  }
  function saveHint(origin: string, hint: { realm: string; service: string } | null): void {
    options.authHints?.save(origin, hint).catch(() => {});
  }

  function limitOf(origin: string): AdaptiveLimit {
    let limit = limits.get(origin);
    if (!limit) limits.set(origin, (limit = new AdaptiveLimit(concurrency, maxConcurrency)));
    return limit;
  }
  function credentialsFor(origin: string): Promise<Credentials | undefined> {
    let c = credentialCache.get(origin);
    if (!c)
      credentialCache.set(
        origin,
        (c = options.credentials ? options.credentials(origin) : Promise.resolve(undefined)),
      );
    return c;
  }
  function authState(origin: string): OriginAuth {
    let a = auth.get(origin);
    if (!a) auth.set(origin, (a = {}));
    return a;
  }

  /** One HTTP exchange with a timeout, redirects followed by hand, body read. Throws on network errors. */
  async function exchange(
    method: string,
    url: URL,
    headers: Record<string, string>,
    maxBytes: number,
    kind: 'registry' | 'token',
    probe: boolean,
  ): Promise<RegistryResponse> {
    let current = url;
    let sendHeaders = { ...headers };
    for (let hop = 0; ; hop++) {
      const signal = AbortSignal.timeout(timeoutMs);
      const response = await doFetch(current, {
        method,
        headers: sendHeaders,
        redirect: 'manual',
        signal,
      });
      emit({
        type: 'request',
        origin: current.origin,
        method,
        path: pathOf(current),
        status: response.status,
        kind,
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location && response.status !== 304) {
        await response.body?.cancel();
        if (hop >= MAX_REDIRECTS)
          throw new RegistryError(`Too many redirects from ${url.origin}${pathOf(url)}.`);
        const next = new URL(location, current);
        if (probe && next.origin !== current.origin) {
          return {
            status: response.status,
            headers: response.headers,
            body: new Uint8Array(),
            url: current.href,
          };
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw new RegistryError(`Redirect from ${url.origin}${pathOf(url)} to a non-HTTP URL.`);
        }
        if (next.origin !== current.origin) {
          // Never forward credentials to another host (spec: MUST NOT forward Authorization).
          const { authorization: _dropped, ...rest } = sendHeaders;
          sendHeaders = rest;
        }
        current = next;
        continue;
      }
      const declared = Number(response.headers.get('content-length'));
      if (Number.isFinite(declared) && declared > maxBytes) {
        await response.body?.cancel();
        throw new RegistryError(
          `${url.origin}${pathOf(url)} answered ${declared} bytes, more than the ${maxBytes} allowed.`,
        );
      }
      const body =
        method === 'HEAD' ? new Uint8Array() : new Uint8Array(await response.arrayBuffer());
      if (body.length > maxBytes) {
        throw new RegistryError(
          `${url.origin}${pathOf(url)} answered ${body.length} bytes, more than the ${maxBytes} allowed.`,
        );
      }
      return { status: response.status, headers: response.headers, body, url: current.href };
    }
  }

  /** Fetch a Bearer token for a scope, once at a time per key. */
  async function fetchToken(
    origin: string,
    realm: string,
    service: string,
    scope: string,
  ): Promise<string> {
    const key = TokenCache.key(realm, service, scope);
    const cached = tokens.get(key);
    if (cached) return cached;
    const pending = pendingTokens.get(key);
    if (pending) return pending;
    const promise = (async () => {
      const url = new URL(realm);
      if (service) url.searchParams.set('service', service);
      if (scope) url.searchParams.set('scope', scope);
      const headers: Record<string, string> = {
        'user-agent': userAgent,
        accept: 'application/json',
      };
      const credentials = await credentialsFor(origin);
      if (credentials) headers['authorization'] = basicAuthorization(credentials);
      const response = await withRetries(
        'GET',
        url,
        `get a token for ${scope || 'the registry'} from ${url.origin}`,
        headers,
        1 << 20,
        'token',
      );
      if (response.status !== 200) {
        throw new RegistryError(
          `Could not get a token for ${scope || 'the registry'} from ${url.origin}${url.pathname}: ${response.status}. The repository may be private; add credentials to REGISTRY_AUTH_FILE or ~/.config/containers/auth.json.`,
          response.status,
        );
      }
      let reply: ReturnType<typeof parseTokenReply>;
      try {
        reply = parseTokenReply(JSON.parse(new TextDecoder().decode(response.body)));
      } catch {
        reply = undefined;
      }
      if (!reply)
        throw new RegistryError(
          `The token endpoint ${url.origin}${url.pathname} answered without a token.`,
        );
      tokens.set(key, reply.token, reply.expiresIn, reply.issuedAt);
      return reply.token;
    })();
    pendingTokens.set(key, promise);
    try {
      return await promise;
    } finally {
      pendingTokens.delete(key);
    }
  }

  /** Send one request with retries on 408/429/5xx and network errors; return the final response. */
  async function withRetries(
    method: string,
    url: URL,
    what: string,
    headers: Record<string, string>,
    maxBytes: number,
    kind: 'registry' | 'token',
    probe = false,
  ): Promise<RegistryResponse> {
    const tries = probe ? 1 : attempts;
    const slot = limitOf(url.origin);
    let lastProblem: string;
    for (let attempt = 1; ; attempt++) {
      let response: RegistryResponse | undefined;
      let networkError: unknown;
      await slot.acquire();
      const down = unreachable.get(url.origin);
      if (down !== undefined) {
        slot.release('neutral');
        throw new RegistryError(
          `Could not ${what}: ${url.host} could not be reached earlier in this sync (${down}); not trying again until the next sync.`,
        );
      }
      try {
        response = await exchange(method, url, headers, maxBytes, kind, probe);
      } catch (error) {
        if (error instanceof RegistryError) throw error;
        networkError = error;
      } finally {
        // The registry's own word on its load steers how many requests it gets at once.
        slot.release(
          response === undefined
            ? 'neutral'
            : response.status === 429 || response.status === 503
              ? 'throttled'
              : response.status < 400
                ? 'ok'
                : 'neutral',
        );
      }
      let retryAfter: number | undefined;
      if (response) {
        if (!RETRY_STATUS.has(response.status)) return response;
        retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
        const { code } = parseErrorBody(response.body);
        lastProblem = `${response.status}${code ? ` ${code}` : ''}${retryAfter !== undefined ? ` (Retry-After ${Math.round(retryAfter / 1000)} s)` : ''}`;
      } else {
        const cause = networkError as {
          name?: string;
          message?: string;
          cause?: { code?: string; message?: string };
        };
        lastProblem =
          cause?.name === 'TimeoutError'
            ? `no answer within ${timeoutMs / 1000} s`
            : `network error ${cause?.cause?.code ?? cause?.cause?.message ?? cause?.message ?? String(networkError)}`;
      }
      if (attempt >= tries) {
        const code = (networkError as { cause?: { code?: string } } | undefined)?.cause?.code;
        if (!probe && code !== undefined && UNREACHABLE.has(code))
          unreachable.set(url.origin, lastProblem);
        throw new RegistryError(
          `Could not ${what}: ${lastProblem} after ${tries} ${tries === 1 ? 'try' : 'tries'}.`,
          response?.status,
        );
      }
      const backoff = baseDelayMs * 2 ** (attempt - 1);
      const delay = Math.min(maxDelayMs, retryAfter ?? backoff + random() * backoff);
      emit({
        type: 'retry',
        origin: url.origin,
        path: pathOf(url),
        reason: lastProblem,
        delayMs: delay,
      });
      await sleep(delay);
    }
  }

  async function request(req: RegistryRequest): Promise<RegistryResponse> {
    await loadHints();
    const state = authState(req.url.origin);
    if (state.known) return send(req);
    if (state.discovering) {
      await state.discovering;
      return send(req);
    }
    let release = () => {};
    state.discovering = new Promise<void>((resolve) => (release = resolve));
    try {
      const response = await send(req);
      if (response.status !== 401) saveHint(req.url.origin, state.bearer ?? null);
      return response;
    } finally {
      state.known = true;
      release();
    }
  }

  async function send(req: RegistryRequest): Promise<RegistryResponse> {
    const origin = req.url.origin;
    const maxBytes = req.maxBytes ?? 16 << 20;
    const base: Record<string, string> = { 'user-agent': userAgent };
    if (req.accept) base['accept'] = req.accept;
    let triedAuth = false;
    for (;;) {
      const headers = { ...base };
      const state = authState(origin);
      let tokenKey: string | undefined;
      if (state.bearer) {
        const scope = req.scope ?? '';
        tokenKey = TokenCache.key(state.bearer.realm, state.bearer.service, scope);
        headers['authorization'] =
          `Bearer ${await fetchToken(origin, state.bearer.realm, state.bearer.service, scope)}`;
      } else if (state.basic) {
        const credentials = await credentialsFor(origin);
        if (credentials) headers['authorization'] = basicAuthorization(credentials);
      }
      const response = await withRetries(
        req.method,
        req.url,
        req.what,
        headers,
        maxBytes,
        'registry',
        req.probe ?? false,
      );
      if (response.status !== 401 || triedAuth) return response;
      const challenge = parseChallenge(response.headers.get('www-authenticate'));
      if (!challenge || challenge.scheme === 'other') return response;
      triedAuth = true;
      if (challenge.scheme === 'bearer') {
        const realm = challenge.params['realm'];
        if (!realm) return response;
        const resolvedRealm = new URL(realm, req.url).href;
        if (tokenKey) tokens.delete(tokenKey);
        state.bearer = { realm: resolvedRealm, service: challenge.params['service'] ?? '' };
        // The challenge's scope is authoritative for this request (insufficient_scope included).
        if (challenge.params['scope'] && challenge.params['scope'] !== req.scope) {
          req = { ...req, scope: challenge.params['scope'] };
        }
      } else {
        if (!(await credentialsFor(origin))) return response;
        state.basic = true;
      }
    }
  }

  return { request };
}
