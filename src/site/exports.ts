/**
 * The JSON the site publishes under /api/, for people who build on it. Shapes are plain and
 * stable: catalog facts and snapshot facts side by side, with the same names as the snapshot.
 */
import { formatPlatform, listImages, newestCreated, type ImageView } from './images.ts';
import { withBase } from './base.ts';
import { imagePath } from './links.ts';
import { evaluateMilestones } from './milestones.ts';
import { listOrphans, listOwners, type DeliverableView } from './owners.ts';
import { listUnverifiedFacts } from './provenance.ts';
import type { SiteData } from './views.ts';

/**
 * Make a JSON response: compact (no indentation, a final newline), as APIs serve it; indentation
 * made a third of the per-image files' bytes, and browsers and `jq` indent it for reading.
 */
export function jsonResponse(value: unknown): Response {
  return new Response(`${JSON.stringify(value)}\n`, {
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

/**
 * The validated catalog: initiative, SIGs and subprojects, in the order pages list them, each
 * object with its `provenance`; and every unverified fact with its file and field.
 */
export function exportCatalog(data: SiteData) {
  return { schemaVersion: 1, ...data.catalog, unverified: listUnverifiedFacts(data.catalog) };
}

/** One image: catalog facts, status and every tracked tag. */
export function exportImage(view: ImageView) {
  return {
    ref: view.ref,
    page: imagePath(view.ref),
    subproject: view.subproject.id,
    role: view.image.role,
    title: view.image.title ?? null,
    basedOn: view.image.basedOn ?? null,
    mirrors: view.image.mirrors,
    expectedPlatforms: view.image.platforms,
    status: view.snapshot.status,
    fetchedAt: view.snapshot.fetchedAt,
    error: view.snapshot.error ?? null,
    tagCount: view.snapshot.tagCount,
    tags: view.snapshot.tags,
    mirrorChecks: view.snapshot.mirrors,
  };
}

/** How many of an image's newest tags the summary in /api/images.json lists. */
export const SUMMARY_TAGS = 5;

/** The site path of an image's full export: `/api/images/quay.io/fedora/fedora-bootc.json` under the base. */
export function imageExportPath(ref: string): string {
  return withBase(`/api/images/${ref}.json`);
}

/**
 * One image in brief: catalog facts, status, how many tags, the newest few with their digests,
 * the platforms its tags are built for, and where its full export is.
 */
export function summarizeImage(view: ImageView) {
  const { tags } = view.snapshot;
  const dated = tags.map((tag, index) => ({ tag, index, created: newestCreated(tag.platforms) }));
  // Newest build first; undated tags after the dated ones, the later in version order first.
  dated.sort((a, b) => (b.created ?? '').localeCompare(a.created ?? '') || b.index - a.index);
  const platforms = new Set<string>();
  for (const tag of tags)
    for (const platform of tag.platforms) platforms.add(formatPlatform(platform));
  return {
    ref: view.ref,
    title: view.image.title ?? null,
    subproject: view.subproject.id,
    role: view.image.role,
    status: view.snapshot.status,
    fetchedAt: view.snapshot.fetchedAt,
    tagCount: view.snapshot.tagCount,
    trackedTags: tags.length,
    newestTags: dated.slice(0, SUMMARY_TAGS).map(({ tag, created }) => ({
      name: tag.name,
      digest: tag.digest,
      created,
      streams: tag.streams,
    })),
    platforms: [...platforms].sort(),
    page: imagePath(view.ref),
    details: imageExportPath(view.ref),
  };
}

/**
 * Every image of the catalog in brief ({@link summarizeImage}); each image's tags, mirrors and
 * lineage are in its own file, `details`, so this file stays small whatever the number of tags.
 */
export function exportImages(data: SiteData) {
  return {
    schemaVersion: 2,
    generatedAt: data.images?.generatedAt ?? null,
    sample: data.images?.sample ?? false,
    images: listImages(data).map(summarizeImage),
  };
}

/**
 * Owners with what they own and take over, orphaned deliverables, and the audit findings. A
 * deliverable of the initiative itself has `subproject: null` and `initiative: true`.
 */
export function exportOwners(data: SiteData) {
  const ref = ({ subproject, deliverable, path }: DeliverableView) => ({
    subproject: subproject?.id ?? null,
    initiative: subproject === undefined,
    deliverable: deliverable.id,
    page: path,
    title: deliverable.title,
    state: deliverable.state,
  });
  return {
    schemaVersion: 2,
    owners: listOwners(data.catalog).map((owner) => ({
      owner: owner.owner,
      sig: owner.sig?.name ?? null,
      owns: owner.owns.map(ref),
      incoming: owner.incoming.map(ref),
    })),
    orphans: listOrphans(data.catalog).map(ref),
    audit: data.audit
      ? {
          generatedAt: data.audit.generatedAt,
          sample: data.audit.sample,
          findings: data.audit.findings,
        }
      : null,
  };
}

/** Milestones with their criteria evaluated as of `now`. */
export function exportMilestones(data: SiteData, now: Date) {
  return {
    schemaVersion: 1,
    evaluatedAt: now.toISOString(),
    milestones: evaluateMilestones(data, now).map((result) => ({
      id: result.milestone.id,
      title: result.milestone.title,
      release: result.milestone.release,
      phase: result.milestone.phase,
      target: result.milestone.target,
      status: result.status,
      criteria: result.criteria.map((criterion) => ({
        ...criterion.criterion,
        status: criterion.status,
        evidence: criterion.evidence,
      })),
    })),
  };
}
