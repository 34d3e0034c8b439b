/**
 * The registry client: tag lists, manifest HEADs, manifests and configs by digest (verified and
 * cached forever), image resolution across an index, and signature facts (cosign tags, referrers).
 */
import { z } from 'zod';
import { AdaptiveLimit } from './limit.ts';
import { endpointFor, isOverridden } from './config.ts';
import type { ContentStore } from './cache.ts';
import { readJsonBody } from './json.ts';
import {
  MANIFEST_ACCEPT,
  MEDIA_TYPES,
  ManifestError,
  digestOf,
  matchesDigest,
  parseConfig,
  parseManifest,
  type Descriptor,
  type ImageManifest,
  type IndexManifest,
  type Manifest,
  type Platform,
} from './manifest.ts';
import { formatRepository, isValidDigest, isValidTag, type Reference } from './reference.ts';
import { describeInvalidTags, splitTags, type TagSplit } from './tags.ts';
import {
  describeFailure,
  RegistryError,
  type RegistryResponse,
  type RegistryTarget,
  type Transport,
} from './transport.ts';
import { listQuayTags, QUAY_HOST } from './quay.ts';
import { parseNextLink } from '../utils/http-headers.ts';

/** A repository on a registry (the public host, as the catalog names it). */
export type Repository = Pick<Reference, 'host' | 'repository'>;

/** One platform of a resolved image. */
export interface ResolvedPlatform {
  os: string;
  architecture: string;
  variant?: string | undefined;
  digest: string;
  created: string | null;
  labels: Record<string, string>;
  size: number;
  layers: number;
  diffIds: string[];
  annotations: Record<string, string>;
}

/** A tag's manifest or index, with its platforms. */
export interface ResolvedImage {
  digest: string;
  mediaType: string;
  annotations: Record<string, string>;
  platforms: ResolvedPlatform[];
}

/** A tag list, with digests where the registry's native API gave them for free. */
export interface TagList extends TagSplit {
  /** Tag → digest, from quay's REST API; absent for the v2 API. */
  digests?: Map<string, string>;
}

/** Options of {@link createRegistryClient}. */
export interface ClientOptions {
  transport: Transport;
  store: ContentStore;
  endpoints: Map<string, URL>;
  /** Use quay.io's REST tag API where it saves requests (default true; only for the real quay.io). */
  quayRest?: boolean | undefined;
  /** Largest number of tag pages to follow (default 50). */
  maxTagPages?: number | undefined;
  /** Most images read from one index, and referrers kept per digest (default 256). */
  maxIndexEntries?: number | undefined;
  onWarning?: ((message: string) => void) | undefined;
}

/** The registry client. */
export interface RegistryClient {
  listTags(repo: Repository): Promise<TagList>;
  headManifest(
    repo: Repository,
    tag: string,
  ): Promise<{ digest: string; mediaType: string } | undefined>;
  getManifest(repo: Repository, digest: string): Promise<{ bytes: Uint8Array; manifest: Manifest }>;
  /** GET a tag's manifest (one request instead of HEAD + GET for a tag never seen), verified and cached. */
  getTagManifest(
    repo: Repository,
    tag: string,
  ): Promise<{ digest: string; mediaType: string } | undefined>;
  getConfig(repo: Repository, digest: string): Promise<Uint8Array>;
  resolveImage(repo: Repository, digest: string): Promise<ResolvedImage>;
  listReferrers(repo: Repository, digest: string, fallbackTag: boolean): Promise<Descriptor[]>;
  /** Wait until the cache has written everything to disk. */
  flush(): Promise<void>;
}

const SIGNATURE_ARTIFACT = /signature|sigstore|cosign/i;
const DIGEST_ATTEMPTS = 3;
/** The annotation podman and buildah put on the zstd variant of an image in an index. */
const ZSTD_ANNOTATION = 'io.github.containers.compression.zstd';

/** A tag list page (`{"name":…,"tags":[…]}`); `"tags": null` or a missing list reads as no tags. */
const TagListSchema = z
  .object({ tags: z.array(z.unknown()).catch(() => []) })
  .catch(() => ({ tags: [] }));

/** Cache state: the origins without a referrers API, with when that was found (ms since 1970). */
const ReferrersStateSchema = z.record(z.string(), z.number()).catch(() => ({}));

/** Tell whether a descriptor in an index is an attestation rather than a platform. */
function isAttestation(entry: Descriptor): boolean {
  return (
    entry.platform?.os === 'unknown' ||
    entry.platform?.architecture === 'unknown' ||
    entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest'
  );
}

/** Tell whether an index entry is the zstd-compressed variant of an image. */
function isZstdEntry(entry: Descriptor): boolean {
  return entry.annotations?.[ZSTD_ANNOTATION] === 'true';
}

/** Tell whether an image manifest has zstd-compressed layers. */
function hasZstdLayers(manifest: ImageManifest): boolean {
  return manifest.layers.some((layer) => layer.mediaType.endsWith('+zstd'));
}

function platformKey(platform: Platform): string {
  return `${platform.os}/${platform.architecture}/${platform.variant ?? ''}`;
}

/**
 * Pick the entries of an index to read: no attestations, each child once, and no zstd variant
 * (annotated as such) of a platform that also has a gzip or uncompressed image. Podman pushes both
 * for `--compression-format zstd:chunked`; the gzip one is what every client can pull.
 */
function platformEntries(index: IndexManifest): Descriptor[] {
  const entries = index.manifests.filter((entry) => !isAttestation(entry));
  const plain = new Set(
    entries.flatMap((entry) =>
      entry.platform && !isZstdEntry(entry) ? [platformKey(entry.platform)] : [],
    ),
  );
  const seen = new Set<string>();
  return entries.filter((entry) => {
    if (seen.has(entry.digest)) return false;
    seen.add(entry.digest);
    return !(entry.platform && isZstdEntry(entry) && plain.has(platformKey(entry.platform)));
  });
}

/**
 * Keep one image per platform, in index order: the first that is not zstd-compressed, else the
 * first. Catches the duplicates the index's annotations and platforms did not tell apart.
 */
function onePerPlatform<T extends { platform: ResolvedPlatform; zstd: boolean }>(images: T[]): T[] {
  const chosen = new Map<string, T>();
  for (const image of images) {
    const current = chosen.get(platformKey(image.platform));
    if (current === undefined || (current.zstd && !image.zstd))
      chosen.set(platformKey(image.platform), image);
  }
  return images.filter((image) => chosen.get(platformKey(image.platform)) === image);
}

/** Create a registry client over a transport and a content store. */
export function createRegistryClient(options: ClientOptions): RegistryClient {
  const { transport, store, endpoints } = options;
  const maxTagPages = options.maxTagPages ?? 50;
  const maxIndexEntries = options.maxIndexEntries ?? 256;
  const warn = options.onWarning ?? (() => {});
  const referrersUnsupported = new Set<string>();

  function url(repo: Repository, path: string): URL {
    return new URL(`/v2/${repo.repository}/${path}`, endpointFor(repo.host, endpoints));
  }
  function scope(repo: Repository): string {
    return `repository:${repo.repository}:pull`;
  }
  function name(repo: Repository): string {
    return formatRepository(repo);
  }
  function target(repo: Repository, reference?: string): RegistryTarget {
    return { repository: name(repo), reference };
  }

  async function listTagsV2(repo: Repository): Promise<TagList> {
    const first = url(repo, 'tags/list');
    const seen = new Set<string>();
    const raw: unknown[] = [];
    let next: URL | undefined = first;
    let pages = 0;
    while (next) {
      if (seen.has(next.href)) {
        warn(`The tag list of ${name(repo)} links back to a page already read; stopping there.`);
        break;
      }
      if (pages >= maxTagPages) {
        warn(
          `The tag list of ${name(repo)} has more than ${maxTagPages} pages; reading only the first ${maxTagPages}.`,
        );
        break;
      }
      seen.add(next.href);
      pages++;
      const response = await transport.request({
        method: 'GET',
        url: next,
        accept: 'application/json',
        scope: scope(repo),
        body: 'tags',
        what: `list tags of ${name(repo)}`,
        target: target(repo),
      });
      if (response.status !== 200)
        throw describeFailure(`list tags of ${name(repo)}`, response, target(repo));
      const read = readJsonBody(response.body, TagListSchema);
      if (!read.ok) {
        throw new RegistryError(`Could not list tags of ${name(repo)}: the answer is not JSON.`, {
          status: response.status,
          target: target(repo),
          cause: read.cause,
        });
      }
      raw.push(...read.data.tags);
      next = parseNextLink(response.headers.get('link'), response.url);
      if (next && next.origin !== new URL(response.url).origin) {
        warn(
          `The tag list of ${name(repo)} links to another host (${next.origin}); not following it.`,
        );
        next = undefined;
      }
    }
    return warnInvalid(splitTags(raw), repo);
  }

  /** Warn about the tag names a list refused. */
  function warnInvalid<T extends TagSplit>(split: T, repo: Repository): T {
    const warning = describeInvalidTags(split.invalid, name(repo));
    if (warning) warn(warning);
    return split;
  }

  // quay.io allows about 5 tag-list requests a second per client: list one repository at a time there.
  const quayTagLists = new AdaptiveLimit(1);
  function listTags(repo: Repository): Promise<TagList> {
    return repo.host === QUAY_HOST
      ? quayTagLists.run(() => listTagsOnce(repo))
      : listTagsOnce(repo);
  }

  async function listTagsOnce(repo: Repository): Promise<TagList> {
    if (
      options.quayRest !== false &&
      repo.host === QUAY_HOST &&
      !isOverridden(repo.host, endpoints)
    ) {
      try {
        const quay = await listQuayTags(transport, repo.repository);
        const split = warnInvalid(splitTags(quay.map((t) => t.name)), repo);
        const digests = new Map<string, string>();
        for (const t of quay)
          if (isValidTag(t.name) && isValidDigest(t.digest)) digests.set(t.name, t.digest);
        return { ...split, digests };
      } catch (error) {
        warn(
          `quay.io REST tag API failed for ${name(repo)} (${(error as Error).message}); using the v2 API.`,
        );
      }
    }
    return listTagsV2(repo);
  }

  async function headManifest(repo: Repository, tag: string) {
    const response = await transport.request({
      method: 'HEAD',
      url: url(repo, `manifests/${tag}`),
      accept: MANIFEST_ACCEPT,
      scope: scope(repo),
      body: 'manifest',
      what: `look up ${name(repo)}:${tag}`,
      target: target(repo, tag),
    });
    if (response.status === 404) return undefined;
    if (response.status !== 200)
      throw describeFailure(`look up ${name(repo)}:${tag}`, response, target(repo, tag));
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const digest = response.headers.get('docker-content-digest');
    if (digest && isValidDigest(digest)) return { digest, mediaType };
    // No digest header: GET the tag and hash what came back (and keep it, it is content-addressed).
    return getTagManifest(repo, tag);
  }

  /** Content by digest being fetched: callers asking for the same content share one request. */
  const fetching = new Map<string, Promise<Uint8Array>>();
  function fetchOnce(key: string, fetchBytes: () => Promise<Uint8Array>): Promise<Uint8Array> {
    let pending = fetching.get(key);
    if (!pending) {
      pending = fetchBytes().finally(() => fetching.delete(key));
      fetching.set(key, pending);
    }
    return pending;
  }

  async function getManifest(repo: Repository, digest: string) {
    const bytes = await fetchOnce(`manifest ${name(repo)}@${digest}`, () =>
      fetchVerified(repo, digest, 'manifest'),
    );
    // From the bytes alone, never the Content-Type: the cache has no header to give on later runs.
    return { bytes, manifest: parseManifest(bytes, null, `The manifest ${name(repo)}@${digest}`) };
  }

  function getConfig(repo: Repository, digest: string): Promise<Uint8Array> {
    return fetchOnce(`config ${name(repo)}@${digest}`, () => fetchVerified(repo, digest, 'config'));
  }

  /**
   * Get a manifest or config blob by digest, from the cache or else the registry, keeping only
   * bytes that hash to the digest (and to the Docker-Content-Digest of a manifest); ask again when
   * they do not, up to DIGEST_ATTEMPTS times.
   */
  async function fetchVerified(
    repo: Repository,
    digest: string,
    kind: 'manifest' | 'config',
  ): Promise<Uint8Array> {
    const cached = await store.get(digest);
    if (cached) return cached;
    const manifest = kind === 'manifest';
    const subject = manifest
      ? `manifest ${name(repo)}@${digest}`
      : `config ${name(repo)} blob ${digest}`;
    for (let attempt = 1; ; attempt++) {
      const response = await transport.request({
        method: 'GET',
        url: url(repo, `${manifest ? 'manifests' : 'blobs'}/${digest}`),
        accept: manifest ? MANIFEST_ACCEPT : '*/*',
        scope: scope(repo),
        body: manifest ? 'manifest' : 'config',
        what: `get the ${subject}`,
        target: target(repo, digest),
      });
      if (response.status !== 200)
        throw describeFailure(`get the ${subject}`, response, target(repo, digest));
      const header = manifest ? response.headers.get('docker-content-digest') : null;
      const headerOk =
        !header ||
        header === digest ||
        (isValidDigest(header) && matchesDigest(response.body, header));
      if (matchesDigest(response.body, digest) && headerOk) {
        await store.put(digest, response.body);
        return response.body;
      }
      const got = digestOf(response.body);
      if (attempt >= DIGEST_ATTEMPTS) {
        throw new RegistryError(
          `The ${subject} did not match its digest in ${DIGEST_ATTEMPTS} tries (received ${got}); not stored. The registry or a proxy is corrupting it.`,
          { target: target(repo, digest) },
        );
      }
      warn(`The ${subject} did not match its digest (received ${got}); trying again.`);
    }
  }

  /** Warnings about content already given: content-addressed, it says the same thing every time. */
  const warned = new Set<string>();
  function warnOnce(message: string): void {
    if (warned.has(message)) return;
    warned.add(message);
    warn(message);
  }
  /** Keep the first `maxIndexEntries` entries of an index, with a warning when there were more. */
  function firstEntries(entries: Descriptor[], what: string): Descriptor[] {
    if (entries.length <= maxIndexEntries) return entries;
    warnOnce(`${what} lists ${entries.length} images; read only the first ${maxIndexEntries}.`);
    return entries.slice(0, maxIndexEntries);
  }

  async function resolvePlatform(
    repo: Repository,
    digest: string,
    manifest: ImageManifest,
    hint?: Platform,
  ): Promise<ResolvedPlatform> {
    const config = parseConfig(
      await getConfig(repo, manifest.config.digest),
      `The config of ${name(repo)}@${digest}`,
    );
    if (config.warning) warnOnce(config.warning);
    const platform: ResolvedPlatform = {
      os: config.os !== 'unknown' ? config.os : (hint?.os ?? 'unknown'),
      architecture:
        config.architecture !== 'unknown' ? config.architecture : (hint?.architecture ?? 'unknown'),
      digest,
      created: config.created,
      labels: config.labels,
      size: manifest.layers.reduce((sum, layer) => sum + layer.size, 0),
      layers: manifest.layers.length,
      diffIds: config.diffIds,
      annotations: manifest.annotations,
    };
    const variant = config.variant ?? hint?.variant;
    if (variant) platform.variant = variant;
    return platform;
  }

  async function resolveImage(repo: Repository, digest: string): Promise<ResolvedImage> {
    const { manifest } = await getManifest(repo, digest);
    if (manifest.kind === 'legacy') {
      throw new ManifestError(
        `${name(repo)}@${digest} is a Docker schema 1 manifest (legacy); it has no config to read.`,
      );
    }
    if (manifest.kind === 'image') {
      return {
        digest,
        mediaType: manifest.mediaType,
        annotations: manifest.annotations,
        platforms: [await resolvePlatform(repo, digest, manifest)],
      };
    }
    const entries = firstEntries(platformEntries(manifest), `The index ${name(repo)}@${digest}`);
    const resolved = await Promise.all(
      entries.map(async (entry) => {
        const child = await getManifest(repo, entry.digest);
        if (child.manifest.kind !== 'image') {
          throw new ManifestError(
            `${name(repo)}@${entry.digest}, listed in the index ${digest}, is not an image manifest.`,
          );
        }
        const platform = await resolvePlatform(repo, entry.digest, child.manifest, entry.platform);
        return { platform, zstd: isZstdEntry(entry) || hasZstdLayers(child.manifest) };
      }),
    );
    const platforms = onePerPlatform(resolved).map((image) => image.platform);
    platforms.sort(comparePlatforms);
    return { digest, mediaType: manifest.mediaType, annotations: manifest.annotations, platforms };
  }

  let referrersState: Promise<void> | undefined;
  function loadReferrersState(): Promise<void> {
    referrersState ??= (async () => {
      const state = ReferrersStateSchema.parse(await store.readState('referrers-unsupported'));
      const week = 7 * 24 * 3600 * 1000;
      for (const [origin, when] of Object.entries(state))
        if (Date.now() - when < week) referrersUnsupported.add(origin);
    })();
    return referrersState;
  }
  async function markUnsupported(origin: string): Promise<void> {
    if (referrersUnsupported.has(origin)) return;
    referrersUnsupported.add(origin);
    const state = ReferrersStateSchema.parse(await store.readState('referrers-unsupported'));
    state[origin] = Date.now();
    try {
      await store.writeState('referrers-unsupported', state);
    } catch (error) {
      warn(`Could not remember that ${origin} has no referrers API: ${(error as Error).message}`);
    }
  }

  /** The first referrers request per origin, which the others wait for. */
  const referrersProbes = new Map<string, Promise<void>>();

  async function listReferrers(
    repo: Repository,
    digest: string,
    fallbackTag: boolean,
  ): Promise<Descriptor[]> {
    await loadReferrersState();
    const origin = endpointFor(repo.host, endpoints).origin;
    const probe = referrersProbes.get(origin);
    let release: (() => void) | undefined;
    if (probe) await probe;
    else referrersProbes.set(origin, new Promise<void>((resolve) => (release = resolve)));
    try {
      if (!referrersUnsupported.has(origin)) {
        let response: RegistryResponse | undefined;
        try {
          response = await transport.request({
            method: 'GET',
            url: url(repo, `referrers/${digest}`),
            accept: MEDIA_TYPES.ociIndex,
            scope: scope(repo),
            body: 'manifest',
            what: `list referrers of ${name(repo)}@${digest}`,
            target: target(repo, digest),
            probe: true,
          });
        } catch {
          response = undefined;
        }
        const type = (response?.headers.get('content-type') ?? '').split(';')[0]!.trim();
        if (
          response &&
          response.status === 200 &&
          new URL(response.url).origin === origin &&
          type.includes('json')
        ) {
          try {
            const index = parseManifest(
              response.body,
              type,
              `The referrers of ${name(repo)}@${digest}`,
            );
            if (index.kind === 'index')
              return firstEntries(index.manifests, `The referrers of ${name(repo)}@${digest}`);
          } catch {
            // Not an index: treat the API as absent.
          }
        }
        // 404 (the spec's signal), a redirect to another host, 429, or no index: use the fallback tag.
        await markUnsupported(origin);
      }
    } finally {
      release?.();
    }
    if (!fallbackTag) return [];
    const tag = digest.replace(':', '-');
    const head = await headManifest(repo, tag);
    if (!head || head.digest === digest) return [];
    const { manifest } = await getManifest(repo, head.digest);
    return manifest.kind === 'index'
      ? firstEntries(manifest.manifests, `The referrers of ${name(repo)}@${digest}`)
      : [];
  }

  async function getTagManifest(repo: Repository, tag: string) {
    for (let attempt = 1; ; attempt++) {
      const response = await transport.request({
        method: 'GET',
        url: url(repo, `manifests/${tag}`),
        accept: MANIFEST_ACCEPT,
        scope: scope(repo),
        body: 'manifest',
        what: `get the manifest of ${name(repo)}:${tag}`,
        target: target(repo, tag),
      });
      if (response.status === 404) return undefined;
      if (response.status !== 200)
        throw describeFailure(
          `get the manifest of ${name(repo)}:${tag}`,
          response,
          target(repo, tag),
        );
      const header = response.headers.get('docker-content-digest');
      const computed =
        header && header.startsWith('sha512:')
          ? digestOf(response.body, 'sha512')
          : digestOf(response.body);
      if (!header || header === computed) {
        await store.put(computed, response.body);
        const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
        return { digest: computed, mediaType };
      }
      if (attempt >= DIGEST_ATTEMPTS) {
        throw new RegistryError(
          `The manifest of ${name(repo)}:${tag} did not match its Docker-Content-Digest ${header} in ${DIGEST_ATTEMPTS} tries (received ${computed}); not stored.`,
          { target: target(repo, tag) },
        );
      }
      warn(
        `The manifest of ${name(repo)}:${tag} did not match its digest ${header} (received ${computed}); trying again.`,
      );
    }
  }

  return {
    listTags,
    headManifest,
    getManifest,
    getTagManifest,
    getConfig,
    resolveImage,
    listReferrers,
    flush: () => store.flush(),
  };
}

/** Order platforms by os, architecture, variant. */
function comparePlatforms(
  a: { os: string; architecture: string; variant?: string },
  b: typeof a,
): number {
  return (
    a.os.localeCompare(b.os) ||
    a.architecture.localeCompare(b.architecture) ||
    (a.variant ?? '').localeCompare(b.variant ?? '')
  );
}

/** Tell whether a referrer is a signature (by its artifact type). */
export function isSignatureArtifact(artifactType: string): boolean {
  return SIGNATURE_ARTIFACT.test(artifactType);
}
