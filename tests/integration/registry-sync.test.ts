/**
 * The OCI client and the image sync against Debian's docker-registry (distribution 2.8), with a
 * proxy in front for token auth, tag pagination, latency and faults. Compares with skopeo.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syncImages } from '../../src/sync/images.ts';
import type { ImagesSnapshot } from '../../src/snapshot/schema.ts';
import { readRegistryConfig } from '../../src/registry/config.ts';
import { createClientFromConfig } from '../../src/registry/setup.ts';
import type { TransportEvent } from '../../src/registry/transport.ts';
import { catalogOf } from '../helpers/image-catalog.ts';
import { pushTestImages, testCatalogImages, type TestImages } from '../helpers/fixtures.ts';
import { startRegistry, sha256, type LocalRegistry } from '../helpers/registry.ts';
import { startProxy, type RegistryProxy } from '../helpers/registry-proxy.ts';

const run = promisify(execFile);

let registry: LocalRegistry;
let proxy: RegistryProxy;
let pushed: TestImages;
let cacheDir: string;
const catalog = catalogOf(testCatalogImages);

/** A client as the sync builds it, pointing quay.io and ghcr.io at the proxy and the mirror host at the registry. */
function makeClient(
  options: {
    cacheDir?: string;
    env?: Record<string, string>;
    events?: TransportEvent[];
    warnings?: string[];
    delays?: number[];
  } = {},
) {
  const config = readRegistryConfig({
    HOME: '/nonexistent',
    IMAGE_MODE_REGISTRIES: `quay.io=${proxy.url},ghcr.io=${proxy.url},registry.fedoraproject.org=${registry.url}`,
    ...options.env,
  });
  return createClientFromConfig(config, {
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
    onEvent: (event) => options.events?.push(event),
    onWarning: (message) => options.warnings?.push(message),
    sleep: async (ms) => {
      options.delays?.push(ms);
    },
  });
}

/** Read every entry of a disk cache straight from its pack files, without the store's checks. */
async function readCache(dir: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const packs = join(dir, 'packs');
  for (const name of (await readdir(packs)).filter((n) => n.endsWith('.json'))) {
    const index = JSON.parse(await readFile(join(packs, name), 'utf8')) as Record<
      string,
      [number, number]
    >;
    const pack = await readFile(join(packs, name.replace(/\.json$/, '.pack')));
    for (const [digest, [offset, length]] of Object.entries(index))
      out.set(digest, new Uint8Array(pack.subarray(offset, offset + length)));
  }
  return out;
}

function image(snapshot: ImagesSnapshot, ref: string) {
  const found = snapshot.images.find((i) => i.ref === ref);
  if (!found) throw new Error(`no ${ref} in snapshot`);
  return found;
}

beforeAll(async () => {
  registry = await startRegistry();
  pushed = await pushTestImages(registry.url);
  proxy = await startProxy(registry.url, { token: true, tagPageSize: 2, redirectBlobs: true });
  cacheDir = await mkdtemp(join(tmpdir(), 'imh-cache-'));
});

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

describe('sync against a real registry', () => {
  let first: ImagesSnapshot;
  const events: TransportEvent[] = [];
  const warnings: string[] = [];

  beforeAll(async () => {
    proxy.reset();
    first = await syncImages(catalog, undefined, {
      client: makeClient({ cacheDir, events, warnings }),
    });
  });

  it('reports tags, digests, platforms and labels as skopeo does', async () => {
    const skopeo = (...args: string[]) =>
      run('skopeo', [...args], { maxBuffer: 1 << 24 }).then((r) => r.stdout);
    for (const entry of first.images) {
      expect([entry.ref, entry.status, entry.error]).toEqual([entry.ref, 'live', undefined]);
      const local = `${registry.host}/${entry.ref.replace(/^[^/]+\//, '')}`;
      const listed = JSON.parse(
        await skopeo('list-tags', '--tls-verify=false', `docker://${local}`),
      ) as { Tags: string[] };
      const plain = listed.Tags.filter((t) => !/^sha256-/.test(t));
      expect(entry.tagCount).toBe(plain.length);
      for (const tag of entry.tags) {
        expect(listed.Tags).toContain(tag.name);
        const raw = await run(
          'skopeo',
          ['inspect', '--tls-verify=false', '--raw', `docker://${local}:${tag.name}`],
          { encoding: 'buffer', maxBuffer: 1 << 24 },
        );
        expect(tag.digest).toBe(sha256(new Uint8Array(raw.stdout)));
        for (const platform of tag.platforms) {
          const args = [
            'inspect',
            '--tls-verify=false',
            '--override-os',
            platform.os,
            '--override-arch',
            platform.architecture,
          ];
          if (platform.variant) args.push('--override-variant', platform.variant);
          const info = JSON.parse(await skopeo(...args, `docker://${local}:${tag.name}`)) as {
            Architecture: string;
            Os: string;
            Variant?: string;
            Labels: Record<string, string> | null;
            Created?: string;
            Layers: string[];
          };
          expect(platform.architecture).toBe(info.Architecture);
          expect(platform.os).toBe(info.Os);
          expect(platform.labels).toEqual(info.Labels ?? {});
          expect(platform.layers).toBe(info.Layers.length);
          if (platform.created)
            expect(Date.parse(platform.created)).toBe(Date.parse(info.Created!));
        }
      }
    }
  });

  it('selects stream tags in version order and splits signature tags out', () => {
    const bootc = image(first, 'quay.io/fedora/fedora-bootc');
    expect(bootc.tags.map((t) => t.name)).toEqual(['43', '44', 'latest', 'rawhide']);
    expect(bootc.tagCount).toBe(4);
    const t44 = bootc.tags.find((t) => t.name === '44')!;
    expect(t44.digest).toBe(pushed.bootc44.digest);
    expect(t44.signatures).toMatchObject({ cosign: true, attestation: true, sbom: false });
    expect(bootc.tags.find((t) => t.name === '43')!.signatures.cosign).toBe(false);
    // The unknown/unknown attestation entry is not a platform; the 1970 build time is unknown.
    expect(
      t44.platforms.map((p) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`),
    ).toEqual(['linux/amd64', 'linux/arm64/v8']);
    expect(bootc.tags.find((t) => t.name === '43')!.platforms[1]!.created).toBeNull();
    const coreos = image(first, 'quay.io/fedora/fedora-coreos');
    expect(coreos.tags.map((t) => t.name)).toEqual(['43.20261110.3.0', 'stable', 'testing']);
    expect(coreos.tags[1]!.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(coreos.tags[1]!.streams).toEqual(['streams']);
    expect(coreos.tags[0]!.streams).toEqual(['versions']);
  });

  it('finds lineage by layers, by annotation, and falls back to the declared base', () => {
    const silverblue = image(first, 'quay.io/fedora/fedora-silverblue').tags[0]!;
    expect(silverblue.basedOn).toEqual({
      ref: 'quay.io/fedora/fedora-bootc:44',
      digest: pushed.bootc44.digest,
      method: 'layers',
      verified: true,
      behind: { days: 0, builds: 0 },
    });
    const bluefin = image(first, 'ghcr.io/ublue-os/bluefin').tags[0]!;
    expect(bluefin.basedOn).toMatchObject({
      ref: 'quay.io/fedora/fedora-bootc:44',
      digest: pushed.bootc44.digest,
      method: 'annotation',
      verified: true,
    });
    const aurora = image(first, 'ghcr.io/ublue-os/aurora').tags[0]!;
    expect(aurora.basedOn).toEqual({
      ref: 'quay.io/fedora/fedora-bootc:44',
      method: 'declared',
      verified: false,
    });
  });

  it('records mirror drift, missing and matching tags', () => {
    const mirror = image(first, 'quay.io/fedora/fedora-bootc').mirrors[0]!;
    expect(mirror).toMatchObject({
      ref: 'registry.fedoraproject.org/fedora-bootc',
      status: 'live',
      matching: ['44', 'rawhide'],
      missing: ['latest'],
    });
    expect(mirror.drift).toEqual([
      { tag: '43', digest: expect.stringMatching(/^sha256:/), expected: pushed.bootc43.digest },
    ]);
  });

  it('follows Link pages, uses tokens, and never sends Authorization across hosts', () => {
    const tagPages = proxy.requests.filter((r) => r.path === '/v2/fedora/fedora-bootc/tags/list');
    // 4 tags + 2 signature tags in pages of 2, all with a token: the first request to the host
    // carried the challenge, and the others waited for it instead of each collecting a 401.
    expect(tagPages.map((r) => [r.status, r.auth])).toEqual([
      [200, 'Bearer'],
      [200, 'Bearer'],
      [200, 'Bearer'],
    ]);
    expect(proxy.requests.filter((r) => r.status === 401)).toHaveLength(1);
    expect(proxy.issuedTokens.length).toBeGreaterThanOrEqual(5);
    expect(proxy.redirectTargetHits).toBeGreaterThan(0);
    expect(proxy.redirectTargetAuth).toEqual([]);
  });

  it('writes no token into the snapshot or the logs', () => {
    const text = JSON.stringify(first) + JSON.stringify(events) + warnings.join('\n');
    for (const token of proxy.issuedTokens) expect(text).not.toContain(token);
  });

  it('stores every manifest and config it fetched by digest in the cache, verified', async () => {
    const cached = await readCache(cacheDir);
    expect([...cached.keys()]).toContain(pushed.bootc44.digest);
    expect([...cached.keys()]).toContain(pushed.bootc44.platforms[1]!.configDigest);
    for (const [digest, bytes] of cached) expect(sha256(bytes)).toBe(digest);
  });

  it('re-syncs with nothing changed using only tag lists, HEADs and tokens', async () => {
    proxy.reset();
    const second = await syncImages(catalog, first, { client: makeClient({ cacheDir }) });
    const kinds = new Set(
      proxy.requests.map(
        (r) =>
          `${r.method} ${r.path.replace(/^\/v2\/.+\/(tags\/list|manifests|blobs)\/?.*$/, '$1')}`,
      ),
    );
    expect([...kinds].sort()).toEqual(['GET /token', 'GET tags/list', 'HEAD manifests']);
    expect(second.images.map((i) => i.status)).toEqual(first.images.map(() => 'live'));
    expect(second.images.map((i) => i.tags.map((t) => t.digest))).toEqual(
      first.images.map((i) => i.tags.map((t) => t.digest)),
    );
    // Apart from 401s that carry the challenge, the count is tag pages + HEADs + tokens.
    const heads = proxy.requests.filter((r) => r.method === 'HEAD' && r.status === 200).length;
    const selected = first.images.reduce((n, i) => n + i.tags.length, 0);
    expect(heads).toBe(selected);
  });
});

describe('faults', () => {
  beforeEach(() => {
    proxy.faults.length = 0;
  });

  it('retries 429 honouring Retry-After (seconds and HTTP date), and 503', async () => {
    proxy.faults.push({ path: /fedora-coreos\/tags\/list/, kind: '429', retryAfter: 7, times: 1 });
    proxy.faults.push({
      path: /fedora-silverblue\/tags\/list/,
      kind: '429-date',
      retryAfter: 30,
      times: 1,
    });
    proxy.faults.push({
      path: /fedora-coreos\/manifests\/stable/,
      kind: '503',
      times: 2,
    });
    const delays: number[] = [];
    const events: TransportEvent[] = [];
    const snapshot = await syncImages(catalog, undefined, {
      client: makeClient({ delays, events }),
    });
    expect(snapshot.images.every((i) => i.status === 'live')).toBe(true);
    expect(delays).toContain(7000);
    expect(delays.some((d) => d > 25_000 && d <= 30_000)).toBe(true);
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries.map((e) => (e.type === 'retry' ? e.reason.slice(0, 3) : '')).sort()).toEqual([
      '429',
      '429',
      '503',
      '503',
    ]);
  });

  it('retries a manifest whose bytes do not match the digest, and never stores the bad copy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imh-cache-'));
    try {
      const child = pushed.bootc44.platforms[0]!.digest;
      proxy.faults.push({
        method: 'GET',
        path: new RegExp(`manifests/${child}`),
        kind: 'flip',
        times: 1,
      });
      // A tag never seen is fetched by tag: its bytes are checked against Docker-Content-Digest.
      proxy.faults.push({
        method: 'GET',
        path: /fedora-silverblue\/manifests\/44$/,
        kind: 'flip',
        times: 1,
      });
      const warnings: string[] = [];
      const snapshot = await syncImages(catalog, undefined, {
        client: makeClient({ cacheDir: dir, warnings }),
      });
      expect(image(snapshot, 'quay.io/fedora/fedora-bootc').status).toBe('live');
      expect(image(snapshot, 'quay.io/fedora/fedora-silverblue').tags[0]!.digest).toBe(
        pushed.silverblue44.digest,
      );
      expect(warnings.filter((w) => w.includes('did not match its digest'))).toHaveLength(2);
      const cached = await readCache(dir);
      for (const digest of [child, pushed.silverblue44.digest])
        expect(cached.has(digest)).toBe(true);
      for (const [digest, bytes] of cached) expect(sha256(bytes)).toBe(digest);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the last good data, marked stale, when a manifest stays corrupt', async () => {
    // The last sync saw another build under these tags: this time the tags moved to a build whose
    // manifest arrives corrupt every time.
    const synced = await syncImages(catalog, undefined, { client: makeClient() });
    const good = structuredClone(synced);
    for (const tag of image(good, 'quay.io/fedora/fedora-coreos').tags)
      tag.digest = `sha256:${'e'.repeat(64)}`;
    proxy.faults.push({
      method: 'GET',
      path: new RegExp(`manifests/${pushed.coreosStable.digest}`),
      kind: 'flip',
      times: 10,
    });
    const snapshot = await syncImages(catalog, good, {
      client: makeClient(),
      now: () => new Date(Date.now() + 3_600_000),
    });
    proxy.faults.length = 0;
    const coreos = image(snapshot, 'quay.io/fedora/fedora-coreos');
    expect(coreos.status).toBe('stale');
    expect(coreos.error).toMatch(/did not match its digest in 3 tries/);
    expect(coreos.fetchedAt).toBe(image(good, 'quay.io/fedora/fedora-coreos').fetchedAt);
    expect(coreos.tags).toEqual(image(good, 'quay.io/fedora/fedora-coreos').tags);
  });

  it('retries a slow answer after the timeout', async () => {
    proxy.faults.push({
      path: /ublue-os\/aurora\/manifests\/44/,
      kind: 'slow',
      delayMs: 1500,
      times: 1,
    });
    const events: TransportEvent[] = [];
    const snapshot = await syncImages(catalog, undefined, {
      client: makeClient({ env: { IMAGE_MODE_TIMEOUT_MS: '400' }, events }),
      only: ['ghcr.io/ublue-os/aurora'],
    });
    expect(image(snapshot, 'ghcr.io/ublue-os/aurora').status).toBe('live');
    expect(
      events.some((e) => e.type === 'retry' && e.reason.includes('no answer within 0.4 s')),
    ).toBe(true);
  });

  it('does not retry a 404 and says what is missing; never-fetched images are unavailable', async () => {
    const events: TransportEvent[] = [];
    const missing = catalogOf([
      { ref: 'quay.io/fedora/does-not-exist', role: 'base', streams: [{ name: 'x', tags: ['1'] }] },
    ]);
    const snapshot = await syncImages(missing, undefined, { client: makeClient({ events }) });
    const entry = snapshot.images[0]!;
    expect(entry.status).toBe('unavailable');
    expect(entry.error).toMatch(
      /^Could not list tags of quay\.io\/fedora\/does-not-exist: 404 NAME_UNKNOWN/,
    );
    expect(events.filter((e) => e.type === 'retry')).toEqual([]);
  });

  it('marks everything stale when the registry is down, keeping the data', async () => {
    const good = await syncImages(catalog, undefined, { client: makeClient() });
    const config = readRegistryConfig({
      HOME: '/nonexistent',
      IMAGE_MODE_REGISTRIES: 'quay.io=http://127.0.0.1:9,ghcr.io=http://127.0.0.1:9',
      IMAGE_MODE_ATTEMPTS: '2',
    });
    const client = createClientFromConfig(config, { sleep: async () => {} });
    const snapshot = await syncImages(catalog, good, { client });
    for (const entry of snapshot.images) {
      expect(entry.status).toBe('stale');
      expect(entry.error).toMatch(/network error|after 2 tries/);
      expect(entry.tags).toEqual(image(good, entry.ref).tags);
    }
  });
});

describe('lineage without a declared base', () => {
  it('finds an undeclared base by layers among the base images, and claims none for a rechunked image', async () => {
    const undeclared = catalogOf(
      testCatalogImages
        .filter((entry) =>
          [
            'quay.io/fedora/fedora-bootc',
            'quay.io/fedora/fedora-silverblue',
            'ghcr.io/ublue-os/aurora',
          ].includes(entry.ref),
        )
        .map(({ basedOn: _basedOn, ...entry }) => entry),
    );
    const snapshot = await syncImages(undeclared, undefined, { client: makeClient({ cacheDir }) });
    expect(image(snapshot, 'quay.io/fedora/fedora-silverblue').tags[0]!.basedOn).toEqual({
      ref: 'quay.io/fedora/fedora-bootc:44',
      digest: pushed.bootc44.digest,
      method: 'layers',
      verified: true,
      behind: { days: 0, builds: 0 },
    });
    expect(image(snapshot, 'ghcr.io/ublue-os/aurora').tags[0]!.basedOn).toBeUndefined();
    expect(
      image(snapshot, 'quay.io/fedora/fedora-bootc').tags.every((tag) => tag.basedOn === undefined),
    ).toBe(true);
  });
});
