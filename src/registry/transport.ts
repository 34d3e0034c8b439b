/**
 * The HTTP layer every registry call goes through: bounded concurrency per host, retries with
 * exponential backoff and jitter on 408/429/5xx and network errors (honouring Retry-After), no
 * retry on other 4xx, a timeout per request, bodies read up to a limit by kind, the Bearer/Basic
 * auth flow, and redirects followed by hand so that `Authorization` never leaves the host it was
 * meant for.
 */
import { z } from 'zod';
import {
  basicAuthorization,
  mayReceiveCredentials,
  parseChallenge,
  parseTokenReply,
  TokenCache,
  type Credentials,
} from './auth.ts';
import { AdaptiveLimit } from './limit.ts';
import { optionalString, readJsonBody } from './json.ts';
import { parseRetryAfter } from '../utils/http-headers.ts';
import { formatLimit, readBoundedBody } from '../utils/bounded-body.ts';
import { truncateText } from '../utils/truncate.ts';

/**
 * The most the sync reads of each kind of body, in bytes. A body past its limit is an error naming
 * the URL and the limit (an error answer's body is cut to its limit instead: the status says enough).
 */
export const BODY_LIMITS = {
  /** A manifest or index: the distribution spec lets registries refuse manifests over 4 MiB. */
  manifest: 4 << 20,
  /** An image config blob. */
  config: 8 << 20,
  /** A page of a tag list (the distribution API or quay.io's REST API). */
  tags: 16 << 20,
  /** A token endpoint's reply. */
  token: 64 << 10,
  /** The body of an error answer (4xx, 5xx). */
  error: 64 << 10,
} as const;

/** What a request's body is, which sets the most of it the transport reads. */
export type BodyKind = Exclude<keyof typeof BODY_LIMITS, 'error'>;

/** What each kind of body is called in messages, and what to do when one is too large. */
const BODY_NAMES: Record<BodyKind, { name: string; hint: string }> = {
  manifest: {
    name: "a manifest or index (the distribution spec's limit)",
    hint: 'Check that the reference names a container image.',
  },
  config: {
    name: 'an image config',
    hint: 'Check that the image is a container image; its config is far larger than any build writes.',
  },
  tags: {
    name: 'a tag list page',
    hint: 'The registry sent a page far larger than a tag list; check IMAGE_MODE_REGISTRIES and the registry.',
  },
  token: {
    name: 'a token reply',
    hint: "Check the realm of the registry's auth challenge.",
  },
};

/** What a caller asks the transport for. */
export interface RegistryRequest {
  method: 'GET' | 'HEAD';
  url: URL;
  /** Accept header. */
  accept?: string | undefined;
  /** Token scope, e.g. "repository:fedora/fedora-bootc:pull". */
  scope?: string | undefined;
  /** What the body is; sets the most of it that is read ({@link BODY_LIMITS}). */
  body: BodyKind;
  /** What the request is for, used in error messages ("list tags of quay.io/fedora/fedora-bootc"). */
  what: string;
  /** The image the request concerns, carried by its errors. */
  target?: RegistryTarget | undefined;
  /**
   * A probe (e.g. the referrers API): one try, no retries, and a redirect to another host is
   * returned as is instead of followed.
   */
  probe?: boolean | undefined;
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

/** The image a registry call concerns. */
export interface RegistryTarget {
  /** The repository as the catalog names it, `quay.io/fedora/fedora-bootc`. */
  repository: string;
  /** The tag or digest asked for, if any (the `<reference>` of the distribution spec). */
  reference?: string | undefined;
}

/** What a {@link RegistryError} knows besides its message. */
export interface RegistryErrorOptions {
  /** The HTTP status of the answer, if there was one. */
  status?: number | undefined;
  /** The registry's error code (`MANIFEST_UNKNOWN`, `TOOMANYREQUESTS`), if it gave one. */
  code?: string | undefined;
  /** The image the call concerned, where known. */
  target?: RegistryTarget | undefined;
  /** The error this one wraps (a network error, a body that is not JSON). */
  cause?: unknown;
}

/** A registry call that failed for good; the message says what, where, and what to do. */
export class RegistryError extends Error {
  override name = 'RegistryError';
  readonly status: number | undefined;
  readonly code: string | undefined;
  /** The repository the call concerned, where known (`quay.io/fedora/fedora-bootc`). */
  readonly repository: string | undefined;
  /** The tag or digest the call concerned, where known. */
  readonly reference: string | undefined;
  constructor(message: string, options: RegistryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.code = options.code;
    this.repository = options.target?.repository;
    this.reference = options.target?.reference;
  }
}

/** Options of {@link createTransport}. */
export interface TransportOptions {
  fetch?: typeof fetch | undefined;
  /** Concurrent requests per origin to start with (default 4). */
  concurrency?: number | undefined;
  /**
   * The most concurrent requests per origin (default: `concurrency`, a fixed limit). Above
   * `concurrency`, the limit grows while requests succeed and halves on 429 or 503 (see limit.ts).
   */
  maxConcurrency?: number | undefined;
  /** Timeout per attempt in ms (default 30 s). */
  timeoutMs?: number | undefined;
  /** Attempts per request, first try included (default 5). */
  attempts?: number | undefined;
  /** First backoff delay in ms (default 500), doubled each retry. */
  baseDelayMs?: number | undefined;
  /** Longest wait between tries in ms, Retry-After included (default 60 s). */
  maxDelayMs?: number | undefined;
  userAgent?: string | undefined;
  /** Basic credentials for an origin's public host, if any. */
  credentials?: ((origin: string) => Promise<Credentials | undefined>) | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  random?: (() => number) | undefined;
  now?: (() => number) | undefined;
  onEvent?: ((event: TransportEvent) => void) | undefined;
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

/** A registry error body, `{"errors":[{"code":…,"message":…}]}`; anything else reads as no errors. */
const ErrorBodySchema = z
  .object({
    errors: z
      .array(z.object({ code: optionalString, message: optionalString }).catch(() => ({})))
      .catch(() => []),
  })
  .catch(() => ({ errors: [] }));

/** Read the first error of a registry error body; empty when the body has none or is not JSON. */
function parseErrorBody(body: Uint8Array): {
  code?: string | undefined;
  message?: string | undefined;
} {
  const read = readJsonBody(body, ErrorBodySchema);
  return (read.ok && read.data.errors[0]) || {};
}

/** Describe a non-success response as an error message with a hint. */
export function describeFailure(
  what: string,
  response: RegistryResponse,
  target?: RegistryTarget,
): RegistryError {
  const { code, message } = parseErrorBody(response.body);
  const detail = truncateText([code, message].filter(Boolean).join(' '), 300);
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
  return new RegistryError(`${base}.${hint}`, { status: response.status, code, target });
}

function pathOf(url: URL): string {
  return url.pathname;
}

/** What a failed fetch says about why (undici keeps the system error, `ECONNREFUSED`, in `cause`). */
const NetworkErrorSchema = z
  .object({
    name: optionalString,
    message: optionalString,
    cause: z.object({ code: optionalString, message: optionalString }).catch(() => ({})),
  })
  .catch(() => ({ cause: {} }));

/** One exchange as the transport sends it: a registry request with its headers, or a token request. */
interface Outgoing {
  method: string;
  url: URL;
  what: string;
  target: RegistryTarget | undefined;
  headers: Record<string, string>;
  body: BodyKind;
  kind: 'registry' | 'token';
  probe: boolean;
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
  async function exchange({
    method,
    url,
    target,
    headers,
    body: bodyKind,
    kind,
    probe,
  }: Outgoing): Promise<RegistryResponse> {
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
          throw new RegistryError(`Too many redirects from ${url.origin}${pathOf(url)}.`, {
            target,
          });
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
          throw new RegistryError(`Redirect from ${url.origin}${pathOf(url)} to a non-HTTP URL.`, {
            target,
          });
        }
        if (next.origin !== current.origin) {
          // Never forward credentials to another host (spec: MUST NOT forward Authorization).
          const { authorization: _dropped, ...rest } = sendHeaders;
          sendHeaders = rest;
        }
        current = next;
        continue;
      }
      if (method === 'HEAD') {
        await response.body?.cancel();
        return {
          status: response.status,
          headers: response.headers,
          body: new Uint8Array(),
          url: current.href,
        };
      }
      // An error answer's body is only read for its message: its first bytes are enough.
      const failed = response.status >= 400;
      const limit = failed ? BODY_LIMITS.error : BODY_LIMITS[bodyKind];
      const read = await readBoundedBody(response, limit, signal);
      if (!read.complete && !failed) {
        const { name, hint } = BODY_NAMES[bodyKind];
        throw new RegistryError(
          `${current.origin}${pathOf(current)} sent more than ${formatLimit(limit)}, the most the sync reads of ${name}; stopped reading. ${hint}`,
          { status: response.status, target },
        );
      }
      return {
        status: response.status,
        headers: response.headers,
        body: read.bytes,
        url: current.href,
      };
    }
  }

  /** Token servers already warned about, so that the warning is given once per sync. */
  const withheld = new Set<string>();
  /**
   * The Basic credentials to send a token server: the registry's own when the token server is on
   * the registry's host (or is its known token server, auth.docker.io for Docker Hub); the token
   * server's own when the auth files list its host; else none, and the token asked for is anonymous.
   */
  async function tokenCredentials(origin: string, realm: URL): Promise<Credentials | undefined> {
    if (mayReceiveCredentials(origin, realm)) return credentialsFor(origin);
    const own = await credentialsFor(realm.origin);
    if (own) return own;
    if ((await credentialsFor(origin)) && !withheld.has(`${origin} ${realm.origin}`)) {
      withheld.add(`${origin} ${realm.origin}`);
      const host = new URL(origin).host;
      emit({
        type: 'warning',
        origin,
        message: `The credentials for ${host} were not sent to its token server ${realm.host}, another host; asked it for an anonymous token instead. If ${realm.host} is the token server of ${host}, add an entry for ${realm.host} to the auth file.`,
      });
    }
    return undefined;
  }

  /** Fetch a Bearer token for a scope, once at a time per key. */
  async function fetchToken(
    origin: string,
    realm: string,
    service: string,
    scope: string,
    target: RegistryTarget | undefined,
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
      const credentials = await tokenCredentials(origin, url);
      if (credentials) headers['authorization'] = basicAuthorization(credentials);
      const response = await withRetries({
        method: 'GET',
        url,
        what: `get a token for ${scope || 'the registry'} from ${url.origin}`,
        target,
        headers,
        body: 'token',
        kind: 'token',
        probe: false,
      });
      if (response.status !== 200) {
        throw new RegistryError(
          `Could not get a token for ${scope || 'the registry'} from ${url.origin}${url.pathname}: ${response.status}. The repository may be private; add credentials to REGISTRY_AUTH_FILE or ~/.config/containers/auth.json.`,
          { status: response.status, target },
        );
      }
      const read = parseTokenReply(response.body);
      if (!read.ok)
        throw new RegistryError(
          `The token endpoint ${url.origin}${url.pathname} answered without a token.`,
          { status: response.status, target, cause: read.cause },
        );
      const reply = read.data;
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
  async function withRetries(outgoing: Outgoing): Promise<RegistryResponse> {
    const { url, what, target, probe } = outgoing;
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
          { target },
        );
      }
      try {
        response = await exchange(outgoing);
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
      let code: string | undefined;
      let systemCode: string | undefined;
      if (response) {
        if (!RETRY_STATUS.has(response.status)) return response;
        retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
        code = parseErrorBody(response.body).code;
        lastProblem = `${response.status}${code ? ` ${code}` : ''}${retryAfter !== undefined ? ` (Retry-After ${Math.round(retryAfter / 1000)} s)` : ''}`;
      } else {
        const failure = NetworkErrorSchema.parse(networkError);
        systemCode = failure.cause.code;
        lastProblem =
          failure.name === 'TimeoutError'
            ? `no answer within ${timeoutMs / 1000} s`
            : `network error ${systemCode ?? failure.cause.message ?? failure.message ?? String(networkError)}`;
      }
      if (attempt >= tries) {
        if (!probe && systemCode !== undefined && UNREACHABLE.has(systemCode))
          unreachable.set(url.origin, lastProblem);
        throw new RegistryError(
          `Could not ${what}: ${lastProblem} after ${tries} ${tries === 1 ? 'try' : 'tries'}.`,
          { status: response?.status, code, target, cause: networkError },
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
          `Bearer ${await fetchToken(origin, state.bearer.realm, state.bearer.service, scope, req.target)}`;
      } else if (state.basic) {
        const credentials = await credentialsFor(origin);
        if (credentials) headers['authorization'] = basicAuthorization(credentials);
      }
      const response = await withRetries({
        method: req.method,
        url: req.url,
        what: req.what,
        target: req.target,
        headers,
        body: req.body,
        kind: 'registry',
        probe: req.probe ?? false,
      });
      if (response.status !== 401 || triedAuth) return response;
      // A 401 from the host a redirect led to is that host's business: its challenge is not taken
      // as the registry's, so no token or password of the registry is offered for it.
      if (new URL(response.url).origin !== origin) return response;
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
