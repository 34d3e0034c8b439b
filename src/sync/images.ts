/**
 * The image sync: for every image repository of the catalog, list tags, select the streams' tags,
 * HEAD each for its digest, resolve what is new (through the content-addressed cache), check
 * mirrors, read signature facts, then work out lineage. A failing image keeps its last good data,
 * marked stale; an image never fetched is unavailable.
 */
import {
  type Catalog,
  catalogImages,
  type Image,
  imageRepositories,
  type ImageRepository,
  selectTags,
} from '../catalog/index.ts';
import {
  type Build,
  imageFailed,
  type ImageSnapshot,
  type ImagesSnapshot,
  type MirrorSnapshot,
  type SignatureFacts,
  SNAPSHOT_SCHEMA_VERSION,
  type TagSnapshot,
  usablePrevious,
} from '../snapshot/index.ts';
import { mapLimit } from '../utils/pool.ts';
import { errorText } from '../utils/truncate.ts';
import { findBase, findBaseByLayers, type BaseTag } from './lineage.ts';
import {
  isSignatureArtifact,
  type RegistryClient,
  type Repository,
  type ResolvedImage,
} from '../registry/client.ts';
import { DOCKER_HUB_HOST } from '../registry/reference.ts';
import { compareVersions } from '../registry/tags.ts';

/** Builds kept per tag in the snapshot. */
export const HISTORY_LENGTH = 10;

/** Progress of the image sync, per image. */
export type ImageSyncEvent =
  | { type: 'start'; host: string; ref: string; total: number }
  | { type: 'done'; host: string; ref: string; ok: boolean; error?: string };

/** Options of {@link syncImages}. */
export interface SyncImagesOptions {
  client: RegistryClient;
  /** Current time (injected for tests). */
  now?: () => Date;
  /** Only sync these repositories (others keep their previous data untouched). */
  only?: string[];
  /** Images synced at the same time (requests are bounded per host by the transport anyway). */
  parallel?: number;
  /** Mark the snapshot as sample data, with a note. */
  sample?: { note: string };
  onEvent?: (event: ImageSyncEvent) => void;
  onWarning?: (message: string) => void;
  signal?: AbortSignal;
}

/** The newest build time of a resolved image (over its platforms). */
function createdOf(image: ResolvedImage): string | null {
  const times = image.platforms
    .map((p) => p.created)
    .filter((c): c is string => c !== null)
    .sort();
  return times.at(-1) ?? null;
}

/** A tag's build history; for a snapshot written before histories existed, its current build. */
export function historyOf(tag: TagSnapshot, now: string): Build[] {
  if (tag.history && tag.history.length > 0) return tag.history;
  const times = tag.platforms
    .map((p) => p.created)
    .filter((c): c is string => c !== null)
    .sort();
  return [{ digest: tag.digest, created: times.at(-1) ?? null, seenAt: now }];
}

/** Update a tag's build history with its current digest (newest first, bounded). */
export function updateHistory(
  previous: readonly Build[],
  digest: string,
  created: string | null,
  seenAt: string,
): Build[] {
  if (previous[0]?.digest === digest) return [...previous];
  const rest = previous.filter((b) => b.digest !== digest);
  return [{ digest, created, seenAt }, ...rest].slice(0, HISTORY_LENGTH);
}

interface Fetched {
  snapshot: ImageSnapshot;
  /** Resolved images of the current tags, for lineage. */
  /** Resolve a current tag's image (from the cache), for lineage; lazy, as unchanged tags are not resolved. */
  resolved: Map<string, () => Promise<ResolvedImage>>;
}

/** Fetch one image repository: tags, digests, platforms, signatures, mirrors. Throws on failure. */
async function fetchImage(
  image: Image,
  repositoryOf: (ref: string) => ImageRepository,
  previous: ImageSnapshot | undefined,
  options: SyncImagesOptions,
  now: string,
): Promise<Fetched> {
  const { client } = options;
  const repo = repositoryOf(image.ref);
  const list = await client.listTags(repo);
  const selection = selectTags(image.streams, list.tags);
  const previousTags = new Map((previous?.tags ?? []).map((t) => [t.name, t]));
  const resolved = new Map<string, () => Promise<ResolvedImage>>();

  const tags = await mapLimit(
    [...selection.entries()],
    32,
    async ([name, streams]): Promise<TagSnapshot | undefined> => {
      options.signal?.throwIfAborted();
      // A tag seen before is most likely unchanged: HEAD it (the manifest is cached). A new tag: GET it
      // straight away, which gives the digest (the hash of the bytes) and the manifest in one request.
      // Docker Hub counts a GET as a pull and a HEAD as none, so there every tag is HEADed first.
      const headFirst = previousTags.has(name) || repo.host === DOCKER_HUB_HOST;
      const digest =
        list.digests?.get(name) ??
        (headFirst
          ? (await client.headManifest(repo, name))?.digest
          : (await client.getTagManifest(repo, name))?.digest);
      if (!digest) return undefined; // removed between the list and the HEAD
      const before = previousTags.get(name);
      const facts = list.signatures.get(digest);
      if (before && before.digest === digest && before.platforms.length > 0) {
        // Unchanged: content-addressed data cannot have changed; only the tag facts are refreshed.
        let memo: Promise<ResolvedImage> | undefined;
        resolved.set(name, () => (memo ??= client.resolveImage(repo, digest)));
        const referrers = before.signatures.referrers;
        return {
          ...before,
          streams,
          signatures: {
            cosign:
              (facts?.sig ?? false) || referrers.some((r) => isSignatureArtifact(r.artifactType)),
            attestation: facts?.att ?? false,
            sbom: facts?.sbom ?? false,
            referrers,
          },
          history: updateHistory(historyOf(before, now), digest, null, now),
        };
      }
      const image = await client.resolveImage(repo, digest);
      resolved.set(name, () => Promise.resolve(image));
      let referrers: SignatureFacts['referrers'];
      if (before && before.digest === digest) {
        referrers = before.signatures.referrers;
      } else {
        const descriptors = await client.listReferrers(repo, digest, facts?.fallback ?? false);
        referrers = descriptors
          .map((d) => ({
            artifactType: d.artifactType ?? d.mediaType ?? 'unknown',
            digest: d.digest,
          }))
          .sort((a, b) => a.digest.localeCompare(b.digest));
      }
      const signatures: SignatureFacts = {
        cosign: (facts?.sig ?? false) || referrers.some((r) => isSignatureArtifact(r.artifactType)),
        attestation: facts?.att ?? false,
        sbom: facts?.sbom ?? false,
        referrers,
      };
      const tag: TagSnapshot = {
        name,
        digest,
        mediaType: image.mediaType,
        streams,
        platforms: image.platforms.map((p) => {
          const platform: TagSnapshot['platforms'][number] = {
            os: p.os,
            architecture: p.architecture,
            digest: p.digest,
            created: p.created,
            labels: p.labels,
            size: p.size,
            layers: p.layers,
          };
          if (p.variant) platform.variant = p.variant;
          return platform;
        }),
        signatures,
        history: updateHistory(before ? historyOf(before, now) : [], digest, createdOf(image), now),
      };
      if (before?.basedOn && before.digest === digest) tag.basedOn = before.basedOn;
      return tag;
    },
  );
  const present = tags
    .filter((t): t is TagSnapshot => t !== undefined)
    .sort((a, b) => compareVersions(a.name, b.name));

  const mirrors = await Promise.all(
    image.mirrors.map((mirror) =>
      checkMirror(
        client,
        mirror,
        repositoryOf(mirror),
        present,
        previous?.mirrors.find((m) => m.ref === mirror),
        now,
        options,
      ),
    ),
  );
  return {
    snapshot: {
      ref: image.ref,
      status: 'live',
      fetchedAt: now,
      tagCount: list.tags.length,
      tags: present,
      mirrors,
    },
    resolved,
  };
}

/** Check that each selected tag resolves to the same digest on a mirror. */
async function checkMirror(
  client: RegistryClient,
  ref: string,
  repo: Repository,
  tags: readonly TagSnapshot[],
  previous: MirrorSnapshot | undefined,
  now: string,
  options: SyncImagesOptions,
): Promise<MirrorSnapshot> {
  try {
    const results = await mapLimit(tags, 16, async (tag) => ({
      tag,
      head: await client.headManifest(repo, tag.name),
    }));
    const mirror: MirrorSnapshot = {
      ref,
      status: 'live',
      fetchedAt: now,
      drift: [],
      missing: [],
      matching: [],
    };
    for (const { tag, head } of results) {
      if (!head) mirror.missing.push(tag.name);
      else if (head.digest === tag.digest) mirror.matching.push(tag.name);
      else mirror.drift.push({ tag: tag.name, digest: head.digest, expected: tag.digest });
    }
    return mirror;
  } catch (error) {
    const message = errorText(error);
    options.onWarning?.(`Mirror ${ref}: ${message}`);
    if (previous && previous.fetchedAt) return { ...previous, status: 'stale', error: message };
    return {
      ref,
      status: 'unavailable',
      fetchedAt: null,
      error: message,
      drift: [],
      missing: [],
      matching: [],
    };
  }
}

/**
 * Sync the images of a catalog and return the new images snapshot. Never throws for a registry
 * failure: the image keeps its previous data, marked stale (or unavailable).
 */
export async function syncImages(
  catalog: Catalog,
  previous: ImagesSnapshot | undefined,
  options: SyncImagesOptions,
): Promise<ImagesSnapshot> {
  const now = (options.now ?? (() => new Date()))().toISOString();
  const images = catalogImages(catalog);
  const repositories = imageRepositories(catalog);
  const repositoryOf = (ref: string): ImageRepository => {
    const repository = repositories.get(ref);
    if (!repository) throw new Error(`${ref} is not an image of the catalog.`);
    return repository;
  };
  const { usable, warning } = usablePrevious(previous, options.sample !== undefined, 'images');
  if (warning) options.onWarning?.(warning);
  const previousByRef = new Map((usable?.images ?? []).map((i) => [i.ref, i]));
  const only = options.only ? new Set(options.only) : undefined;
  const toSync = images.filter((image) => !only || only.has(image.ref));
  const totals = new Map<string, number>();
  for (const image of toSync) {
    const host = repositoryOf(image.ref).host;
    totals.set(host, (totals.get(host) ?? 0) + 1);
  }

  const fetched = new Map<string, Fetched>();
  const results = new Map<string, ImageSnapshot>();
  await mapLimit(toSync, options.parallel ?? 16, async (image) => {
    const host = repositoryOf(image.ref).host;
    options.onEvent?.({ type: 'start', host, ref: image.ref, total: totals.get(host) ?? 0 });
    const before = previousByRef.get(image.ref);
    try {
      const result = await fetchImage(image, repositoryOf, before, options, now);
      fetched.set(image.ref, result);
      results.set(image.ref, result.snapshot);
      options.onEvent?.({ type: 'done', host, ref: image.ref, ok: true });
    } catch (error) {
      options.signal?.throwIfAborted();
      const message = errorText(error);
      results.set(image.ref, imageFailed(image.ref, before, message));
      options.onEvent?.({ type: 'done', host, ref: image.ref, ok: false, error: message });
    }
  });

  // Lineage, once every image is fetched: bases may be listed after the images built on them.
  // An image with a declared base is checked against it (layers, annotations, else declared); an
  // image without one is checked by layers against every base image of the catalog, so that an
  // undeclared base is still found.
  const baseImages = images.filter((image) => image.role === 'base').map((image) => image.ref);
  const baseTagsCache = new Map<string, BaseTag[]>();
  const resolveCaches = new Map<string, Map<string, Promise<ResolvedImage | undefined>>>();
  const baseTagsOf = (ref: string): BaseTag[] => {
    let tags = baseTagsCache.get(ref);
    if (!tags) {
      const base = results.get(ref) ?? previousByRef.get(ref);
      tags = (base?.tags ?? []).map((t) => ({ name: t.name, history: historyOf(t, now) }));
      baseTagsCache.set(ref, tags);
    }
    return tags;
  };
  const resolverOf = (ref: string) => {
    let cache = resolveCaches.get(ref);
    if (!cache) {
      cache = new Map();
      resolveCaches.set(ref, cache);
    }
    const known = cache;
    const repository = repositoryOf(ref);
    return (digest: string) => {
      let p = known.get(digest);
      if (!p) {
        p = options.client.resolveImage(repository, digest).catch(() => undefined);
        known.set(digest, p);
      }
      return p;
    };
  };
  for (const image of toSync) {
    const result = fetched.get(image.ref);
    if (!result) continue;
    const undeclared =
      image.basedOn === undefined && image.role !== 'base' && image.role !== 'tool'
        ? baseImages.filter((ref) => ref !== image.ref)
        : [];
    if (!image.basedOn && undeclared.length === 0) continue;
    for (const tag of result.snapshot.tags) {
      const resolve = result.resolved.get(tag.name);
      if (!resolve) continue;
      let resolved: ResolvedImage;
      try {
        resolved = await resolve();
      } catch {
        continue; // keep the previous lineage of this tag
      }
      if (image.basedOn) {
        tag.basedOn = await findBase({
          tag: tag.name,
          image: resolved,
          baseRepository: image.basedOn,
          baseTags: baseTagsOf(image.basedOn),
          resolveBuild: resolverOf(image.basedOn),
        });
        continue;
      }
      for (const baseRef of undeclared) {
        const found = await findBaseByLayers({
          tag: tag.name,
          image: resolved,
          baseRepository: baseRef,
          baseTags: baseTagsOf(baseRef),
          resolveBuild: resolverOf(baseRef),
        });
        if (found) {
          tag.basedOn = found;
          break;
        }
      }
    }
  }

  await options.client.flush();
  const out: ImageSnapshot[] = images.map(
    (image) =>
      results.get(image.ref) ??
      previousByRef.get(image.ref) ??
      imageFailed(image.ref, undefined, 'Not synced yet.'),
  );
  const snapshot: ImagesSnapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    generatedAt: now,
    sample: options.sample !== undefined,
    images: out,
  };
  if (options.sample) snapshot.sampleNote = options.sample.note;
  return snapshot;
}
