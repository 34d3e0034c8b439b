/**
 * Pagure (pagure.io, src.fedoraproject.org): recognised and linked, and the project owners,
 * admins and committers read from API 0, `GET /api/0/<namespace>/<repo>` (access_users and
 * access_groups). Pagure accounts are Fedora accounts, so people become "fas:<user>".
 * Repo facts are not read from pagure (the snapshot keeps facts null).
 * @see https://pagure.io/api/0/
 */
import type { ObservedOwner } from './types.ts';
import { mergeOwners, type Forge } from './forge.ts';
import type { ForgeHttp } from './http.ts';

interface PagureProject {
  access_users?: Record<string, string[]>;
  access_groups?: Record<string, string[]>;
}

/** Access levels that count as ownership, strongest first. */
const LEVELS = ['owner', 'admin', 'commit', 'collaborator'] as const;

/** Create the pagure forge of one host over its HTTP client. */
export function createPagureForge(options: { http: ForgeHttp; host: string }): Forge {
  const { http, host } = options;
  const projects = new Map<string, ReturnType<typeof http.getJson<PagureProject>>>();
  /** Read a project once per sync: facts and owners come from the same answer. */
  const project = (path: string) => {
    if (!projects.has(path))
      projects.set(path, http.getJson<PagureProject>(`/${path}`, { notFound: 'repo' }));
    return projects.get(path)!;
  };
  return {
    kind: 'pagure',
    host,
    async getRepoFacts(repo) {
      // Only checks that the project exists (a 404 is an error for this repo); facts stay unread.
      await project(repo.path);
      return null;
    },
    async listOwners(repo): Promise<ObservedOwner[]> {
      const response = await project(repo.path);
      const owners: ObservedOwner[] = [];
      for (const level of LEVELS) {
        for (const user of response?.data.access_users?.[level] ?? [])
          owners.push({
            handle: `fas:${user.toLowerCase()}`,
            sources: [{ kind: 'api', detail: `${level} (pagure access)` }],
          });
        for (const group of response?.data.access_groups?.[level] ?? [])
          owners.push({
            handle: `fas:@${group.toLowerCase()}`,
            sources: [{ kind: 'api', detail: `${level} group (pagure access)` }],
          });
      }
      return mergeOwners(owners);
    },
    listTektonFiles() {
      return Promise.resolve([]);
    },
  };
}
