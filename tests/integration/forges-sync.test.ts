/**
 * The repos sync against a local forge server speaking the GitHub, GitLab, Forgejo and pagure
 * APIs: ownership with its sources, conditional requests, pipelines, rate limits and failures.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditOwnership } from '../../src/sync/audit.ts';
import { syncRepos, type SyncReposOptions } from '../../src/sync/repos.ts';
import {
  ReposSnapshotSchema,
  type ReposSnapshot,
  type RepoSnapshot,
} from '../../src/snapshot/schema.ts';
import { createForgeRegistry, forgeConfigFromEnv } from '../../src/forges/config.ts';
import { loadEtagCache, type EtagCache } from '../../src/forges/etag-cache.ts';
import { startForgeServer, type ForgeServer } from '../helpers/forge-server.ts';
import { makeCatalog, smallCatalog, smallRepos } from '../fixtures/forges/small.ts';
import type { Catalog } from '../../src/catalog/schema.ts';

const TOKENS = {
  GITHUB_TOKEN: 'ghp_TESTTOKENgithub0123456789abcdef',
  GITLAB_TOKEN: 'glpat-TESTTOKENgitlab0123',
  FORGEJO_TOKEN: 'forgejo-TESTTOKEN-4567',
};

let server: ForgeServer;
let dir: string;
let logs: string[];

beforeAll(async () => {
  server = await startForgeServer(smallRepos());
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  server.repos.splice(0, server.repos.length, ...smallRepos());
  server.maxPageSize = 100;
  server.clearRequests();
  server.clearLimits();
  dir = await mkdtemp(join(tmpdir(), 'forges-'));
  logs = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function env(overrides: Record<string, string | undefined> = {}) {
  return {
    GITHUB_API_URL: server.githubApiUrl,
    GITLAB_API_URL: server.gitlabApiUrl,
    FORGEJO_API_URL: server.forgejoApiUrl,
    IMAGE_MODE_FORGES: `pagure.io=${server.pagureApiUrl}`,
    ...TOKENS,
    ...overrides,
  };
}

async function sync(
  previous?: ReposSnapshot,
  options: {
    catalog?: Catalog;
    cache?: EtagCache;
    env?: Record<string, string | undefined>;
    sync?: Partial<SyncReposOptions>;
    waits?: number[];
  } = {},
) {
  const cache = options.cache ?? (await loadEtagCache(join(dir, 'etags.json')));
  const forges = createForgeRegistry(forgeConfigFromEnv(options.env ?? env()), {
    cache,
    retryAfterBaseValue: 10,
    retries: 0,
    sleep: async (ms) => void options.waits?.push(ms),
    warn: (message) => logs.push(`warn: ${message}`),
  });
  const snapshot = await syncRepos(options.catalog ?? smallCatalog(), previous, {
    forges,
    now: () => new Date('2026-11-28T02:00:00Z'),
    log: {
      info: (message) => logs.push(`info: ${message}`),
      warn: (message) => logs.push(`warn: ${message}`),
    },
    ...options.sync,
  });
  await cache.save();
  return { snapshot: ReposSnapshotSchema.parse(snapshot), cache, forges };
}

const repo = (snapshot: ReposSnapshot, url: string): RepoSnapshot => {
  const found = snapshot.repos.find((item) => item.url === url);
  if (!found) throw new Error(`no ${url} in snapshot`);
  return found;
};

describe('syncRepos against a local forge server', () => {
  it('puts the CODEOWNERS owners of a repo in the snapshot with the file and line they came from', async () => {
    const { snapshot } = await sync();
    const bluefin = repo(snapshot, 'https://github.com/ublue-os/bluefin');
    expect(bluefin.status).toBe('live');
    expect(bluefin.owners).toEqual([
      {
        handle: 'github:castrojo',
        sources: [{ kind: 'codeowners', file: '.github/CODEOWNERS', line: 2, pattern: '*' }],
      },
      {
        handle: 'github:m2giles',
        sources: [{ kind: 'codeowners', file: '.github/CODEOWNERS', line: 2, pattern: '*' }],
      },
      {
        handle: 'github:p5',
        sources: [{ kind: 'codeowners', file: '.github/CODEOWNERS', line: 2, pattern: '*' }],
      },
      {
        handle: 'github:tulilirockz',
        sources: [{ kind: 'codeowners', file: '.github/CODEOWNERS', line: 2, pattern: '*' }],
      },
      {
        handle: 'github:ublue-os/approver',
        sources: [
          { kind: 'codeowners', file: '.github/CODEOWNERS', line: 3, pattern: '/system_files/' },
        ],
      },
    ]);
  });

  it('reads repo facts, good first issues and owners from GitHub, GitLab, Forgejo and pagure', async () => {
    const { snapshot } = await sync();
    expect(repo(snapshot, 'https://github.com/ublue-os/bluefin').facts).toEqual({
      description:
        'The next generation Linux workstation, designed for reliability, performance, and sustainability.',
      defaultBranch: 'main',
      lastCommitAt: '2026-11-20T12:00:00.000Z',
      archived: false,
      license: 'Apache-2.0',
      latestRelease: {
        name: 'stable-20261124: Fedora 44',
        tag: 'stable-20261124',
        publishedAt: '2026-11-24T06:00:00.000Z',
        url: 'https://github.com/ublue-os/bluefin/releases/tag/stable-20261124',
      },
      openIssues: 4,
      goodFirstIssues: {
        count: 3,
        items: [
          {
            title: 'Fix typo in README',
            url: 'https://github.com/ublue-os/bluefin/issues/103',
            labels: ['good first issue', 'help wanted'],
          },
          {
            title: 'Add a just recipe for toolbox',
            url: 'https://github.com/ublue-os/bluefin/issues/102',
            labels: ['help wanted'],
          },
          {
            title: 'Document brew setup',
            url: 'https://github.com/ublue-os/bluefin/issues/101',
            labels: ['documentation', 'good first issue'],
          },
        ],
      },
    });
    expect(repo(snapshot, 'https://github.com/ublue-os/main').facts?.latestRelease).toEqual({
      name: 'v2.0',
      tag: 'v2.0',
      publishedAt: null,
      url: 'https://github.com/ublue-os/main/tree/v2.0',
    });
    const fcc = repo(snapshot, 'https://github.com/coreos/fedora-coreos-config');
    expect(fcc.facts?.defaultBranch).toBe('testing-devel');
    expect(
      fcc.owners.map((owner) => [
        owner.handle,
        owner.sources[0]!.file,
        owner.sources[0]!.line,
        owner.sources[0]!.detail,
      ]),
    ).toEqual([
      ['github:dustymabe', 'OWNERS', 2, 'approver'],
      ['github:jlebon', 'OWNERS', 3, 'approver'],
      ['github:travier', 'OWNERS', 5, 'reviewer'],
    ]);

    const gitlab = repo(snapshot, 'https://gitlab.com/fedora/bootc/base-images');
    expect(gitlab.status).toBe('live');
    expect(gitlab.facts).toMatchObject({
      license: 'MIT License',
      defaultBranch: 'main',
      lastCommitAt: '2026-11-27T15:00:00.000Z',
      latestRelease: {
        tag: 'v44.0',
        url: 'https://gitlab.com/fedora/bootc/base-images/-/tags/v44.0',
      },
      goodFirstIssues: { count: 1 },
    });
    expect(gitlab.owners).toEqual([
      {
        handle: 'gitlab:fedora',
        sources: [{ kind: 'api', detail: 'group that holds the project' }],
      },
      {
        handle: 'gitlab:fedora/bootc',
        sources: [{ kind: 'api', detail: 'group that holds the project' }],
      },
      {
        handle: 'gitlab:jmarrero',
        sources: [{ kind: 'api', detail: 'maintainer (access level 40)' }],
      },
      { handle: 'gitlab:walters', sources: [{ kind: 'api', detail: 'owner (access level 50)' }] },
    ]);

    const forgejo = repo(snapshot, 'https://forge.fedoraproject.org/atomic-desktops/tracker');
    expect(forgejo.facts).toMatchObject({
      description: 'Issue tracker for the Fedora Atomic Desktops SIG',
      latestRelease: null,
      goodFirstIssues: {
        count: 1,
        items: [{ url: 'https://forge.fedoraproject.org/atomic-desktops/tracker/issues/91' }],
      },
    });
    expect(
      forgejo.owners.map((owner) => [
        owner.handle,
        owner.sources.map((source) => source.detail ?? `${source.file}:${source.line}`),
      ]),
    ).toEqual([
      ['forgejo:atomic-desktops/maintainers', ['team (admin)']],
      ['forgejo:travier', ['collaborator', 'MAINTAINERS:1']],
    ]);

    const pagure = repo(snapshot, 'https://pagure.io/workstation-ostree-config');
    expect(pagure).toMatchObject({ forge: 'pagure', status: 'live', facts: null });
    expect(pagure.owners.map((owner) => [owner.handle, owner.sources[0]!.detail])).toEqual([
      ['fas:@workstation', 'commit group (pagure access)'],
      ['fas:siosm', 'admin (pagure access)'],
      ['fas:tpopela', 'commit (pagure access)'],
      ['fas:walters', 'owner (pagure access)'],
    ]);
  });

  it('links a PipelineRun to the catalog image it builds, naming the rule', async () => {
    const { snapshot } = await sync();
    expect(repo(snapshot, 'https://gitlab.com/fedora/bootc/base-images').pipelines).toEqual([
      expect.objectContaining({
        file: '.tekton/fedora-bootc-44-standard-push.yaml',
        name: 'fedora-bootc-44-standard-on-push',
        event: 'push',
        branch: 'main',
        application: 'fedora-bootc-44',
        component: 'fedora-bootc-44-standard',
        platforms: ['linux/amd64', 'linux/arm64', 'linux/ppc64le', 'linux/s390x'],
        images: ['quay.io/bootc-devel/fedora-bootc-44-standard'],
        imageLinks: [
          { image: 'quay.io/bootc-devel/fedora-bootc-44-standard', rule: 'component-name' },
        ],
      }),
    ]);
    expect(repo(snapshot, 'https://github.com/coreos/fedora-coreos-config').pipelines).toEqual([
      expect.objectContaining({
        branch: 'testing-devel',
        images: ['quay.io/coreos-devel/fedora-coreos'],
        imageLinks: [{ image: 'quay.io/coreos-devel/fedora-coreos', rule: 'konflux-intermediate' }],
      }),
    ]);
  });

  it('sends only conditional requests on a second sync with nothing changed, and gets 304s', async () => {
    const first = await sync();
    const firstCount = server.requests.length;
    expect(server.requests.every((request) => request.ifNoneMatch === undefined)).toBe(true);
    server.clearRequests();
    // A new process: the cache comes back from the file the first sync saved.
    const second = await sync(first.snapshot, {
      cache: await loadEtagCache(join(dir, 'etags.json')),
    });
    const byForge = (forge: string) => server.requests.filter((request) => request.forge === forge);
    expect(server.requests.length).toBe(firstCount);
    for (const forge of ['github', 'gitlab', 'forgejo', 'pagure']) {
      expect(byForge(forge).length).toBeGreaterThan(0);
      expect(
        byForge(forge).filter(
          (request) => request.ifNoneMatch === undefined || request.status !== 304,
        ),
      ).toEqual(
        // Only the repository that does not exist is asked again without an ETag.
        forge === 'github'
          ? [expect.objectContaining({ path: '/repos/ublue-os/gone', status: 404 })]
          : [],
      );
    }
    expect(second.forges.github.notModified).toBe(byForge('github').length - 1);
    expect(logs).toContain(
      `info: GitHub: ${byForge('github').length} requests, ${byForge('github').length - 1} answered 304 Not Modified from the ETag cache.`,
    );
    const strip = (snapshot: ReposSnapshot) => JSON.stringify({ ...snapshot, generatedAt: '' });
    expect(strip(second.snapshot)).toBe(strip(first.snapshot));
  });

  it('refreshes only what changed: a new commit is read, unchanged files are 304s', async () => {
    const first = await sync();
    server.clearRequests();
    const bluefin = server.repos.find((item) => item.path === 'ublue-os/bluefin')!;
    bluefin.commits!.unshift({
      sha: 'ffff0000000000000000000000000000000000ff',
      date: '2026-11-28T01:00:00Z',
    });
    const second = await sync(first.snapshot, { cache: first.cache });
    expect(repo(second.snapshot, 'https://github.com/ublue-os/bluefin').facts?.lastCommitAt).toBe(
      '2026-11-28T01:00:00.000Z',
    );
    const fresh = server.requests.filter((request) => request.status === 200);
    expect(fresh.map((request) => `${request.forge} ${request.path}`)).toEqual([
      'github /repos/ublue-os/bluefin',
      'github /repos/ublue-os/bluefin/commits?sha=main&per_page=1',
    ]);
  });

  it('stops a rate-limited forge with the reset time and leaves the other forges complete', async () => {
    const first = await sync();
    server.clearRequests();
    server.limit('github', { count: Infinity, resetInSeconds: 3600 });
    const second = await sync(first.snapshot, { sync: { concurrency: 1 } });
    const github = second.snapshot.repos.filter((item) => item.forge === 'github');
    for (const item of github) {
      const before = repo(first.snapshot, item.url);
      if (before.status === 'unavailable') continue;
      expect(item.status).toBe('stale');
      expect(item.facts).toEqual(before.facts);
      expect(item.owners).toEqual(before.owners);
      expect(item.fetchedAt).toBe(before.fetchedAt);
      expect(item.error).toMatch(
        /^GitHub rate limit reached on github\.com; it resets at \d{4}-\d\d-\d\dT[\d:.]+Z \(in 60 min\)\. Skipping the remaining GitHub repositories; sync again after the reset\.$/,
      );
    }
    // One refused request stopped GitHub; nothing else was asked of it.
    expect(server.requests.filter((request) => request.forge === 'github')).toHaveLength(1);
    for (const item of second.snapshot.repos.filter((entry) => entry.forge !== 'github')) {
      expect(item.status).toBe('live');
      expect(item).toEqual({ ...repo(first.snapshot, item.url), fetchedAt: item.fetchedAt });
    }
    expect(logs.filter((line) => line.includes('rate limit reached'))).toHaveLength(1);
  });

  it('marks never-fetched repos of a rate-limited forge unavailable, and says to set a token', async () => {
    server.limit('github', { count: Infinity, resetInSeconds: 1800 });
    const { snapshot } = await sync(undefined, { env: env({ GITHUB_TOKEN: undefined }) });
    const bluefin = repo(snapshot, 'https://github.com/ublue-os/bluefin');
    expect(bluefin).toMatchObject({ status: 'unavailable', facts: null, fetchedAt: null });
    expect(bluefin.error).toContain('set GITHUB_TOKEN for 5,000 requests an hour instead of 60');
    expect(logs.filter((line) => line.includes('GITHUB_TOKEN is not set'))).toEqual([
      'warn: GITHUB_TOKEN is not set: GitHub allows 60 requests an hour without a token, and 304 answers still count. Set GITHUB_TOKEN for 5,000 an hour.',
    ]);
  });

  it('never keeps sample data as the last good data of a real sync', async () => {
    const sample = await sync(undefined, { sync: { sample: { note: 'fixture' } } });
    expect(sample.snapshot).toMatchObject({ sample: true, sampleNote: 'fixture' });
    server.limit('github', { count: Infinity, resetInSeconds: 3600 });
    const { snapshot } = await sync(sample.snapshot);
    expect(snapshot.sample).toBe(false);
    expect(repo(snapshot, 'https://github.com/ublue-os/bluefin')).toMatchObject({
      status: 'unavailable',
      facts: null,
      owners: [],
    });
  });

  it('waits for a rate limit that resets soon, then goes on', async () => {
    server.limit('github', { count: 1, resetInSeconds: 1 });
    server.limit('gitlab', { count: 1, resetInSeconds: 1 });
    const waits: number[] = [];
    const { snapshot } = await sync(undefined, { waits });
    expect(snapshot.repos.filter((item) => item.status !== 'live').map((item) => item.url)).toEqual(
      ['https://github.com/ublue-os/gone'],
    );
    expect(waits).toHaveLength(1); // GitLab's wait goes through the injected sleep; GitHub's through the throttling plugin
    expect(
      logs.some((line) => /warn: GitHub rate limit reached; waiting \d s for the reset/.test(line)),
    ).toBe(true);
  });

  it('stops GitHub on a secondary rate limit with a long Retry-After', async () => {
    server.limit('github', { count: Infinity, resetInSeconds: 600, secondary: true });
    const { snapshot } = await sync();
    expect(repo(snapshot, 'https://github.com/ublue-os/main').error).toMatch(
      /^GitHub secondary rate limit reached on github\.com; it resets at .* \(in 10 min\)\./,
    );
    expect(repo(snapshot, 'https://gitlab.com/fedora/bootc/base-images').status).toBe('live');
  });

  it('stops a forge it cannot reach after one failure, and goes on with the others', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { snapshot } = await sync(undefined, {
      env: env({ GITLAB_API_URL: `http://127.0.0.1:${port}/api/v4` }),
      sync: { concurrency: 1 },
    });
    expect(repo(snapshot, 'https://gitlab.com/fedora/bootc/base-images')).toMatchObject({
      status: 'unavailable',
      error: `Could not reach GitLab at http://127.0.0.1:${port}: fetch failed. Check the network or the API URL.`,
    });
    expect(
      snapshot.repos.filter((item) => item.forge !== 'gitlab' && item.status === 'live'),
    ).toHaveLength(5);
    expect(logs).toContain('info: gitlab.com: 0 of 1 repositories read (stopped: unreachable).');
  });

  it('reads repos whose issues are turned off, with no good first issues', async () => {
    for (const fixture of server.repos)
      if (fixture.path === 'ublue-os/bluefin' || fixture.forge === 'gitlab')
        fixture.issuesDisabled = true;
    const { snapshot } = await sync();
    for (const url of [
      'https://github.com/ublue-os/bluefin',
      'https://gitlab.com/fedora/bootc/base-images',
    ]) {
      expect(repo(snapshot, url)).toMatchObject({
        status: 'live',
        facts: { goodFirstIssues: { count: 0, items: [] } },
      });
    }
  });

  it('reports a missing repo as an error for that repo only', async () => {
    const { snapshot } = await sync();
    expect(repo(snapshot, 'https://github.com/ublue-os/gone')).toEqual({
      url: 'https://github.com/ublue-os/gone',
      forge: 'github',
      status: 'unavailable',
      fetchedAt: null,
      error:
        'not found on GitHub (404): ublue-os/gone does not exist or is private. Check the URL in the catalog; the token may lack access to it.',
      facts: null,
      owners: [],
      pipelines: [],
    });
    expect(snapshot.repos.filter((item) => item.status === 'live')).toHaveLength(6);
  });

  it('follows pagination for issues and members', async () => {
    server.maxPageSize = 1;
    const { snapshot } = await sync();
    expect(repo(snapshot, 'https://github.com/ublue-os/bluefin').facts?.goodFirstIssues.count).toBe(
      3,
    );
    expect(
      repo(snapshot, 'https://gitlab.com/fedora/bootc/base-images').owners.map(
        (owner) => owner.handle,
      ),
    ).toEqual(['gitlab:fedora', 'gitlab:fedora/bootc', 'gitlab:jmarrero', 'gitlab:walters']);
    expect(
      server.requests.some(
        (request) =>
          request.forge === 'gitlab' &&
          request.path.includes('members/all') &&
          request.path.includes('page=2'),
      ),
    ).toBe(true);
  });

  it('reads a self-hosted GitLab through IMAGE_MODE_FORGES without sending it the gitlab.com token', async () => {
    const catalog = makeCatalog(
      [
        {
          id: 'bootc-sig',
          name: 'Fedora bootc',
          contacts: { matrix: ['#bootc:fedoraproject.org'] },
        },
      ],
      [
        {
          id: 'base',
          name: 'Base',
          summary: 'Base images.',
          sigs: ['bootc-sig'],
          repos: [{ url: 'https://gitlab.example.org/fedora/bootc/base-images', role: 'source' }],
        },
      ],
    );
    const { snapshot } = await sync(undefined, {
      catalog,
      env: env({ IMAGE_MODE_FORGES: `gitlab.example.org=${server.gitlabApiUrl}` }),
    });
    expect(snapshot.repos).toEqual([
      expect.objectContaining({
        url: 'https://gitlab.example.org/fedora/bootc/base-images',
        forge: 'gitlab',
        status: 'live',
      }),
    ]);
    expect(server.requests.length).toBeGreaterThan(3);
    expect(server.requests.filter((request) => request.auth !== undefined)).toEqual([]);
  });

  it('sends tokens to their own forge only, and never writes or logs them', async () => {
    const first = await sync();
    server.limit('github', { count: Infinity, resetInSeconds: 3600 });
    server.repos.find((item) => item.forge === 'gitlab')!.private = true;
    const { snapshot } = await sync(first.snapshot);
    const audit = auditOwnership(smallCatalog(), snapshot, new Date('2026-11-28T02:00:00Z'));
    const written = [
      JSON.stringify(first.snapshot),
      JSON.stringify(snapshot),
      JSON.stringify(audit),
      await readFile(join(dir, 'etags.json'), 'utf8'),
      logs.join('\n'),
    ].join('\n');
    expect(logs.length).toBeGreaterThan(3);
    for (const token of Object.values(TOKENS)) expect(written).not.toContain(token);
    const auth = (forge: string) =>
      new Set(
        server.requests.filter((request) => request.forge === forge).map((request) => request.auth),
      );
    expect(auth('github')).toEqual(new Set([`token ${TOKENS.GITHUB_TOKEN}`]));
    expect(auth('gitlab')).toEqual(new Set([TOKENS.GITLAB_TOKEN]));
    expect(auth('forgejo')).toEqual(new Set([`token ${TOKENS.FORGEJO_TOKEN}`]));
    expect(auth('pagure')).toEqual(new Set([undefined]));
  });
});
