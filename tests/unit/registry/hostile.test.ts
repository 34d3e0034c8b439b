/**
 * The registry client against hostile answers: credentials offered to other hosts, bodies without
 * end, configs full of labels, indexes that list one child thousands of times, tag names that are
 * shell commands. Each must cost bounded work and give a clear error or warning.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../src/registry/cache.ts';
import { createRegistryClient } from '../../../src/registry/client.ts';
import { digestOf } from '../../../src/registry/manifest.ts';
import { createTransport, type TransportEvent } from '../../../src/registry/transport.ts';

type Handler = (url: URL, init: RequestInit) => Response | undefined;

/** A fetch that answers from a handler (404 by default) and records what it was sent. */
function recordingFetch(handler: Handler) {
  const calls: Array<{ url: string; method: string; authorization: string | undefined }> = [];
  const fn = (async (input: string | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = (init?.headers ?? {}) as Record<string, string>;
    calls.push({
      url: url.href,
      method: init?.method ?? 'GET',
      authorization: headers['authorization'],
    });
    return handler(url, init ?? {}) ?? new Response('404 page not found', { status: 404 });
  }) as typeof globalThis.fetch;
  return { fn, calls };
}

const BASIC = `Basic ${Buffer.from('me:s3cret').toString('base64')}`;
const GET = (url: string, scope?: string) => ({
  method: 'GET' as const,
  url: new URL(url),
  what: 'list tags of r.example/x',
  scope,
  body: 'tags' as const,
});

/** A registry that wants a Bearer token from `realm` and accepts any token it gave. */
function bearerRegistry(realm: string) {
  return (url: URL, init: RequestInit): Response | undefined => {
    if (url.pathname === '/token' || url.pathname === '/v2/auth')
      return Response.json({ token: `token-from-${url.host}` });
    const auth = (init.headers as Record<string, string>)['authorization'];
    if (auth?.startsWith('Bearer ')) return Response.json({ tags: ['44'] });
    return new Response('', {
      status: 401,
      headers: { 'www-authenticate': `Bearer realm="${realm}",service="reg"` },
    });
  };
}

describe('credentials', () => {
  it('sends Basic credentials to a token realm on the registry host, and only there', async () => {
    const { fn, calls } = recordingFetch(bearerRegistry('https://r.example/v2/auth'));
    const t = createTransport({
      fetch: fn,
      credentials: async (origin) =>
        origin === 'https://r.example' ? { username: 'me', password: 's3cret' } : undefined,
    });
    expect((await t.request(GET('https://r.example/v2/x/tags/list', 'pull'))).status).toBe(200);
    expect(calls.find((c) => c.url.startsWith('https://r.example/v2/auth'))?.authorization).toBe(
      BASIC,
    );
  });

  it('asks a token realm on another host for an anonymous token, and says why', async () => {
    const { fn, calls } = recordingFetch(bearerRegistry('https://evil.example/token'));
    const events: TransportEvent[] = [];
    const t = createTransport({
      fetch: fn,
      credentials: async (origin) =>
        origin === 'https://r.example' ? { username: 'me', password: 's3cret' } : undefined,
      onEvent: (event) => events.push(event),
    });
    expect((await t.request(GET('https://r.example/v2/x/tags/list', 'pull'))).status).toBe(200);
    const tokenCalls = calls.filter((c) => c.url.startsWith('https://evil.example/'));
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]!.authorization).toBeUndefined();
    expect(calls.every((c) => c.authorization !== BASIC)).toBe(true);
    expect(events.filter((e) => e.type === 'warning').map((e) => e.message)).toEqual([
      'The credentials for r.example were not sent to its token server evil.example, another host; asked it for an anonymous token instead. If evil.example is the token server of r.example, add an entry for evil.example to the auth file.',
    ]);
  });

  it("sends a realm host its own credentials when the auth file lists it, and Docker Hub's to auth.docker.io", async () => {
    const own = recordingFetch(bearerRegistry('https://auth.example/token'));
    const t = createTransport({
      fetch: own.fn,
      credentials: async (origin) =>
        origin === 'https://r.example'
          ? { username: 'me', password: 's3cret' }
          : origin === 'https://auth.example'
            ? { username: 'auth', password: 'other' }
            : undefined,
    });
    expect((await t.request(GET('https://r.example/v2/x/tags/list', 'pull'))).status).toBe(200);
    expect(own.calls.find((c) => c.url.startsWith('https://auth.example/'))?.authorization).toBe(
      `Basic ${Buffer.from('auth:other').toString('base64')}`,
    );

    const hub = recordingFetch(bearerRegistry('https://auth.docker.io/token'));
    const docker = createTransport({
      fetch: hub.fn,
      credentials: async (origin) =>
        origin === 'https://registry-1.docker.io'
          ? { username: 'me', password: 's3cret' }
          : undefined,
    });
    const reply = await docker.request(
      GET('https://registry-1.docker.io/v2/library/fedora/tags/list', 'pull'),
    );
    expect(reply.status).toBe(200);
    expect(hub.calls.find((c) => c.url.startsWith('https://auth.docker.io/'))?.authorization).toBe(
      BASIC,
    );
  });

  it('does not take an auth challenge from the host a redirect led to', async () => {
    const { fn, calls } = recordingFetch((url) => {
      if (url.host === 'r.example')
        return new Response('', {
          status: 307,
          headers: { location: 'https://other.example/v2/x/tags/list' },
        });
      if (url.host === 'other.example')
        return new Response('', {
          status: 401,
          headers: { 'www-authenticate': 'Bearer realm="https://third.example/token"' },
        });
      return Response.json({ token: 'stolen' });
    });
    const t = createTransport({
      fetch: fn,
      credentials: async () => ({ username: 'me', password: 's3cret' }),
    });
    const response = await t.request(GET('https://r.example/v2/x/tags/list', 'pull'));
    expect(response.status).toBe(401);
    expect(calls.map((c) => new URL(c.url).host)).toEqual(['r.example', 'other.example']);
    expect(calls.every((c) => c.authorization === undefined)).toBe(true);
  });
});

const MiB = 1 << 20;

/** A body of `total` bytes streamed in 1 MiB chunks without a Content-Length; counts what was read. */
function streamedBody(total: number, fill = 0x20) {
  const read = { bytes: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (read.bytes >= total) return controller.close();
      const chunk = new Uint8Array(Math.min(MiB, total - read.bytes)).fill(fill);
      read.bytes += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, read };
}

const repo = { host: 'r.example', repository: 'ns/app' };
const DIGEST = `sha256:${'a'.repeat(64)}`;

function clientWith(handler: Handler, maxIndexEntries?: number) {
  const { fn, calls } = recordingFetch(handler);
  const warnings: string[] = [];
  const client = createRegistryClient({
    transport: createTransport({ fetch: fn, sleep: async () => {}, attempts: 1 }),
    store: createMemoryStore(),
    endpoints: new Map(),
    quayRest: false,
    onWarning: (w) => warnings.push(w),
    ...(maxIndexEntries ? { maxIndexEntries } : {}),
  });
  return { client, calls, warnings };
}

describe('bodies', () => {
  it('stops reading a manifest past 4 MiB, naming the URL and the limit', async () => {
    const body = streamedBody(40 * MiB);
    const { client } = clientWith(() => new Response(body.stream));
    await expect(client.getManifest(repo, DIGEST)).rejects.toThrow(
      `https://r.example/v2/ns/app/manifests/${DIGEST} sent more than 4 MiB, the most the sync reads of a manifest or index (the distribution spec's limit); stopped reading. Check that the reference names a container image.`,
    );
    expect(body.read.bytes).toBeLessThanOrEqual(6 * MiB);
  });

  it('stops reading a config past 8 MiB, a tag list page past 16 MiB, a token past 64 KiB', async () => {
    const config = streamedBody(40 * MiB);
    await expect(
      clientWith(() => new Response(config.stream)).client.getConfig(repo, DIGEST),
    ).rejects.toThrow(
      /blobs\/sha256:a+ sent more than 8 MiB, the most the sync reads of an image config/,
    );
    expect(config.read.bytes).toBeLessThanOrEqual(10 * MiB);

    const tags = streamedBody(40 * MiB);
    await expect(clientWith(() => new Response(tags.stream)).client.listTags(repo)).rejects.toThrow(
      /tags\/list sent more than 16 MiB, the most the sync reads of a tag list page/,
    );
    expect(tags.read.bytes).toBeLessThanOrEqual(18 * MiB);

    const token = streamedBody(40 * MiB);
    const tokenFetch = recordingFetch((url, init) =>
      url.pathname === '/token' ? new Response(token.stream) : bearerRegistry('/token')(url, init),
    );
    await expect(
      createTransport({ fetch: tokenFetch.fn, attempts: 1 }).request(
        GET('https://r.example/v2/x/tags/list', 'pull'),
      ),
    ).rejects.toThrow(
      /https:\/\/r\.example\/token sent more than 64 KiB, the most the sync reads of a token reply/,
    );
    expect(token.read.bytes).toBeLessThanOrEqual(3 * MiB);
  });

  it('keeps the first 64 KiB of an error body and returns its status', async () => {
    const body = streamedBody(40 * MiB);
    const { client } = clientWith(() => new Response(body.stream, { status: 404 }));
    await expect(client.getManifest(repo, DIGEST)).rejects.toThrow(
      /Could not get the manifest r\.example\/ns\/app@sha256:a+: 404\. Not found/,
    );
    expect(body.read.bytes).toBeLessThanOrEqual(3 * MiB);
  });
});

/** Content by digest, served by a handler like a registry's manifests and blobs endpoints. */
function contentRegistry() {
  const content = new Map<string, Uint8Array>();
  const put = (document: unknown): string => {
    const bytes = new TextEncoder().encode(JSON.stringify(document));
    const digest = digestOf(bytes);
    content.set(digest, bytes);
    return digest;
  };
  const putImage = (architecture: string, labels: Record<string, string> = {}): string => {
    const config = put({
      os: 'linux',
      architecture,
      config: { Labels: labels },
      rootfs: { type: 'layers', diff_ids: [] },
    });
    return put({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 1 },
      layers: [],
    });
  };
  const handler: Handler = (url) => {
    const digest = /\/(?:manifests|blobs)\/(sha256:[a-f0-9]{64})$/.exec(url.pathname)?.[1];
    const found = digest ? content.get(digest) : undefined;
    return found ? new Response(Buffer.from(found)) : undefined;
  };
  return { put, putImage, handler };
}

describe('labels', () => {
  it('keeps at most 256 labels, keys up to 256 characters, values up to 4 KiB, with a warning', async () => {
    const registry = contentRegistry();
    const labels: Record<string, string> = {
      'containers.bootc': '1',
      ['k'.repeat(300)]: 'a key too long',
      'org.opencontainers.image.description': 'd'.repeat(6000),
    };
    for (let i = 0; i < 1000; i++)
      labels[`x.label.${String(i).padStart(4, '0')}`] = 'v'.repeat(2000);
    const image = registry.putImage('amd64', labels);
    const { client, warnings } = clientWith(registry.handler);
    const [platform] = (await client.resolveImage(repo, image)).platforms;
    const kept = platform!.labels;
    expect(kept['containers.bootc']).toBe('1');
    expect(Object.keys(kept).length).toBeLessThanOrEqual(256);
    expect(Object.keys(kept).every((key) => key.length <= 256)).toBe(true);
    expect(Object.values(kept).every((value) => value.length <= 4096)).toBe(true);
    expect(kept['org.opencontainers.image.description']).toMatch(/^d{4000,}… \[truncated\]$/);
    expect(JSON.stringify(kept).length).toBeLessThanOrEqual(70_000);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^The config of r\.example\/ns\/app@sha256:[a-f0-9]{64} has 1003 labels \(\d+ KiB\): kept \d+; dropped 1 key longer than 256 characters and \d+ labels past the limits \(256 labels, 64 KiB in all\); truncated 1 value to 4096 characters\.$/,
    );
  });
});

describe('indexes', () => {
  it('fetches a child listed 20,000 times once', async () => {
    const registry = contentRegistry();
    const child = registry.putImage('amd64');
    const entry = {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: child,
      size: 1,
      platform: { os: 'linux', architecture: 'amd64' },
    };
    const index = registry.put({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: Array.from({ length: 20_000 }, () => entry),
    });
    const { client, calls } = clientWith(registry.handler);
    const image = await client.resolveImage(repo, index);
    expect(image.platforms).toHaveLength(1);
    expect(calls).toHaveLength(3); // the index, the child, its config
  });

  it('reads at most the first 256 images of an index, with a warning', async () => {
    const registry = contentRegistry();
    const manifests = Array.from({ length: 300 }, (_, i) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: registry.putImage(`arch${i}`),
      size: 1,
      platform: { os: 'linux', architecture: `arch${i}` },
    }));
    const index = registry.put({ schemaVersion: 2, manifests });
    const { client, calls, warnings } = clientWith(registry.handler);
    const image = await client.resolveImage(repo, index);
    expect(image.platforms).toHaveLength(256);
    expect(calls).toHaveLength(1 + 256 * 2);
    expect(warnings).toEqual([
      `The index r.example/ns/app@${index} lists 300 images; read only the first 256.`,
    ]);
  });
});

describe('tag names', () => {
  it('drops tag names outside the OCI grammar, saying how many', async () => {
    const { client, warnings } = clientWith(() =>
      Response.json({ tags: ['44', '44;rm -rf ~', '$(id)', 'latest', '\u001b]0;x\u0007'] }),
    );
    expect((await client.listTags(repo)).tags).toEqual(['44', 'latest']);
    expect(warnings).toEqual([
      'Dropped 3 tag names of r.example/ns/app that are not valid tags ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}), e.g. "44;rm -rf ~".',
    ]);
  });

  it('drops them from the quay.io REST tag list too', async () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    const { fn } = recordingFetch((url) =>
      url.pathname.startsWith('/api/v1/repository/fedora/fedora-bootc/tag/')
        ? Response.json({
            tags: [
              { name: '44', manifest_digest: digest },
              { name: '$(id)', manifest_digest: digest },
            ],
            has_additional: false,
          })
        : undefined,
    );
    const warnings: string[] = [];
    const client = createRegistryClient({
      transport: createTransport({ fetch: fn }),
      store: createMemoryStore(),
      endpoints: new Map(),
      onWarning: (w) => warnings.push(w),
    });
    const list = await client.listTags({ host: 'quay.io', repository: 'fedora/fedora-bootc' });
    expect(list.tags).toEqual(['44']);
    expect([...(list.digests?.keys() ?? [])]).toEqual(['44']);
    expect(warnings).toEqual([
      'Dropped 1 tag name of quay.io/fedora/fedora-bootc that is not a valid tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}), e.g. "$(id)".',
    ]);
  });
});
