/**
 * The fetch-based forge client (GitLab, Forgejo, pagure) on answers no test server gives on
 * demand: rate limits with Retry-After as a date, server errors, a body that is not JSON.
 */
import { describe, expect, it } from 'vitest';
import { createEtagCache } from '../../../src/forges/etag-cache.ts';
import { RateLimitError, RepoNotFoundError } from '../../../src/forges/errors.ts';
import { createForgeHttp } from '../../../src/forges/http.ts';

const NOW = new Date('2026-11-28T02:00:00Z');

/** A fetch that answers from a list, recording what it was asked. */
function scriptedFetch(answers: (() => Response)[]) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    calls.push({ url, headers: { ...(init?.headers as Record<string, string>) } });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next();
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

function client(
  fetch: typeof globalThis.fetch,
  waits: number[] = [],
  extra: Partial<Parameters<typeof createForgeHttp>[0]> = {},
) {
  return createForgeHttp({
    forgeName: 'GitLab',
    host: 'gitlab.com',
    baseUrl: 'https://gitlab.example/api/v4',
    tokenHint: 'a private project needs GITLAB_TOKEN.',
    authHeaders: { 'private-token': 'glpat-secret' },
    fetch,
    now: () => NOW,
    sleep: async (ms) => void waits.push(ms),
    retryDelayMs: 100,
    ...extra,
  });
}

const json =
  (body: unknown, init: ResponseInit = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json' },
      ...init,
    });

describe('createForgeHttp', () => {
  it('waits for a 429 whose Retry-After is near, then answers', async () => {
    const { fetch, calls } = scriptedFetch([
      () => new Response('Retry later', { status: 429, headers: { 'retry-after': '3' } }),
      json({ id: 1 }),
    ]);
    const waits: number[] = [];
    const response = await client(fetch, waits).getJson<{ id: number }>('/projects/1');
    expect(response?.data).toEqual({ id: 1 });
    expect(waits).toEqual([3100]);
    expect(calls).toHaveLength(2);
  });

  it('stops with the reset time when Retry-After is an HTTP date too far away', async () => {
    const { fetch } = scriptedFetch([
      () =>
        new Response('', {
          status: 429,
          headers: { 'retry-after': 'Sat, 28 Nov 2026 02:30:00 GMT' },
        }),
    ]);
    const error = await client(fetch)
      .getJson('/projects/1')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).resetAt.toISOString()).toBe('2026-11-28T02:30:00.000Z');
    expect((error as Error).message).toBe(
      'GitLab rate limit reached on gitlab.com; it resets at 2026-11-28T02:30:00.000Z (in 30 min). Skipping the remaining GitLab repositories; a private project needs GITLAB_TOKEN.',
    );
  });

  it('reads a 403 with RateLimit-Remaining 0 and RateLimit-Reset as a rate limit', async () => {
    const reset = String(NOW.getTime() / 1000 + 7200);
    const { fetch } = scriptedFetch([
      () =>
        new Response('{}', {
          status: 403,
          headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': reset },
        }),
    ]);
    await expect(client(fetch).getJson('/projects/1')).rejects.toThrow(
      /resets at 2026-11-28T04:00:00.000Z \(in 2 h\)/,
    );
  });

  it('retries server errors with backoff, then says what failed', async () => {
    const { fetch, calls } = scriptedFetch([
      () => new Response('oops', { status: 502 }),
      () => new Response('oops', { status: 502 }),
      () => new Response(JSON.stringify({ message: '500 Internal Server Error' }), { status: 500 }),
    ]);
    const waits: number[] = [];
    await expect(client(fetch, waits).getJson('/projects/1')).rejects.toThrow(
      'GitLab answered 500 for /api/v4/projects/1 (500 Internal Server Error).',
    );
    expect(waits).toEqual([100, 200]);
    expect(calls).toHaveLength(3);
  });

  it('turns a 404 of the project into RepoNotFoundError, and of an optional file into undefined', async () => {
    const { fetch } = scriptedFetch([
      () => new Response('{"message":"404 Project Not Found"}', { status: 404 }),
      () => new Response('{"message":"404 File Not Found"}', { status: 404 }),
    ]);
    const http = client(fetch);
    await expect(http.getJson('/projects/x', { notFound: 'repo' })).rejects.toBeInstanceOf(
      RepoNotFoundError,
    );
    expect(await http.getText('/projects/x/repository/files/CODEOWNERS/raw')).toBeUndefined();
  });

  it('says the API URL is wrong when a JSON endpoint answers HTML', async () => {
    const { fetch } = scriptedFetch([() => new Response('<html>login</html>', { status: 200 })]);
    await expect(client(fetch).getJson('/projects/1')).rejects.toThrow(
      'GitLab answered /api/v4/projects/1 with something that is not JSON; check the API URL (https://gitlab.example/api/v4).',
    );
  });

  it('follows Link rel="next" pages, relative ones against the page that gave them', async () => {
    const { fetch, calls } = scriptedFetch([
      json([{ id: 1 }], {
        headers: { link: '</api/v4/projects/1/members/all?page=2>; rel="next"' },
      }),
      json([{ id: 2 }], {
        headers: {
          link: '<https://gitlab.example/api/v4/projects/1/members/all?page=1>; rel="first", <https://gitlab.example/api/v4/projects/1/members/all?page=3>; rel="next"',
        },
      }),
      json([{ id: 3 }]),
    ]);
    const pages = await client(fetch).getAllPages('/projects/1/members/all');
    expect(pages.items).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(calls.map((c) => c.url)).toEqual([
      'https://gitlab.example/api/v4/projects/1/members/all',
      'https://gitlab.example/api/v4/projects/1/members/all?page=2',
      'https://gitlab.example/api/v4/projects/1/members/all?page=3',
    ]);
  });

  it('sends If-None-Match from the cache and reuses the body on 304, without storing the token', async () => {
    const cache = createEtagCache();
    const { fetch, calls } = scriptedFetch([
      json([{ id: 1 }], { headers: { etag: '"abc"', 'x-total': '1' } }),
      () => new Response(null, { status: 304, headers: { etag: '"abc"' } }),
    ]);
    const http = client(fetch, [], { cache });
    const first = await http.getAllPages('/projects/1/members/all');
    const second = await http.getAllPages('/projects/1/members/all');
    expect(second).toEqual(first);
    expect(second).toEqual({ items: [{ id: 1 }], total: 1 });
    expect(calls[1]!.headers['if-none-match']).toBe('"abc"');
    expect(calls[1]!.headers['private-token']).toBe('glpat-secret');
    expect(
      JSON.stringify(cache.get('gitlab.com https://gitlab.example/api/v4/projects/1/members/all')),
    ).not.toContain('glpat-secret');
  });
});
