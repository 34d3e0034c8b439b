/**
 * Web addresses of the things the catalog names: owners, chat rooms, tags, images, pages of this site.
 * Site paths carry the base the site is served under (base.ts); pass `'/'` as `base` where the
 * consumer adds the base itself (Starlight's sidebar).
 */
import { canonicalRepository, isSigOwner } from '../catalog/index.ts';
import { SITE_BASE, withBase } from './base.ts';
import { handleLink } from '../forges/handles.ts';
import { parseRepoUrl } from '../forges/repo-url.ts';

/** A label and the address it links to (undefined when there is nowhere to go). */
export interface Link {
  label: string;
  href?: string | undefined;
}

/** Link a Matrix room through matrix.to, which offers every client. */
export function matrixLink(room: string): Link {
  return { label: room, href: `https://matrix.to/#/${encodeURIComponent(room)}` };
}

/** Link a tag on Fedora's Discourse. */
export function discourseTagLink(tag: string): Link {
  return {
    label: `#${tag} on Discussion`,
    href: `https://discussion.fedoraproject.org/tag/${encodeURIComponent(tag)}`,
  };
}

/** Link a mailing list address. */
export function mailingListLink(address: string): Link {
  return { label: address, href: `mailto:${address}` };
}

/** The site path of a SIG's page: `/owners/<id>/` under the base. */
export function sigPath(id: string, base: string = SITE_BASE): string {
  return withBase(`/owners/${id}/`, base);
}

/** The site path of a subproject's page: `/subprojects/<id>/` under the base. */
export function subprojectPath(id: string, base: string = SITE_BASE): string {
  return withBase(`/subprojects/${id}/`, base);
}

/** The site path of a subproject's handover guide, written in content/docs/handover/. */
export function handoverPath(id: string, base: string = SITE_BASE): string {
  return withBase(`/handover/${id}/`, base);
}

/** The site path of an image page: `/images/quay.io/fedora/fedora-bootc/` under the base. */
export function imagePath(ref: string, base: string = SITE_BASE): string {
  return withBase(`/images/${canonicalRepository(ref)}/`, base);
}

/** The site path of an image's small HTML card: `/cards/quay.io/fedora/fedora-bootc/` under the base. */
export function cardPath(ref: string, base: string = SITE_BASE): string {
  return withBase(`/cards/${canonicalRepository(ref)}/`, base);
}

/** Where to edit a subproject's catalog file on the project's forge. */
export function subprojectEditUrl(
  repo: { repoUrl: string; repoBranch: string; catalogDir: string },
  id: string,
): string {
  return `${repo.repoUrl}/src/branch/${repo.repoBranch}/${repo.catalogDir}/subprojects/${id}.yaml`;
}

/** The site path of the handover board. */
export function handoverBoardPath(base: string = SITE_BASE): string {
  return withBase('/handover/', base);
}

/** The site path of the list of the initiative's own deliverables, on the handover board. */
export function initiativeDeliverablesPath(base: string = SITE_BASE): string {
  return `${handoverBoardPath(base)}#initiative`;
}

/**
 * The site path of a deliverable's row: on its subproject's page, or, for the initiative's own
 * deliverables (no subproject), in the initiative's list on the handover board.
 */
export function deliverablePath(
  subprojectId: string | undefined,
  deliverableId: string,
  base: string = SITE_BASE,
): string {
  return subprojectId === undefined
    ? `${handoverBoardPath(base)}#initiative-deliverable-${deliverableId}`
    : `${subprojectPath(subprojectId, base)}#deliverable-${deliverableId}`;
}

/** Link an owner: a SIG to its page here, a handle to its account on its own forge or in FAS. */
export function ownerLink(owner: string, sigName?: string): Link {
  if (isSigOwner(owner)) return { label: sigName ?? owner, href: sigPath(owner) };
  return handleLink(owner);
}

const FORGE_LABELS: Readonly<Record<string, string>> = {
  'github.com': 'GitHub',
  'gitlab.com': 'GitLab',
  'forge.fedoraproject.org': 'Fedora Forge',
  'pagure.io': 'Pagure',
  'src.fedoraproject.org': 'Fedora dist-git',
};

/** Name a forge from a repository URL, for labels. */
export function forgeName(url: string): string {
  const host = new URL(url).host;
  return FORGE_LABELS[host] ?? host;
}

/** Shorten a repository URL to its path on the forge (`owner/name`, `group/sub/name`) for tables. */
export function repoLabel(url: string): string {
  try {
    return parseRepoUrl(url).path;
  } catch {
    return new URL(url).pathname.replace(/^\/|\/$/g, '');
  }
}
