/**
 * A local forge server for tests and sample data: one node:http server on 127.0.0.1 answering
 * with the response shapes of the GitHub REST API (under /github), GitLab REST v4 (under
 * /gitlab/api/v4), Forgejo API v1 (under /forgejo/api/v1) and pagure API 0 (under /pagure/api/0),
 * for the fixture repositories it is given. It sends ETags and answers If-None-Match with 304,
 * paginates with Link (and GitLab's x-next-page), and can be told to answer rate limits.
 * Every request is recorded, so tests can count conditional requests and 304s.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FixtureForge = 'github' | 'gitlab' | 'forgejo' | 'pagure';

export interface FixtureRepo {
  forge: FixtureForge;
  /** "owner/name", or "group/subgroup/name" on GitLab, "namespace/name" on pagure. */
  path: string;
  description?: string;
  defaultBranch?: string;
  archived?: boolean;
  /** Answer 404 for everything about this repository, as a private repository does without a token. */
  private?: boolean;
  license?: { spdx: string; name: string };
  openIssues?: number;
  /** Newest first. */
  commits?: { sha: string; date: string; message?: string; author?: string }[];
  /** Newest first. */
  releases?: {
    tag: string;
    name?: string;
    publishedAt: string;
    prerelease?: boolean;
    draft?: boolean;
  }[];
  /** Newest first. */
  tags?: { name: string; sha: string; date?: string }[];
  issues?: {
    number: number;
    title: string;
    labels: string[];
    pullRequest?: boolean;
    state?: 'open' | 'closed';
    /** The web address the forge reports for the issue (default: the issue's own page). */
    url?: string;
  }[];
  /** Issues turned off: GitHub answers 410, GitLab 403. */
  issuesDisabled?: boolean;
  /** Files of the default branch by path. */
  files?: Record<string, string>;
  /** GitLab project members (members/all). */
  members?: { username: string; name?: string; accessLevel: number; state?: string }[];
  /** Forgejo collaborators (listed only with a token) and teams. */
  collaborators?: { login: string }[];
  teams?: { org: string; name: string; permission: string }[];
  /** Pagure access_users and access_groups. */
  access?: { users?: Record<string, string[]>; groups?: Record<string, string[]> };
}

export interface RecordedRequest {
  forge: FixtureForge | 'unknown';
  method: string;
  /** Path and query as received, without the forge prefix. */
  path: string;
  /** The If-None-Match header, when sent. */
  ifNoneMatch?: string;
  /** Authorization or PRIVATE-TOKEN, when sent. */
  auth?: string;
  status: number;
}

export interface RateLimitPlan {
  /** How many requests to refuse; Infinity for all until `resetInSeconds`. */
  count: number;
  resetInSeconds: number;
  /** GitHub: a secondary limit (403 with Retry-After and its message) instead of the primary one. */
  secondary?: boolean;
  status?: 403 | 429;
}

export interface ForgeServer {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  githubApiUrl: string;
  gitlabApiUrl: string;
  forgejoApiUrl: string;
  pagureApiUrl: string;
  repos: FixtureRepo[];
  requests: RecordedRequest[];
  /** Largest page the server sends, whatever per_page/limit asks (forces pagination in tests). */
  maxPageSize: number;
  /** Refuse the next requests to a forge with rate-limit answers. */
  limit(forge: FixtureForge, plan: RateLimitPlan): void;
  clearRequests(): void;
  /** Forget every rate-limit plan. */
  clearLimits(): void;
  close(): Promise<void>;
}

const BLOCKED_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
]);

const FIXED_DATE = '2024-01-15T10:00:00Z';

function etagOf(body: string, weak: boolean): string {
  const hash = createHash('sha1').update(body).digest('hex');
  return weak ? `W/"${hash}"` : `"${hash}"`;
}

function base64Lines(text: string): string {
  return (
    (
      Buffer.from(text)
        .toString('base64')
        .match(/.{1,60}/g) ?? []
    ).join('\n') + '\n'
  );
}

function blobSha(text: string): string {
  return createHash('sha1')
    .update(`blob ${Buffer.byteLength(text)}\0${text}`)
    .digest('hex');
}

/** Directory listing of a fixture's files: direct children of `dir` ("" for the root). */
function listDir(
  files: Record<string, string>,
  dir: string,
): { name: string; path: string; type: 'file' | 'dir'; text?: string }[] | undefined {
  const prefix = dir === '' ? '' : `${dir}/`;
  const entries = new Map<
    string,
    { name: string; path: string; type: 'file' | 'dir'; text?: string }
  >();
  for (const [path, text] of Object.entries(files)) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const [name, ...deeper] = rest.split('/');
    if (!name) continue;
    entries.set(
      name,
      deeper.length > 0
        ? { name, path: `${prefix}${name}`, type: 'dir' }
        : { name, path, type: 'file', text },
    );
  }
  if (dir !== '' && entries.size === 0) return undefined;
  return [...entries.values()].sort((a, b) => a.name.localeCompare(b.name));
}

interface Answer {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
  /** Total items before paging, for list answers. */
  page?: { items: unknown[]; perPage: number; page: number; style: FixtureForge };
}

/** Start the forge server on a random free port of 127.0.0.1. */
export async function startForgeServer(
  repos: FixtureRepo[],
  options: { maxPageSize?: number } = {},
): Promise<ForgeServer> {
  const requests: RecordedRequest[] = [];
  const limits = new Map<FixtureForge, RateLimitPlan & { until: number }>();
  const remaining = new Map<FixtureForge, number>();
  let baseUrl = '';

  const state: ForgeServer = {
    url: '',
    githubApiUrl: '',
    gitlabApiUrl: '',
    forgejoApiUrl: '',
    pagureApiUrl: '',
    repos,
    requests,
    maxPageSize: options.maxPageSize ?? 100,
    limit(forge, plan) {
      limits.set(forge, { ...plan, until: Date.now() / 1000 + plan.resetInSeconds });
    },
    clearRequests() {
      requests.length = 0;
    },
    clearLimits() {
      limits.clear();
    },
    close: async () => {},
  };

  const find = (forge: FixtureForge, path: string) =>
    repos.find(
      (repo) =>
        repo.forge === forge && repo.path.toLowerCase() === path.toLowerCase() && !repo.private,
    );

  const paged = (items: unknown[], url: URL, style: FixtureForge): Answer => {
    const sizeParam = style === 'forgejo' ? 'limit' : 'per_page';
    const defaultSize = style === 'github' ? 30 : 20;
    const perPage = Math.min(
      Number(url.searchParams.get(sizeParam) ?? defaultSize) || defaultSize,
      state.maxPageSize,
    );
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    return { status: 200, page: { items, perPage, page, style } };
  };

  const github = (segments: string[], url: URL): Answer => {
    if (segments[0] !== 'repos' || segments.length < 3)
      return {
        status: 404,
        body: {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest',
          status: '404',
        },
      };
    const repo = find('github', `${segments[1]}/${segments[2]}`);
    const notFound: Answer = {
      status: 404,
      body: {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest/repos/repos#get-a-repository',
        status: '404',
      },
    };
    if (!repo) return notFound;
    const [owner, name] = repo.path.split('/') as [string, string];
    const htmlUrl = `https://github.com/${repo.path}`;
    const apiRepo = `${baseUrl}/github/repos/${repo.path}`;
    const rest = segments.slice(3);
    const branch = repo.defaultBranch ?? 'main';
    const files = repo.files ?? {};
    switch (rest[0]) {
      case undefined:
        return {
          status: 200,
          body: {
            id: 1000 + repos.indexOf(repo),
            node_id: 'R_kgDO' + String(repos.indexOf(repo)).padStart(6, '0'),
            name,
            full_name: repo.path,
            private: false,
            owner: {
              login: owner,
              id: 2000,
              type: 'Organization',
              html_url: `https://github.com/${owner}`,
            },
            html_url: htmlUrl,
            description: repo.description ?? null,
            fork: false,
            url: apiRepo,
            created_at: '2020-01-01T00:00:00Z',
            updated_at: repo.commits?.[0]?.date ?? FIXED_DATE,
            pushed_at: repo.commits?.[0]?.date ?? FIXED_DATE,
            homepage: null,
            size: 1024,
            stargazers_count: 10,
            watchers_count: 10,
            language: 'Shell',
            has_issues: true,
            forks_count: 3,
            archived: repo.archived ?? false,
            disabled: false,
            open_issues_count:
              repo.openIssues ??
              (repo.issues ?? []).filter((issue) => (issue.state ?? 'open') === 'open').length,
            license: repo.license
              ? {
                  key: repo.license.spdx.toLowerCase(),
                  name: repo.license.name,
                  spdx_id: repo.license.spdx,
                  url: `https://api.github.com/licenses/${repo.license.spdx.toLowerCase()}`,
                  node_id: 'MDc6TGljZW5zZTE=',
                }
              : null,
            topics: [],
            visibility: 'public',
            default_branch: branch,
          },
        };
      case 'commits': {
        const sha = url.searchParams.get('sha');
        if (sha && sha !== branch && !(repo.commits ?? []).some((commit) => commit.sha === sha))
          return { status: 404, body: { message: 'No commit found for SHA: ' + sha } };
        if ((repo.commits ?? []).length === 0)
          return { status: 409, body: { message: 'Git Repository is empty.' } };
        const items = (repo.commits ?? []).map((commit) => ({
          sha: commit.sha,
          node_id: 'C_' + commit.sha.slice(0, 8),
          commit: {
            author: {
              name: commit.author ?? 'Fixture Author',
              email: 'author@example.org',
              date: commit.date,
            },
            committer: {
              name: commit.author ?? 'Fixture Author',
              email: 'author@example.org',
              date: commit.date,
            },
            message: commit.message ?? 'Update',
            tree: { sha: commit.sha, url: `${apiRepo}/git/trees/${commit.sha}` },
            url: `${apiRepo}/git/commits/${commit.sha}`,
            comment_count: 0,
          },
          url: `${apiRepo}/commits/${commit.sha}`,
          html_url: `${htmlUrl}/commit/${commit.sha}`,
          author: null,
          committer: null,
          parents: [],
        }));
        return paged(items, url, 'github');
      }
      case 'releases': {
        const items = (repo.releases ?? []).map((release, index) => ({
          url: `${apiRepo}/releases/${index + 1}`,
          html_url: `${htmlUrl}/releases/tag/${release.tag}`,
          id: index + 1,
          tag_name: release.tag,
          target_commitish: branch,
          name: release.name ?? release.tag,
          draft: release.draft ?? false,
          prerelease: release.prerelease ?? false,
          created_at: release.publishedAt,
          published_at: release.draft ? null : release.publishedAt,
          author: { login: 'releaser', id: 3000 },
          assets: [],
          body: '',
        }));
        return paged(items, url, 'github');
      }
      case 'tags': {
        const items = (repo.tags ?? []).map((tag) => ({
          name: tag.name,
          commit: { sha: tag.sha, url: `${apiRepo}/commits/${tag.sha}` },
          zipball_url: `${apiRepo}/zipball/refs/tags/${tag.name}`,
          tarball_url: `${apiRepo}/tarball/refs/tags/${tag.name}`,
          node_id: 'REF_' + tag.name,
        }));
        return paged(items, url, 'github');
      }
      case 'issues': {
        if (repo.issuesDisabled)
          return {
            status: 410,
            body: {
              message: 'Issues are disabled for this repo',
              documentation_url: 'https://docs.github.com/v3/issues/',
              status: '410',
            },
          };
        const wanted = (url.searchParams.get('labels') ?? '')
          .split(',')
          .map((label) => label.trim())
          .filter(Boolean);
        const state = url.searchParams.get('state') ?? 'open';
        const items = (repo.issues ?? [])
          .filter((issue) => state === 'all' || (issue.state ?? 'open') === state)
          .filter((issue) => wanted.every((label) => issue.labels.includes(label)))
          .sort((a, b) => b.number - a.number)
          .map((issue) => ({
            url: `${apiRepo}/issues/${issue.number}`,
            html_url:
              issue.url ?? `${htmlUrl}/${issue.pullRequest ? 'pull' : 'issues'}/${issue.number}`,
            id: 5000 + issue.number,
            number: issue.number,
            title: issue.title,
            state: issue.state ?? 'open',
            labels: issue.labels.map((label, index) => ({
              id: 700 + index,
              name: label,
              color: '7057ff',
              default: label === 'good first issue',
              description: null,
            })),
            user: { login: 'reporter', id: 4000 },
            comments: 0,
            created_at: FIXED_DATE,
            updated_at: FIXED_DATE,
            ...(issue.pullRequest
              ? {
                  pull_request: {
                    url: `${apiRepo}/pulls/${issue.number}`,
                    html_url: `${htmlUrl}/pull/${issue.number}`,
                  },
                }
              : {}),
          }));
        return paged(items, url, 'github');
      }
      case 'contents': {
        const path = rest.slice(1).join('/');
        const ref = url.searchParams.get('ref');
        if (ref && ref !== branch)
          return {
            status: 404,
            body: { message: `No commit found for the ref ${ref}`, status: '404' },
          };
        const entry = (kind: 'file' | 'dir', entryPath: string, text?: string) => ({
          name: entryPath.split('/').pop(),
          path: entryPath,
          sha: text === undefined ? blobSha(entryPath) : blobSha(text),
          size: text === undefined ? 0 : Buffer.byteLength(text),
          url: `${apiRepo}/contents/${entryPath}?ref=${branch}`,
          html_url: `${htmlUrl}/${kind === 'file' ? 'blob' : 'tree'}/${branch}/${entryPath}`,
          git_url: `${apiRepo}/git/${kind === 'file' ? 'blobs' : 'trees'}/${text === undefined ? blobSha(entryPath) : blobSha(text)}`,
          download_url:
            kind === 'file'
              ? `https://raw.githubusercontent.com/${repo.path}/${branch}/${entryPath}`
              : null,
          type: kind,
          _links: {
            self: `${apiRepo}/contents/${entryPath}?ref=${branch}`,
            git: null,
            html: `${htmlUrl}/blob/${branch}/${entryPath}`,
          },
        });
        const text = files[path];
        if (text !== undefined)
          return {
            status: 200,
            body: { ...entry('file', path, text), content: base64Lines(text), encoding: 'base64' },
          };
        const listing = listDir(files, path);
        if (!listing)
          return {
            status: 404,
            body: {
              message: 'Not Found',
              documentation_url:
                'https://docs.github.com/rest/repos/contents#get-repository-content',
              status: '404',
            },
          };
        return { status: 200, body: listing.map((item) => entry(item.type, item.path, item.text)) };
      }
      default:
        return notFound;
    }
  };

  const gitlab = (segments: string[], url: URL): Answer => {
    if (segments[0] !== 'projects' || segments.length < 2)
      return { status: 404, body: { error: '404 Not Found' } };
    const repo = find('gitlab', segments[1]!);
    if (!repo) return { status: 404, body: { message: '404 Project Not Found' } };
    const webUrl = `https://gitlab.com/${repo.path}`;
    const branch = repo.defaultBranch ?? 'main';
    const files = repo.files ?? {};
    const id = 9000 + repos.indexOf(repo);
    const rest = segments.slice(2);
    const route = rest.join('/');
    if (route === '') {
      return {
        status: 200,
        body: {
          id,
          description: repo.description ?? null,
          name: repo.path.split('/').pop(),
          name_with_namespace: repo.path.split('/').join(' / '),
          path: repo.path.split('/').pop(),
          path_with_namespace: repo.path,
          created_at: '2020-01-01T00:00:00.000Z',
          default_branch: branch,
          tag_list: [],
          topics: [],
          ssh_url_to_repo: `git@gitlab.com:${repo.path}.git`,
          http_url_to_repo: `${webUrl}.git`,
          web_url: webUrl,
          readme_url: `${webUrl}/-/blob/${branch}/README.md`,
          forks_count: 2,
          star_count: 5,
          last_activity_at: repo.commits?.[0]?.date ?? FIXED_DATE,
          visibility: 'public',
          archived: repo.archived ?? false,
          issues_enabled: true,
          open_issues_count:
            repo.openIssues ??
            (repo.issues ?? []).filter(
              (issue) => (issue.state ?? 'open') === 'open' && !issue.pullRequest,
            ).length,
          ...(url.searchParams.get('license') === 'true'
            ? {
                license_url: repo.license ? `${webUrl}/-/blob/${branch}/LICENSE` : null,
                license: repo.license
                  ? {
                      key: repo.license.spdx.toLowerCase(),
                      name: repo.license.name,
                      nickname: null,
                      html_url:
                        'https://choosealicense.com/licenses/' + repo.license.spdx.toLowerCase(),
                      source_url: null,
                    }
                  : null,
              }
            : {}),
        },
      };
    }
    if (route === 'repository/commits') {
      const items = (repo.commits ?? []).map((commit) => ({
        id: commit.sha,
        short_id: commit.sha.slice(0, 8),
        created_at: commit.date,
        parent_ids: [],
        title: commit.message ?? 'Update',
        message: commit.message ?? 'Update',
        author_name: commit.author ?? 'Fixture Author',
        author_email: 'author@example.org',
        authored_date: commit.date,
        committer_name: commit.author ?? 'Fixture Author',
        committer_email: 'author@example.org',
        committed_date: commit.date,
        web_url: `${webUrl}/-/commit/${commit.sha}`,
      }));
      return paged(items, url, 'gitlab');
    }
    if (route === 'releases') {
      const items = (repo.releases ?? []).map((release) => ({
        name: release.name ?? release.tag,
        tag_name: release.tag,
        description: '',
        created_at: release.publishedAt,
        released_at: release.publishedAt,
        upcoming_release: false,
        author: { id: 1, username: 'releaser', name: 'Releaser' },
        commit: { id: repo.commits?.[0]?.sha ?? '0'.repeat(40) },
        assets: { count: 0, sources: [], links: [] },
        _links: { self: `${webUrl}/-/releases/${release.tag}` },
      }));
      return paged(items, url, 'gitlab');
    }
    if (route === 'repository/tags') {
      const items = (repo.tags ?? []).map((tag) => ({
        name: tag.name,
        message: '',
        target: tag.sha,
        commit: {
          id: tag.sha,
          short_id: tag.sha.slice(0, 8),
          committed_date: tag.date ?? FIXED_DATE,
          title: 'Release',
        },
        release: null,
        protected: false,
      }));
      return paged(items, url, 'gitlab');
    }
    if (route === 'issues') {
      if (repo.issuesDisabled) return { status: 403, body: { message: '403 Forbidden' } };
      const wanted = (url.searchParams.get('labels') ?? '')
        .split(',')
        .map((label) => label.trim())
        .filter(Boolean);
      const state = url.searchParams.get('state') ?? 'all';
      const items = (repo.issues ?? [])
        .filter((issue) => !issue.pullRequest)
        .filter(
          (issue) =>
            state === 'all' ||
            (state === 'opened' ? (issue.state ?? 'open') === 'open' : issue.state === 'closed'),
        )
        .filter((issue) => wanted.every((label) => issue.labels.includes(label)))
        .sort((a, b) => b.number - a.number)
        .map((issue) => ({
          id: 80000 + issue.number,
          iid: issue.number,
          project_id: id,
          title: issue.title,
          description: '',
          state: (issue.state ?? 'open') === 'open' ? 'opened' : 'closed',
          created_at: FIXED_DATE,
          updated_at: FIXED_DATE,
          labels: issue.labels,
          author: { id: 2, username: 'reporter' },
          web_url: issue.url ?? `${webUrl}/-/issues/${issue.number}`,
        }));
      return paged(items, url, 'gitlab');
    }
    if (route === 'repository/tree') {
      const ref = url.searchParams.get('ref');
      if (ref && ref !== branch) return { status: 404, body: { message: '404 Tree Not Found' } };
      const listing = listDir(files, url.searchParams.get('path') ?? '');
      if (!listing) return { status: 404, body: { message: '404 Tree Not Found' } };
      const items = listing.map((item) => ({
        id: item.text === undefined ? blobSha(item.path) : blobSha(item.text),
        name: item.name,
        type: item.type === 'dir' ? 'tree' : 'blob',
        path: item.path,
        mode: item.type === 'dir' ? '040000' : '100644',
      }));
      return paged(items, url, 'gitlab');
    }
    if (rest[0] === 'repository' && rest[1] === 'files' && rest[3] === 'raw') {
      const text = files[rest[2]!];
      if (text === undefined) return { status: 404, body: { message: '404 File Not Found' } };
      return {
        status: 200,
        text,
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          'x-gitlab-file-path': rest[2]!,
          'x-gitlab-blob-id': blobSha(text),
        },
      };
    }
    if (route === 'members/all') {
      const items = (repo.members ?? []).map((member, index) => ({
        id: 100 + index,
        username: member.username,
        name: member.name ?? member.username,
        state: member.state ?? 'active',
        access_level: member.accessLevel,
        avatar_url: null,
        web_url: `https://gitlab.com/${member.username}`,
        created_at: '2020-01-01T00:00:00.000Z',
        expires_at: null,
      }));
      return paged(items, url, 'gitlab');
    }
    return { status: 404, body: { error: '404 Not Found' } };
  };

  const forgejo = (segments: string[], url: URL, auth: string | undefined): Answer => {
    if (segments[0] !== 'repos' || segments.length < 3)
      return { status: 404, body: { message: "The target couldn't be found.", errors: [] } };
    const repo = find('forgejo', `${segments[1]}/${segments[2]}`);
    if (!repo)
      return {
        status: 404,
        body: {
          message: "The target couldn't be found.",
          url: `${baseUrl}/forgejo/api/swagger`,
          errors: [],
        },
      };
    const [owner, name] = repo.path.split('/') as [string, string];
    const htmlUrl = `https://forge.fedoraproject.org/${repo.path}`;
    const apiRepo = `${baseUrl}/forgejo/api/v1/repos/${repo.path}`;
    const branch = repo.defaultBranch ?? 'main';
    const files = repo.files ?? {};
    const rest = segments.slice(3);
    switch (rest[0]) {
      case undefined:
        return {
          status: 200,
          body: {
            id: 3000 + repos.indexOf(repo),
            owner: {
              id: 10,
              login: owner,
              full_name: owner,
              email: '',
              avatar_url: '',
              username: owner,
            },
            name,
            full_name: repo.path,
            description: repo.description ?? '',
            empty: false,
            private: false,
            fork: false,
            template: false,
            parent: null,
            mirror: false,
            size: 100,
            html_url: htmlUrl,
            url: apiRepo,
            ssh_url: `forgejo@forge.fedoraproject.org:${repo.path}.git`,
            clone_url: `${htmlUrl}.git`,
            website: '',
            stars_count: 1,
            forks_count: 0,
            watchers_count: 2,
            open_issues_count:
              repo.openIssues ??
              (repo.issues ?? []).filter(
                (issue) => (issue.state ?? 'open') === 'open' && !issue.pullRequest,
              ).length,
            open_pr_counter: 0,
            release_counter: (repo.releases ?? []).length,
            default_branch: branch,
            archived: repo.archived ?? false,
            created_at: '2025-06-01T00:00:00Z',
            updated_at: repo.commits?.[0]?.date ?? FIXED_DATE,
            has_issues: true,
            has_pull_requests: true,
            has_releases: true,
            ...(repo.license ? { licenses: [repo.license.spdx] } : { licenses: [] }),
          },
        };
      case 'commits': {
        const items = (repo.commits ?? []).map((commit) => ({
          url: `${apiRepo}/git/commits/${commit.sha}`,
          sha: commit.sha,
          created: commit.date,
          html_url: `${htmlUrl}/commit/${commit.sha}`,
          commit: {
            url: `${apiRepo}/git/commits/${commit.sha}`,
            author: {
              name: commit.author ?? 'Fixture Author',
              email: 'author@example.org',
              date: commit.date,
            },
            committer: {
              name: commit.author ?? 'Fixture Author',
              email: 'author@example.org',
              date: commit.date,
            },
            message: commit.message ?? 'Update',
            tree: {
              url: `${apiRepo}/git/trees/${commit.sha}`,
              sha: commit.sha,
              created: commit.date,
            },
          },
          author: null,
          committer: null,
          parents: [],
        }));
        return paged(items, url, 'forgejo');
      }
      case 'releases': {
        const items = (repo.releases ?? []).map((release, index) => ({
          id: index + 1,
          tag_name: release.tag,
          target_commitish: branch,
          name: release.name ?? release.tag,
          body: '',
          url: `${apiRepo}/releases/${index + 1}`,
          html_url: `${htmlUrl}/releases/tag/${release.tag}`,
          tarball_url: `${htmlUrl}/archive/${release.tag}.tar.gz`,
          zipball_url: `${htmlUrl}/archive/${release.tag}.zip`,
          draft: release.draft ?? false,
          prerelease: release.prerelease ?? false,
          created_at: release.publishedAt,
          published_at: release.publishedAt,
          author: { id: 1, login: 'releaser' },
          assets: [],
        }));
        return paged(items, url, 'forgejo');
      }
      case 'tags': {
        const items = (repo.tags ?? []).map((tag) => ({
          name: tag.name,
          message: '',
          id: tag.sha,
          commit: {
            url: `${apiRepo}/git/commits/${tag.sha}`,
            sha: tag.sha,
            created: tag.date ?? FIXED_DATE,
          },
          zipball_url: '',
          tarball_url: '',
        }));
        return paged(items, url, 'forgejo');
      }
      case 'issues': {
        const wanted = (url.searchParams.get('labels') ?? '')
          .split(',')
          .map((label) => label.trim())
          .filter(Boolean);
        const state = url.searchParams.get('state') ?? 'open';
        const type = url.searchParams.get('type');
        const items = (repo.issues ?? [])
          .filter((issue) =>
            type === 'issues' ? !issue.pullRequest : type === 'pulls' ? issue.pullRequest : true,
          )
          .filter((issue) => state === 'all' || (issue.state ?? 'open') === state)
          // Forgejo returns issues having any of the listed labels.
          .filter(
            (issue) => wanted.length === 0 || wanted.some((label) => issue.labels.includes(label)),
          )
          .sort((a, b) => b.number - a.number)
          .map((issue) => ({
            id: 6000 + issue.number,
            url: `${apiRepo}/issues/${issue.number}`,
            html_url: issue.url ?? `${htmlUrl}/issues/${issue.number}`,
            number: issue.number,
            user: { id: 2, login: 'reporter' },
            title: issue.title,
            body: '',
            labels: issue.labels.map((label, index) => ({
              id: 40 + index,
              name: label,
              color: '0075ca',
              description: '',
              exclusive: false,
            })),
            state: issue.state ?? 'open',
            comments: 0,
            created_at: FIXED_DATE,
            updated_at: FIXED_DATE,
            pull_request: issue.pullRequest ? { merged: false, draft: false } : null,
            repository: { id: 3000, name, owner, full_name: repo.path },
          }));
        return paged(items, url, 'forgejo');
      }
      case 'contents': {
        const path = rest.slice(1).join('/');
        const entry = (kind: 'file' | 'dir', entryPath: string, text?: string) => ({
          name: entryPath.split('/').pop(),
          path: entryPath,
          sha: text === undefined ? blobSha(entryPath) : blobSha(text),
          last_commit_sha: repo.commits?.[0]?.sha ?? '0'.repeat(40),
          type: kind,
          size: text === undefined ? 0 : Buffer.byteLength(text),
          encoding: null as string | null,
          content: null as string | null,
          target: null,
          url: `${apiRepo}/contents/${entryPath}?ref=${branch}`,
          html_url: `${htmlUrl}/src/branch/${branch}/${entryPath}`,
          git_url: `${apiRepo}/git/blobs/${text === undefined ? blobSha(entryPath) : blobSha(text)}`,
          download_url: kind === 'file' ? `${htmlUrl}/raw/branch/${branch}/${entryPath}` : null,
          submodule_git_url: null,
          _links: { self: `${apiRepo}/contents/${entryPath}?ref=${branch}` },
        });
        const text = files[path];
        if (text !== undefined)
          return {
            status: 200,
            body: {
              ...entry('file', path, text),
              encoding: 'base64',
              content: Buffer.from(text).toString('base64'),
            },
          };
        const listing = listDir(files, path);
        if (!listing)
          return {
            status: 404,
            body: {
              message: 'GetContentsOrList',
              url: `${baseUrl}/forgejo/api/swagger`,
              errors: [`object does not exist [id: , rel_path: ${path}]`],
            },
          };
        return { status: 200, body: listing.map((item) => entry(item.type, item.path, item.text)) };
      }
      case 'collaborators':
        if (!auth)
          return {
            status: 401,
            body: { message: 'token is required', url: `${baseUrl}/forgejo/api/swagger` },
          };
        return paged(
          (repo.collaborators ?? []).map((user, index) => ({
            id: 50 + index,
            login: user.login,
            full_name: user.login,
            email: '',
            avatar_url: '',
            username: user.login,
          })),
          url,
          'forgejo',
        );
      case 'teams':
        return {
          status: 200,
          body: (repo.teams ?? []).map((team, index) => ({
            id: 70 + index,
            name: team.name,
            description: '',
            organization: { id: 11, name: team.org, full_name: team.org, username: team.org },
            includes_all_repositories: false,
            permission: team.permission,
            units: ['repo.code', 'repo.issues'],
            can_create_org_repo: false,
          })),
        };
      default:
        return { status: 404, body: { message: "The target couldn't be found.", errors: [] } };
    }
  };

  const pagure = (segments: string[]): Answer => {
    const repo = find('pagure', segments.join('/'));
    if (!repo)
      return { status: 404, body: { error: 'Project not found', error_code: 'ENOPROJECT' } };
    const parts = repo.path.split('/');
    const access = repo.access ?? {};
    return {
      status: 200,
      body: {
        access_groups: {
          admin: [],
          collaborator: [],
          commit: [],
          ticket: [],
          ...(access.groups ?? {}),
        },
        access_users: {
          admin: [],
          collaborator: [],
          commit: [],
          owner: [],
          ticket: [],
          ...(access.users ?? {}),
        },
        close_status: [],
        custom_keys: [],
        date_created: '1431549490',
        date_modified: '1431549490',
        description: repo.description ?? '',
        full_url: `https://pagure.io/${repo.path}`,
        fullname: repo.path,
        id: 400 + repos.indexOf(repo),
        milestones: {},
        name: parts[parts.length - 1],
        namespace: parts.length > 1 ? parts.slice(0, -1).join('/') : null,
        parent: null,
        priorities: {},
        tags: [],
        url_path: repo.path,
        user: {
          fullname: access.users?.['owner']?.[0] ?? 'owner',
          name: access.users?.['owner']?.[0] ?? 'owner',
        },
      },
    };
  };

  const limitAnswer = (forge: FixtureForge): Answer | undefined => {
    const plan = limits.get(forge);
    if (!plan) return undefined;
    const nowSeconds = Date.now() / 1000;
    if (plan.count <= 0 || nowSeconds >= plan.until) {
      limits.delete(forge);
      return undefined;
    }
    plan.count--;
    const reset = String(Math.ceil(plan.until));
    const retryAfter = String(Math.max(0, Math.ceil(plan.until - nowSeconds)));
    switch (forge) {
      case 'github':
        if (plan.secondary) {
          return {
            status: plan.status ?? 403,
            body: {
              message:
                'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
              documentation_url:
                'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
              status: String(plan.status ?? 403),
            },
            headers: { 'retry-after': retryAfter },
          };
        }
        return {
          status: plan.status ?? 403,
          body: {
            message:
              "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)",
            documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
            status: String(plan.status ?? 403),
          },
          headers: {
            'x-ratelimit-limit': '60',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': reset,
            'x-ratelimit-used': '60',
            'x-ratelimit-resource': 'core',
          },
        };
      case 'gitlab':
        return {
          status: 429,
          text: 'Retry later\n',
          headers: {
            'content-type': 'text/plain',
            'ratelimit-limit': '2000',
            'ratelimit-remaining': '0',
            'ratelimit-reset': reset,
            'ratelimit-name': 'throttle_unauthenticated_api',
            'retry-after': retryAfter,
          },
        };
      case 'forgejo':
      case 'pagure':
        return {
          status: 429,
          body: { message: 'Too Many Requests' },
          headers: { 'retry-after': retryAfter },
        };
    }
  };

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', baseUrl);
    const rawSegments = url.pathname.split('/').filter(Boolean);
    const auth = (request.headers['authorization'] ?? request.headers['private-token']) as
      string | undefined;
    const ifNoneMatch = request.headers['if-none-match'];
    let forge: FixtureForge | 'unknown' = 'unknown';
    let segments: string[] = [];
    let prefix = '';
    if (rawSegments[0] === 'github') {
      forge = 'github';
      segments = rawSegments.slice(1);
      prefix = '/github';
    } else if (rawSegments[0] === 'gitlab' && rawSegments[1] === 'api' && rawSegments[2] === 'v4') {
      forge = 'gitlab';
      segments = rawSegments.slice(3);
      prefix = '/gitlab/api/v4';
    } else if (
      rawSegments[0] === 'forgejo' &&
      rawSegments[1] === 'api' &&
      rawSegments[2] === 'v1'
    ) {
      forge = 'forgejo';
      segments = rawSegments.slice(3);
      prefix = '/forgejo/api/v1';
    } else if (rawSegments[0] === 'pagure' && rawSegments[1] === 'api' && rawSegments[2] === '0') {
      forge = 'pagure';
      segments = rawSegments.slice(3);
      prefix = '/pagure/api/0';
    }
    segments = segments.map((segment) => decodeURIComponent(segment));
    const record: RecordedRequest = {
      forge,
      method: request.method ?? 'GET',
      path: url.pathname.slice(prefix.length) + url.search,
      status: 0,
    };
    if (ifNoneMatch) record.ifNoneMatch = ifNoneMatch;
    if (auth) record.auth = auth;
    requests.push(record);

    let answer: Answer;
    if (forge === 'unknown') answer = { status: 404, body: { message: 'Not Found' } };
    else
      answer =
        limitAnswer(forge) ??
        (forge === 'github'
          ? github(segments, url)
          : forge === 'gitlab'
            ? gitlab(segments, url)
            : forge === 'forgejo'
              ? forgejo(segments, url, auth)
              : pagure(segments));

    const headers: Record<string, string> = { ...(answer.headers ?? {}) };
    let body: string;
    if (answer.page) {
      const { items, perPage, page, style } = answer.page;
      const pages = Math.max(1, Math.ceil(items.length / perPage));
      body = JSON.stringify(items.slice((page - 1) * perPage, page * perPage));
      const link = (n: number) => {
        const next = new URL(url);
        next.searchParams.set('page', String(n));
        return next.toString();
      };
      const links: string[] = [];
      if (page < pages)
        links.push(`<${link(page + 1)}>; rel="next"`, `<${link(pages)}>; rel="last"`);
      if (page > 1) links.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
      if (links.length > 0) headers['link'] = links.join(', ');
      if (style === 'gitlab') {
        Object.assign(headers, {
          'x-page': String(page),
          'x-per-page': String(perPage),
          'x-next-page': page < pages ? String(page + 1) : '',
          'x-prev-page': page > 1 ? String(page - 1) : '',
          'x-total': String(items.length),
          'x-total-pages': String(pages),
        });
      }
      if (style === 'forgejo') headers['x-total-count'] = String(items.length);
      headers['content-type'] = 'application/json; charset=utf-8';
    } else if (answer.text !== undefined) {
      body = answer.text;
      headers['content-type'] ??= 'text/plain; charset=utf-8';
    } else {
      body = JSON.stringify(answer.body ?? {});
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    if (forge === 'github' && answer.status !== 403 && answer.status !== 429) {
      const left = (remaining.get('github') ?? 60) - (ifNoneMatch && auth ? 0 : 1);
      remaining.set('github', Math.max(left, 0));
      Object.assign(headers, {
        'x-ratelimit-limit': auth ? '5000' : '60',
        'x-ratelimit-remaining': String(Math.max(left, 0)),
        'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
        'x-ratelimit-resource': 'core',
        'x-github-request-id': `FIXTURE:${requests.length}`,
      });
    }
    if (answer.status === 200 && request.method === 'GET') {
      const etag = etagOf(body, forge === 'github');
      headers['etag'] = etag;
      if (ifNoneMatch && ifNoneMatch === etag) {
        record.status = 304;
        delete headers['content-type'];
        delete headers['link'];
        response.writeHead(304, headers);
        response.end();
        return;
      }
    }
    record.status = answer.status;
    response.writeHead(answer.status, headers);
    response.end(body);
  };

  for (let attempt = 0; ; attempt++) {
    const server = createServer(handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    if (BLOCKED_PORTS.has(port) && attempt < 10) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      continue;
    }
    baseUrl = `http://127.0.0.1:${port}`;
    state.url = baseUrl;
    state.githubApiUrl = `${baseUrl}/github`;
    state.gitlabApiUrl = `${baseUrl}/gitlab/api/v4`;
    state.forgejoApiUrl = `${baseUrl}/forgejo/api/v1`;
    state.pagureApiUrl = `${baseUrl}/pagure/api/0`;
    state.close = () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    return state;
  }
}
