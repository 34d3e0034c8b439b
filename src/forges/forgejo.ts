/**
 * Forgejo API v1 (forge.fedoraproject.org, codeberg.org): repository, contents, releases, tags,
 * commits, issues by label, and collaborators or teams where the token may see them.
 * @see https://forgejo.org/docs/latest/user/api-usage/
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
import { checkFileSize, type ForgeHttp } from './http.ts';
import type { RepoLocation } from './repo-url.ts';

interface ForgejoRepository {
  description: string;
  default_branch: string;
  archived: boolean;
  open_issues_count: number;
  has_issues?: boolean;
  licenses?: string[];
  html_url: string;
}
interface ForgejoCommit {
  sha: string;
  created?: string;
  commit: { committer?: { date?: string }; author?: { date?: string } };
}
interface ForgejoRelease {
  name: string;
  tag_name: string;
  published_at: string | null;
  html_url: string;
  draft: boolean;
  prerelease: boolean;
}
interface ForgejoTag {
  name: string;
  commit?: { created?: string };
}
interface ForgejoIssue {
  number: number;
  title: string;
  html_url: string;
  labels: { name: string }[];
  pull_request?: unknown;
}
interface ForgejoContent {
  name: string;
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'submodule';
  encoding?: string | null;
  content?: string | null;
  size?: number;
}
interface ForgejoUser {
  login: string;
  permissions?: { admin?: boolean; push?: boolean };
}
interface ForgejoTeam {
  name: string;
  permission: string;
  organization?: { username?: string; name?: string } | null;
}

/** Create the Forgejo forge of one host over its HTTP client. */
export function createForgejoForge(options: { http: ForgeHttp; host: string }): Forge {
  const { http, host } = options;
  const base = (repo: RepoLocation) =>
    `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
  const contentPath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

  const files: RepoFiles = memoiseListings({
    async listDirectory(repo, dir, ref) {
      const response = await http.getJson<ForgejoContent[] | ForgejoContent>(
        `${base(repo)}/contents${dir ? `/${contentPath(dir)}` : ''}`,
        { query: { ref }, notFound: 'missing' },
      );
      if (!response || !Array.isArray(response.data)) return [];
      return response.data.map((entry): RepoEntry => ({
        name: entry.name,
        path: entry.path,
        type: entry.type === 'file' ? 'file' : entry.type === 'dir' ? 'dir' : 'other',
      }));
    },
    async readFile(repo, path, ref) {
      const response = await http.getJson<ForgejoContent | ForgejoContent[]>(
        `${base(repo)}/contents/${contentPath(path)}`,
        { query: { ref }, notFound: 'missing' },
      );
      if (
        !response ||
        Array.isArray(response.data) ||
        response.data.type !== 'file' ||
        typeof response.data.content !== 'string'
      )
        return undefined;
      const where = `${path} in ${repo.webUrl}`;
      checkFileSize('Forgejo', host, where, response.data.size ?? 0);
      const bytes = Buffer.from(
        response.data.content,
        response.data.encoding === 'base64' ? 'base64' : 'utf8',
      );
      checkFileSize('Forgejo', host, where, bytes.length);
      return bytes.toString('utf8');
    },
  });

  return {
    kind: 'forgejo',
    host,
    async getRepoFacts(repo, factsOptions): Promise<RepoFacts> {
      const { data } = (await http.getJson<ForgejoRepository>(base(repo), { notFound: 'repo' }))!;
      const branch = data.default_branch || 'main';
      const commits = await http.getJson<ForgejoCommit[]>(`${base(repo)}/commits`, {
        query: { sha: branch, limit: 1, stat: 'false', verification: 'false', files: 'false' },
        notFound: 'missing',
      });
      const commit = commits?.data[0];
      const lastCommitDate =
        commit?.commit.committer?.date ?? commit?.created ?? commit?.commit.author?.date;
      const releases = await http.getJson<ForgejoRelease[]>(`${base(repo)}/releases`, {
        query: { limit: 10, draft: 'false' },
        notFound: 'missing',
      });
      const published = (releases?.data ?? []).filter((item) => !item.draft);
      const release = published.find((item) => !item.prerelease) ?? published[0];
      let latestRelease: RepoFacts['latestRelease'] = null;
      if (release) {
        latestRelease = {
          name: release.name || release.tag_name,
          tag: release.tag_name,
          publishedAt: release.published_at ? new Date(release.published_at).toISOString() : null,
          url: release.html_url,
        };
      } else {
        const tags = await http.getJson<ForgejoTag[]>(`${base(repo)}/tags`, {
          query: { limit: 1 },
          notFound: 'missing',
        });
        const tag = tags?.data[0];
        if (tag)
          latestRelease = {
            name: tag.name,
            tag: tag.name,
            publishedAt: tag.commit?.created ? new Date(tag.commit.created).toISOString() : null,
            url: `${repo.webUrl}/src/tag/${encodeURIComponent(tag.name)}`,
          };
      }
      const issues: { title: string; url: string; labels: string[]; number: number }[] = [];
      if (data.has_issues !== false) {
        for (const label of factsOptions.goodFirstIssueLabels) {
          const { items } = await http.getAllPages<ForgejoIssue>(`${base(repo)}/issues`, {
            state: 'open',
            type: 'issues',
            labels: label,
            limit: 50,
          });
          for (const issue of items) {
            if (issue.pull_request) continue;
            issues.push({
              title: issue.title,
              url: issue.html_url,
              labels: issue.labels.map((item) => item.name),
              number: issue.number,
            });
          }
        }
      }
      return {
        description: data.description || null,
        defaultBranch: branch,
        lastCommitAt: lastCommitDate ? new Date(lastCommitDate).toISOString() : null,
        archived: data.archived,
        license: data.licenses?.[0] ?? null,
        latestRelease,
        openIssues: data.has_issues === false ? null : data.open_issues_count,
        goodFirstIssues: goodFirstIssues(issues, factsOptions.maxGoodFirstIssues ?? 20),
      };
    },
    async listOwners(repo, facts): Promise<ObservedOwner[]> {
      const owners = await readFileOwners(files, repo, facts?.defaultBranch);
      // Collaborators need push access to list; teams are visible on public organisations. Both are optional.
      const collaborators = await http.getJson<ForgejoUser[]>(`${base(repo)}/collaborators`, {
        query: { limit: 50 },
        notFound: 'missing',
      });
      for (const user of collaborators?.data ?? []) {
        const permission = user.permissions?.admin
          ? ' (admin)'
          : user.permissions?.push
            ? ' (write)'
            : '';
        owners.push({
          handle: formatHandle('forgejo', user.login, options.host),
          sources: [{ kind: 'api', detail: `collaborator${permission}` }],
        });
      }
      const teams = await http.getJson<ForgejoTeam[]>(`${base(repo)}/teams`, {
        notFound: 'missing',
      });
      for (const team of teams?.data ?? []) {
        if (!['owner', 'admin', 'write'].includes(team.permission)) continue;
        const org = team.organization?.username ?? team.organization?.name ?? repo.owner;
        owners.push({
          handle: formatHandle('forgejo', `${org}/${team.name}`, options.host),
          sources: [{ kind: 'api', detail: `team (${team.permission})` }],
        });
      }
      return mergeOwners(owners);
    },
    async listTektonFiles(repo, facts) {
      return readTektonFiles(files, repo, facts?.defaultBranch);
    },
  };
}
