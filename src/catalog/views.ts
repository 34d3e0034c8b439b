/**
 * What the pages show, derived from the catalog and the snapshot: pure functions, no Astro, so
 * every number a reader sees can be unit-tested. Pages and JSON exports both call these.
 */
import { canonicalRepository, isSigOwner } from './check.ts';
import type {
  Catalog,
  Criterion,
  Deliverable,
  HandoverState,
  Image,
  Milestone,
  Sig,
  Subproject,
} from './schema.ts';
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
} from './snapshot-schema.ts';

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
// Lineage

/** Where an image stands against an official base. */
export type BaseStanding = 'verified' | 'declared' | 'other-base' | 'no-base' | 'unknown';

/** Follow an image's lineage (newest tag first) until it reaches `base` or stops; say how it ended. */
export function standingOnBase(
  data: SiteData,
  view: ImageView,
  base: string,
  seen: Set<string> = new Set(),
): { standing: BaseStanding; path: string[] } {
  const target = canonicalRepository(base);
  if (view.ref === target) return { standing: 'verified', path: [view.ref] };
  if (seen.has(view.ref)) return { standing: 'unknown', path: [view.ref] };
  seen.add(view.ref);
  if (view.snapshot.status === 'unavailable' || view.snapshot.tags.length === 0) {
    return { standing: view.image.basedOn ? 'unknown' : 'no-base', path: [view.ref] };
  }
  const tag = view.snapshot.tags.find((candidate) => candidate.basedOn) ?? view.snapshot.tags[0]!;
  if (!tag.basedOn)
    return { standing: view.image.basedOn ? 'declared' : 'no-base', path: [view.ref] };
  const baseRef = tag.basedOn.ref.replace(/[:@][^/]*$/, '');
  const parent = findImage(data, baseRef);
  if (!tag.basedOn.verified) {
    return {
      standing: canonicalRepository(baseRef) === target ? 'declared' : 'other-base',
      path: [view.ref, baseRef],
    };
  }
  if (canonicalRepository(baseRef) === target)
    return { standing: 'verified', path: [view.ref, target] };
  if (!parent) return { standing: 'other-base', path: [view.ref, baseRef] };
  const upstream = standingOnBase(data, parent, base, seen);
  // A parent that has no base of its own means this image is built on something else.
  const standing = upstream.standing === 'no-base' ? 'other-base' : upstream.standing;
  return { standing, path: [view.ref, ...upstream.path] };
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
// Milestones

export type CriterionStatus = 'met' | 'not-met' | 'unknown';

/** A criterion with its outcome and the evidence a reader can check. */
export interface CriterionResult {
  criterion: Criterion;
  status: CriterionStatus;
  /** One line per fact the outcome rests on. */
  evidence: string[];
}

/** A milestone with its criteria evaluated. */
export interface MilestoneResult {
  milestone: Milestone;
  status: CriterionStatus;
  criteria: CriterionResult[];
  /** Days until the target date (negative when past), counted from `now`. */
  daysLeft: number;
}

/** Combine criterion outcomes: any not met → not met; else any unknown → unknown; else met. */
function combine(statuses: CriterionStatus[]): CriterionStatus {
  if (statuses.length === 0) return 'unknown';
  if (statuses.includes('not-met')) return 'not-met';
  if (statuses.includes('unknown')) return 'unknown';
  return 'met';
}

/** Evaluate a tag-published criterion: the tag exists, with every platform asked for. */
function evaluateTagPublished(
  data: SiteData,
  criterion: Extract<Criterion, { kind: 'tag-published' }>,
): CriterionResult {
  const view = findImage(data, criterion.image);
  if (!view || view.snapshot.status === 'unavailable') {
    return {
      criterion,
      status: 'unknown',
      evidence: [`No registry data for ${criterion.image} yet.`],
    };
  }
  const tag = view.snapshot.tags.find((candidate) => candidate.name === criterion.tag);
  if (!tag)
    return {
      criterion,
      status: 'not-met',
      evidence: [`${view.ref} has no tag "${criterion.tag}" among the tracked tags.`],
    };
  const present = tag.platforms.map(formatPlatform);
  const missing = criterion.platforms.filter(
    (platform) => !present.some((have) => have === platform || have.startsWith(`${platform}/`)),
  );
  if (missing.length > 0) {
    return {
      criterion,
      status: 'not-met',
      evidence: [
        `${view.ref}:${tag.name} lacks ${missing.join(', ')} (has ${present.join(', ') || 'no platforms'}).`,
      ],
    };
  }
  return {
    criterion,
    status: 'met',
    evidence: [
      `${view.ref}:${tag.name} is published for ${present.join(', ')} (${tag.digest.slice(0, 19)}…).`,
    ],
  };
}

/** Evaluate one criterion against the snapshot. */
export function evaluateCriterion(data: SiteData, criterion: Criterion): CriterionResult {
  if (criterion.kind === 'tag-published') return evaluateTagPublished(data, criterion);
  // Every other kind names a subproject.
  const subproject = data.catalog.subprojects.find(
    (candidate) => candidate.id === criterion.subproject,
  );
  if (!subproject) {
    return {
      criterion,
      status: 'unknown',
      evidence: [`Unknown subproject ${criterion.subproject}.`],
    };
  }
  switch (criterion.kind) {
    case 'built-on-base': {
      const views = listImages(data).filter(
        (view) =>
          view.subproject.id === criterion.subproject &&
          (view.image.role === 'variant' || view.image.role === 'downstream'),
      );
      if (views.length === 0)
        return {
          criterion,
          status: 'unknown',
          evidence: [`${criterion.subproject} lists no variant or downstream images.`],
        };
      const statuses: CriterionStatus[] = [];
      const evidence: string[] = [];
      for (const view of views) {
        const { standing, path } = standingOnBase(data, view, criterion.base);
        const status: CriterionStatus =
          standing === 'verified' ? 'met' : standing === 'unknown' ? 'unknown' : 'not-met';
        statuses.push(status);
        const explanation: Record<BaseStanding, string> = {
          verified: `built on ${canonicalRepository(criterion.base)} (${path.join(' → ')})`,
          declared: `declared on ${path.slice(1).join(' → ') || 'a base'}, not verified by layers or annotations`,
          'other-base': `built on ${path.slice(1).join(' → ')}, not on ${canonicalRepository(criterion.base)}`,
          'no-base': 'no base declared or found',
          unknown: 'no registry data yet',
        };
        evidence.push(`${view.ref}: ${explanation[standing]}.`);
      }
      return { criterion, status: combine(statuses), evidence };
    }
    case 'pipeline-builds': {
      const repos = listRepos(data, subproject);
      const fetched = repos.filter(
        (repo) => repo.snapshot && repo.snapshot.status !== 'unavailable',
      );
      const wanted = criterion.image
        ? [canonicalRepository(criterion.image)]
        : subproject.images.map((image) => canonicalRepository(image.ref));
      const hits = fetched.flatMap((repo) =>
        (repo.snapshot?.pipelines ?? [])
          .filter((pipeline) =>
            pipeline.images.some((image) => wanted.includes(canonicalRepository(image))),
          )
          .map(
            (pipeline) =>
              `${repo.url}: ${pipeline.file} builds ${pipeline.images.join(', ')}${pipeline.branch ? ` from ${pipeline.branch}` : ''}.`,
          ),
      );
      if (hits.length > 0) return { criterion, status: 'met', evidence: hits };
      if (fetched.length === 0)
        return {
          criterion,
          status: 'unknown',
          evidence: [`No forge data for the repos of ${subproject.name} yet.`],
        };
      return {
        criterion,
        status: 'not-met',
        evidence: [
          `No Konflux PipelineRun in ${fetched.map((repo) => repo.url).join(', ')} builds ${wanted.join(', ')}.`,
        ],
      };
    }
    case 'deliverables-owned': {
      if (subproject.deliverables.length === 0)
        return {
          criterion,
          status: 'not-met',
          evidence: [`${subproject.name} declares no deliverables.`],
        };
      const orphans = subproject.deliverables.filter(
        (deliverable) => !deliverable.owner || deliverable.state === 'orphaned',
      );
      const interim = subproject.deliverables.filter(
        (deliverable) =>
          deliverable.owner &&
          data.catalog.sigs.some(
            (sig) => sig.id === deliverable.owner && sig.kind === 'initiative',
          ),
      );
      if (orphans.length > 0 || interim.length > 0) {
        return {
          criterion,
          status: 'not-met',
          evidence: [
            ...orphans.map((deliverable) => `${deliverable.title} has no owner.`),
            ...interim.map(
              (deliverable) =>
                `${deliverable.title} is owned by the initiative, which dissolves after Fedora 45; it needs a subproject or SIG.`,
            ),
          ],
        };
      }
      return {
        criterion,
        status: 'met',
        evidence: [
          `All ${subproject.deliverables.length} deliverables of ${subproject.name} have an owner.`,
        ],
      };
    }
  }
}

/** Evaluate every milestone of the initiative, with days left counted from `now`. */
export function evaluateMilestones(data: SiteData, now: Date): MilestoneResult[] {
  return data.catalog.initiative.milestones.map((milestone) => {
    const criteria = milestone.criteria.map((criterion) => evaluateCriterion(data, criterion));
    const daysLeft = Math.round(
      (Date.parse(`${milestone.target}T00:00:00Z`) - now.getTime()) / 86_400_000,
    );
    return {
      milestone,
      status: combine(criteria.map((result) => result.status)),
      criteria,
      daysLeft,
    };
  });
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
