/**
 * The fetch-based forge client (GitLab, Forgejo, pagure) against hostile answers: a redirect that
 * would carry the token to another host, bodies without end, next-page links without end, a forge
 * that never answers, a repository that takes too long. Each costs bounded work and says what
 * happened, where, and what to do.
 */
import { describe, expect, it } from 'vitest';
import { ForgeError, ForgeUnreachableError } from '../../../src/forges/errors.ts';
import { createForgeHttp, runWithBudget } from '../../../src/forges/http.ts';

type Answer = (url: string, init: RequestInit) => Response | Promise<Response>;

/** A fetch that answers every request from one function, recording what it was sent. */
function answeringFetch(answer: Answer) {
  const calls: { url: string; headers: Record<string, string>; redirect?: string }[] = [];
  const fetch = (async (url: string, init: RequestInit = {}) => {
    calls.push({
      url: String(url),
      headers: { ...(init.headers as Record<string, string>) },
      ...(init.redirect ? { redirect: init.redirect } : {}),
    });
    return answer(String(url), init);
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

function gitlab(
  fetch: typeof globalThis.fetch,
  extra: Partial<Parameters<typeof createForgeHttp>[0]> = {},
) {
  return createForgeHttp({
    forgeName: 'GitLab',
    host: 'gitlab.com',
    baseUrl: 'https://gitlab.example/api/v4',
    tokenHint: 'a private project needs GITLAB_TOKEN.',
    authHeaders: { 'private-token': 'glpat-secret' },
    fetch,
    sleep: async () => {},
    retryDelayMs: 1,
    ...extra,
  });
}

const MiB = 1 << 20;

/** A body of `total` bytes streamed in 1 MiB chunks without a Content-Length; counts what was read. */
function streamedBody(total: number) {
  const read = { bytes: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (read.bytes >= total) return controller.close();
      read.bytes += MiB;
      controller.enqueue(new Uint8Array(MiB).fill(0x20));
    },
  });
  return { stream, read };
}

describe('redirects', () => {
  it('keeps the token on its own host and drops it when a redirect leaves it', async () => {
    const { fetch, calls } = answeringFetch((url) => {
      if (url.includes('/projects/1?') || url.endsWith('/projects/1'))
        return new Response('', {
          status: 301,
          headers: { location: 'https://gitlab.example/api/v4/projects/2' },
        });
      if (url.endsWith('/projects/2'))
        return new Response('', {
          status: 302,
          headers: { location: 'https://collector.example/steal' },
        });
      return Response.json({ id: 3 });
    });
    const response = await gitlab(fetch).getJson<{ id: number }>('/projects/1');
    expect(response?.data).toEqual({ id: 3 });
    expect(calls.map((c) => [c.url, c.headers['private-token'], c.redirect])).toEqual([
      ['https://gitlab.example/api/v4/projects/1', 'glpat-secret', 'manual'],
      ['https://gitlab.example/api/v4/projects/2', 'glpat-secret', 'manual'],
      ['https://collector.example/steal', undefined, 'manual'],
    ]);
  });

  it('drops Authorization too (Forgejo), and stops after 5 redirects', async () => {
    const { fetch, calls } = answeringFetch((url) =>
      url.startsWith('https://forge.example')
        ? new Response('', { status: 307, headers: { location: 'https://other.example/x' } })
        : new Response('', { status: 307, headers: { location: `${url}x` } }),
    );
    const http = createForgeHttp({
      forgeName: 'Forgejo',
      host: 'forge.fedoraproject.org',
      baseUrl: 'https://forge.example/api/v1',
      tokenHint: '',
      authHeaders: { authorization: 'token forgejo-secret' },
      fetch,
      sleep: async () => {},
    });
    await expect(http.getJson('/repos/a/b')).rejects.toThrow(
      'Forgejo redirected https://forge.example/api/v1/repos/a/b more than 5 times; stopped. Check the API URL (https://forge.example/api/v1).',
    );
    expect(calls).toHaveLength(6);
    expect(calls.slice(1).every((c) => c.headers['authorization'] === undefined)).toBe(true);
  });
});

describe('bodies', () => {
  it('stops reading a JSON page past 16 MiB, naming the URL and the limit', async () => {
    const body = streamedBody(64 * MiB);
    const { fetch, calls } = answeringFetch(() => new Response(body.stream));
    const error = await gitlab(fetch)
      .getJson('/projects/1')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ForgeError);
    expect(error).not.toBeInstanceOf(ForgeUnreachableError);
    expect((error as Error).message).toBe(
      'GitLab sent more than 16 MiB for https://gitlab.example/api/v4/projects/1, the most the sync reads of an API answer; stopped reading. Check the API URL (https://gitlab.example/api/v4).',
    );
    expect(body.read.bytes).toBeLessThanOrEqual(18 * MiB);
    expect(calls).toHaveLength(1);
  });

  it('stops reading a file past 1 MiB, naming the file', async () => {
    const body = streamedBody(64 * MiB);
    const { fetch } = answeringFetch(() => new Response(body.stream));
    await expect(
      gitlab(fetch).getText('/projects/1/repository/files/CODEOWNERS/raw', { ref: 'main' }),
    ).rejects.toThrow(
      'GitLab sent more than 1 MiB for https://gitlab.example/api/v4/projects/1/repository/files/CODEOWNERS/raw?ref=main, the most the sync reads of a file; stopped reading. Ownership and .tekton files are small; check the file in the repository.',
    );
    expect(body.read.bytes).toBeLessThanOrEqual(3 * MiB);
  });

  it('reads the first 64 KiB of an error body only', async () => {
    const body = streamedBody(64 * MiB);
    const { fetch } = answeringFetch(() => new Response(body.stream, { status: 400 }));
    await expect(gitlab(fetch).getJson('/projects/1')).rejects.toThrow(
      /^GitLab answered 400 for \/api\/v4\/projects\/1 \( {200}\)\.$/,
    );
    expect(body.read.bytes).toBeLessThanOrEqual(3 * MiB);
  });
});

describe('pages', () => {
  it('stops a listing after 50 pages with an error for the repository', async () => {
    const { fetch, calls } = answeringFetch((url) => {
      const page = Number(new URL(url).searchParams.get('page') ?? '1');
      return Response.json([{ id: page }], {
        headers: { link: `</api/v4/projects/1/members/all?page=${page + 1}>; rel="next"` },
      });
    });
    await expect(gitlab(fetch).getAllPages('/projects/1/members/all')).rejects.toThrow(
      'GitLab lists more than 50 pages at /api/v4/projects/1/members/all; stopped reading. A listing this long is a forge fault or a wrong API URL (https://gitlab.example/api/v4).',
    );
    expect(calls).toHaveLength(50);
  });

  it('stops at once when a next link points back to a page already read', async () => {
    const { fetch, calls } = answeringFetch(() =>
      Response.json([{ id: 1 }], { headers: { 'x-next-page': '1' } }),
    );
    await expect(
      gitlab(fetch).getAllPages('/projects/1/issues', { page: 1, labels: 'help wanted' }),
    ).rejects.toThrow(
      'GitLab links /api/v4/projects/1/issues back to a page already read; stopped reading.',
    );
    expect(calls).toHaveLength(1);
  });
});

/** A fetch that never answers, as a forge that accepts the connection and stays silent. */
function silentFetch() {
  return answeringFetch(
    (_url, init) =>
      new Promise<Response>((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error));
      }),
  );
}

describe('time', () => {
  it('gives up on a request after the timeout, trying 3 times, and says so', async () => {
    const { fetch, calls } = silentFetch();
    const started = Date.now();
    const error = await gitlab(fetch, { timeoutMs: 100 })
      .getJson('/projects/1')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ForgeUnreachableError);
    expect((error as Error).message).toBe(
      'Could not reach GitLab at https://gitlab.example: no answer within 0.1 s, 3 tries. Check the network or the API URL; IMAGE_MODE_TIMEOUT_MS sets the timeout.',
    );
    expect(calls).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops the requests of a repository whose budget is spent, without a retry', async () => {
    const { fetch, calls } = silentFetch();
    const http = gitlab(fetch, { timeoutMs: 60_000 });
    const started = Date.now();
    await expect(
      runWithBudget(
        200,
        () => new ForgeError('gitlab.com', 'Reading https://gitlab.com/a/b took too long.'),
        () => http.getJson('/projects/1'),
      ),
    ).rejects.toThrow('Reading https://gitlab.com/a/b took too long.');
    expect(Date.now() - started).toBeLessThan(5000);
    // The request in flight was aborted, and none was sent after.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toHaveLength(1);
  });
});
