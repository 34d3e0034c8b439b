/**
 * `npm run bench:sync -- [--repos N] [--tags N] [--latency MS] [--concurrency N,N] [--skopeo-sample N]`
 *
 * A local docker-registry with ≥ 500 tags in ≥ 15 repositories, behind a proxy that adds a fixed
 * latency per request (20 ms, like a remote registry) and asks for Bearer tokens. Reports, side by
 * side: requests made against the minimum needed (tag pages + one HEAD per tag + one GET per unique
 * manifest + one per unique config + tokens), the wall time of a cold sync, of a re-sync with nothing
 * changed, and of the same data gathered by a skopeo loop (list-tags, then inspect per tag). The
 * skopeo loop runs on a sample of tags and is extrapolated to all of them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { syncImages } from '../../src/sync/images.ts';
import { SubprojectSchema, type Catalog } from '../../src/catalog/schema.ts';
import { readRegistryConfig } from '../../src/registry/config.ts';
import { createClientFromConfig } from '../../src/registry/setup.ts';
import { makeLayer, pushImage, retag, startRegistry } from '../helpers/registry.ts';
import { startProxyWorker } from '../helpers/proxy-worker.ts';
import type { SeenRequest } from '../helpers/registry-proxy.ts';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    repos: { type: 'string', default: '15' },
    tags: { type: 'string', default: '34' },
    latency: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: 'default,4,16' },
    'skopeo-sample': { type: 'string', default: '30' },
  },
});
const REPOS = Number(values.repos);
const TAGS = Number(values.tags);
const LATENCY = Number(values.latency);
// Each mode is "default" (the sync's own setting: adaptive, from 4 up to 16 per host) or a fixed number.
const CONCURRENCY = values.concurrency
  .split(',')
  .map((mode) => (mode === 'default' ? mode : Number(mode)));
const SAMPLE = Number(values['skopeo-sample']);

const registry = await startRegistry();
const proxy = await startProxyWorker(registry.url, {
  token: true,
  tagPageSize: 100,
  latencyMs: LATENCY,
});
try {
  // Load: REPOS repositories × TAGS tags. Every fourth tag is an alias of the one before it (like
  // latest/44), half the repositories are multi-arch indexes sharing a base layer.
  const t0 = Date.now();
  const repos = Array.from(
    { length: REPOS },
    (_, r) => `bench/image-${String(r).padStart(2, '0')}`,
  );
  await Promise.all(
    repos.map(async (repo, r) => {
      const archs = r % 2 === 0 ? ['amd64', 'arm64'] : ['amd64'];
      let previous = '';
      for (let t = 0; t < TAGS; t++) {
        const tag = `44.2026${String(1 + Math.floor(t / 28)).padStart(2, '0')}${String(1 + (t % 28)).padStart(2, '0')}.0`;
        if (t % 4 === 3 && previous) {
          await retag(registry.url, repo, previous, tag);
          continue;
        }
        await pushImage(registry.url, repo, tag, {
          platforms: archs.map((architecture) => ({
            architecture,
            layers: [
              makeLayer(`base:${architecture}`),
              makeLayer(`${repo}:${tag}:${architecture}`),
            ],
            labels: { 'containers.bootc': '1', 'org.opencontainers.image.version': tag },
            created: new Date(Date.UTC(2026, 0, 1) + t * 86_400_000).toISOString(),
          })),
        });
        previous = tag;
      }
    }),
  );
  const loadSeconds = (Date.now() - t0) / 1000;

  const subproject = SubprojectSchema.parse({
    id: 'bench',
    name: 'Bench',
    summary: 'Benchmark images.',
    sigs: ['bench'],
    images: repos.map((repo) => ({
      ref: `quay.io/${repo}`,
      role: 'ci',
      streams: [{ name: 'all', match: '<any>', keep: 500 }],
    })),
  });
  const catalog: Catalog = { initiative: undefined as never, sigs: [], subprojects: [subproject] };

  const defaults = readRegistryConfig({ HOME: '/nonexistent' });
  /** A cold sync then a re-sync with nothing changed, at one concurrency mode. */
  async function measure(concurrency: number | 'default') {
    const cacheDir = await mkdtemp(join(tmpdir(), 'imh-bench-cache-'));
    try {
      const config = {
        ...readRegistryConfig({
          HOME: '/nonexistent',
          IMAGE_MODE_REGISTRIES: `quay.io=${proxy.url}`,
        }),
        ...(concurrency === 'default' ? {} : { concurrency, maxConcurrency: concurrency }),
      };
      await proxy.reset();
      let tokens = (await proxy.stats()).issuedTokens;
      let start = Date.now();
      const cold = await syncImages(catalog, undefined, {
        client: createClientFromConfig(config, { cacheDir }),
      });
      const coldSeconds = (Date.now() - start) / 1000;
      const coldStats = await proxy.stats();
      const coldRequests = coldStats.requests.length;
      const coldTokens = coldStats.issuedTokens - tokens;
      const coldKinds = kinds(coldStats.requests);
      const configs = coldStats.requests.filter(
        (r) => r.method === 'GET' && r.path.includes('/blobs/') && r.status === 200,
      ).length;

      // Re-sync with nothing changed: a new client, as a new process would be (tokens again, cache from disk).
      await proxy.reset();
      tokens = coldStats.issuedTokens;
      start = Date.now();
      await syncImages(catalog, cold, { client: createClientFromConfig(config, { cacheDir }) });
      const warmSeconds = (Date.now() - start) / 1000;
      const warmStats = await proxy.stats();
      return {
        cold,
        coldSeconds,
        coldRequests,
        coldTokens,
        coldKinds,
        configs,
        warmSeconds,
        warmRequests: warmStats.requests.length,
        warmTokens: warmStats.issuedTokens - tokens,
        warmKinds: kinds(warmStats.requests),
      };
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  }
  function kinds(requests: SeenRequest[]): string {
    const counts = new Map<string, number>();
    for (const r of requests) {
      const kind = `${r.method} ${r.path === '/token' ? 'token' : r.path.replace(/^\/v2\/.+?\/(tags\/list|manifests|blobs|referrers)\/?.*$/, '$1')}${r.status === 401 ? ' (401)' : ''}`;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    return [...counts.entries()]
      .sort()
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
  }

  // Warm the registry's own caches once (not reported), so that the first measured run is not penalised.
  await measure(16);
  const results = [];
  for (const c of CONCURRENCY)
    results.push({
      concurrency:
        c === 'default'
          ? `${defaults.concurrency} → ${defaults.maxConcurrency} (default, adaptive)`
          : `${c} (fixed)`,
      ...(await measure(c)),
    });
  const first = results[0]!;

  // The minimum for the data gathered.
  const tagCount = first.cold.images.reduce((n, i) => n + i.tags.length, 0);
  const pages = first.cold.images.reduce((n, i) => n + Math.max(1, Math.ceil(i.tagCount / 100)), 0);
  const manifests = new Set<string>();
  for (const image of first.cold.images) {
    for (const tag of image.tags) {
      manifests.add(`${image.ref}@${tag.digest}`);
      for (const p of tag.platforms) manifests.add(`${image.ref}@${p.digest}`);
    }
  }
  const minimum = pages + tagCount + manifests.size + first.configs + first.coldTokens;
  const warmTarget = pages + tagCount + first.warmTokens;

  // skopeo loop on a sample, extrapolated.
  const skopeo = (...args: string[]) => run('skopeo', args, { maxBuffer: 1 << 24 });
  const sampleRepos = repos.slice(0, Math.max(1, Math.ceil(SAMPLE / TAGS)));
  let listed = 0;
  let inspected = 0;
  const listStart = Date.now();
  const sampleTags: Array<[string, string]> = [];
  for (const repo of sampleRepos) {
    const out = await skopeo('list-tags', '--tls-verify=false', `docker://${proxy.host}/${repo}`);
    listed++;
    for (const tag of (JSON.parse(out.stdout) as { Tags: string[] }).Tags)
      sampleTags.push([repo, tag]);
  }
  const listSeconds = (Date.now() - listStart) / 1000 / listed;
  const inspectStart = Date.now();
  for (const [repo, tag] of sampleTags.slice(0, SAMPLE)) {
    await skopeo('inspect', '--tls-verify=false', `docker://${proxy.host}/${repo}:${tag}`);
    inspected++;
  }
  const inspectSeconds = (Date.now() - inspectStart) / 1000 / inspected;
  const skopeoSeconds = listSeconds * REPOS + inspectSeconds * tagCount;

  const f = (n: number) => n.toFixed(1);
  console.log(
    `Benchmark: ${REPOS} repositories, ${tagCount} tags (${manifests.size} unique manifests, ${first.configs} unique configs), ${LATENCY} ms added per request, token auth, tag pages of 100. Loading the registry took ${f(loadSeconds)} s.`,
  );
  console.log(
    `Minimum for a cold sync: ${minimum} = ${pages} tag pages + ${tagCount} HEADs + ${manifests.size} manifests + ${first.configs} configs + ${first.coldTokens} tokens.`,
  );
  console.log(
    `Target for a re-sync with nothing changed: ${warmTarget} = ${pages} tag pages + ${tagCount} tags + ${first.warmTokens} tokens.`,
  );
  console.log(
    `skopeo loop: ${f(skopeoSeconds)} s, extrapolated from ${listed} list-tags (${f(listSeconds * 1000)} ms each) and ${inspected} inspects (${f(inspectSeconds * 1000)} ms each) to ${REPOS} list-tags and ${tagCount} inspects.`,
  );
  console.log('');
  console.log(
    '| concurrency per host | cold sync: requests (× minimum) | cold sync: wall time (× faster than skopeo) | re-sync: requests (target) | re-sync: wall time |',
  );
  console.log('|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(
      `| ${r.concurrency} | ${r.coldRequests} (${(r.coldRequests / minimum).toFixed(2)}×) | ${f(r.coldSeconds)} s (${(skopeoSeconds / r.coldSeconds).toFixed(1)}×) | ${r.warmRequests} (≤ ${warmTarget}) | ${f(r.warmSeconds)} s |`,
    );
  }
  console.log('');
  for (const r of results)
    console.log(`concurrency ${r.concurrency}: cold = ${r.coldKinds}; re-sync = ${r.warmKinds}`);
} finally {
  await proxy.stop();
  await registry.stop();
}
