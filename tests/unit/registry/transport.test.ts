import { describe, expect, it } from 'vitest';
import { createTransport, type TransportEvent } from '../../../src/registry/transport.ts';

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;

/** A fetch that answers from a handler and records what it was sent. */
function fakeFetch(handler: Handler) {
  const calls: Array<{ url: string; method: string; headers: Record<string, string> }> = [];
  const fn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    calls.push({
      url: url.href,
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string>) },
    });
    return handler(url, init ?? {});
  }) as typeof fetch;
  return { fn, calls };
}

const GET = (url: string, scope?: string) => ({
  method: 'GET' as const,
  url: new URL(url),
  what: 'test it',
  scope,
  body: 'tags' as const,
});

describe('retries', () => {
  it('honours Retry-After in seconds, then succeeds', async () => {
    let n = 0;
    const { fn } = fakeFetch(() =>
      n++ === 0
        ? new Response('slow down', { status: 429, headers: { 'retry-after': '3' } })
        : new Response('ok'),
    );
    const delays: number[] = [];
    const t = createTransport({ fetch: fn, sleep: async (ms) => void delays.push(ms) });
    const res = await t.request(GET('https://r.example/v2/'));
    expect(res.status).toBe(200);
    expect(delays).toEqual([3000]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    let n = 0;
    const { fn } = fakeFetch(() =>
      n++ === 0
        ? new Response('', {
            status: 503,
            headers: { 'retry-after': 'Sat, 28 Nov 2026 00:00:10 GMT' },
          })
        : new Response('ok'),
    );
    const delays: number[] = [];
    const t = createTransport({
      fetch: fn,
      now: () => Date.parse('2026-11-28T00:00:00Z'),
      sleep: async (ms) => void delays.push(ms),
    });
    expect((await t.request(GET('https://r.example/v2/'))).status).toBe(200);
    expect(delays).toEqual([10_000]);
  });

  it('backs off exponentially with jitter on 503 and gives up with a clear error', async () => {
    const { fn, calls } = fakeFetch(() => new Response('', { status: 503 }));
    const delays: number[] = [];
    const t = createTransport({
      fetch: fn,
      attempts: 4,
      baseDelayMs: 100,
      random: () => 0.5,
      sleep: async (ms) => void delays.push(ms),
    });
    await expect(t.request(GET('https://r.example/v2/x/tags/list'))).rejects.toThrow(
      'Could not test it: 503 after 4 tries.',
    );
    expect(calls).toHaveLength(4);
    expect(delays).toEqual([150, 300, 600]);
  });

  it('does not retry 401, 403 or 404', async () => {
    for (const status of [401, 403, 404]) {
      const { fn, calls } = fakeFetch(
        () => new Response('{"errors":[{"code":"DENIED"}]}', { status }),
      );
      const t = createTransport({ fetch: fn, sleep: async () => {} });
      const res = await t.request(GET('https://r.example/v2/x/tags/list'));
      expect(res.status).toBe(status);
      expect(calls).toHaveLength(1);
    }
  });

  it('retries network errors', async () => {
    let n = 0;
    const { fn } = fakeFetch(() => {
      if (n++ < 2) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      return new Response('ok');
    });
    const events: TransportEvent[] = [];
    const t = createTransport({ fetch: fn, sleep: async () => {}, onEvent: (e) => events.push(e) });
    expect((await t.request(GET('https://r.example/v2/'))).status).toBe(200);
    expect(
      events.filter((e) => e.type === 'retry').map((e) => (e.type === 'retry' ? e.reason : '')),
    ).toEqual(['network error ECONNRESET', 'network error ECONNRESET']);
  });
});

describe('unreachable hosts', () => {
  it('gives up on a host that cannot be reached after one request has spent its tries', async () => {
    const { fn, calls } = fakeFetch((url) => {
      if (url.host === 'down.example')
        throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
      return new Response('ok');
    });
    const t = createTransport({ fetch: fn, sleep: async () => {}, attempts: 3 });
    await expect(t.request(GET('https://down.example/v2/a/tags/list'))).rejects.toThrow(
      'Could not test it: network error ENOTFOUND after 3 tries.',
    );
    expect(calls).toHaveLength(3);
    await expect(t.request(GET('https://down.example/v2/b/tags/list'))).rejects.toThrow(
      'Could not test it: down.example could not be reached earlier in this sync (network error ENOTFOUND); not trying again until the next sync.',
    );
    expect(calls).toHaveLength(3);
    // Other hosts are not affected.
    expect((await t.request(GET('https://up.example/v2/'))).status).toBe(200);
  });

  it('keeps trying a host whose connection was only reset', async () => {
    let n = 0;
    const { fn, calls } = fakeFetch(() => {
      if (n++ < 2) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      return new Response('ok');
    });
    const t = createTransport({ fetch: fn, sleep: async () => {}, attempts: 2 });
    await expect(t.request(GET('https://r.example/v2/'))).rejects.toThrow(
      'ECONNRESET after 2 tries',
    );
    expect((await t.request(GET('https://r.example/v2/'))).status).toBe(200);
    expect(calls).toHaveLength(3);
  });
});

describe('auth', () => {
  it('gets an anonymous token from the challenge, caches it per scope, and retries once', async () => {
    const { fn, calls } = fakeFetch((url, init) => {
      if (url.pathname === '/token')
        return Response.json({ token: `tok-${url.searchParams.get('scope')}`, expires_in: 300 });
      const auth = (init.headers as Record<string, string>)['authorization'];
      if (!auth) {
        return new Response('', {
          status: 401,
          headers: {
            'www-authenticate': `Bearer realm="/token",service="reg",scope="repository:${url.pathname.split('/')[2]}:pull"`,
          },
        });
      }
      return new Response('ok');
    });
    const t = createTransport({ fetch: fn });
    await t.request(GET('https://r.example/v2/a/tags/list', 'repository:a:pull'));
    await t.request(GET('https://r.example/v2/a/manifests/1', 'repository:a:pull'));
    await t.request(GET('https://r.example/v2/b/tags/list', 'repository:b:pull'));
    const tokenCalls = calls.filter((c) => c.url.includes('/token'));
    expect(tokenCalls.map((c) => new URL(c.url).searchParams.get('scope'))).toEqual([
      'repository:a:pull',
      'repository:b:pull',
    ]);
    expect(new URL(tokenCalls[0]!.url).origin).toBe('https://r.example'); // relative realm resolved
    // One 401 only: after the first challenge, tokens are fetched before the request.
    expect(
      calls.filter((c) => !c.url.includes('/token') && !c.headers['authorization']),
    ).toHaveLength(1);
    expect(calls.at(-1)!.headers['authorization']).toBe('Bearer tok-repository:b:pull');
  });

  it('answers a second 401 with the 401 (no loop)', async () => {
    const { fn, calls } = fakeFetch((url) =>
      url.pathname === '/token'
        ? Response.json({ token: 't' })
        : new Response('', {
            status: 401,
            headers: { 'www-authenticate': 'Bearer realm="https://r.example/token",service="reg"' },
          }),
    );
    const t = createTransport({ fetch: fn });
    expect(
      (await t.request(GET('https://r.example/v2/p/tags/list', 'repository:p:pull'))).status,
    ).toBe(401);
    expect(calls).toHaveLength(3);
  });

  it('sends Basic credentials on the token request and on Basic-only hosts', async () => {
    const { fn, calls } = fakeFetch((url, init) => {
      const auth = (init.headers as Record<string, string>)['authorization'];
      if (url.host === 'basic.example')
        return auth
          ? new Response('ok')
          : new Response('', { status: 401, headers: { 'www-authenticate': 'Basic realm="x"' } });
      if (url.pathname === '/token') return Response.json({ access_token: 'acc' });
      return auth
        ? new Response('ok')
        : new Response('', {
            status: 401,
            headers: {
              'www-authenticate': 'Bearer realm="https://auth.example/token",service="s"',
            },
          });
    });
    const t = createTransport({
      fetch: fn,
      credentials: async () => ({ username: 'u', password: 'p' }),
    });
    expect((await t.request(GET('https://basic.example/v2/'))).status).toBe(200);
    expect(
      (await t.request(GET('https://bearer.example/v2/x/tags/list', 'repository:x:pull'))).status,
    ).toBe(200);
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
    expect(calls[1]!.headers['authorization']).toBe(basic);
    expect(
      calls.find((c) => c.url.startsWith('https://auth.example'))!.headers['authorization'],
    ).toBe(basic);
    expect(calls.at(-1)!.headers['authorization']).toBe('Bearer acc');
  });
});

describe('redirects', () => {
  it('follows a cross-host redirect without Authorization, and keeps it on the same host', async () => {
    const { fn, calls } = fakeFetch((url) => {
      if (url.host === 'r.example' && url.pathname === '/token')
        return Response.json({ token: 'secret-token' });
      if (url.host === 'r.example' && url.pathname.startsWith('/v2/x/blobs/'))
        return new Response('', {
          status: 307,
          headers: { location: 'https://cdn.example/blob?sig=1' },
        });
      if (url.host === 'r.example' && url.pathname === '/v2/x/manifests/a')
        return new Response('', { status: 302, headers: { location: '/v2/x/manifests/b' } });
      if (url.host === 'cdn.example') return new Response('blob');
      if (url.pathname === '/v2/x/manifests/b') return new Response('m');
      return new Response('', {
        status: 401,
        headers: { 'www-authenticate': 'Bearer realm="https://r.example/token"' },
      });
    });
    const t = createTransport({ fetch: fn });
    // First call learns the challenge.
    await t.request(GET('https://r.example/v2/x/tags/list', 'repository:x:pull'));
    const blob = await t.request(GET('https://r.example/v2/x/blobs/sha256:1', 'repository:x:pull'));
    expect(new TextDecoder().decode(blob.body)).toBe('blob');
    expect(blob.url).toBe('https://cdn.example/blob?sig=1');
    expect(
      calls.find((c) => c.url.startsWith('https://cdn.example'))!.headers['authorization'],
    ).toBeUndefined();
    await t.request(GET('https://r.example/v2/x/manifests/a', 'repository:x:pull'));
    expect(calls.at(-1)!.headers['authorization']).toBe('Bearer secret-token');
  });
});

describe('limits', () => {
  it('keeps at most `concurrency` requests in flight per host', async () => {
    let inFlight = 0;
    let peak = 0;
    const { fn } = fakeFetch(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return new Response('ok');
    });
    const t = createTransport({ fetch: fn, concurrency: 2 });
    await Promise.all(Array.from({ length: 10 }, () => t.request(GET('https://r.example/v2/'))));
    expect(peak).toBe(2);
  });

  it('lets more requests in while they succeed, and fewer once the registry answers 429', async () => {
    let inFlight = 0;
    let peak = 0;
    let throttling = false;
    const { fn } = fakeFetch(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return throttling ? new Response('slow down', { status: 429 }) : new Response('ok');
    });
    const t = createTransport({ fetch: fn, concurrency: 2, maxConcurrency: 6, attempts: 1 });
    await Promise.all(Array.from({ length: 120 }, () => t.request(GET('https://r.example/v2/'))));
    expect(peak).toBe(6);
    throttling = true;
    peak = 0;
    await Promise.allSettled(
      Array.from({ length: 40 }, () => t.request(GET('https://r.example/v2/'))),
    );
    // Each 429 halved the limit (6 → 3 → 1): of three requests one goes first, and its success
    // grows the limit to two for the others.
    throttling = false;
    peak = 0;
    await Promise.all(Array.from({ length: 3 }, () => t.request(GET('https://r.example/v2/'))));
    expect(peak).toBe(2);
  });

  it('sends the User-Agent', async () => {
    const { fn, calls } = fakeFetch(() => new Response('ok'));
    await createTransport({ fetch: fn, userAgent: 'imh-test/1' }).request(
      GET('https://r.example/v2/'),
    );
    expect(calls[0]!.headers['user-agent']).toBe('imh-test/1');
  });
});
