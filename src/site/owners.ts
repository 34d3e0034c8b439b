/**
 * What the owner and subproject pages show about ownership: who owns each deliverable today and
 * who takes it over, the SIGs and their members, what the repositories themselves say (CODEOWNERS,
 * member lists, Konflux pipelines) and what the audit found. Pure functions, no Astro.
 */
import { HandoverStates, isSigOwner } from '../catalog/index.ts';
import type {
  Catalog,
  Deliverable,
  HandoverState,
  Person,
  Sig,
  Subproject,
} from '../catalog/index.ts';
import type {
  AuditFinding,
  AuditSnapshot,
  ObservedOwner,
  PipelineSnapshot,
  RepoSnapshot,
} from '../snapshot/index.ts';
import {
  deliverablePath,
  initiativeDeliverablesPath,
  ownerLink,
  subprojectPath,
  type Link,
} from './links.ts';
import type { SiteData } from './views.ts';

// ---------------------------------------------------------------------------------------------
// Repositories

/** A repo of the catalog with its snapshot record. */
export interface RepoView {
  url: string;
  role: string;
  /** The catalog's description, else the forge's. */
  description?: string | undefined;
  snapshot: RepoSnapshot | undefined;
}

/** List a subproject's repos with what the snapshot knows of them. */
export function listRepos(data: SiteData, subproject: Subproject): RepoView[] {
  const byUrl = new Map(
    (data.repos?.repos ?? []).map((record) => [record.url.replace(/\/$/, ''), record]),
  );
  return subproject.repos.map((repo) => {
    const snapshot = byUrl.get(repo.url.replace(/\/$/, ''));
    return {
      url: repo.url,
      role: repo.role,
      description: repo.description ?? snapshot?.facts?.description ?? undefined,
      snapshot,
    };
  });
}

/** The Konflux PipelineRuns found in some repos, each with the repo it is in. */
export function listPipelines(repos: RepoView[]): { repo: string; pipeline: PipelineSnapshot }[] {
  return repos.flatMap((repo) =>
    (repo.snapshot?.pipelines ?? []).map((pipeline) => ({ repo: repo.url, pipeline })),
  );
}

const IMAGE_LINK_RULES: Record<PipelineSnapshot['imageLinks'][number]['rule'], string> = {
  'output-image': 'its output image is this repository',
  'component-name': 'its Konflux component is named after this image',
  'konflux-intermediate': 'it builds the Konflux intermediate that is released here',
};

/** Say how a PipelineRun was linked to a catalog image, or undefined when it was not. */
export function describeImageLink(pipeline: PipelineSnapshot, image: string): string | undefined {
  const rule = pipeline.imageLinks.find((link) => link.image === image)?.rule;
  return rule && IMAGE_LINK_RULES[rule];
}

/** The owners some repos name themselves, each with the repo that names it. */
export function listObservedOwners(repos: RepoView[]): { repo: string; owner: ObservedOwner }[] {
  return repos.flatMap((repo) =>
    (repo.snapshot?.owners ?? []).map((owner) => ({ repo: repo.url, owner })),
  );
}

/**
 * Say where a repository names an owner: `.github/CODEOWNERS line 3 (/docs/)` for a file,
 * `api: maintainer (access level 40)` for a forge's member list; several sources joined by `; `.
 */
export function describeOwnerSources(owner: ObservedOwner): string {
  return owner.sources
    .map((source) =>
      source.file
        ? `${source.file}${source.line ? ` line ${source.line}` : ''}${source.pattern ? ` (${source.pattern})` : ''}`
        : `${source.kind}${source.detail ? `: ${source.detail}` : ''}`,
    )
    .join('; ');
}

// ---------------------------------------------------------------------------------------------
// Deliverables and owners

/** A deliverable with the subproject it belongs to, or none for the initiative's own. */
export interface DeliverableView {
  /** The subproject that lists it; undefined for a deliverable of the initiative itself. */
  subproject: Subproject | undefined;
  deliverable: Deliverable;
  /** Who lists it, linked: the subproject's page, or the initiative's list on the board. */
  holder: Link & { href: string };
  /** The site path of its row. */
  path: string;
}

/** Describe one deliverable of a subproject, or of the initiative when `subproject` is undefined. */
export function viewDeliverable(
  catalog: Catalog,
  subproject: Subproject | undefined,
  deliverable: Deliverable,
): DeliverableView {
  return {
    subproject,
    deliverable,
    holder: subproject
      ? { label: subproject.name, href: subprojectPath(subproject.id) }
      : { label: catalog.initiative.name, href: initiativeDeliverablesPath() },
    path: deliverablePath(subproject?.id, deliverable.id),
  };
}

/**
 * Every deliverable of the catalog: the subprojects' in catalog order, then the initiative's own
 * (which belong to no subproject and must all find an owner before it dissolves).
 */
export function listDeliverables(catalog: Catalog): DeliverableView[] {
  return [
    ...catalog.subprojects.flatMap((subproject) =>
      subproject.deliverables.map((deliverable) =>
        viewDeliverable(catalog, subproject, deliverable),
      ),
    ),
    ...catalog.initiative.deliverables.map((deliverable) =>
      viewDeliverable(catalog, undefined, deliverable),
    ),
  ];
}

/** Everything one owner (a SIG or a handle) owns today and is taking over. */
export interface OwnerView {
  owner: string;
  sig: Sig | undefined;
  owns: DeliverableView[];
  incoming: DeliverableView[];
}

/** Index deliverables (the initiative's own included) by owner: what each SIG or person owns now and takes over. */
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
  for (const view of listDeliverables(catalog)) {
    const { owner, incomingOwner } = view.deliverable;
    if (owner) get(owner).owns.push(view);
    if (incomingOwner) get(incomingOwner).incoming.push(view);
  }
  return [...owners.values()].sort(
    (a, b) => Number(!a.sig) - Number(!b.sig) || a.owner.localeCompare(b.owner),
  );
}

/** The images a deliverable covers, from `image` and `images`. */
export function deliverableImages(deliverable: Deliverable): string[] {
  return [
    ...(deliverable.image !== undefined ? [deliverable.image] : []),
    ...(deliverable.images ?? []),
  ];
}

/** Tell whether nobody owns a deliverable: it has no owner, or its state is orphaned. */
export function isOrphaned(deliverable: Deliverable): boolean {
  return !deliverable.owner || deliverable.state === 'orphaned';
}

/** Deliverables nobody owns ({@link isOrphaned}), the initiative's own included. */
export function listOrphans(catalog: Catalog): DeliverableView[] {
  return listDeliverables(catalog).filter((view) => isOrphaned(view.deliverable));
}

/** Count deliverables per state, every state present (zero or not), in {@link HandoverStates} order. */
export function countStates(deliverables: Deliverable[]): Record<HandoverState, number> {
  const counts = Object.fromEntries(HandoverStates.map((state) => [state, 0])) as Record<
    HandoverState,
    number
  >;
  for (const deliverable of deliverables) counts[deliverable.state]++;
  return counts;
}

/** Sum up deliverables by state, leaving out states nobody is in: `1 shadowing · 2 owned`. */
export function describeStates(deliverables: Deliverable[]): string {
  return Object.entries(countStates(deliverables))
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${state}`)
    .join(' · ');
}

/** Tell whether any deliverable has a start or due date, so that a table needs a dates column. */
export function hasDates(deliverables: Deliverable[]): boolean {
  return deliverables.some((deliverable) => deliverable.since || deliverable.due);
}

// ---------------------------------------------------------------------------------------------
// SIGs

/** The SIGs that own a subproject, in the subproject's order. */
export function sigsOf(catalog: Catalog, subproject: Subproject): Sig[] {
  return subproject.sigs
    .map((id) => catalog.sigs.find((sig) => sig.id === id))
    .filter((sig): sig is Sig => sig !== undefined);
}

/** The subprojects a SIG owns, in catalog order. */
export function listSigSubprojects(catalog: Catalog, sigId: string): Subproject[] {
  return catalog.subprojects.filter((subproject) => subproject.sigs.includes(sigId));
}

const SIG_KINDS: Record<Sig['kind'], string> = {
  sig: 'Special Interest Group',
  'working-group': 'Working group',
  team: 'Team',
  upstream: 'Upstream project',
  downstream: 'Downstream project',
  initiative: 'Time-boxed initiative',
};

/** Say what kind of group a SIG is: `Special Interest Group`, `Working group`. */
export function sigKindLabel(kind: Sig['kind']): string {
  return SIG_KINDS[kind];
}

/** Name a SIG's kind briefly, as in a table: `sig`, `working group`. */
export function sigKindShortLabel(kind: Sig['kind']): string {
  return kind.replace('-', ' ');
}

/** Where a member of a SIG is known, each account with its link: FAS, GitHub, GitLab. */
export function memberAccounts(member: Person): (Link & { service: string })[] {
  const accounts: (Link & { service: string })[] = [];
  if (member.fas)
    accounts.push({ service: 'FAS', label: member.fas, href: ownerLink(`fas:${member.fas}`).href });
  if (member.github)
    accounts.push({
      service: 'GitHub',
      label: `@${member.github}`,
      href: ownerLink(`github:${member.github}`).href,
    });
  if (member.gitlab)
    accounts.push({
      service: 'GitLab',
      label: `@${member.gitlab}`,
      href: ownerLink(`gitlab:${member.gitlab}`).href,
    });
  return accounts;
}

// ---------------------------------------------------------------------------------------------
// Audit

/** Audit findings about one subproject. */
export function findingsFor(audit: AuditSnapshot | undefined, subproject: string): AuditFinding[] {
  return (audit?.findings ?? []).filter((finding) => finding.subproject === subproject);
}

/** Count audit findings per severity. */
export function countSeverities(
  findings: AuditFinding[],
): Record<AuditFinding['severity'], number> {
  const counts: Record<AuditFinding['severity'], number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}
