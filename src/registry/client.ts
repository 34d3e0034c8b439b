/**
 * The registry client: tag lists, manifest HEADs, manifests and configs by digest (verified and
 * cached forever), image resolution across an index, and signature facts (cosign tags, referrers).
 */
import { AdaptiveLimit } from './limit.ts';
import { endpointFor, isOverridden } from './config.ts';
import type { ContentStore } from './cache.ts';
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
  type Manifest,
} from './manifest.ts';
import { formatRepository, isValidDigest, type Reference } from './reference.ts';
import { parseNextLink, splitTags, type TagSplit } from './tags.ts';
import {
  describeFailure,
  RegistryError,
  type RegistryResponse,
  type Transport,
} from './transport.ts';
import { listQuayTags, QUAY_HOST } from './quay.ts';

/** A repository on a registry (the public host, as the catalog names it). */
export type Repository = Pick<Reference, 'host' | 'repository'>;

/** One platform of a resolved image. */
export interface ResolvedPlatform {
  os: string;
  architecture: string;
  variant?: string;
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
  quayRest?: boolean;
  /** Largest number of tag pages to follow (default 50). */
  maxTagPages?: number;
  onWarning?: (message: string) => void;
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
const MANIFEST_MAX = 8 << 20;
const DIGEST_ATTEMPTS = 3;

/** Tell whether a descriptor in an index is an attestation rather than a platform. */
export function isAttestation(entry: Descriptor): boolean {
  return (
    entry.platform?.os === 'unknown' ||
    entry.platform?.architecture === 'unknown' ||
    entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest'
  );
}

/** Create a registry client over a transport and a content store. */
export function createRegistryClient(options: ClientOptions): RegistryClient {
  const { transport, store, endpoints } = options;
  const maxTagPages = options.maxTagPages ?? 50;
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
        what: `list tags of ${name(repo)}`,
      });
      if (response.status !== 200) throw describeFailure(`list tags of ${name(repo)}`, response);
      let body: { tags?: unknown };
      try {
        body = JSON.parse(new TextDecoder().decode(response.body)) as { tags?: unknown };
      } catch {
        throw new RegistryError(`Could not list tags of ${name(repo)}: the answer is not JSON.`);
      }
      if (Array.isArray(body?.tags)) raw.push(...body.tags);
      const link = parseNextLink(response.headers.get('link'));
      next = undefined;
      if (link) {
        const candidate = new URL(link, response.url);
        const base = new URL(response.url);
        if (candidate.origin !== base.origin) {
          warn(
            `The tag list of ${name(repo)} links to another host (${candidate.origin}); not following it.`,
          );
        } else {
          next = candidate;
        }
      }
    }
    return splitTags(raw);
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
        const split = splitTags(quay.map((t) => t.name));
        const digests = new Map<string, string>();
        for (const t of quay) if (isValidDigest(t.digest)) digests.set(t.name, t.digest);
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
      what: `look up ${name(repo)}:${tag}`,
    });
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw describeFailure(`look up ${name(repo)}:${tag}`, response);
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const digest = response.headers.get('docker-content-digest');
    if (digest && isValidDigest(digest)) return { digest, mediaType };
    // No digest header: GET the tag and hash what came back (and keep it, it is content-addressed).
    return getTagManifest(repo, tag);
  }

  async function getManifest(repo: Repository, digest: string) {
    const where = `${name(repo)}@${digest}`;
    let bytes = await store.get(digest);
    let contentType: string | null = null;
    if (!bytes) {
      for (let attempt = 1; ; attempt++) {
        const response = await transport.request({
          method: 'GET',
          url: url(repo, `manifests/${digest}`),
          accept: MANIFEST_ACCEPT,
          scope: scope(repo),
          maxBytes: MANIFEST_MAX,
          what: `get the manifest ${where}`,
        });
        if (response.status !== 200) throw describeFailure(`get the manifest ${where}`, response);
        const header = response.headers.get('docker-content-digest');
        const headerOk =
          !header ||
          header === digest ||
          (isValidDigest(header) && matchesDigest(response.body, header));
        if (matchesDigest(response.body, digest) && headerOk) {
          bytes = response.body;
          contentType = response.headers.get('content-type');
          await store.put(digest, bytes);
          break;
        }
        const got = digestOf(response.body);
        if (attempt >= DIGEST_ATTEMPTS) {
          throw new RegistryError(
            `The manifest ${where} did not match its digest in ${DIGEST_ATTEMPTS} tries (received ${got}); not stored. The registry or a proxy is corrupting it.`,
          );
        }
        warn(`The manifest ${where} did not match its digest (received ${got}); trying again.`);
      }
    }
    return { bytes, manifest: parseManifest(bytes, contentType, `The manifest ${where}`) };
  }

  async function getConfig(repo: Repository, digest: string): Promise<Uint8Array> {
    const where = `${name(repo)} blob ${digest}`;
    const cached = await store.get(digest);
    if (cached) return cached;
    for (let attempt = 1; ; attempt++) {
      const response = await transport.request({
        method: 'GET',
        url: url(repo, `blobs/${digest}`),
        accept: '*/*',
        scope: scope(repo),
        what: `get the config ${where}`,
      });
      if (response.status !== 200) throw describeFailure(`get the config ${where}`, response);
      if (matchesDigest(response.body, digest)) {
        await store.put(digest, response.body);
        return response.body;
      }
      if (attempt >= DIGEST_ATTEMPTS) {
        throw new RegistryError(
          `The config ${where} did not match its digest in ${DIGEST_ATTEMPTS} tries; not stored.`,
        );
      }
      warn(`The config ${where} did not match its digest; trying again.`);
    }
  }

  async function resolvePlatform(
    repo: Repository,
    digest: string,
    manifest: ImageManifest,
    hint?: Descriptor['platform'],
  ): Promise<ResolvedPlatform> {
    const config = parseConfig(
      await getConfig(repo, manifest.config.digest),
      `The config of ${name(repo)}@${digest}`,
    );
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
    const entries = manifest.manifests.filter((entry) => !isAttestation(entry));
    const platforms = await Promise.all(
      entries.map(async (entry) => {
        const child = await getManifest(repo, entry.digest);
        if (child.manifest.kind !== 'image') {
          throw new ManifestError(
            `${name(repo)}@${entry.digest}, listed in the index ${digest}, is not an image manifest.`,
          );
        }
        return resolvePlatform(repo, entry.digest, child.manifest, entry.platform);
      }),
    );
    platforms.sort(comparePlatforms);
    return { digest, mediaType: manifest.mediaType, annotations: manifest.annotations, platforms };
  }

  let referrersState: Promise<void> | undefined;
  function loadReferrersState(): Promise<void> {
    referrersState ??= (async () => {
      const state = (await store.readState('referrers-unsupported')) as
        Record<string, number> | undefined;
      const week = 7 * 24 * 3600 * 1000;
      for (const [origin, when] of Object.entries(state ?? {}))
        if (Date.now() - when < week) referrersUnsupported.add(origin);
    })();
    return referrersState;
  }
  async function markUnsupported(origin: string): Promise<void> {
    if (referrersUnsupported.has(origin)) return;
    referrersUnsupported.add(origin);
    const state =
      ((await store.readState('referrers-unsupported')) as Record<string, number> | undefined) ??
      {};
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
            what: `list referrers of ${name(repo)}@${digest}`,
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
            if (index.kind === 'index') return index.manifests;
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
    return manifest.kind === 'index' ? manifest.manifests : [];
  }

  async function getTagManifest(repo: Repository, tag: string) {
    for (let attempt = 1; ; attempt++) {
      const response = await transport.request({
        method: 'GET',
        url: url(repo, `manifests/${tag}`),
        accept: MANIFEST_ACCEPT,
        scope: scope(repo),
        maxBytes: MANIFEST_MAX,
        what: `get the manifest of ${name(repo)}:${tag}`,
      });
      if (response.status === 404) return undefined;
      if (response.status !== 200)
        throw describeFailure(`get the manifest of ${name(repo)}:${tag}`, response);
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
export function comparePlatforms(
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
