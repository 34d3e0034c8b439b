/**
 * The image sync against a hostile registry on 127.0.0.1, whose token server is another host
 * (127.0.0.2) and which redirects to a third name (localhost): credentials stay on their host, and
 * bodies without end, labels by the thousand, an index listing one child 20,000 times and tag names
 * that are shell commands each cost bounded work, fail or warn for their own image only.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncImages } from '../../src/sync/images.ts';
import type { ImagesSnapshot } from '../../src/snapshot/schema.ts';
import { readRegistryConfig } from '../../src/registry/config.ts';
import { createClientFromConfig } from '../../src/registry/setup.ts';
import { catalogOf } from '../helpers/image-catalog.ts';
import {
  startRecordingServer,
  streamForever,
  type RecordingServer,
} from '../helpers/recording-server.ts';

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const INDEX = 'application/vnd.oci.image.index.v1+json';

/** Content by digest, as a registry keeps it. */
const content = new Map<string, { bytes: Buffer; type: string }>();
function put(document: unknown, type: string): string {
  const bytes = Buffer.from(JSON.stringify(document));
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  content.set(digest, { bytes, type });
  return digest;
}
function putImage(labels: Record<string, string> = {}): string {
  const config = put(
    {
      os: 'linux',
      architecture: 'amd64',
      created: '2026-11-01T00:00:00Z',
      config: { Labels: labels },
      rootfs: { type: 'layers', diff_ids: [`sha256:${'1'.repeat(64)}`] },
    },
    'application/vnd.oci.image.config.v1+json',
  );
  return put(
    {
      schemaVersion: 2,
      mediaType: MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 1 },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: `sha256:${'2'.repeat(64)}`,
          size: 100,
        },
      ],
    },
    MANIFEST,
  );
}

const plain = putImage({ 'containers.bootc': '1' });
const labelled = (() => {
  const labels: Record<string, string> = { 'containers.bootc': '1' };
  // About 7.5 MB of labels: under the 8 MiB limit of a config, far over what a page should carry.
  for (let i = 0; i < 15_000; i++) labels[`label.${String(i).padStart(5, '0')}`] = 'v'.repeat(480);
  return putImage(labels);
})();
const child = putImage();
const fanout = put(
  {
    schemaVersion: 2,
    mediaType: INDEX,
    manifests: Array.from({ length: 20_000 }, () => ({
      mediaType: MANIFEST,
      digest: child,
      size: 1,
      platform: { os: 'linux', architecture: 'amd64' },
    })),
  },
  INDEX,
);

/** What each repository's tags point at. */
const TAGS: Record<string, Record<string, string>> = {
  'ns/shell': { '44': plain, '44;rm -rf ~': plain, '$(id)': plain },
  'ns/labels': { '1': labelled },
  'ns/fanout': { '1': fanout },
  'ns/endless': { '1': 'endless' },
};

let registry: RecordingServer;
let tokens: RecordingServer;
let dir: string;
let snapshot: ImagesSnapshot;
const warnings: string[] = [];

beforeAll(async () => {
  tokens = await startRecordingServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ token: 'anonymous-token', expires_in: 300 }));
  }, '127.0.0.2');
  registry = await startRecordingServer((request, response, self) => {
    const { pathname } = new URL(request.url ?? '/', 'http://x');
    if (pathname === '/v2/ns/redirect/tags/list') {
      response.writeHead(307, { location: `http://localhost:${self.port}/elsewhere/tags/list` });
      return void response.end();
    }
    if (pathname.startsWith('/elsewhere/')) {
      response.writeHead(401, {
        'www-authenticate': `Bearer realm="${tokens.url}/steal",service="elsewhere"`,
      });
      return void response.end();
    }
    if (request.headers.authorization !== 'Bearer anonymous-token') {
      response.writeHead(401, {
        'www-authenticate': `Bearer realm="${tokens.url}/token",service="hostile"`,
        'content-type': 'application/json',
      });
      return void response.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    }
    const match = /^\/v2\/(ns\/[a-z]+)\/(tags\/list|manifests\/(.+)|blobs\/(.+))$/.exec(pathname);
    const tags = match ? TAGS[match[1]!] : undefined;
    if (match && tags && match[2] === 'tags/list') {
      response.writeHead(200, { 'content-type': 'application/json' });
      return void response.end(JSON.stringify({ name: match[1], tags: Object.keys(tags) }));
    }
    const reference = decodeURIComponent(match?.[3] ?? match?.[4] ?? '');
    const target = tags?.[reference] ?? reference;
    if (target === 'endless') return streamForever(response, self);
    const found = content.get(target);
    if (!found) {
      response.writeHead(404, { 'content-type': 'application/json' });
      return void response.end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
    }
    response.writeHead(200, {
      'content-type': found.type,
      'content-length': found.bytes.length,
      'docker-content-digest': target,
    });
    response.end(request.method === 'HEAD' ? undefined : found.bytes);
  });
  dir = await mkdtemp(join(tmpdir(), 'imh-hostile-'));
  const authFile = join(dir, 'auth.json');
  await writeFile(
    authFile,
    JSON.stringify({
      auths: { 'hostile.example': { auth: Buffer.from('me:s3cret').toString('base64') } },
    }),
  );
  const config = readRegistryConfig({
    HOME: '/nonexistent',
    IMAGE_MODE_REGISTRIES: `hostile.example=${registry.url}`,
    REGISTRY_AUTH_FILE: authFile,
  });
  const client = createClientFromConfig(config, {
    sleep: async () => {},
    onWarning: (message) => warnings.push(message),
    onEvent: (event) => {
      if (event.type === 'warning') warnings.push(event.message);
    },
  });
  const image = (name: string, tag: string) => ({
    ref: `hostile.example/ns/${name}`,
    role: 'base',
    streams: [{ name: 'main', tags: [tag] }],
  });
  snapshot = await syncImages(
    catalogOf([
      image('shell', '44'),
      image('labels', '1'),
      image('fanout', '1'),
      image('endless', '1'),
      image('redirect', '1'),
    ]),
    undefined,
    { client },
  );
}, 60_000);

afterAll(async () => {
  await registry?.close();
  await tokens?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function image(name: string) {
  return snapshot.images.find((entry) => entry.ref === `hostile.example/ns/${name}`)!;
}

describe('a hostile registry', () => {
  it('never sees the password leave its host: the token server on another host gets none', () => {
    expect(tokens.requests.length).toBeGreaterThan(0);
    expect(tokens.requests.map((r) => r.headers.authorization)).toEqual(
      tokens.requests.map(() => undefined),
    );
    expect(tokens.requests.some((r) => r.path.startsWith('/steal'))).toBe(false);
    const elsewhere = registry.requests.filter((r) => r.path.startsWith('/elsewhere/'));
    expect(elsewhere).toHaveLength(1);
    expect(elsewhere[0]!.headers.host).toBe(`localhost:${registry.port}`);
    expect(elsewhere[0]!.headers.authorization).toBeUndefined();
    expect(warnings).toContain(
      `The credentials for 127.0.0.1:${registry.port} were not sent to its token server 127.0.0.2:${tokens.port}, another host; asked it for an anonymous token instead. If 127.0.0.2:${tokens.port} is the token server of 127.0.0.1:${registry.port}, add an entry for 127.0.0.2:${tokens.port} to the auth file.`,
    );
    expect([image('redirect').status, image('redirect').error]).toEqual([
      'unavailable',
      expect.stringMatching(/^Could not list tags of hostile\.example\/ns\/redirect: 401\./),
    ]);
  });

  it('stops reading a manifest without end at 4 MiB, for that image only', () => {
    expect(image('endless').status).toBe('unavailable');
    expect(image('endless').error).toBe(
      `${registry.url}/v2/ns/endless/manifests/1 sent more than 4 MiB, the most the sync reads of a manifest or index (the distribution spec's limit); stopped reading. Check that the reference names a container image.`,
    );
    expect(registry.written.bytes).toBeLessThan(32 << 20);
  });

  it('keeps 256 labels of a config that has 15,000, and warns', () => {
    const labels = image('labels');
    expect(labels.status).toBe('live');
    const platform = labels.tags[0]!.platforms[0]!;
    expect(platform.labels['containers.bootc']).toBe('1');
    expect(Object.keys(platform.labels).length).toBeLessThanOrEqual(256);
    expect(JSON.stringify(snapshot).length).toBeLessThan(200_000);
    expect(
      warnings.some((w) =>
        /^The config of hostile\.example\/ns\/labels@sha256:[a-f0-9]{64} has 15001 labels/.test(w),
      ),
    ).toBe(true);
  });

  it('fetches the child of an index listing it 20,000 times once', () => {
    expect(image('fanout').status).toBe('live');
    expect(image('fanout').tags[0]!.platforms).toHaveLength(1);
    expect(
      registry.requests.filter((r) => r.path === `/v2/ns/fanout/manifests/${child}`),
    ).toHaveLength(1);
  });

  it('drops tag names that are shell commands, and says how many', () => {
    expect(image('shell').status).toBe('live');
    expect(image('shell').tagCount).toBe(1);
    expect(image('shell').tags.map((tag) => tag.name)).toEqual(['44']);
    expect(warnings).toContain(
      'Dropped 2 tag names of hostile.example/ns/shell that are not valid tags ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}), e.g. "44;rm -rf ~".',
    );
  });
});
