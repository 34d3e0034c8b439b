/**
 * A real registry for tests: Debian's `docker-registry serve` (CNCF distribution 2.8) on
 * 127.0.0.1 with a temporary storage folder and a free port, and helpers that push images over
 * plain HTTP (blob uploads, manifest PUTs): OCI indexes, Docker schema 2 manifests, derived images
 * sharing their base's layers, annotations, signature tags and attestation entries.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const execFileAsync = promisify(execFile);

/** Ports fetch refuses (WHATWG bad ports) within the range we might pick. */
export const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
]);

/** Find a free TCP port on 127.0.0.1 that fetch accepts. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const p = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolve(p));
      });
    });
    if (!BAD_PORTS.has(port)) return port;
  }
}

/** Start docker-registry with the config in `dir` and wait until it answers on `port`. */
async function launchRegistry(dir: string, port: number, basic: boolean): Promise<ChildProcess> {
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`docker-registry exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${url}/v2/`);
      if (res.status === 200 || (basic && res.status === 401)) return child;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`docker-registry did not answer on ${url} within 15 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A running registry. */
export interface LocalRegistry {
  /** Base URL, e.g. "http://127.0.0.1:41234". */
  url: string;
  /** host:port, e.g. "127.0.0.1:41234". */
  host: string;
  /** The storage folder, which a second instance can serve. */
  storage: string;
  stop(): Promise<void>;
}

/** Start `docker-registry serve` on a free loopback port with a temporary storage folder. */
export async function startRegistry(
  options: {
    /** Serve another registry's storage folder (read it through a second instance). */
    storage?: string;
    /** Require Basic auth with this user (htpasswd, bcrypt). */
    basic?: { username: string; password: string };
  } = {},
): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'imh-registry-'));
  const storage = options.storage ?? join(dir, 'store');
  let htpasswd: string | undefined;
  if (options.basic) {
    const { stdout } = await execFileAsync('htpasswd', [
      '-Bbn',
      options.basic.username,
      options.basic.password,
    ]);
    htpasswd = join(dir, 'htpasswd');
    await writeFile(htpasswd, stdout);
  }
  // The port is picked free, then handed to docker-registry: another socket of a parallel test run
  // may take it in between, so a start that finds it in use tries another port.
  let started: { child: ChildProcess; port: number } | undefined;
  for (let attempt = 1; !started; attempt++) {
    const port = await freePort();
    const lines = [
      'version: 0.1',
      'log: { level: error, accesslog: { disabled: true } }',
      `storage: { filesystem: { rootdirectory: ${storage} }, delete: { enabled: true } }`,
      `http: { addr: 127.0.0.1:${port}, secret: test-secret }`,
    ];
    if (htpasswd) lines.push(`auth: { htpasswd: { realm: test-realm, path: ${htpasswd} } }`);
    await writeFile(join(dir, 'config.yml'), [...lines, ''].join('\n'));
    try {
      started = { child: await launchRegistry(dir, port, options.basic !== undefined), port };
    } catch (error) {
      if (attempt >= 5 || !/address already in use/.test((error as Error).message)) throw error;
    }
  }
  const { child, port } = started;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    host: `127.0.0.1:${port}`,
    storage,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Pushing

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A layer: its uncompressed content (diff_id) and gzip blob. */
export interface Layer {
  diffId: string;
  blob: Uint8Array;
  digest: string;
}

/** Make a deterministic layer from a seed text (a tiny uncompressed "tar" and its gzip). */
export function makeLayer(seed: string): Layer {
  const raw = new TextEncoder().encode(`layer:${seed}\n`.padEnd(512, '.'));
  const blob = new Uint8Array(gzipSync(raw, { level: 9 }));
  // gzip output of Node has no timestamp (mtime 0), so it is deterministic.
  return { diffId: sha256(raw), blob, digest: sha256(blob) };
}

/** One platform of an image to push. */
export interface PlatformSpec {
  os?: string;
  architecture: string;
  variant?: string;
  layers: Layer[];
  labels?: Record<string, string>;
  created?: string;
  annotations?: Record<string, string>;
}

/** What to push under a tag. */
export interface ImageSpec {
  platforms: PlatformSpec[];
  /** Docker media types (schema 2 / manifest list) instead of OCI. */
  docker?: boolean;
  /** Push an index even for one platform (default: index when more than one platform). */
  index?: boolean;
  /** Annotations on the index (or on the single manifest). */
  annotations?: Record<string, string>;
  /** Add a BuildKit-style unknown/unknown attestation entry to the index. */
  attestation?: boolean;
}

/** Digests of what was pushed. */
export interface Pushed {
  digest: string;
  mediaType: string;
  platforms: Array<{
    digest: string;
    configDigest: string;
    architecture: string;
    os: string;
    variant?: string;
  }>;
}

/** Encode JSON as the bytes a registry will store (and hash). */
export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** Upload a blob unless the registry has it (HEAD, then POST + PUT monolithic). */
export async function pushBlob(
  base: string,
  repo: string,
  bytes: Uint8Array,
  digest = sha256(bytes),
): Promise<string> {
  const head = await fetch(`${base}/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
  if (head.status === 200) return digest;
  const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202)
    throw new Error(`blob upload start for ${repo}: ${start.status} ${await start.text()}`);
  const location = new URL(start.headers.get('location')!, base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: Buffer.from(bytes),
  });
  if (put.status !== 201)
    throw new Error(`blob upload of ${digest} to ${repo}: ${put.status} ${await put.text()}`);
  return digest;
}

/** PUT a manifest under a tag or digest; return its digest. */
export async function pushManifest(
  base: string,
  repo: string,
  reference: string,
  mediaType: string,
  bytes: Uint8Array,
): Promise<string> {
  const put = await fetch(`${base}/v2/${repo}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'content-type': mediaType },
    body: Buffer.from(bytes),
  });
  if (put.status !== 201)
    throw new Error(`manifest PUT ${repo}:${reference}: ${put.status} ${await put.text()}`);
  return sha256(bytes);
}

/** Push one platform's config and manifest (by digest); return the descriptor data. */
async function pushPlatform(
  base: string,
  repo: string,
  spec: PlatformSpec,
  docker: boolean,
  manifestAnnotations?: Record<string, string>,
) {
  const os = spec.os ?? 'linux';
  const config: Record<string, unknown> = {
    architecture: spec.architecture,
    os,
    config: { Labels: spec.labels ?? {} },
    rootfs: { type: 'layers', diff_ids: spec.layers.map((l) => l.diffId) },
    history: spec.layers.map(() => ({ created_by: 'test' })),
  };
  if (spec.variant) config['variant'] = spec.variant;
  if (spec.created) config['created'] = spec.created;
  const configBytes = jsonBytes(config);
  const configDigest = await pushBlob(base, repo, configBytes);
  for (const layer of spec.layers) await pushBlob(base, repo, layer.blob, layer.digest);
  const manifest: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: docker ? DOCKER_MANIFEST : OCI_MANIFEST,
    config: {
      mediaType: docker ? DOCKER_CONFIG : OCI_CONFIG,
      digest: configDigest,
      size: configBytes.length,
    },
    layers: spec.layers.map((l) => ({
      mediaType: docker ? DOCKER_LAYER : OCI_LAYER,
      digest: l.digest,
      size: l.blob.length,
    })),
  };
  const annotations = { ...(spec.annotations ?? {}), ...(manifestAnnotations ?? {}) };
  if (!docker && Object.keys(annotations).length > 0) manifest['annotations'] = annotations;
  const bytes = jsonBytes(manifest);
  const mediaType = docker ? DOCKER_MANIFEST : OCI_MANIFEST;
  const digest = await pushManifest(base, repo, sha256(bytes), mediaType, bytes);
  return {
    digest,
    size: bytes.length,
    mediaType,
    configDigest,
    os,
    architecture: spec.architecture,
    variant: spec.variant,
  };
}

/** Push an image (single manifest or index) under a tag. */
export async function pushImage(
  base: string,
  repo: string,
  tag: string,
  spec: ImageSpec,
): Promise<Pushed> {
  const docker = spec.docker ?? false;
  const asIndex = spec.index ?? spec.platforms.length > 1;
  if (!asIndex) {
    const only = spec.platforms[0]!;
    const p = await pushPlatform(base, repo, only, docker, spec.annotations);
    // Tag it: PUT the same bytes under the tag.
    const manifest = await fetch(`${base}/v2/${repo}/manifests/${p.digest}`, {
      headers: { accept: p.mediaType },
    });
    const bytes = new Uint8Array(await manifest.arrayBuffer());
    await pushManifest(base, repo, tag, p.mediaType, bytes);
    return { digest: p.digest, mediaType: p.mediaType, platforms: [platformOf(p)] };
  }
  const platforms = [];
  for (const platform of spec.platforms)
    platforms.push(await pushPlatform(base, repo, platform, docker));
  const entries: Array<Record<string, unknown>> = platforms.map((p) => ({
    mediaType: p.mediaType,
    digest: p.digest,
    size: p.size,
    platform: {
      architecture: p.architecture,
      os: p.os,
      ...(p.variant ? { variant: p.variant } : {}),
    },
  }));
  if (spec.attestation && !docker) {
    const subject = platforms[0]!;
    const att = await pushPlatform(
      base,
      repo,
      {
        os: 'unknown',
        architecture: 'unknown',
        layers: [makeLayer(`attestation-${subject.digest}`)],
      },
      false,
    );
    entries.push({
      mediaType: OCI_MANIFEST,
      digest: att.digest,
      size: att.size,
      platform: { architecture: 'unknown', os: 'unknown' },
      annotations: {
        'vnd.docker.reference.digest': subject.digest,
        'vnd.docker.reference.type': 'attestation-manifest',
      },
    });
  }
  const mediaType = docker ? DOCKER_LIST : OCI_INDEX;
  const index: Record<string, unknown> = { schemaVersion: 2, mediaType, manifests: entries };
  if (spec.annotations && !docker) index['annotations'] = spec.annotations;
  const bytes = jsonBytes(index);
  const digest = await pushManifest(base, repo, tag, mediaType, bytes);
  return { digest, mediaType, platforms: platforms.map(platformOf) };
}

function platformOf(p: {
  digest: string;
  configDigest: string;
  os: string;
  architecture: string;
  variant?: string | undefined;
}) {
  const out: Pushed['platforms'][number] = {
    digest: p.digest,
    configDigest: p.configDigest,
    os: p.os,
    architecture: p.architecture,
  };
  if (p.variant) out.variant = p.variant;
  return out;
}

/** Tag an existing manifest under another tag (same bytes, same digest). */
export async function retag(base: string, repo: string, from: string, to: string): Promise<string> {
  const accept = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(', ');
  const res = await fetch(`${base}/v2/${repo}/manifests/${from}`, { headers: { accept } });
  if (res.status !== 200) throw new Error(`retag ${repo}:${from}: ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return pushManifest(base, repo, to, res.headers.get('content-type')!, bytes);
}

/** Push a cosign-style signature tag `sha256-<hex>.sig` for a digest. */
export async function pushSignatureTag(
  base: string,
  repo: string,
  digest: string,
  suffix: 'sig' | 'att' | 'sbom' = 'sig',
): Promise<string> {
  const payload = jsonBytes({
    critical: {
      image: { 'docker-manifest-digest': digest },
      type: 'cosign container image signature',
    },
  });
  const layer = { diffId: sha256(payload), blob: payload, digest: sha256(payload) };
  await pushBlob(base, repo, payload);
  const configBytes = jsonBytes({
    architecture: '',
    os: '',
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    config: {},
  });
  const configDigest = await pushBlob(base, repo, configBytes);
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: configDigest, size: configBytes.length },
    layers: [
      {
        mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
        digest: layer.digest,
        size: payload.length,
        annotations: { 'dev.cosignproject.cosign/signature': 'MEUCIQDtest' },
      },
    ],
  };
  return pushManifest(
    base,
    repo,
    `${digest.replace(':', '-')}.${suffix}`,
    OCI_MANIFEST,
    jsonBytes(manifest),
  );
}
