/**
 * Manifests, indexes and configs: media types, digests of the bytes received, and parsing of the
 * shapes we read (duck-typed where a registry omits `mediaType`).
 * @see https://github.com/opencontainers/image-spec/blob/main/manifest.md
 */
import { createHash } from 'node:crypto';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

/** The Accept list sent on every manifest HEAD and GET (identical on both). */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.dockerManifest,
].join(', ');

/** Compute the digest of bytes with an algorithm (sha256 or sha512). */
export function digestOf(bytes: Uint8Array, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Tell whether bytes hash to a digest (of its own algorithm). */
export function matchesDigest(bytes: Uint8Array, digest: string): boolean {
  const algorithm = digest.startsWith('sha512:') ? 'sha512' : 'sha256';
  return digestOf(bytes, algorithm) === digest;
}

/** A content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
  artifactType?: string;
}

/** An image index or Docker manifest list. */
export interface IndexManifest {
  kind: 'index';
  mediaType: string;
  manifests: Descriptor[];
  annotations: Record<string, string>;
}

/** An image manifest (OCI or Docker schema 2). */
export interface ImageManifest {
  kind: 'image';
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations: Record<string, string>;
  artifactType?: string;
  subject?: Descriptor;
}

/** A Docker schema 1 manifest: recognised, not read further. */
export interface LegacyManifest {
  kind: 'legacy';
  mediaType: string;
}

export type Manifest = IndexManifest | ImageManifest | LegacyManifest;

/** A body that is not a manifest we can read. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function descriptor(value: unknown, where: string): Descriptor {
  const d = value as Record<string, unknown> | null;
  if (!d || typeof d !== 'object' || typeof d['digest'] !== 'string') {
    throw new ManifestError(`${where} is not a descriptor (no digest).`);
  }
  const out: Descriptor = {
    mediaType: typeof d['mediaType'] === 'string' ? d['mediaType'] : '',
    digest: d['digest'],
    size: typeof d['size'] === 'number' ? d['size'] : 0,
  };
  const p = d['platform'] as Record<string, unknown> | undefined;
  if (
    p &&
    typeof p === 'object' &&
    typeof p['os'] === 'string' &&
    typeof p['architecture'] === 'string'
  ) {
    out.platform = { os: p['os'], architecture: p['architecture'] };
    if (typeof p['variant'] === 'string' && p['variant']) out.platform.variant = p['variant'];
  }
  if (d['annotations']) out.annotations = stringRecord(d['annotations']);
  if (typeof d['artifactType'] === 'string') out.artifactType = d['artifactType'];
  return out;
}

/** Parse manifest bytes, using Content-Type first and the body's shape after that. */
export function parseManifest(
  bytes: Uint8Array,
  contentType: string | null,
  where: string,
): Manifest {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    throw new ManifestError(`${where} is not JSON.`);
  }
  if (!data || typeof data !== 'object') throw new ManifestError(`${where} is not a JSON object.`);
  const headerType = (contentType ?? '').split(';')[0]!.trim();
  const bodyType = typeof data['mediaType'] === 'string' ? data['mediaType'] : '';
  let mediaType = bodyType || headerType;
  if (!mediaType || mediaType === 'application/json' || mediaType === 'application/octet-stream')
    mediaType = '';
  if (
    data['schemaVersion'] === 1 ||
    mediaType === MEDIA_TYPES.dockerSchema1 ||
    mediaType === MEDIA_TYPES.dockerSchema1Signed
  ) {
    return { kind: 'legacy', mediaType: mediaType || MEDIA_TYPES.dockerSchema1 };
  }
  const annotations = stringRecord(data['annotations']);
  if (Array.isArray(data['manifests'])) {
    return {
      kind: 'index',
      mediaType: mediaType || MEDIA_TYPES.ociIndex,
      manifests: data['manifests'].map((m, i) => descriptor(m, `${where} manifests[${i}]`)),
      annotations,
    };
  }
  if (Array.isArray(data['layers']) || data['config']) {
    const manifest: ImageManifest = {
      kind: 'image',
      mediaType: mediaType || MEDIA_TYPES.ociManifest,
      config: descriptor(data['config'], `${where} config`),
      layers: (Array.isArray(data['layers']) ? data['layers'] : []).map((l, i) =>
        descriptor(l, `${where} layers[${i}]`),
      ),
      annotations,
    };
    if (typeof data['artifactType'] === 'string') manifest.artifactType = data['artifactType'];
    if (data['subject']) manifest.subject = descriptor(data['subject'], `${where} subject`);
    return manifest;
  }
  throw new ManifestError(
    `${where} has media type "${mediaType || '(none)'}", which is neither an index nor an image manifest.`,
  );
}

/** What we read from an image config blob. */
export interface ImageConfig {
  os: string;
  architecture: string;
  variant?: string;
  created: string | null;
  labels: Record<string, string>;
  diffIds: string[];
}

/** Normalise a build time: null for missing, unparsable, 1970 epoch or year 1. */
export function normaliseCreated(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const time = Date.parse(value);
  if (!Number.isFinite(time)) return null;
  const year = new Date(time).getUTCFullYear();
  if (year <= 1970) return null;
  return new Date(time).toISOString();
}

/** Parse an image config blob (OCI or Docker). */
export function parseConfig(bytes: Uint8Array, where: string): ImageConfig {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    throw new ManifestError(`${where} is not JSON.`);
  }
  const config = (data['config'] ?? {}) as Record<string, unknown>;
  const rootfs = (data['rootfs'] ?? {}) as Record<string, unknown>;
  const labels = stringRecord(config?.['Labels']);
  const sortedLabels: Record<string, string> = {};
  for (const key of Object.keys(labels).sort()) sortedLabels[key] = labels[key]!;
  const out: ImageConfig = {
    os: typeof data['os'] === 'string' ? data['os'] : 'unknown',
    architecture: typeof data['architecture'] === 'string' ? data['architecture'] : 'unknown',
    created: normaliseCreated(data['created']),
    labels: sortedLabels,
    diffIds: Array.isArray(rootfs['diff_ids'])
      ? rootfs['diff_ids'].filter((d): d is string => typeof d === 'string')
      : [],
  };
  if (typeof data['variant'] === 'string' && data['variant']) out.variant = data['variant'];
  return out;
}
