/**
 * What the pages show, derived from the catalog and the snapshot: pure functions, no Astro, so
 * every number a reader sees can be unit-tested. Pages and JSON exports both call these.
 */
import { canonicalRepository, isSigOwner } from '../catalog/index.ts';
import type {
  Catalog,
  Deliverable,
  HandoverState,
  Image,
  Sig,
  Subproject,
} from '../catalog/index.ts';
import type {
  AuditFinding,
  AuditSnapshot,
  BasedOn,
  ImageSnapshot,
  ImagesSnapshot,
  PlatformSnapshot,
  RepoSnapshot,
  ReposSnapshot,
  SignatureFacts,
  SnapshotHeader,
  SourceStatus,
  TagSnapshot,
} from '../snapshot/index.ts';

/** Everything the site is generated from. */
export interface SiteData {
  catalog: Catalog;
  images?: ImagesSnapshot | undefined;
  repos?: ReposSnapshot | undefined;
  audit?: AuditSnapshot | undefined;
}

// ---------------------------------------------------------------------------------------------
// Images

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

/** List every image of the catalog with its snapshot record, in catalog order. */
export function listImages(data: SiteData): ImageView[] {
  const byRef = new Map(
    (data.images?.images ?? []).map((record) => [canonicalRepository(record.ref), record]),
  );
  return data.catalog.subprojects.flatMap((subproject) =>
    subproject.images.map((image) => {
      const ref = canonicalRepository(image.ref);
      return { image, ref, subproject, snapshot: byRef.get(ref) ?? unavailableImage(ref) };
    }),
  );
}

/** Find one image by its repository reference. */
export function findImage(data: SiteData, ref: string): ImageView | undefined {
  const wanted = canonicalRepository(ref);
  return listImages(data).find((view) => view.ref === wanted);
}

/** The site path of an image page: `/images/quay.io/fedora/fedora-bootc/`. */
export function imagePath(ref: string): string {
  return `/images/${canonicalRepository(ref)}/`;
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

/** Format a platform as `linux/arm64/v8`. */
export function formatPlatform(
  platform: Pick<PlatformSnapshot, 'os' | 'architecture' | 'variant'>,
): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
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

/** The commands to use a tag: pull it, pin it by digest, switch a bootc host to it, build FROM it. */
export function usageCommands(
  ref: string,
  tag: string,
  digest: string,
): { label: string; command: string }[] {
  return [
    { label: 'Pull', command: `podman pull ${ref}:${tag}` },
    { label: 'Pull this exact build', command: `podman pull ${ref}@${digest}` },
    { label: 'Switch a bootc host', command: `sudo bootc switch ${ref}:${tag}` },
    { label: 'Build on it', command: `FROM ${ref}:${tag}` },
  ];
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

/** Tags by stream name, in catalog stream order, for the image page's stream summary. */
export function tagsByStream(
  image: Image,
  snapshot: ImageSnapshot,
): { name: string; description?: string | undefined; tags: TagSnapshot[] }[] {
  return image.streams.map((stream) => ({
    name: stream.name,
    description: stream.description,
    tags: snapshot.tags.filter((tag) => tag.streams.includes(stream.name)),
  }));
}

// ---------------------------------------------------------------------------------------------
// Repos and owners

/** A repo of the catalog with its snapshot record. */
export interface RepoView {
  url: string;
  role: string;
  description?: string | undefined;
  snapshot: RepoSnapshot | undefined;
}

/** List a subproject's repos with what the snapshot knows of them. */
export function listRepos(data: SiteData, subproject: Subproject): RepoView[] {
  const byUrl = new Map(
    (data.repos?.repos ?? []).map((record) => [record.url.replace(/\/$/, ''), record]),
  );
  return subproject.repos.map((repo) => ({
    url: repo.url,
    role: repo.role,
    description: repo.description,
    snapshot: byUrl.get(repo.url.replace(/\/$/, '')),
  }));
}

/** A deliverable with the subproject it belongs to. */
export interface DeliverableView {
  subproject: Subproject;
  deliverable: Deliverable;
}

/** Everything one owner (a SIG or a handle) owns today and is taking over. */
export interface OwnerView {
  owner: string;
  sig: Sig | undefined;
  owns: DeliverableView[];
  incoming: DeliverableView[];
}

/** Index deliverables by owner: what each SIG or person owns now and what it is taking over. */
export function listOwners(catalog: Catalog): OwnerView[] {
  const owners = new Map<string, OwnerView>();
  const get = (owner: string) => {
    let view = owners.get(owner);
    if (!view) {
      view = {
        owner,
        sig: isSigOwner(owner) ? catalog.sigs.find((sig) => sig.id === owner) : undefined,
        owns: [],
        incoming: [],
      };
      owners.set(owner, view);
    }
    return view;
  };
  for (const sig of catalog.sigs) get(sig.id);
  for (const subproject of catalog.subprojects) {
    for (const deliverable of subproject.deliverables) {
      if (deliverable.owner) get(deliverable.owner).owns.push({ subproject, deliverable });
      if (deliverable.incomingOwner)
        get(deliverable.incomingOwner).incoming.push({ subproject, deliverable });
    }
  }
  return [...owners.values()].sort(
    (a, b) => Number(!a.sig) - Number(!b.sig) || a.owner.localeCompare(b.owner),
  );
}

/** Deliverables nobody owns: no owner, or state orphaned. */
export function listOrphans(catalog: Catalog): DeliverableView[] {
  return catalog.subprojects.flatMap((subproject) =>
    subproject.deliverables
      .filter((deliverable) => !deliverable.owner || deliverable.state === 'orphaned')
      .map((deliverable) => ({ subproject, deliverable })),
  );
}

/** Count deliverables per handover state, in the order of the handover. */
export function countStates(deliverables: Deliverable[]): Record<HandoverState, number> {
  const counts: Record<HandoverState, number> = {
    proposed: 0,
    shadowing: 0,
    'co-owned': 0,
    'handed-over': 0,
    orphaned: 0,
  };
  for (const deliverable of deliverables) counts[deliverable.state]++;
  return counts;
}

/** Audit findings about one subproject. */
export function findingsFor(audit: AuditSnapshot | undefined, subproject: string): AuditFinding[] {
  return (audit?.findings ?? []).filter((finding) => finding.subproject === subproject);
}

/** The people and rooms to reach for a subproject: its own contacts, then its SIGs'. */
export function sigsOf(catalog: Catalog, subproject: Subproject): Sig[] {
  return subproject.sigs
    .map((id) => catalog.sigs.find((sig) => sig.id === id))
    .filter((sig): sig is Sig => sig !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Freshness

/** Count records per status, for the freshness line of a page. */
export function countStatuses(records: { status: SourceStatus }[]): Record<SourceStatus, number> {
  const counts: Record<SourceStatus, number> = { live: 0, stale: 0, unavailable: 0 };
  for (const record of records) counts[record.status]++;
  return counts;
}

/** The snapshot headers present, for the site-wide data notice. */
export function snapshotHeaders(data: SiteData): { part: string; header: SnapshotHeader }[] {
  const parts: [string, SnapshotHeader | undefined][] = [
    ['images', data.images],
    ['repos', data.repos],
    ['audit', data.audit],
  ];
  return parts
    .filter((entry): entry is [string, SnapshotHeader] => entry[1] !== undefined)
    .map(([part, header]) => ({ part, header }));
}
