import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../src/registry/cache.ts';
import { createRegistryClient } from '../../../src/registry/client.ts';
import { digestOf } from '../../../src/registry/manifest.ts';
import { createTransport } from '../../../src/registry/transport.ts';

type Route = (url: URL, method: string) => Response | undefined;

function clientWith(route: Route, options: { quay?: boolean; endpoints?: Map<string, URL> } = {}) {
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
    store: createMemoryStore(),
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
