/**
 * The repos step of the sync: for every source repository of the catalog, read its facts,
 * observed owners and Konflux PipelineRuns from its forge, and build repos.json.
 *
 * A failed repository keeps its last good data, marked stale with the error; a repository never
 * fetched is unavailable. A rate limit that resets too late stops that forge only. Requests run
 * concurrently, a few at a time per forge host.
 */
import {
  type Catalog,
  type CatalogRepo,
  listCandidateImages,
  listCatalogRepos,
} from '../catalog/index.ts';
import {
  type PipelineSnapshot,
  repoFailed,
  type RepoSnapshot,
  type ReposSnapshot,
  SNAPSHOT_SCHEMA_VERSION,
  usablePrevious,
} from '../snapshot/index.ts';
import { ForgeUnreachableError, RateLimitError } from '../forges/errors.ts';
import type { ForgeRegistry } from '../forges/config.ts';
import { parseTektonFile } from '../forges/tekton.ts';
import { linkPipelineToImages } from './pipelines.ts';
import { mapLimit } from '../utils/pool.ts';
import { errorText } from '../utils/truncate.ts';
import { parseRepoUrl, RepoUrlError, type RepoLocation } from '../forges/repo-url.ts';

/** Labels of good first issues when the options name none. */
export const DEFAULT_GOOD_FIRST_ISSUE_LABELS = [
  'good first issue',
  'good-first-issue',
  'help wanted',
] as const;

export interface SyncLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface SyncReposOptions {
  forges: ForgeRegistry;
  now?: () => Date;
  /** Requests in flight per forge host. Default 4. */
  concurrency?: number;
  goodFirstIssueLabels?: readonly string[];
  log?: SyncLogger;
  /** Mark the snapshot as sample data, with a note shown on the site. */
  sample?: { note: string };
  /** Sync only these repository URLs; keep the others as they are in `previous`. */
  only?: readonly string[];
}

/** Fetch repo facts, owners and pipelines for every repository of the catalog. */
export async function syncRepos(
  catalog: Catalog,
  previous: ReposSnapshot | undefined,
  options: SyncReposOptions,
): Promise<ReposSnapshot> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? { info: () => {}, warn: () => {} };
  const labels = options.goodFirstIssueLabels ?? DEFAULT_GOOD_FIRST_ISSUE_LABELS;
  const concurrency = options.concurrency ?? 4;
  const { usable, warning } = usablePrevious(previous, options.sample !== undefined, 'repos');
  if (warning) log.info(warning);
  const previousByUrl = new Map((usable?.repos ?? []).map((repo) => [repo.url, repo]));
  const candidates = listCandidateImages(catalog);
  const results = new Map<string, RepoSnapshot>();

  const byHost = new Map<string, { repo: CatalogRepo; location: RepoLocation }[]>();
  for (const repo of listCatalogRepos(catalog)) {
    const before = previousByUrl.get(repo.url);
    if (options.only && !options.only.includes(repo.url)) {
      if (before) results.set(repo.url, before);
      continue;
    }
    let location: RepoLocation;
    try {
      location = parseRepoUrl(repo.url);
    } catch (error) {
      if (!(error instanceof RepoUrlError)) throw error;
      results.set(repo.url, repoFailed(repo.url, 'other', before, error.message));
      continue;
    }
    if (!options.forges.forgeFor(location)) {
      results.set(repo.url, {
        url: repo.url,
        forge: location.forge,
        status: 'unavailable',
        fetchedAt: null,
        error: `${location.host} is not a forge Image Mode Hub can read (GitHub, GitLab, Forgejo, pagure); the repository is linked only.`,
        facts: null,
        owners: [],
        pipelines: [],
      });
      continue;
    }
    if (!byHost.has(location.host)) byHost.set(location.host, []);
    byHost.get(location.host)!.push({ repo, location });
  }

  if (byHost.has('github.com') && !options.forges.isAuthenticated('github.com')) {
    log.warn(
      'GITHUB_TOKEN is not set: GitHub allows 60 requests an hour without a token, and 304 answers still count. Set GITHUB_TOKEN for 5,000 an hour.',
    );
  }

  await Promise.all(
    [...byHost].map(async ([host, repos]) => {
      let stopped: RateLimitError | ForgeUnreachableError | undefined;
      let read = 0;
      await mapLimit(repos, concurrency, async ({ repo, location }) => {
        const before = previousByUrl.get(repo.url);
        if (stopped) {
          results.set(repo.url, repoFailed(repo.url, location.forge, before, errorText(stopped)));
          return;
        }
        const forge = options.forges.forgeFor(location)!;
        try {
          const { facts, owners, files } = await options.forges.withBudget(location, async () => {
            const facts = await forge.getRepoFacts(location, { goodFirstIssueLabels: labels });
            const [owners, files] = await Promise.all([
              forge.listOwners(location, facts),
              forge.listTektonFiles(location, facts),
            ]);
            return { facts, owners, files };
          });
          const pipelines: PipelineSnapshot[] = [];
          for (const file of files) {
            const parsed = parseTektonFile(file.path, file.text, files);
            for (const problem of parsed.problems) log.warn(`${location.webUrl}: ${problem}`);
            for (const run of parsed.pipelines) {
              const links = linkPipelineToImages(run, candidates, repo.subprojects);
              const { namespace: _namespace, ...fields } = run;
              pipelines.push({
                ...fields,
                images: links.map((link) => link.image),
                imageLinks: links,
              });
            }
          }
          pipelines.sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
          read++;
          results.set(repo.url, {
            url: repo.url,
            forge: location.forge,
            status: 'live',
            fetchedAt: now().toISOString(),
            facts,
            owners,
            pipelines,
          });
        } catch (error) {
          const message = errorText(error);
          if (error instanceof RateLimitError || error instanceof ForgeUnreachableError) {
            // The whole forge is out of reach for now: do not spend time or requests on its other repos.
            if (!stopped) log.warn(message);
            stopped = error;
          } else log.warn(`${location.webUrl}: ${message}`);
          results.set(repo.url, repoFailed(repo.url, location.forge, before, message));
        }
      });
      log.info(
        `${host}: ${read} of ${repos.length} repositories read${stopped ? ` (stopped: ${stopped instanceof RateLimitError ? 'rate limit' : 'unreachable'})` : ''}.`,
      );
    }),
  );
  if (options.forges.github.requests > 0) {
    log.info(
      `GitHub: ${options.forges.github.requests} requests, ${options.forges.github.notModified} answered 304 Not Modified from the ETag cache.`,
    );
  }

  const snapshot: ReposSnapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    generatedAt: now().toISOString(),
    sample: options.sample !== undefined,
    repos: [...results.values()].sort((a, b) => a.url.localeCompare(b.url)),
  };
  if (options.sample) snapshot.sampleNote = options.sample.note;
  return snapshot;
}
