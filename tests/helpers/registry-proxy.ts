/**
 * A small HTTP proxy in front of the real test registry, adding what distribution 2.8 does not do:
 * a Bearer token challenge with its token server, paginated tag lists with `Link`, fixed latency,
 * and faults on demand (429 with Retry-After, 503, a flipped byte in a manifest, a slow answer, a
 * cross-host redirect for blobs). It counts every request it sees.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { BAD_PORTS } from './registry.ts';

/** A fault to inject on matching requests, `times` times. */
export interface Fault {
  method?: string;
  path: RegExp;
  kind: '429' | '429-date' | '503' | 'flip' | 'slow' | 'redirect' | 'reset';
  times: number;
  /** Retry-After seconds for 429. */
  retryAfter?: number;
  /** Delay for 'slow', in ms. */
  delayMs?: number;
}

/** A request the proxy saw. */
export interface SeenRequest {
  method: string;
  path: string;
  status: number;
  /** The Authorization scheme sent ("Bearer", "Basic"), or null. */
  auth: string | null;
}

/** Options of {@link startProxy}. */
export interface ProxyOptions {
  /** Require Bearer tokens issued by the proxy's own token server at /token. */
  token?: boolean;
  /** Serve tag lists in pages of this size, with a relative `Link` header. */
  tagPageSize?: number;
  /** Fixed latency added to every request, in ms. */
  latencyMs?: number;
  /** Send blob GETs to a second server on another host name (localhost:<port>) with a 307. */
  redirectBlobs?: boolean;
}

/** A running proxy. */
export interface RegistryProxy {
  url: string;
  host: string;
  requests: SeenRequest[];
  /** Authorization headers that reached the blob redirect target (should stay empty). */
  redirectTargetAuth: string[];
  /** Requests the redirect target served. */
  redirectTargetHits: number;
  /** Every token the token server issued. */
  issuedTokens: string[];
  faults: Fault[];
  /** Forget counted requests. */
  reset(): void;
  stop(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Uint8Array = '',
): void {
  res.writeHead(status, headers);
  res.end(body);
}

const FORWARD_HEADERS = [
  'content-type',
  'docker-content-digest',
  'etag',
  'www-authenticate',
  'retry-after',
  'location',
];

/** Start a proxy on a free loopback port in front of a registry URL. */
export async function startProxy(
  upstream: string,
  options: ProxyOptions = {},
): Promise<RegistryProxy> {
  // The ports are the ones the servers get when they listen (below): picking a free port first and
  // listening on it later races with every other socket of a parallel test run.
  let targetPort = 0;
  let base = '';
  const tokens = new Map<string, string>(); // token -> scope
  const proxy: RegistryProxy = {
    url: '',
    host: '',
    requests: [],
    redirectTargetAuth: [],
    redirectTargetHits: 0,
    issuedTokens: [],
    faults: [],
    reset() {
      proxy.requests.length = 0;
    },
    stop: async () => {
      await Promise.all([close(server), close(target)]);
    },
  };

  function takeFault(method: string, path: string): Fault | undefined {
    const fault = proxy.faults.find(
      (f) => f.times > 0 && (!f.method || f.method === method) && f.path.test(path),
    );
    if (fault) fault.times--;
    return fault;
  }

  async function forward(
    method: string,
    path: string,
    accept: string | undefined,
  ): Promise<{ status: number; headers: Record<string, string>; body: Uint8Array }> {
    const response = await fetch(`${upstream}${path}`, {
      method,
      headers: accept ? { accept } : {},
      redirect: 'manual',
    });
    const headers: Record<string, string> = {};
    for (const name of FORWARD_HEADERS) {
      const value = response.headers.get(name);
      if (value) headers[name] = value;
    }
    const body =
      method === 'HEAD' ? new Uint8Array() : new Uint8Array(await response.arrayBuffer());
    const length = response.headers.get('content-length');
    if (length) headers['content-length'] = length;
    return { status: response.status, headers, body };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    const authHeader = req.headers.authorization ?? null;
    const record = (status: number) =>
      proxy.requests.push({
        method,
        path,
        status,
        auth: authHeader ? authHeader.split(' ')[0]! : null,
      });
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));

    if (path === '/token') {
      const scope = url.searchParams.get('scope') ?? '';
      const token = randomBytes(24).toString('hex');
      tokens.set(token, scope);
      proxy.issuedTokens.push(token);
      record(200);
      return send(
        res,
        200,
        { 'content-type': 'application/json' },
        JSON.stringify({ token, expires_in: 300, issued_at: new Date().toISOString() }),
      );
    }

    const repoMatch =
      /^\/v2\/(.+?)\/(tags\/list|manifests\/[^/]+|blobs\/[^/]+|referrers\/[^/]+)$/.exec(path);
    const repo = repoMatch?.[1];
    if (options.token) {
      const scope = repo ? `repository:${repo}:pull` : '';
      const token = authHeader?.startsWith('Bearer ') ? authHeader.slice(7) : undefined;
      const granted = token ? tokens.get(token) : undefined;
      if (granted === undefined || (repo && granted !== scope)) {
        record(401);
        const challenge = `Bearer realm="${base}/token",service="test-proxy"${scope ? `,scope="${scope}"` : ''}${token ? ',error="insufficient_scope"' : ''}`;
        return send(
          res,
          401,
          { 'content-type': 'application/json', 'www-authenticate': challenge },
          JSON.stringify({
            errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }],
          }),
        );
      }
    }

    const fault = takeFault(method, path);
    if (fault?.kind === '429' || fault?.kind === '429-date') {
      record(429);
      const retryAfter =
        fault.kind === '429'
          ? String(fault.retryAfter ?? 1)
          : new Date(Date.now() + (fault.retryAfter ?? 1) * 1000).toUTCString();
      return send(
        res,
        429,
        { 'content-type': 'text/html', 'retry-after': retryAfter },
        '<html>Too Many Requests</html>',
      );
    }
    if (fault?.kind === '503') {
      record(503);
      return send(res, 503, { 'content-type': 'text/plain' }, 'Service Unavailable');
    }
    if (fault?.kind === 'reset') {
      record(0);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs ?? 2000));
    if (
      (fault?.kind === 'redirect' || options.redirectBlobs) &&
      method === 'GET' &&
      /\/blobs\//.test(path)
    ) {
      record(307);
      return send(res, 307, { location: `http://localhost:${targetPort}${path}` });
    }

    if (options.tagPageSize && repoMatch?.[2] === 'tags/list' && method === 'GET') {
      const upstreamList = await forward('GET', path, 'application/json');
      if (upstreamList.status !== 200) {
        record(upstreamList.status);
        return send(res, upstreamList.status, upstreamList.headers, upstreamList.body);
      }
      const all = (
        (JSON.parse(new TextDecoder().decode(upstreamList.body)) as { tags: string[] | null })
          .tags ?? []
      )
        .slice()
        .sort();
      const last = url.searchParams.get('last');
      const start = last ? all.findIndex((t) => t > last) : 0;
      const page = start < 0 ? [] : all.slice(start, start + options.tagPageSize);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (start >= 0 && start + options.tagPageSize < all.length) {
        const next = new URLSearchParams({ last: page.at(-1)!, n: String(options.tagPageSize) });
        headers['link'] = `</v2/${repo}/tags/list?${next.toString()}>; rel="next"`;
      }
      record(200);
      return send(res, 200, headers, JSON.stringify({ name: repo, tags: page }));
    }

    const answer = await forward(method, `${path}${url.search}`, req.headers.accept);
    if (fault?.kind === 'flip' && answer.body.length > 10) {
      const body = new Uint8Array(answer.body);
      const i = Math.floor(body.length / 2);
      // Flip a letter's case inside the JSON so it stays parseable but hashes differently.
      body[i] = body[i]! ^ 0x01;
      answer.body = body;
    }
    record(answer.status);
    send(res, answer.status, answer.headers, answer.body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 502, { 'content-type': 'text/plain' }, String(error));
    });
  });
  const target: Server = createServer((req, res) => {
    proxy.redirectTargetHits++;
    if (req.headers.authorization) proxy.redirectTargetAuth.push(req.headers.authorization);
    forward('GET', req.url ?? '/', undefined)
      .then((answer) => send(res, answer.status, answer.headers, answer.body))
      .catch((error: unknown) => send(res, 502, {}, String(error)));
  });
  const [port, redirectPort] = await Promise.all([listenFree(server), listenFree(target)]);
  targetPort = redirectPort;
  base = `http://127.0.0.1:${port}`;
  proxy.url = base;
  proxy.host = `127.0.0.1:${port}`;
  return proxy;
}

/** Listen on a free port of 127.0.0.1 that fetch accepts; returns the port. */
async function listenFree(server: Server): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    if (!BAD_PORTS.has(port)) return port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
