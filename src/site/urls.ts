/**
 * Addresses built from untrusted text (image labels, forge data): only http(s) URLs become links,
 * and registry pages are derived from the repository reference alone.
 */

/** Return the URL when it is an absolute http(s) address, else undefined (javascript:, data:, relative, garbage). */
export function safeHttpUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (!/^https?:\/\//i.test(text)) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Split a repository reference into its registry host and its path: `quay.io`, `fedora/fedora-bootc`. */
function splitRepository(ref: string): { host: string; path: string } {
  const slash = ref.indexOf('/');
  return { host: ref.slice(0, slash), path: ref.slice(slash + 1) };
}

/** Link the registry's own web page of a repository, or of one tag in it; undefined for registries without one. */
export function registryPageUrl(ref: string, tag?: string): string | undefined {
  const { host, path } = splitRepository(ref);
  const query = tag ? `?tab=tags&tag=${encodeURIComponent(tag)}` : '';
  switch (host) {
    case 'quay.io':
      return `https://quay.io/repository/${path}${query}`;
    case 'ghcr.io':
      // ghcr.io answers a browser's request for a repository with a redirect to its GitHub package page.
      return `https://ghcr.io/${path}`;
    case 'docker.io':
      return `https://hub.docker.com/r/${path.startsWith('library/') ? `_/${path.slice(8)}` : path}`;
    default:
      return undefined;
  }
}

/** Link a commit of a source repository on the forges whose commit pages are `<repo>/commit/<sha>` (GitHub, GitLab, Forgejo). */
export function commitUrl(source: string | undefined, revision: string): string | undefined {
  const base = safeHttpUrl(source);
  if (!base || !/^[0-9a-f]{7,64}$/i.test(revision)) return undefined;
  const url = new URL(base);
  if (url.host === 'gitlab.com') {
    const project = url.pathname.split('/-/')[0]!.replace(/\.git$|\/$/g, '');
    return project.split('/').length > 2
      ? `${url.origin}${project}/-/commit/${revision}`
      : undefined;
  }
  const [owner, name] = url.pathname.split('/').filter(Boolean);
  if (!owner || !name) return undefined;
  const repo = `${url.origin}/${owner}/${name.replace(/\.git$/, '')}`;
  if (['github.com', 'forge.fedoraproject.org', 'codeberg.org'].includes(url.host))
    return `${repo}/commit/${revision}`;
  return undefined;
}
