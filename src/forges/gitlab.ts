/**
 * GitLab REST v4 (gitlab.com and self-hosted): project by URL-encoded path, repository tree and
 * raw files, members with maintainer access or more, issues by label, releases, tags, commits.
 * @see https://docs.gitlab.com/api/rest/
 */
import type { ObservedOwner, RepoFacts } from './types.ts';
import {
  goodFirstIssues,
  memoiseListings,
  mergeOwners,
  readFileOwners,
  readTektonFiles,
  type Forge,
  type RepoEntry,
  type RepoFiles,
} from './forge.ts';
import { formatHandle } from './handles.ts';
import { ForgeError } from './errors.ts';
import type { ForgeHttp } from './http.ts';
import type { RepoLocation } from './repo-url.ts';

interface GitLabProject {
  description: string | null;
  default_branch: string | null;
  archived: boolean;
  open_issues_count?: number;
  license?: { key?: string; name?: string; nickname?: string | null } | null;
  web_url: string;
}
interface GitLabCommit {
  id: string;
  committed_date: string;
}
interface GitLabRelease {
  name: string | null;
  tag_name: string;
  released_at: string | null;
  _links?: { self?: string };
}
interface GitLabTag {
  name: string;
  commit?: { committed_date?: string };
}
interface GitLabIssue {
  iid: number;
  title: string;
  web_url: string;
  labels: string[];
}
interface GitLabTreeEntry {
  name: string;
  path: string;
  type: 'tree' | 'blob' | 'commit';
}
interface GitLabMember {
  username: string;
  access_level: number;
  state?: string;
}

/** GitLab access levels worth naming. */
const ACCESS_LEVELS: Record<number, string> = { 40: 'maintainer', 50: 'owner' };

/** An empty list where the project has the feature off or hides it (403, 404), e.g. issues disabled. */
async function optional<T>(
  pending: Promise<{ items: T[]; total: number | undefined }>,
): Promise<{ items: T[]; total: number | undefined }> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof ForgeError && (error.status === 403 || error.status === 404))
      return { items: [], total: 0 };
    throw error;
  }
}

/** Create the GitLab forge of one host over its HTTP client. */
export function createGitLabForge(options: { http: ForgeHttp; host: string }): Forge {
  const { http, host } = options;
  const project = (repo: RepoLocation) => `/projects/${encodeURIComponent(repo.path)}`;

  const files: RepoFiles = memoiseListings({
    async listDirectory(repo, dir, ref) {
      const response = await http.getJson<GitLabTreeEntry[]>(`${project(repo)}/repository/tree`, {
        query: { ref, path: dir || undefined, per_page: 100 },
        notFound: 'missing',
      });
      if (!response || !Array.isArray(response.data)) return [];
      return response.data.map((entry): RepoEntry => ({
        name: entry.name,
        path: entry.path,
        type: entry.type === 'blob' ? 'file' : entry.type === 'tree' ? 'dir' : 'other',
      }));
    },
    readFile(repo, path, ref) {
      return http.getText(`${project(repo)}/repository/files/${encodeURIComponent(path)}/raw`, {
        ref,
      });
    },
  });

  return {
    kind: 'gitlab',
    host,
    async getRepoFacts(repo, factsOptions): Promise<RepoFacts> {
      const { data } = (await http.getJson<GitLabProject>(project(repo), {
        query: { license: 'true' },
        notFound: 'repo',
      }))!;
      const branch = data.default_branch ?? 'main';
      const commits = await http.getJson<GitLabCommit[]>(`${project(repo)}/repository/commits`, {
        query: { ref_name: branch, per_page: 1 },
        notFound: 'missing',
      });
      const lastCommit = commits?.data[0];
      const releases = await http.getJson<GitLabRelease[]>(`${project(repo)}/releases`, {
        query: { per_page: 1 },
        notFound: 'missing',
      });
      let latestRelease: RepoFacts['latestRelease'] = null;
      const release = releases?.data[0];
      if (release) {
        latestRelease = {
          name: release.name || release.tag_name,
          tag: release.tag_name,
          publishedAt: release.released_at ? new Date(release.released_at).toISOString() : null,
          url:
            release._links?.self ??
            `${repo.webUrl}/-/releases/${encodeURIComponent(release.tag_name)}`,
        };
      } else {
        const tags = await http.getJson<GitLabTag[]>(`${project(repo)}/repository/tags`, {
          query: { per_page: 1 },
          notFound: 'missing',
        });
        const tag = tags?.data[0];
        if (tag) {
          latestRelease = {
            name: tag.name,
            tag: tag.name,
            publishedAt: tag.commit?.committed_date
              ? new Date(tag.commit.committed_date).toISOString()
              : null,
            url: `${repo.webUrl}/-/tags/${encodeURIComponent(tag.name)}`,
          };
        }
      }
      const issues: { title: string; url: string; labels: string[]; number: number }[] = [];
      for (const label of factsOptions.goodFirstIssueLabels) {
        // GitLab's labels filter requires all listed labels, so ask once per label.
        const { items } = await optional(
          http.getAllPages<GitLabIssue>(`${project(repo)}/issues`, {
            state: 'opened',
            labels: label,
            per_page: 100,
          }),
        );
        for (const issue of items)
          issues.push({
            title: issue.title,
            url: issue.web_url,
            labels: issue.labels,
            number: issue.iid,
          });
      }
      const license = data.license
        ? (data.license.nickname ?? data.license.name ?? data.license.key ?? null)
        : null;
      return {
        description: data.description || null,
        defaultBranch: branch,
        lastCommitAt: lastCommit ? new Date(lastCommit.committed_date).toISOString() : null,
        archived: data.archived,
        license,
        latestRelease,
        openIssues: data.open_issues_count ?? null,
        goodFirstIssues: goodFirstIssues(issues, factsOptions.maxGoodFirstIssues ?? 20),
      };
    },
    async listOwners(repo, facts): Promise<ObservedOwner[]> {
      const owners = await readFileOwners(files, repo, facts?.defaultBranch);
      const { items } = await optional(
        http.getAllPages<GitLabMember>(`${project(repo)}/members/all`, { per_page: 100 }),
      );
      for (const member of items) {
        if (member.access_level < 40 || (member.state !== undefined && member.state !== 'active'))
          continue;
        const role = ACCESS_LEVELS[member.access_level] ?? 'maintainer or more';
        owners.push({
          handle: formatHandle('gitlab', member.username, options.host),
          sources: [{ kind: 'api', detail: `${role} (access level ${member.access_level})` }],
        });
      }
      // The groups that hold the project: their members maintain it by inheritance.
      const groups = repo.owner.split('/');
      for (let depth = 1; depth <= groups.length; depth++) {
        owners.push({
          handle: formatHandle('gitlab', groups.slice(0, depth).join('/'), options.host),
          sources: [{ kind: 'api', detail: 'group that holds the project' }],
        });
      }
      return mergeOwners(owners);
    },
    async listTektonFiles(repo, facts) {
      return readTektonFiles(files, repo, facts?.defaultBranch);
    },
  };
}
