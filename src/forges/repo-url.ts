/**
 * Forge repository URLs: which forge a catalog repo lives on, and its owner and name there.
 *
 * Pure: no I/O. Recognises github.com, gitlab.com and self-hosted GitLab, Forgejo
 * (forge.fedoraproject.org, codeberg.org), and pagure (pagure.io, src.fedoraproject.org).
 */
import type { ForgeKind } from './types.ts';

export type { ForgeKind } from './types.ts';

/** A repository on a forge, as parsed from its web URL. */
export interface RepoLocation {
  /** The URL as the catalog lists it. */
  url: string;
  /** Canonical web URL: https://host/owner/name, without .git, trailing slash or /tree/... */
  webUrl: string;
  forge: ForgeKind;
  /** Host name, lower case, e.g. "github.com". */
  host: string;
  /** Full path on the forge, e.g. "ublue-os/bluefin" or "fedora/bootc/base-images". */
  path: string;
  /** Everything before the last path segment: user, org or (nested) group. */
  owner: string;
  /** The last path segment. */
  name: string;
}

/** Hosts recognised without configuration. */
export const KNOWN_FORGE_HOSTS: Readonly<Record<string, ForgeKind>> = {
  'github.com': 'github',
  'gitlab.com': 'gitlab',
  'forge.fedoraproject.org': 'forgejo',
  'codeberg.org': 'forgejo',
  'pagure.io': 'pagure',
  'src.fedoraproject.org': 'pagure',
};

/** Extra hosts, e.g. a self-hosted GitLab whose name does not start with "gitlab.". */
export interface RepoUrlOptions {
  hosts?: Readonly<Record<string, ForgeKind>>;
}

/** A repository URL that cannot be read as one. */
export class RepoUrlError extends Error {
  override name = 'RepoUrlError';
}

/** Tell which forge a host is, from the known hosts, the options, and the host name. */
export function forgeOfHost(host: string, options: RepoUrlOptions = {}): ForgeKind {
  const lower = host.toLowerCase();
  const configured = options.hosts?.[lower] ?? KNOWN_FORGE_HOSTS[lower];
  if (configured) return configured;
  if (lower.startsWith('gitlab.')) return 'gitlab';
  if (lower.startsWith('forgejo.') || lower.startsWith('gitea.')) return 'forgejo';
  if (lower.startsWith('pagure.')) return 'pagure';
  return 'other';
}

/** Parse a repository web URL into its forge, host, owner and name. */
export function parseRepoUrl(url: string, options: RepoUrlOptions = {}): RepoLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RepoUrlError(
      `"${url}" is not a URL; write the repository's web address, e.g. "https://github.com/coreos/fedora-coreos-config".`,
    );
  }
  const host = parsed.hostname.toLowerCase();
  const forge = forgeOfHost(host, options);
  let segments = parsed.pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment));
  switch (forge) {
    case 'gitlab': {
      // Everything after "/-/" is a view of the project (tree, blob, issues).
      const dash = segments.indexOf('-');
      if (dash >= 0) segments = segments.slice(0, dash);
      break;
    }
    case 'pagure': {
      // pagure.io/<name>, pagure.io/<namespace>/<name>, pagure.io/fork/<user>/[<namespace>/]<name>,
      // followed by views such as /tree/, /blob/, /issues.
      const views = new Set([
        'tree',
        'blob',
        'raw',
        'issues',
        'issue',
        'commits',
        'commit',
        'pull-requests',
        'releases',
        'branches',
        'tags',
      ]);
      const view = segments.findIndex((segment, index) => index > 0 && views.has(segment));
      if (view >= 0) segments = segments.slice(0, view);
      break;
    }
    case 'github':
    case 'forgejo':
      segments = segments.slice(0, 2);
      break;
    case 'other':
      break;
  }
  if (segments.length > 0)
    segments[segments.length - 1] = segments[segments.length - 1]!.replace(/\.git$/, '');
  if (segments.length < (forge === 'pagure' ? 1 : 2)) {
    throw new RepoUrlError(
      `"${url}" does not name a repository; write the full path, e.g. "https://${host}/<owner>/<repository>".`,
    );
  }
  const path = segments.join('/');
  return {
    url,
    webUrl: `https://${host}/${path}`,
    forge,
    host,
    path,
    owner: segments.slice(0, -1).join('/'),
    name: segments[segments.length - 1]!,
  };
}
