/**
 * What the image pages show: every image of the catalog with what the snapshot knows of it, its
 * builds grouped by digest, its streams, the images built on it, the commands to use it and how
 * its mirrors agree. Pure functions, no Astro.
 */
import { canonicalRepository } from '../catalog/index.ts';
import type { Image, Stream, Subproject } from '../catalog/index.ts';
import type {
  BasedOn,
  ImageSnapshot,
  MirrorSnapshot,
  PlatformSnapshot,
  SignatureFacts,
  TagSnapshot,
} from '../snapshot/index.ts';
import type { SiteData } from './views.ts';

/** An image of the catalog with the subproject that lists it and what the snapshot knows of it. */
export interface ImageView {
  image: Image;
  /** Canonical repository reference, the image's id on the site. */
  ref: string;
  subproject: Subproject;
  snapshot: ImageSnapshot;
}

/** The record of an image that no sync has fetched yet. */
function unavailableImage(ref: string): ImageSnapshot {
  return { ref, status: 'unavailable', fetchedAt: null, tagCount: 0, tags: [], mirrors: [] };
}

/** The image list of each site data, made once: pages ask for it many times per build. */
const imagesByData = new WeakMap<SiteData, ImageView[]>();

/** List every image of the catalog with its snapshot record, in catalog order (the same array on every call for the same data). */
export function listImages(data: SiteData): ImageView[] {
  const listed = imagesByData.get(data);
  if (listed) return listed;
  const byRef = new Map(
    (data.images?.images ?? []).map((record) => [canonicalRepository(record.ref), record]),
  );
  const images = data.catalog.subprojects.flatMap((subproject) =>
    subproject.images.map((image) => {
      const ref = canonicalRepository(image.ref);
      return { image, ref, subproject, snapshot: byRef.get(ref) ?? unavailableImage(ref) };
    }),
  );
  imagesByData.set(data, images);
  return images;
}

/** Find one image by its repository reference. */
export function findImage(data: SiteData, ref: string): ImageView | undefined {
  const wanted = canonicalRepository(ref);
  return listImages(data).find((view) => view.ref === wanted);
}

/** List the images one subproject lists, in catalog order. */
export function listSubprojectImages(data: SiteData, subprojectId: string): ImageView[] {
  return listImages(data).filter((view) => view.subproject.id === subprojectId);
}

/** Group the images by the subproject that lists them, leaving out subprojects without images. */
export function groupImagesBySubproject(
  data: SiteData,
): { subproject: Subproject; images: ImageView[] }[] {
  const images = listImages(data);
  return data.catalog.subprojects
    .map((subproject) => ({
      subproject,
      images: images.filter((view) => view.subproject.id === subproject.id),
    }))
    .filter((group) => group.images.length > 0);
}

/** List the images of the catalog declared to be built on the image `ref`. */
export function listDerivedImages(data: SiteData, ref: string): ImageView[] {
  const base = canonicalRepository(ref);
  return listImages(data).filter(
    (view) => view.image.basedOn !== undefined && canonicalRepository(view.image.basedOn) === base,
  );
}

const ROLE_LABELS: Record<Image['role'], string> = {
  base: 'Official base image',
  variant: 'Official variant image',
  ci: 'Development or CI image',
  downstream: 'Built outside Fedora',
  tool: 'Build tool',
};

/** Say what an image is by its role: `Official base image`, `Built outside Fedora`. */
export function imageRoleLabel(role: Image['role']): string {
  return ROLE_LABELS[role];
}

/** Tags that point at one digest, shown as one row. */
export interface DigestGroup {
  digest: string;
  mediaType: string;
  /** Tag names in version order. */
  tags: string[];
  streams: string[];
  platforms: PlatformSnapshot[];
  basedOn?: BasedOn | undefined;
  signatures: SignatureFacts;
  /** Newest build time among the platforms, or null. */
  created: string | null;
}

/** Group tags that share a digest, keeping the order of the first tag of each group. */
export function groupTagsByDigest(tags: TagSnapshot[]): DigestGroup[] {
  const groups = new Map<string, DigestGroup>();
  for (const tag of tags) {
    const group = groups.get(tag.digest);
    if (group) {
      group.tags.push(tag.name);
      for (const stream of tag.streams)
        if (!group.streams.includes(stream)) group.streams.push(stream);
      continue;
    }
    groups.set(tag.digest, {
      digest: tag.digest,
      mediaType: tag.mediaType,
      tags: [tag.name],
      streams: [...tag.streams],
      platforms: tag.platforms,
      basedOn: tag.basedOn,
      signatures: tag.signatures,
      created: newestCreated(tag.platforms),
    });
  }
  return [...groups.values()];
}

/** Return the newest `created` among platforms, or null when none is known. */
export function newestCreated(platforms: PlatformSnapshot[]): string | null {
  let newest: string | null = null;
  for (const platform of platforms)
    if (platform.created && (!newest || platform.created > newest)) newest = platform.created;
  return newest;
}

/** A platform as the catalog and the registries name it. */
export type Platform = Pick<PlatformSnapshot, 'os' | 'architecture' | 'variant'>;

/** Format a platform as `linux/arm64/v8`. */
export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** Parse a platform written as `linux/arm64/v8`, as the catalog lists expected platforms. */
export function parsePlatform(name: string): Platform {
  const [os = '', architecture = '', variant] = name.split('/');
  return { os, architecture, variant };
}

/** The repository of the base a tag is built on: its reference without the tag or digest. */
export function baseRepository(basedOn: BasedOn): string {
  return basedOn.ref.replace(/[:@][^/]*$/, '');
}

/** Say how far behind the newest build of its base a tag is: `on the newest base build`, `2 base builds / 9 days behind`. */
export function describeBehind(behind: NonNullable<BasedOn['behind']>): string {
  return behind.builds === 0
    ? 'on the newest base build'
    : `${behind.builds} base build${behind.builds === 1 ? '' : 's'} / ${Math.round(behind.days)} days behind`;
}

/** Tell whether a tag or group carries a signature of any kind. */
export function isSigned(signatures: SignatureFacts): boolean {
  return (
    signatures.cosign ||
    signatures.referrers.some((referrer) =>
      /sigstore|cosign|signature/i.test(referrer.artifactType),
    )
  );
}

/** The commands to use a tag with one tool, and the language and file name they are written in. */
export interface UsageCommands {
  tool: 'podman' | 'bootc' | 'Containerfile';
  language: 'sh' | 'dockerfile';
  /** The file the commands go in, for the Containerfile. */
  file?: string | undefined;
  commands: string[];
}

/** The tools the "Use it" commands are shown for, and which commands each one shows. */
const TOOLS: (Omit<UsageCommands, 'commands'> & { shows: (command: string) => boolean })[] = [
  { tool: 'podman', language: 'sh', shows: (command) => command.startsWith('podman') },
  // The command itself, not the whole line: a repository named after bootc mentions it everywhere.
  { tool: 'bootc', language: 'sh', shows: (command) => command.startsWith('sudo bootc ') },
  {
    tool: 'Containerfile',
    language: 'dockerfile',
    file: 'Containerfile',
    shows: (command) => command.startsWith('FROM'),
  },
];

/** The commands to use a tag, by tool: pull it or pin it by digest, switch a bootc host to it, build FROM it. */
export function usageCommands(ref: string, tag: string, digest: string): UsageCommands[] {
  const commands = [
    `podman pull ${ref}:${tag}`,
    `podman pull ${ref}@${digest}`,
    `sudo bootc switch ${ref}:${tag}`,
    `FROM ${ref}:${tag}`,
  ];
  return TOOLS.map(({ shows, ...tool }) => ({ ...tool, commands: commands.filter(shows) }));
}

/**
 * The tag to show in the "Use it" commands: the first exact tag of the first stream that the
 * registry has (the catalog lists `stable` before `testing`), else the first tag a pattern selected.
 */
export function featuredTag(image: Image, snapshot: ImageSnapshot): TagSnapshot | undefined {
  for (const stream of image.streams) {
    for (const name of stream.tags ?? []) {
      const tag = snapshot.tags.find((candidate) => candidate.name === name);
      if (tag) return tag;
    }
  }
  return snapshot.tags.find((tag) => tag.streams.length > 0) ?? snapshot.tags[0];
}

/** Each stream of an image, in catalog order, with the fetched tags it selected. */
export function tagsByStream(
  image: Image,
  snapshot: ImageSnapshot,
): { stream: Stream; tags: TagSnapshot[] }[] {
  return image.streams.map((stream) => ({
    stream,
    tags: snapshot.tags.filter((tag) => tag.streams.includes(stream.name)),
  }));
}

/** Sum up how a mirror agrees with its primary: `5 tags match, 1 differ, 0 missing.` */
export function describeMirror(mirror: MirrorSnapshot): string {
  const matching = mirror.matching.length;
  return `${matching} tag${matching === 1 ? '' : 's'} match, ${mirror.drift.length} differ, ${mirror.missing.length} missing.`;
}
