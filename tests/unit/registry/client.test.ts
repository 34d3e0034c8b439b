import { describe, expect, it } from 'vitest';
import { createMemoryStore, type ContentStore } from '../../../src/registry/cache.ts';
import { createRegistryClient } from '../../../src/registry/client.ts';
import { digestOf } from '../../../src/registry/manifest.ts';
import { createTransport, RegistryError } from '../../../src/registry/transport.ts';

type Route = (url: URL, method: string) => Response | undefined;

function clientWith(
  route: Route,
  options: { quay?: boolean; endpoints?: Map<string, URL>; store?: ContentStore } = {},
) {
  const calls: string[] = [];
  const fetch = (async (input: string | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push(`${init?.method ?? 'GET'} ${url.href}`);
    return (
      route(url, init?.method ?? 'GET') ??
      new Response('404 page not found', { status: 404, headers: { 'content-type': 'text/plain' } })
    );
  }) as typeof globalThis.fetch;
  const warnings: string[] = [];
  const client = createRegistryClient({
    transport: createTransport({ fetch, sleep: async () => {} }),
    store: options.store ?? createMemoryStore(),
    endpoints: options.endpoints ?? new Map(),
    quayRest: options.quay ?? false,
    maxTagPages: 3,
    onWarning: (w) => warnings.push(w),
  });
  return { client, calls, warnings };
}

const repo = { host: 'r.example', repository: 'ns/app' };

describe('listTags', () => {
  it('tolerates "tags": null', async () => {
    const { client } = clientWith(() => Response.json({ name: 'ns/app', tags: null }));
    expect((await client.listTags(repo)).tags).toEqual([]);
  });

  it('follows relative Links, refuses another host, and caps pages', async () => {
    const { client, warnings } = clientWith((url) => {
      const page = Number(url.searchParams.get('p') ?? '0');
      const link =
        page === 1
          ? '<https://evil.example/v2/ns/app/tags/list?p=2>; rel="next"'
          : `</v2/ns/app/tags/list?p=${page + 1}>; rel="next"`;
      return Response.json({ tags: [`t${page}`] }, { headers: { link } });
    });
    expect((await client.listTags(repo)).tags).toEqual(['t0', 't1']);
    expect(warnings[0]).toMatch(/links to another host \(https:\/\/evil\.example\)/);
    const capped = clientWith((url) =>
      Response.json(
        { tags: [`t${url.searchParams.get('p') ?? 0}`] },
        {
          headers: {
            link: `</v2/ns/app/tags/list?p=${Number(url.searchParams.get('p') ?? 0) + 1}>; rel="next"`,
          },
        },
      ),
    );
    expect((await capped.client.listTags(repo)).tags).toHaveLength(3);
    expect(capped.warnings[0]).toMatch(/more than 3 pages/);
  });

  it('uses quay.io REST for the real quay.io and falls back to v2 when it fails', async () => {
    const quayRepo = { host: 'quay.io', repository: 'fedora/fedora-bootc' };
    const digest = `sha256:${'b'.repeat(64)}`;
    const rest = clientWith(
      (url) => {
        if (url.pathname === '/api/v1/repository/fedora/fedora-bootc/tag/') {
          const page = url.searchParams.get('page');
          return Response.json({
            tags: [{ name: `t${page}`, manifest_digest: digest }],
            has_additional: page === '1',
            page: Number(page),
          });
        }
        return undefined;
      },
      { quay: true },
    );
    const list = await rest.client.listTags(quayRepo);
    expect(list.tags).toEqual(['t1', 't2']);
    expect(list.digests?.get('t2')).toBe(digest);
    const fallback = clientWith(
      (url) =>
        url.pathname === '/v2/fedora/fedora-bootc/tags/list'
          ? Response.json({ tags: ['44'] })
          : undefined,
      { quay: true },
    );
    expect((await fallback.client.listTags(quayRepo)).tags).toEqual(['44']);
    expect(fallback.warnings[0]).toMatch(/quay\.io REST tag API failed/);
    const notJson = clientWith(
      (url) =>
        url.pathname.startsWith('/api/v1/')
          ? new Response('<html>Quay is in read-only mode</html>')
          : Response.json({ tags: ['44'] }),
      { quay: true },
    );
    expect((await notJson.client.listTags(quayRepo)).tags).toEqual(['44']);
    expect(notJson.warnings).toEqual([
      'quay.io REST tag API failed for quay.io/fedora/fedora-bootc (quay.io REST answered something that is not JSON); using the v2 API.',
    ]);
  });
});

describe('manifests', () => {
  const body = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { digest: 'sha256:c', size: 1 },
      layers: [],
    }),
  );
  const digest = digestOf(body);

  it('hashes a GET when HEAD has no Docker-Content-Digest', async () => {
    const { client } = clientWith((url, method) =>
      url.pathname.endsWith('/manifests/1')
        ? new Response(method === 'HEAD' ? null : Buffer.from(body), {
            headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
          })
        : undefined,
    );
    expect(await client.headManifest(repo, '1')).toEqual({
      digest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
    });
    // …and then has it cached: no GET by digest.
    expect((await client.getManifest(repo, digest)).manifest.kind).toBe('image');
  });

  it('refuses bytes that do not match the digest after 3 tries', async () => {
    const { client, calls } = clientWith(
      () => new Response(Buffer.from(body).toString().replace('2', '3')),
    );
    await expect(client.getManifest(repo, digest)).rejects.toThrow(
      `The manifest r.example/ns/app@${digest} did not match its digest in 3 tries`,
    );
    expect(calls).toHaveLength(3);
  });

  it('refuses a Docker-Content-Digest that does not match the bytes', async () => {
    const { client } = clientWith(
      () =>
        new Response(Buffer.from(body), {
          headers: { 'docker-content-digest': `sha256:${'0'.repeat(64)}` },
        }),
    );
    await expect(client.getManifest(repo, digest)).rejects.toThrow(/did not match/);
  });
});

describe('referrers', () => {
  it('treats a 303 to another host as unsupported, remembers it per host, and uses the fallback tag', async () => {
    const subject = `sha256:${'c'.repeat(64)}`;
    const index = new TextEncoder().encode(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: `sha256:${'d'.repeat(64)}`,
            size: 1,
            artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
          },
        ],
      }),
    );
    const { client, calls } = clientWith((url) => {
      if (url.pathname.includes('/referrers/'))
        return new Response(null, {
          status: 303,
          headers: { location: 'https://github.example/-/v2/x' },
        });
      if (url.host === 'github.example') return new Response('slow down', { status: 429 });
      if (url.pathname === `/v2/ns/app/manifests/sha256-${'c'.repeat(64)}`)
        return new Response(null, {
          headers: {
            'docker-content-digest': digestOf(index),
            'content-type': 'application/vnd.oci.image.index.v1+json',
          },
        });
      if (url.pathname === `/v2/ns/app/manifests/${digestOf(index)}`)
        return new Response(Buffer.from(index), {
          headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' },
        });
      return undefined;
    });
    const referrers = await client.listReferrers(repo, subject, true);
    expect(referrers.map((r) => r.artifactType)).toEqual([
      'application/vnd.dev.sigstore.bundle.v0.3+json',
    ]);
    await client.listReferrers(repo, subject, false);
    expect(
      calls.filter((c) => c.includes('/referrers/')),
      calls.join('\n'),
    ).toHaveLength(1);
  });
});

describe('referrers API', () => {
  it('reads the referrers index where the registry has the API', async () => {
    const subject = `sha256:${'c'.repeat(64)}`;
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: `sha256:${'d'.repeat(64)}`,
          size: 1,
          artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        },
      ],
    };
    const { client, calls } = clientWith((url) =>
      url.pathname === `/v2/ns/app/referrers/${subject}`
        ? Response.json(index, {
            headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' },
          })
        : undefined,
    );
    expect((await client.listReferrers(repo, subject, false)).map((r) => r.digest)).toEqual([
      `sha256:${'d'.repeat(64)}`,
    ]);
    await client.listReferrers(repo, subject, false);
    expect(calls.filter((c) => c.includes('/referrers/'))).toHaveLength(2); // supported: asked each time
  });
});

/** A registry's content by digest: manifests (with the Content-Type they are served with) and blobs. */
function contentRoute(content: Map<string, { bytes: Uint8Array; type?: string }>): Route {
  return (url) => {
    const digest = /\/v2\/ns\/app\/(?:manifests|blobs)\/(sha256:[a-f0-9]{64})$/.exec(
      url.pathname,
    )?.[1];
    const found = digest ? content.get(digest) : undefined;
    return found
      ? new Response(Buffer.from(found.bytes), {
          headers: found.type ? { 'content-type': found.type } : {},
        })
      : undefined;
  };
}

/** Add a JSON document to `content` and return its digest. */
function put(
  content: Map<string, { bytes: Uint8Array; type?: string }>,
  document: unknown,
  type?: string,
): string {
  const bytes = new TextEncoder().encode(JSON.stringify(document));
  const digest = digestOf(bytes);
  content.set(digest, type ? { bytes, type } : { bytes });
  return digest;
}

/** Add an image (config and manifest) to `content` and return the manifest's digest. */
function putImage(
  content: Map<string, { bytes: Uint8Array; type?: string }>,
  architecture: string,
  layer: { mediaType: string; size: number },
): string {
  const config = put(content, {
    os: 'linux',
    architecture,
    rootfs: { type: 'layers', diff_ids: [`sha256:${'1'.repeat(64)}`] },
  });
  return put(content, {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 1 },
    layers: [{ ...layer, digest: `sha256:${'2'.repeat(64)}` }],
  });
}

describe('resolveImage', () => {
  it('gives a manifest the same media type from the network and from the cache', async () => {
    // "mediaType" is optional in an OCI index; the registry answers with the Content-Type the
    // pusher declared, which a later run, reading the cache, never sees.
    const content = new Map<string, { bytes: Uint8Array; type?: string }>();
    const child = putImage(content, 'amd64', {
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      size: 100,
    });
    const index = put(
      content,
      {
        schemaVersion: 2,
        manifests: [{ digest: child, size: 1, platform: { os: 'linux', architecture: 'amd64' } }],
      },
      'application/vnd.docker.distribution.manifest.list.v2+json',
    );
    const store = createMemoryStore();
    const first = clientWith(contentRoute(content), { store });
    const second = clientWith(contentRoute(content), { store });
    const fromNetwork = await first.client.resolveImage(repo, index);
    const fromCache = await second.client.resolveImage(repo, index);
    expect(second.calls).toEqual([]);
    expect(fromNetwork.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(fromCache.mediaType).toBe(fromNetwork.mediaType);
  });

  it('reads a platform listed twice (gzip and zstd) once, from the gzip image, fetching each child once', async () => {
    const content = new Map<string, { bytes: Uint8Array; type?: string }>();
    const gzip = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 100 };
    const zstd = { mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', size: 80 };
    const amd64 = putImage(content, 'amd64', gzip);
    const amd64Zstd = putImage(content, 'amd64', zstd);
    const arm64 = putImage(content, 'arm64', gzip);
    const s390x = putImage(content, 's390x', gzip);
    const s390xZstd = putImage(content, 's390x', zstd);
    const platform = (architecture: string) => ({ os: 'linux', architecture });
    const zstdAnnotation = { 'io.github.containers.compression.zstd': 'true' };
    const index = put(content, {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        // As podman pushes `--compression-format zstd:chunked`: the zstd variant, annotated…
        { digest: amd64Zstd, size: 1, platform: platform('amd64'), annotations: zstdAnnotation },
        { digest: amd64, size: 1, platform: platform('amd64') },
        // …the same child listed twice…
        { digest: arm64, size: 1, platform: platform('arm64') },
        { digest: arm64, size: 1, platform: platform('arm64') },
        // …and a zstd variant only its layers tell apart.
        { digest: s390xZstd, size: 1, platform: platform('s390x') },
        { digest: s390x, size: 1, platform: platform('s390x') },
      ],
    });
    const { client, calls } = clientWith(contentRoute(content));
    const image = await client.resolveImage(repo, index);
    expect(image.platforms.map((p) => [p.architecture, p.digest, p.size])).toEqual([
      ['amd64', amd64, 100],
      ['arm64', arm64, 100],
      ['s390x', s390x, 100],
    ]);
    const gets = (digest: string) => calls.filter((c) => c.endsWith(`/manifests/${digest}`));
    expect(gets(amd64Zstd)).toEqual([]);
    expect(gets(arm64)).toHaveLength(1);
  });
});

describe('errors', () => {
  it('name the repository and reference they concern, and keep the error they wrap', async () => {
    const digest = `sha256:${'e'.repeat(64)}`;
    const refused = new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    const client = createRegistryClient({
      transport: createTransport({
        fetch: async () => {
          throw refused;
        },
        attempts: 2,
        sleep: async () => {},
      }),
      store: createMemoryStore(),
      endpoints: new Map(),
    });
    const error = await client.getManifest(repo, digest).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({
      message: `Could not get the manifest r.example/ns/app@${digest}: network error ECONNREFUSED after 2 tries.`,
      repository: 'r.example/ns/app',
      reference: digest,
      cause: refused,
    });
  });

  it("keep the status, the registry's code and the tag of a refusal", async () => {
    const { client } = clientWith(() =>
      Response.json(
        { errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] },
        { status: 403 },
      ),
    );
    await expect(client.getTagManifest(repo, '44')).rejects.toMatchObject({
      message:
        'Could not get the manifest of r.example/ns/app:44: 403 DENIED requested access to the resource is denied. Access denied; check the credentials for this registry.',
      status: 403,
      code: 'DENIED',
      repository: 'r.example/ns/app',
      reference: '44',
    });
  });

  it('say a tag list is not JSON, keeping the parse error', async () => {
    const { client } = clientWith(() => new Response('<html>maintenance</html>'));
    const error = await client.listTags(repo).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      message: 'Could not list tags of r.example/ns/app: the answer is not JSON.',
      repository: 'r.example/ns/app',
    });
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });
});
