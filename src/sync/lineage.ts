/**
 * Lineage: which base tag an image tag is built on, and how far behind that base's newest build it
 * is. In order: a prefix match of `rootfs.diff_ids` per platform (method `layers`, the longest
 * prefix wins), the OCI annotations `org.opencontainers.image.base.name`/`base.digest` (method
 * `annotation`), else the declared base only (`declared`, not verified). Rechunked images break the
 * prefix property and fall through to the next method.
 */
import type { ResolvedImage, ResolvedPlatform } from '../registry/client.ts';
import { parseReference, formatRepository, InvalidReferenceError } from '../registry/reference.ts';
import { compareVersions } from '../registry/tags.ts';
import type { BasedOn, Build } from '../snapshot/index.ts';

export const BASE_NAME_ANNOTATION = 'org.opencontainers.image.base.name';
export const BASE_DIGEST_ANNOTATION = 'org.opencontainers.image.base.digest';

/** A tag of the base repository, with the builds it pointed to (newest first, current included). */
export interface BaseTag {
  name: string;
  history: Build[];
}

/** What lineage needs to know about one derived tag. */
export interface LineageInput {
  /** Name of the derived tag. */
  tag: string;
  image: ResolvedImage;
  /** The declared base repository, e.g. "quay.io/fedora/fedora-bootc". */
  baseRepository: string;
  /** The base repository's selected tags. */
  baseTags: BaseTag[];
  /** Resolve a build of the base repository by digest (from the cache); undefined when it cannot. */
  resolveBuild: (digest: string) => Promise<ResolvedImage | undefined>;
}

/** Tell how many leading diff_ids of `derived` are `base` (its length), or -1 when `base` is not a prefix. */
export function prefixLength(base: readonly string[], derived: readonly string[]): number {
  if (base.length === 0 || base.length > derived.length) return -1;
  for (let i = 0; i < base.length; i++) if (base[i] !== derived[i]) return -1;
  return base.length;
}

function samePlatform(a: ResolvedPlatform, b: ResolvedPlatform): boolean {
  if (a.os !== b.os || a.architecture !== b.architecture) return false;
  return !a.variant || !b.variant || a.variant === b.variant;
}

/** Score a base build against a derived image: total prefix length over common platforms, or -1. */
export function scoreBuild(base: ResolvedImage, derived: ResolvedImage): number {
  let score = 0;
  let common = 0;
  for (const platform of derived.platforms) {
    const candidate = base.platforms.find((p) => samePlatform(p, platform));
    if (!candidate) continue;
    common++;
    const length = prefixLength(candidate.diffIds, platform.diffIds);
    if (length < 0) return -1;
    score += length;
  }
  return common > 0 ? score : -1;
}

/** Days and builds between a matched build and the newest build of a base tag. */
export function behindOf(history: readonly Build[], digest: string): BasedOn['behind'] {
  const index = history.findIndex((build) => build.digest === digest);
  if (index < 0) return undefined;
  const newest = history[0]!;
  const matched = history[index]!;
  let days = 0;
  if (newest.created && matched.created) {
    days = Math.max(
      0,
      Math.round(((Date.parse(newest.created) - Date.parse(matched.created)) / 86_400_000) * 10) /
        10,
    );
  }
  return { days, builds: index };
}

/** Rank base tags on a tie: the derived tag's own name first, then version tags, then version order. */
function tieRank(name: string, derivedTag: string): [number, number] {
  return [name === derivedTag ? 0 : 1, /^\d/.test(name) ? 0 : 1];
}

/**
 * Find the base build a derived tag starts from by layers alone: the longest rootfs.diff_ids prefix
 * over every known build of every base tag. Undefined when no build of the base is a prefix.
 */
export async function findBaseByLayers(input: LineageInput): Promise<BasedOn | undefined> {
  let best: { tag: BaseTag; build: Build; score: number } | undefined;
  for (const tag of input.baseTags) {
    for (const build of tag.history) {
      const base = await input.resolveBuild(build.digest);
      if (!base) continue;
      const score = scoreBuild(base, input.image);
      if (score <= 0) continue;
      if (
        !best ||
        score > best.score ||
        (score === best.score && betterTie(tag, build, best, input.tag))
      ) {
        best = { tag, build, score };
      }
    }
  }
  if (!best) return undefined;
  const basedOn: BasedOn = {
    ref: `${input.baseRepository}:${best.tag.name}`,
    digest: best.build.digest,
    method: 'layers',
    verified: true,
  };
  const behind = behindOf(best.tag.history, best.build.digest);
  if (behind) basedOn.behind = behind;
  return basedOn;
}

/** Find the base tag a derived tag is built on: by layers, else by annotations, else as declared. */
export async function findBase(input: LineageInput): Promise<BasedOn> {
  // 1. Layers.
  const byLayers = await findBaseByLayers(input);
  if (byLayers) return byLayers;

  // 2. Annotations on the index or, for a single manifest, on the manifest.
  const annotations = {
    ...(input.image.platforms[0]?.annotations ?? {}),
    ...input.image.annotations,
  };
  const baseName = annotations[BASE_NAME_ANNOTATION];
  if (baseName) {
    let ref = baseName;
    let tagName: string | undefined;
    let repository: string | undefined;
    try {
      const parsed = parseReference(baseName);
      repository = formatRepository(parsed);
      tagName = parsed.tag;
      ref = tagName ? `${repository}:${tagName}` : repository;
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
    }
    const digest = annotations[BASE_DIGEST_ANNOTATION];
    const validDigest =
      digest && /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/.test(digest) ? digest : undefined;
    const tag =
      repository === input.baseRepository
        ? input.baseTags.find((t) => t.name === tagName)
        : undefined;
    const basedOn: BasedOn = { ref, method: 'annotation', verified: false };
    if (validDigest) {
      basedOn.digest = validDigest;
      // Confirmed when the digest is a build of the named tag that we saw (or at least present).
      basedOn.verified = tag ? tag.history.some((b) => b.digest === validDigest) : false;
      if (tag) {
        const behind = behindOf(tag.history, validDigest);
        if (behind) basedOn.behind = behind;
      }
    }
    return basedOn;
  }

  // 3. Declared only: the base tag of the same name when there is one.
  const sameName = input.baseTags.find((t) => t.name === input.tag);
  return {
    ref: sameName ? `${input.baseRepository}:${sameName.name}` : input.baseRepository,
    method: 'declared',
    verified: false,
  };
}

function betterTie(
  tag: BaseTag,
  build: Build,
  best: { tag: BaseTag; build: Build },
  derivedTag: string,
): boolean {
  const [a1, a2] = tieRank(tag.name, derivedTag);
  const [b1, b2] = tieRank(best.tag.name, derivedTag);
  if (a1 !== b1) return a1 < b1;
  if (a2 !== b2) return a2 < b2;
  // Prefer the newest build (lower index in its history), then version order.
  const ai = tag.history.indexOf(build);
  const bi = best.tag.history.indexOf(best.build);
  if (ai !== bi) return ai < bi;
  return compareVersions(tag.name, best.tag.name) < 0;
}
