/**
 * GitHub through @octokit/rest, with the throttling and retry plugins and conditional requests:
 * an ETag hook sends If-None-Match for every GET it has an ETag for and turns a 304 into the
 * cached answer, so a re-sync of an unchanged repository spends no rate limit.
 */
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { ObservedOwner, RepoFacts } from './types.ts';
import {
  ForgeError,
  ForgeUnreachableError,
  RateLimitError,
  RepoNotFoundError,
  rateLimitMessage,
} from './errors.ts';
import { REPLAYED_HEADERS, type EtagCache } from './etag-cache.ts';
import {
  checkFileSize,
  createGuardedFetch,
  currentBudget,
  FORGE_LIMITS,
  ForgeLimitError,
  ForgeTimeoutError,
} from './http.ts';
import { parseNextLink } from '../utils/http-headers.ts';
import {
  goodFirstIssues,
  memoiseListings,
  mergeOwners,
  readFileOwners,
  readTektonFiles,
  type FactsOptions,
  type Forge,
  type RepoEntry,
  type RepoFiles,
} from './forge.ts';
import type { RepoLocation } from './repo-url.ts';

/** The Octokit class with the plugins the sync uses. */
export const ThrottledOctokit = Octokit.plugin(throttling, retry);
export type ThrottledOctokit = InstanceType<typeof ThrottledOctokit>;

export interface OctokitOptions {
  /** API base URL; default https://api.github.com. */
  baseUrl?: string;
  token?: string;
  cache?: EtagCache;
  /** Wait for a rate limit that resets within this many seconds; stop GitHub otherwise. Default 60. */
  maxRateLimitWaitSeconds?: number;
  /** Milliseconds per second of wait, for tests (the plugins' retryAfterBaseValue). Default 1000. */
  retryAfterBaseValue?: number;
  /** Retries on server errors. Default 2. */
  retries?: number;
  /** Warnings worth showing (rate-limit waits). Debug output of Octokit is dropped: it carries request headers. */
  warn?: (message: string) => void;
  fetch?: typeof fetch;
  /** Timeout of one request, in ms. Default 30 s. */
  timeoutMs?: number;
  /** Web host, for messages; default github.com. */
  host?: string;
}

/** Count of requests that went out, and of those answered 304 from the cache. */
export interface RequestCounter {
  requests: number;
  notModified: number;
}

/** Create an Octokit with throttling, retry and the ETag hook; its log never sees a token. */
export function createOctokit(options: OctokitOptions = {}): {
  octokit: ThrottledOctokit;
  counter: RequestCounter;
} {
  const maxWait = options.maxRateLimitWaitSeconds ?? 60;
  const warn = options.warn ?? (() => {});
  const counter: RequestCounter = { requests: 0, notModified: 0 };
  const baseUrl = (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const octokit = new ThrottledOctokit({
    ...(options.token ? { auth: options.token } : {}),
    baseUrl,
    userAgent: 'image-mode-hub',
    // requestLog's debug line prints the request options, headers included: drop debug and info.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    // Timeout, budget, body limits, and redirects that leave the token behind (see http.ts).
    request: {
      fetch: createGuardedFetch({
        fetch: options.fetch,
        forgeName: 'GitHub',
        host: options.host ?? 'github.com',
        baseUrl,
        timeoutMs: options.timeoutMs,
      }),
    },
    retry: {
      retries: options.retries ?? 2,
      retryAfterBaseValue: options.retryAfterBaseValue ?? 1000,
    },
    throttle: {
      retryAfterBaseValue: options.retryAfterBaseValue ?? 1000,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: (
        retryAfter: number,
        request: { method: string; url: string },
        _octokit: unknown,
        retryCount: number,
      ) => {
        if (retryAfter > maxWait || retryCount >= 2) return false;
        warn(
          `GitHub rate limit reached; waiting ${retryAfter} s for the reset before ${request.method} ${request.url}.`,
        );
        return true;
      },
      onSecondaryRateLimit: (
        retryAfter: number,
        request: { method: string; url: string },
        _octokit: unknown,
        retryCount: number,
      ) => {
        if (retryAfter > maxWait || retryCount >= 2) return false;
        warn(
          `GitHub secondary rate limit; waiting ${retryAfter} s before ${request.method} ${request.url}.`,
        );
        return true;
      },
    },
  });
  const cache = options.cache;
  octokit.hook.wrap('request', async (request, requestOptions) => {
    counter.requests++;
    // This hook runs first, in the caller's context: hand the repository's budget to the fetch
    // explicitly, as the plugins' queues may run the request in another context.
    const budget = currentBudget();
    if (budget) requestOptions.request = { ...requestOptions.request, signal: budget };
    if (!cache || requestOptions.method !== 'GET') return request(requestOptions);
    const key = `github ${octokit.request.endpoint.parse(requestOptions).url}`;
    const hit = cache.get(key);
    if (hit) requestOptions.headers = { ...requestOptions.headers, 'if-none-match': hit.etag };
    try {
      const response = await request(requestOptions);
      const etag = response.headers.etag;
      if (etag) {
        const headers: Record<string, string> = {};
        for (const name of REPLAYED_HEADERS) {
          const value = (response.headers as Record<string, unknown>)[name];
          if (typeof value === 'string') headers[name] = value;
        }
        cache.set(key, { etag, body: response.data, headers });
      }
      return response;
    } catch (error) {
      if (hit && (error as { status?: number }).status === 304) {
        counter.notModified++;
        cache.touch(key);
        return {
          status: 200,
          url: key.slice('github '.length),
          headers: { ...hit.headers, etag: hit.etag },
          data: hit.body,
        } as Awaited<ReturnType<typeof request>>;
      }
      throw error;
    }
  });
  return { octokit, counter };
}

interface RequestErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

export interface GitHubForgeOptions {
  octokit: ThrottledOctokit;
  /** Web host; default github.com. */
  host?: string;
  /** Whether a token is set, for the hints in messages. */
  authenticated: boolean;
  now?: () => Date;
}

/** Create the GitHub forge over an Octokit. */
export function createGitHubForge(options: GitHubForgeOptions): Forge {
  const { octokit } = options;
  const host = options.host ?? 'github.com';
  const now = options.now ?? (() => new Date());
  const hint = options.authenticated
    ? 'sync again after the reset.'
    : 'set GITHUB_TOKEN for 5,000 requests an hour instead of 60, or sync again after the reset.';

  /** Turn an Octokit error into a forge error that says what failed and what to do. */
  const translate = (error: unknown, repo: RepoLocation, what: string): Error => {
    const budget = currentBudget();
    if (budget?.aborted) return budget.reason as Error;
    if (error instanceof ForgeError) return error;
    const cause = (error as { cause?: unknown }).cause;
    // A limit of the guarded fetch, wrapped by Octokit.
    if (cause instanceof ForgeError) return cause;
    if (cause instanceof ForgeTimeoutError)
      return new ForgeUnreachableError(
        host,
        `Could not reach GitHub at ${octokit.request.endpoint.DEFAULTS.baseUrl}: ${cause.message}. Check the network or GITHUB_API_URL; IMAGE_MODE_TIMEOUT_MS sets the timeout.`,
        { cause: error },
      );
    const e = error as RequestErrorLike;
    const status = e.status;
    const headers = e.response?.headers ?? {};
    if (status === 403 || status === 429) {
      const secondary = /secondary rate/i.test(e.message ?? '');
      if (headers['x-ratelimit-remaining'] === '0' || secondary || status === 429) {
        const reset = Number(headers['x-ratelimit-reset']);
        const retryAfter = Number(headers['retry-after']);
        const resetAt =
          Number.isFinite(retryAfter) && headers['retry-after'] !== undefined
            ? new Date(now().getTime() + retryAfter * 1000)
            : Number.isFinite(reset) && reset > 0
              ? new Date(reset * 1000)
              : new Date(now().getTime() + 60_000);
        const kind = secondary ? 'secondary rate limit' : 'rate limit';
        return new RateLimitError(
          host,
          rateLimitMessage(`GitHub`, host, resetAt, now(), hint).replace('rate limit', kind),
          resetAt,
          { status },
        );
      }
    }
    if (status === 404) {
      return new RepoNotFoundError(
        host,
        `not found on GitHub (404): ${repo.path} does not exist or is private. Check the URL in the catalog${options.authenticated ? '; the token may lack access to it.' : '; a private repository needs GITHUB_TOKEN.'}`,
        { status },
      );
    }
    if (typeof status === 'number' && e.response) {
      const message = (e.response?.data as { message?: string } | undefined)?.message ?? '';
      return new ForgeError(
        host,
        `GitHub answered ${status} while reading ${what} of ${repo.path}${message ? ` (${message.split('\n')[0]})` : ''}.`,
        { status },
      );
    }
    // No response at all: DNS, connection or TLS failure (Octokit reports it as status 500 without a response).
    return new ForgeUnreachableError(
      host,
      `Could not reach GitHub at ${octokit.request.endpoint.DEFAULTS.baseUrl}: ${(error as Error).message}. Check the network or GITHUB_API_URL.`,
      { cause: error },
    );
  };

  const call = async <T>(repo: RepoLocation, what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw translate(error, repo, what);
    }
  };

  const ownerRepo = (repo: RepoLocation) => ({ owner: repo.owner, repo: repo.name });

  const files: RepoFiles = memoiseListings({
    async listDirectory(repo, dir, ref) {
      return call(repo, `${dir || 'the root folder'}`, async () => {
        try {
          const { data } = await octokit.rest.repos.getContent({
            ...ownerRepo(repo),
            path: dir,
            ...(ref ? { ref } : {}),
          });
          if (!Array.isArray(data)) return [];
          return data.map((entry): RepoEntry => ({
            name: entry.name,
            path: entry.path,
            type: entry.type === 'file' ? 'file' : entry.type === 'dir' ? 'dir' : 'other',
          }));
        } catch (error) {
          // A missing folder, or the root of an empty repository ("This repository is empty").
          if ((error as RequestErrorLike).status === 404) return [];
          throw error;
        }
      });
    },
    async readFile(repo, path, ref) {
      return call(repo, path, async () => {
        try {
          const { data } = await octokit.rest.repos.getContent({
            ...ownerRepo(repo),
            path,
            ...(ref ? { ref } : {}),
          });
          if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
          const where = `${path} in ${repo.webUrl}`;
          // GitHub leaves `content` empty for files over 1 MB, and says their size.
          checkFileSize('GitHub', host, where, data.size ?? 0);
          const bytes = Buffer.from(
            data.content,
            (data.encoding as BufferEncoding | undefined) === 'base64' || !data.encoding
              ? 'base64'
              : 'utf8',
          );
          checkFileSize('GitHub', host, where, bytes.length);
          return bytes.toString('utf8');
        } catch (error) {
          if ((error as RequestErrorLike).status === 404) return undefined;
          throw error;
        }
      });
    },
  });

  return {
    kind: 'github',
    host,
    async getRepoFacts(repo, factsOptions: FactsOptions): Promise<RepoFacts> {
      const { data } = await call(repo, 'the repository', () =>
        octokit.rest.repos.get(ownerRepo(repo)),
      );
      const branch = data.default_branch;
      // The repository answer gives the default branch; the rest is asked for at the same time.
      const lastCommitRequest = call(repo, 'the last commit', async () => {
        try {
          const commits = await octokit.rest.repos.listCommits({
            ...ownerRepo(repo),
            sha: branch,
            per_page: 1,
          });
          const commit = commits.data[0]?.commit;
          return commit?.committer?.date ?? commit?.author?.date ?? null;
        } catch (error) {
          if ((error as RequestErrorLike).status === 409) return null; // empty repository
          throw error;
        }
      });
      const latestReleaseRequest = call(
        repo,
        'the releases',
        async (): Promise<RepoFacts['latestRelease']> => {
          const releases = await octokit.rest.repos.listReleases({
            ...ownerRepo(repo),
            per_page: 10,
          });
          const published = releases.data.filter((release) => !release.draft);
          const release = published.find((item) => !item.prerelease) ?? published[0];
          if (release)
            return {
              name: release.name || release.tag_name,
              tag: release.tag_name,
              publishedAt: release.published_at ?? null,
              url: release.html_url,
            };
          const tags = await octokit.rest.repos.listTags({ ...ownerRepo(repo), per_page: 1 });
          const tag = tags.data[0];
          return tag
            ? {
                name: tag.name,
                tag: tag.name,
                publishedAt: null,
                url: `${repo.webUrl}/tree/${encodeURIComponent(tag.name)}`,
              }
            : null;
        },
      );
      const issuesRequest = Promise.all(
        factsOptions.goodFirstIssueLabels.map((label) =>
          call(repo, `issues labelled "${label}"`, async () => {
            try {
              const issues = [];
              let pages = 0;
              for await (const page of octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
                ...ownerRepo(repo),
                state: 'open',
                labels: label,
                per_page: 100,
              })) {
                issues.push(...page.data);
                pages++;
                if (pages >= FORGE_LIMITS.pages && parseNextLink(page.headers.link, page.url))
                  throw new ForgeLimitError(
                    host,
                    `GitHub lists more than ${FORGE_LIMITS.pages} pages of issues labelled "${label}" in ${repo.path}; stopped reading. A listing this long is a forge fault or a wrong GITHUB_API_URL.`,
                  );
              }
              return issues;
            } catch (error) {
              if ((error as RequestErrorLike).status === 410) return []; // issues are disabled
              throw error;
            }
          }),
        ),
      );
      const [lastCommitAt, latestRelease, found] = await Promise.all([
        lastCommitRequest,
        latestReleaseRequest,
        issuesRequest,
      ]);
      const issues = found.flat().flatMap((issue) =>
        issue.pull_request
          ? []
          : [
              {
                title: issue.title,
                url: issue.html_url,
                number: issue.number,
                labels: issue.labels
                  .map((item) => (typeof item === 'string' ? item : (item.name ?? '')))
                  .filter(Boolean),
              },
            ],
      );
      const license = data.license
        ? data.license.spdx_id && data.license.spdx_id !== 'NOASSERTION'
          ? data.license.spdx_id
          : data.license.name
        : null;
      return {
        description: data.description ?? null,
        defaultBranch: branch,
        lastCommitAt: lastCommitAt ? new Date(lastCommitAt).toISOString() : null,
        archived: data.archived ?? false,
        license: license ?? null,
        latestRelease:
          latestRelease && latestRelease.publishedAt
            ? { ...latestRelease, publishedAt: new Date(latestRelease.publishedAt).toISOString() }
            : latestRelease,
        // GitHub counts open pull requests in open_issues_count.
        openIssues: data.open_issues_count ?? null,
        goodFirstIssues: goodFirstIssues(issues, factsOptions.maxGoodFirstIssues ?? 20),
      };
    },
    async listOwners(repo, facts): Promise<ObservedOwner[]> {
      return mergeOwners(await readFileOwners(files, repo, facts?.defaultBranch));
    },
    async listTektonFiles(repo, facts) {
      return readTektonFiles(files, repo, facts?.defaultBranch);
    },
  };
}
