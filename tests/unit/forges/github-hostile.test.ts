/**
 * GitHub through Octokit against hostile answers: a redirect that would carry the token to another
 * host, an issue listing without end, an API that never answers, answers and files too large.
 */
import { describe, expect, it } from 'vitest';
import { ForgeUnreachableError } from '../../../src/forges/errors.ts';
import { createGitHubForge, createOctokit } from '../../../src/forges/github.ts';
import { parseRepoUrl } from '../../../src/forges/repo-url.ts';

type Answer = (url: URL, init: RequestInit) => Response | Promise<Response> | undefined;

const API = 'https://api.example';

/** A fake GitHub API: `answer` first, then an empty repository; records what was sent. */
function githubApi(answer: Answer, options: { timeoutMs?: number } = {}) {
  const calls: { url: string; authorization: string | undefined }[] = [];
  const fetch = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const headers = new Headers(init.headers);
    calls.push({ url: url.href, authorization: headers.get('authorization') ?? undefined });
    const answered = await answer(url, init);
    if (answered) return answered;
    if (url.pathname === '/repos/o/r')
      return Response.json({
        default_branch: 'main',
        description: null,
        archived: false,
        open_issues_count: 0,
        license: null,
      });
    if (/\/(commits|releases|tags|issues)$/.test(url.pathname)) return Response.json([]);
    return Response.json({ message: 'Not Found' }, { status: 404 });
  }) as typeof globalThis.fetch;
  const { octokit } = createOctokit({
    baseUrl: API,
    token: 'ghp_secret',
    fetch,
    retries: 2,
    retryAfterBaseValue: 1,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const forge = createGitHubForge({ octokit, authenticated: true });
  return { forge, octokit, calls };
}

const repo = parseRepoUrl('https://github.com/o/r');
const facts = { goodFirstIssueLabels: ['good first issue'] };

describe('GitHub', () => {
  it('drops the token when a redirect leaves the API host', async () => {
    const { forge, calls } = githubApi((url) => {
      if (url.host === 'api.example' && url.pathname === '/repos/o/r')
        return new Response('', {
          status: 301,
          headers: { location: 'https://collector.example/repos/o/r' },
        });
      if (url.host === 'collector.example')
        return Response.json({ default_branch: 'main', archived: false, open_issues_count: 0 });
      return undefined;
    });
    expect((await forge.getRepoFacts(repo, facts))?.defaultBranch).toBe('main');
    const collector = calls.filter((c) => c.url.startsWith('https://collector.example/'));
    expect(collector).toHaveLength(1);
    expect(collector[0]!.authorization).toBeUndefined();
    expect(calls.find((c) => c.url === `${API}/repos/o/r`)?.authorization).toBe('token ghp_secret');
  });

  it('stops an issue listing after 50 pages with an error for the repository', async () => {
    const { forge, calls } = githubApi((url) => {
      if (url.pathname !== '/repos/o/r/issues') return undefined;
      const page = Number(url.searchParams.get('page') ?? '1');
      return Response.json(
        [
          {
            number: page,
            title: `Issue ${page}`,
            html_url: `https://github.com/o/r/issues/${page}`,
            labels: [],
          },
        ],
        page < 1000
          ? { headers: { link: `<${API}/repos/o/r/issues?page=${page + 1}>; rel="next"` } }
          : {},
      );
    });
    await expect(forge.getRepoFacts(repo, facts)).rejects.toThrow(
      'GitHub lists more than 50 pages of issues labelled "good first issue" in o/r; stopped reading. A listing this long is a forge fault or a wrong GITHUB_API_URL.',
    );
    expect(calls.filter((c) => c.url.includes('/issues')).length).toBe(50);
  });

  it('gives up on an API that never answers, after the timeout and two retries', async () => {
    const { forge, calls } = githubApi(
      (_url, init) =>
        new Promise<Response>((_, reject) =>
          init.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error)),
        ),
      { timeoutMs: 100 },
    );
    const error = await forge.getRepoFacts(repo, facts).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ForgeUnreachableError);
    expect((error as Error).message).toBe(
      'Could not reach GitHub at https://api.example: no answer within 0.1 s. Check the network or GITHUB_API_URL; IMAGE_MODE_TIMEOUT_MS sets the timeout.',
    );
    expect(calls).toHaveLength(3);
  }, 10_000);

  it('stops reading an answer past 16 MiB, and a file past 1 MiB', async () => {
    let read = 0;
    const big = githubApi((url) => {
      if (url.pathname !== '/repos/o/r') return undefined;
      return new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (read >= 64 << 20) return controller.close();
            read += 1 << 20;
            controller.enqueue(new Uint8Array(1 << 20).fill(0x20));
          },
        }),
        { headers: { 'content-type': 'application/json' } },
      );
    });
    await expect(big.forge.getRepoFacts(repo, facts)).rejects.toThrow(
      'GitHub sent more than 16 MiB for https://api.example/repos/o/r, the most the sync reads of an API answer; stopped reading. Check the API URL (https://api.example).',
    );
    expect(read).toBeLessThanOrEqual(3 * 18 * (1 << 20));

    const file = githubApi((url) => {
      if (url.pathname === '/repos/o/r/contents')
        return Response.json([{ name: 'CODEOWNERS', path: 'CODEOWNERS', type: 'file' }]);
      if (url.pathname === '/repos/o/r/contents/CODEOWNERS')
        return Response.json({
          type: 'file',
          name: 'CODEOWNERS',
          path: 'CODEOWNERS',
          encoding: 'base64',
          content: Buffer.from(`* @o/team\n${'#'.repeat(2 << 20)}`).toString('base64'),
        });
      return undefined;
    });
    await expect(file.forge.listOwners(repo, null)).rejects.toThrow(
      'GitHub sent more than 1 MiB for CODEOWNERS in https://github.com/o/r, the most the sync reads of a file; stopped reading. Ownership and .tekton files are small; check the file in the repository.',
    );
  });
});
