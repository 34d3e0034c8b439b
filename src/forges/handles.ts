/**
 * Owner handles: how a person or team on a forge is written in the catalog, the snapshot and the
 * audit. `kind:login` names an account on the kind's usual host (github.com, gitlab.com,
 * forge.fedoraproject.org, accounts.fedoraproject.org); `kind:login@host` names one elsewhere
 * (`forgejo:alice@codeberg.org`, `gitlab:bob@gitlab.gnome.org`), so that two people with one login
 * on two hosts stay two people, and each handle links to its own host. Teams and groups have a
 * slash: `github:org/team`, `gitlab:group/subgroup`, `forgejo:org/team`. An e-mail address is a
 * handle of its own. Pure: no I/O.
 */

/** The kinds of account a handle can name. */
export const HANDLE_KINDS = ['github', 'gitlab', 'forgejo', 'fas', 'unknown'] as const;
export type HandleKind = (typeof HANDLE_KINDS)[number];

/** The host a handle of each kind means when it names none. */
export const DEFAULT_HANDLE_HOSTS: Readonly<Record<Exclude<HandleKind, 'unknown'>, string>> = {
  github: 'github.com',
  gitlab: 'gitlab.com',
  forgejo: 'forge.fedoraproject.org',
  fas: 'accounts.fedoraproject.org',
};

/** A handle taken apart. */
export interface ParsedHandle {
  kind: HandleKind;
  /** Login, or `org/team` / `group/subgroup` for a team or group. */
  login: string;
  /** The host of the account, lower case. */
  host: string;
}

/** Write a handle for an account of a kind on a host, leaving the host out when it is the usual one. */
export function formatHandle(kind: HandleKind, login: string, host?: string): string {
  const name = login.toLowerCase();
  const lower = host?.toLowerCase();
  const usual = kind === 'unknown' ? undefined : DEFAULT_HANDLE_HOSTS[kind];
  return lower && lower !== usual ? `${kind}:${name}@${lower}` : `${kind}:${name}`;
}

/** Take a handle apart; undefined for an e-mail address or text that is not a handle. */
export function parseHandle(handle: string): ParsedHandle | undefined {
  const match = /^([a-z]+):(@?[^@\s]+)(?:@([A-Za-z0-9.-]+(?::\d+)?))?$/.exec(handle);
  if (!match) return undefined;
  const kind = match[1] as HandleKind;
  if (!(HANDLE_KINDS as readonly string[]).includes(kind)) return undefined;
  const usual = kind === 'unknown' ? '' : DEFAULT_HANDLE_HOSTS[kind];
  return { kind, login: match[2]!, host: (match[3] ?? usual).toLowerCase() };
}

/** A handle's label and, where the account has a web page, its URL. */
export interface HandleLink {
  label: string;
  href?: string;
}

const KIND_LABELS: Partial<Record<HandleKind, string>> = {
  gitlab: 'GitLab',
  forgejo: 'Fedora Forge',
  fas: 'FAS',
};

/** Link a handle to the account's page on its own host. */
export function handleLink(handle: string): HandleLink {
  const parsed = parseHandle(handle);
  if (!parsed) return { label: handle };
  const { kind, login, host } = parsed;
  const usual = kind !== 'unknown' && host === DEFAULT_HANDLE_HOSTS[kind];
  const where = usual ? KIND_LABELS[kind] : host;
  const team = login.includes('/');
  switch (kind) {
    case 'github': {
      const [org, slug] = login.split('/');
      const label = usual ? `@${login}` : `@${login} (${host})`;
      return {
        label,
        href: team ? `https://${host}/orgs/${org}/teams/${slug}` : `https://${host}/${login}`,
      };
    }
    case 'gitlab':
      return { label: `@${login} (${where})`, href: `https://${host}/${login}` };
    case 'forgejo': {
      const [org, slug] = login.split('/');
      return {
        label: `@${login} (${where})`,
        href: team ? `https://${host}/org/${org}/teams/${slug}` : `https://${host}/${login}`,
      };
    }
    case 'fas':
      // Pagure writes FAS groups as "@group".
      return login.startsWith('@')
        ? {
            label: `${login.slice(1)} (FAS group)`,
            href: `https://${host}/group/${login.slice(1)}/`,
          }
        : { label: `${login} (FAS)`, href: `https://${host}/user/${login}/` };
    case 'unknown':
      return { label: handle };
  }
}
