/**
 * The initiative's milestones, evaluated from the snapshot: whether an image is built on an official
 * base (following lineage through the catalog), and each criterion's outcome with the evidence a
 * reader can check. Pure functions, no Astro.
 */
import {
  canonicalRepository,
  daysToPeriodEnd,
  formatSourceDate,
  isPeriodOver,
} from '../catalog/index.ts';
import type { Catalog, Criterion, Deliverable, Milestone } from '../catalog/index.ts';
import { baseRepository, findImage, formatPlatform, listImages, type ImageView } from './images.ts';
import { deliverableImages, isOrphaned, listRepos } from './owners.ts';
import type { SiteData } from './views.ts';

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
  const baseRef = baseRepository(tag.basedOn);
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
  /** Days until the last day of the target's period (negative once it is over), counted from `now`. */
  daysLeft: number;
  /** Whether the target's whole period is over and the milestone is not met. */
  missed: boolean;
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

/**
 * Tell whether every deliverable of a list has an owner that outlives the initiative: none orphaned,
 * none still owned by the initiative itself, which dissolves after Fedora 45.
 */
function evaluateOwnership(
  data: SiteData,
  criterion: Criterion,
  name: string,
  deliverables: Deliverable[],
): CriterionResult {
  if (deliverables.length === 0)
    return { criterion, status: 'not-met', evidence: [`${name} declares no deliverables.`] };
  const orphans = deliverables.filter(isOrphaned);
  const interim = deliverables.filter(
    (deliverable) =>
      deliverable.owner &&
      data.catalog.sigs.some((sig) => sig.id === deliverable.owner && sig.kind === 'initiative'),
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
    evidence: [`All ${deliverables.length} deliverables of ${name} have an owner.`],
  };
}

/** Evaluate one criterion against the snapshot. */
function evaluateCriterion(data: SiteData, criterion: Criterion): CriterionResult {
  if (criterion.kind === 'tag-published') return evaluateTagPublished(data, criterion);
  if (criterion.kind === 'initiative-deliverables-owned')
    return evaluateOwnership(
      data,
      criterion,
      'the initiative',
      data.catalog.initiative.deliverables ?? [],
    );
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
    case 'released-to': {
      const target = canonicalRepository(criterion.image);
      const plans = subproject.deliverables.filter(
        (deliverable) => deliverable.kind === 'release-process',
      );
      const covering = plans.filter((deliverable) =>
        deliverableImages(deliverable).some((image) => canonicalRepository(image) === target),
      );
      const live = covering.filter(
        (deliverable) =>
          deliverable.owner && deliverable.state !== 'proposed' && deliverable.state !== 'orphaned',
      );
      if (live.length > 0)
        return {
          criterion,
          status: 'met',
          evidence: live.map(
            (deliverable) =>
              `${deliverable.title} releases ${target} (${deliverable.state}, ${deliverable.owner}).`,
          ),
        };
      return {
        criterion,
        status: 'not-met',
        evidence: [
          covering.length > 0
            ? `${covering.map((deliverable) => `${deliverable.title} is ${deliverable.state}`).join('; ')}: no release plan to ${target} is in place yet.`
            : `No release process of ${subproject.name} publishes ${target}${plans.length ? `; it has ${plans.map((deliverable) => `${deliverable.title} (${deliverableImages(deliverable).join(', ') || 'no image'})`).join(', ')}` : ''}.`,
        ],
      };
    }
    case 'deliverables-owned':
      return evaluateOwnership(data, criterion, subproject.name, subproject.deliverables);
  }
}

/** Evaluate every milestone of the initiative, with days left counted from `now`. */
export function evaluateMilestones(data: SiteData, now: Date): MilestoneResult[] {
  return data.catalog.initiative.milestones.map((milestone) => {
    const criteria = milestone.criteria.map((criterion) => evaluateCriterion(data, criterion));
    const status = combine(criteria.map((result) => result.status));
    return {
      milestone,
      status,
      criteria,
      daysLeft: daysToPeriodEnd(milestone.target, now),
      missed: status !== 'met' && isPeriodOver(milestone.target, now),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Wording

/** Say what a criterion asks for, naming subprojects as the catalog does. */
export function describeCriterion(catalog: Catalog, criterion: Criterion): string {
  const name = (id: string) =>
    catalog.subprojects.find((subproject) => subproject.id === id)?.name ?? id;
  switch (criterion.kind) {
    case 'tag-published':
      return `${criterion.image}:${criterion.tag} is published${criterion.platforms.length ? ` for ${criterion.platforms.join(', ')}` : ''}`;
    case 'built-on-base':
      return `Every variant and downstream image of ${name(criterion.subproject)} is built on ${criterion.base}`;
    case 'pipeline-builds':
      return `A Konflux pipeline builds ${criterion.image ?? `the images of ${name(criterion.subproject)}`}`;
    case 'deliverables-owned':
      return `Every deliverable of ${name(criterion.subproject)} has an owner`;
    case 'initiative-deliverables-owned':
      return 'Every deliverable the initiative runs itself has a subproject or SIG as its owner';
    case 'released-to':
      return `A release plan of ${name(criterion.subproject)} publishes ${criterion.image}`;
  }
}

const STATUS_LABELS: Record<CriterionStatus, string> = {
  met: 'met',
  'not-met': 'not met',
  unknown: 'no data',
};

/** Say how a criterion or milestone stands: `met`, `not met`, `no data`. */
export function criterionStatusLabel(status: CriterionStatus): string {
  return STATUS_LABELS[status];
}

/** Count the criteria of a milestone that are met. */
export function countMet(result: MilestoneResult): number {
  return result.criteria.filter((criterion) => criterion.status === 'met').length;
}

/** Say how far a target date is: `in 12 days`, `3 days ago`. */
export function describeDaysLeft(daysLeft: number): string {
  return daysLeft >= 0 ? `in ${daysLeft} days` : `${-daysLeft} days ago`;
}

/** Name a milestone's deadline in the proposal's words ("by Fedora 44"), else `F44 beta`. */
export function milestoneLabel(milestone: Milestone): string {
  return milestone.label ?? `F${milestone.release} ${milestone.phase}`;
}

/**
 * Say when a milestone is due as the source gave it, and how far that is: `2026-04-28 (in 3
 * days)`, `approx. Dec 2026 (ends in 28 days)`, `approx. Dec 2026 (ended 2 days ago)`.
 */
export function describeTarget(result: MilestoneResult): string {
  const date = formatSourceDate(result.milestone.target);
  const approximate = date !== result.milestone.target;
  const { daysLeft } = result;
  if (!approximate) return `${date} (${describeDaysLeft(daysLeft)})`;
  return `${date} (${daysLeft >= 0 ? `ends in ${daysLeft} days` : `ended ${-daysLeft} days ago`})`;
}
