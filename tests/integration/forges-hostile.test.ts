/**
 * The repos sync against hostile forges on 127.0.0.1: a GitLab that redirects to another host
 * (localhost) recording the headers it gets, a listing whose next page never ends, a Forgejo whose
 * answer never ends or that answers too slowly for the time a repository is allowed, and a GitHub
 * that never answers. Tokens stay on their host; each failure is its repository's (or, for a forge
 * that does not answer, its host's), with a message that says what limit and what to do; the
 * other repositories keep their data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncRepos } from '../../src/sync/repos.ts';
import type { ReposSnapshot } from '../../src/snapshot/schema.ts';
import { createForgeRegistry, forgeConfigFromEnv } from '../../src/forges/config.ts';
import { makeCatalog } from '../fixtures/forges/small.ts';
import {
  startRecordingServer,
  streamForever,
  type RecordingServer,
} from '../helpers/recording-server.ts';

const GITLAB_TOKEN = 'glpat-HOSTILETEST0123';
const FORGEJO_TOKEN = 'forgejo-HOSTILETEST-4567';

let forges: RecordingServer;
let github: RecordingServer;
let snapshot: ReposSnapshot;
let started: number;
let elapsed: number;
const warnings: string[] = [];

const json = (body: unknown, headers: Record<string, string> = {}) =>
  [200, { 'content-type': 'application/json', ...headers }, JSON.stringify(body)] as const;

/** The answers of the GitLab and Forgejo APIs, by path. */
function answer(
  path: string,
  host: string,
  port: number,
): readonly [number, Record<string, string>, string] {
  const url = new URL(path, 'http://x');
  const gitlab = /^\/gitlab\/api\/v4\/projects\/([^/]+)(\/.*)?$/.exec(url.pathname);
  if (gitlab) {
    const [, project, rest = ''] = gitlab;
    if (project === 'ns%2Fredirect' && rest === '' && host.startsWith('127.0.0.1'))
      return [
        302,
        { location: `http://localhost:${port}/gitlab/api/v4/projects/ns%2Fredirect` },
        '',
      ];
    if (rest === '')
      return json({
        description: null,
        default_branch: 'main',
        archived: false,
        open_issues_count: 0,
      });
    if (project === 'ns%2Fpages' && rest === '/members/all') {
      const page = Number(url.searchParams.get('page') ?? '1');
      return json([{ username: `user${page}`, access_level: 40, state: 'active' }], {
        link: `</gitlab/api/v4/projects/ns%2Fpages/members/all?page=${page + 1}>; rel="next"`,
      });
    }
    return json([]);
  }
  const forgejo = /^\/forgejo\/api\/v1\/repos\/ns\/([^/]+)(\/.*)?$/.exec(url.pathname);
  if (forgejo) {
    const [, name, rest = ''] = forgejo;
    if (rest === '')
      return json({
        description: name,
        default_branch: 'main',
        archived: false,
        open_issues_count: 0,
        has_issues: true,
        html_url: `https://forge.fedoraproject.org/ns/${name}`,
      });
    if (name === 'slow' && rest === '/issues') {
      const page = Number(url.searchParams.get('page') ?? '1');
      return json(
        [
          {
            number: page,
            title: 'Help',
            html_url: `https://forge.fedoraproject.org/ns/slow/issues/${page}`,
            labels: [],
          },
        ],
        {
          link: `</forgejo/api/v1/repos/ns/slow/issues?page=${page + 1}>; rel="next"`,
        },
      );
    }
    return json([]);
  }
  return [404, { 'content-type': 'application/json' }, '{"message":"Not Found"}'];
}

beforeAll(async () => {
  forges = await startRecordingServer(async (request, response, self) => {
    const path = request.url ?? '/';
    if (path.startsWith('/forgejo/api/v1/repos/ns/endless')) return streamForever(response, self);
    if (path.startsWith('/forgejo/api/v1/repos/ns/slow'))
      await new Promise((resolve) => setTimeout(resolve, 1000));
    const [status, headers, body] = answer(path, request.headers.host ?? '', self.port);
    response.writeHead(status, headers).end(body);
  });
  // A GitHub that accepts every connection and never answers.
  github = await startRecordingServer(() => {});
  const registry = createForgeRegistry(
    forgeConfigFromEnv({
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: 'ghp_HOSTILETEST',
      GITLAB_API_URL: `${forges.url}/gitlab/api/v4`,
      GITLAB_TOKEN,
      FORGEJO_API_URL: `${forges.url}/forgejo/api/v1`,
      FORGEJO_TOKEN,
      IMAGE_MODE_TIMEOUT_MS: '2000',
      IMAGE_MODE_REPO_BUDGET_MS: '8000',
    }),
    { sleep: async () => {}, retryAfterBaseValue: 1 },
  );
  const repos = [
    'https://gitlab.com/ns/redirect',
    'https://gitlab.com/ns/pages',
    'https://forge.fedoraproject.org/ns/endless',
    'https://forge.fedoraproject.org/ns/slow',
    'https://forge.fedoraproject.org/ns/good',
    'https://github.com/o/silent',
  ];
  started = Date.now();
  snapshot = await syncRepos(
    makeCatalog(
      [{ id: 'sig', name: 'SIG' }],
      [
        {
          id: 'sub',
          name: 'Sub',
          summary: 'A subproject.',
          sigs: ['sig'],
          repos: repos.map((url) => ({ url, role: 'source' })),
        },
      ],
    ),
    undefined,
    {
      forges: registry,
      log: { info: () => {}, warn: (message) => warnings.push(message) },
    },
  );
  elapsed = Date.now() - started;
}, 60_000);

afterAll(async () => {
  await forges?.close();
  await github?.close();
});

function repo(url: string) {
  return snapshot.repos.find((entry) => entry.url === url)!;
}

describe('hostile forges', () => {
  it('keep the GitLab token on its host when a redirect leaves it', () => {
    const project = forges.requests.filter(
      (r) => r.path.split('?')[0] === '/gitlab/api/v4/projects/ns%2Fredirect',
    );
    expect(project.map((r) => [r.headers.host, r.headers['private-token']])).toEqual([
      [`127.0.0.1:${forges.port}`, GITLAB_TOKEN],
      [`localhost:${forges.port}`, undefined],
    ]);
    expect(
      forges.requests
        .filter((r) => String(r.headers.host).startsWith('localhost'))
        .every(
          (r) => r.headers['private-token'] === undefined && r.headers.authorization === undefined,
        ),
    ).toBe(true);
    expect(repo('https://gitlab.com/ns/redirect').status).toBe('live');
  });

  it('stop a listing whose next page never ends after 50 pages, for that repository', () => {
    expect(repo('https://gitlab.com/ns/pages')).toMatchObject({
      status: 'unavailable',
      error:
        'GitLab lists more than 50 pages at /gitlab/api/v4/projects/ns%2Fpages/members/all; stopped reading. A listing this long is a forge fault or a wrong API URL (' +
        `${forges.url}/gitlab/api/v4).`,
    });
    expect(forges.requests.filter((r) => r.path.includes('ns%2Fpages/members/all'))).toHaveLength(
      50,
    );
  });

  it('stop reading an answer without end at 16 MiB', () => {
    expect(repo('https://forge.fedoraproject.org/ns/endless')).toMatchObject({
      status: 'unavailable',
      error: `Forgejo sent more than 16 MiB for ${forges.url}/forgejo/api/v1/repos/ns/endless, the most the sync reads of an API answer; stopped reading. Check the API URL (${forges.url}/forgejo/api/v1).`,
    });
    expect(forges.written.bytes).toBeLessThan(64 << 20);
  });

  it('stop a repository that takes longer than its budget, and the others keep their data', () => {
    expect(repo('https://forge.fedoraproject.org/ns/slow')).toMatchObject({
      status: 'unavailable',
      error:
        'Reading https://forge.fedoraproject.org/ns/slow took longer than 8 s, the time allowed per repository; stopped. The forge is slow or the repository very large: sync it again later, or raise IMAGE_MODE_REPO_BUDGET_MS.',
    });
    expect(repo('https://forge.fedoraproject.org/ns/good')).toMatchObject({
      status: 'live',
      facts: { description: 'good' },
    });
  });

  it('give up on a forge that never answers after the timeout', () => {
    expect(repo('https://github.com/o/silent')).toMatchObject({
      status: 'unavailable',
      error: `Could not reach GitHub at ${github.url}: no answer within 2 s. Check the network or GITHUB_API_URL; IMAGE_MODE_TIMEOUT_MS sets the timeout.`,
    });
    expect(github.requests).toHaveLength(3);
    expect(elapsed).toBeLessThan(30_000);
  });
});
