/** Web addresses of the things the catalog names: owners, chat rooms, tags, images, pages of this site. */
import { canonicalRepository, isSigOwner } from '../catalog/index.ts';

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

/** The site path of a SIG's page. */
export function sigPath(id: string): string {
  return `/owners/${id}/`;
}

/** The site path of a subproject's page. */
export function subprojectPath(id: string): string {
  return `/subprojects/${id}/`;
}

/** The site path of a subproject's handover guide, written in content/docs/handover/. */
export function handoverPath(id: string): string {
  return `/handover/${id}/`;
}

/** The site path of an image page: `/images/quay.io/fedora/fedora-bootc/`. */
export function imagePath(ref: string): string {
  return `/images/${canonicalRepository(ref)}/`;
}

/** Where to edit a subproject's catalog file on the project's forge. */
export function subprojectEditUrl(
  repo: { repoUrl: string; repoBranch: string; catalogDir: string },
  id: string,
): string {
  return `${repo.repoUrl}/src/branch/${repo.repoBranch}/${repo.catalogDir}/subprojects/${id}.yaml`;
}

/** The site path of a deliverable's row on its subproject's page. */
export function deliverablePath(subprojectId: string, deliverableId: string): string {
  return `${subprojectPath(subprojectId)}#deliverable-${deliverableId}`;
}

/** Link an owner: a SIG to its page here, a handle to its profile on the forge or in FAS. */
export function ownerLink(owner: string, sigName?: string): Link {
  if (isSigOwner(owner)) return { label: sigName ?? owner, href: sigPath(owner) };
  const [kind, handle = ''] = owner.split(/:(.*)/s);
  switch (kind) {
    case 'github':
      return handle.includes('/')
        ? {
            label: `@${handle}`,
            href: `https://github.com/orgs/${handle.split('/')[0]}/teams/${handle.split('/')[1]}`,
          }
        : { label: `@${handle}`, href: `https://github.com/${handle}` };
    case 'gitlab':
      return { label: `@${handle} (GitLab)`, href: `https://gitlab.com/${handle}` };
    case 'forgejo':
      return {
        label: `@${handle} (Fedora Forge)`,
        href: `https://forge.fedoraproject.org/${handle}`,
      };
    case 'fas':
      // A FAS group is written with "@" (as pagure lists access groups); it has a group page.
      return handle.startsWith('@')
        ? {
            label: `${handle} (FAS group)`,
            href: `https://accounts.fedoraproject.org/group/${handle.slice(1)}/`,
          }
        : { label: `${handle} (FAS)`, href: `https://accounts.fedoraproject.org/user/${handle}/` };
    default:
      return { label: owner };
  }
}

/** Name a forge from a repository URL, for labels. */
export function forgeName(url: string): string {
  const host = new URL(url).host;
  if (host === 'github.com') return 'GitHub';
  if (host === 'gitlab.com') return 'GitLab';
  if (host === 'forge.fedoraproject.org') return 'Fedora Forge';
  if (host === 'pagure.io') return 'Pagure';
  if (host === 'src.fedoraproject.org') return 'Fedora dist-git';
  return host;
}

/** Shorten a repository URL to `owner/name` for tables. */
export function repoLabel(url: string): string {
  return new URL(url).pathname.replace(/^\/|\/$/g, '');
}
