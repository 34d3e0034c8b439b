/**
 * Manifests, indexes and configs: media types, digests of the bytes received, and parsing of the
 * shapes we read (duck-typed where a registry omits `mediaType`).
 * @see https://github.com/opencontainers/image-spec/blob/main/manifest.md
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { optionalString, readJsonBody, stringList, stringRecord } from './json.ts';
import { truncateText } from '../utils/truncate.ts';

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

/** The platform an index entry declares. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string | undefined;
}

const PlatformSchema = z.object({
  os: z.string(),
  architecture: z.string(),
  variant: optionalString.transform((variant) => variant || undefined),
}) satisfies z.ZodType<Platform>;

const DescriptorSchema = z.object({
  mediaType: z.string().catch(''),
  digest: z.string(),
  size: z.number().catch(0),
  platform: PlatformSchema.optional().catch(undefined),
  annotations: z
    .record(z.string(), z.unknown())
    .optional()
    .catch(undefined)
    .pipe(stringRecord.optional()),
  artifactType: optionalString,
});

/** A content descriptor. */
export type Descriptor = z.output<typeof DescriptorSchema>;

/** The fields of a manifest, index or Docker schema 1 manifest that tell them apart. */
const ManifestSchema = z.object({
  schemaVersion: z.unknown().optional(),
  mediaType: z.string().catch(''),
  manifests: z.array(z.unknown()).optional().catch(undefined),
  config: z.unknown().optional(),
  layers: z.array(z.unknown()).optional().catch(undefined),
  annotations: stringRecord,
  artifactType: optionalString,
  subject: z.unknown().optional(),
});

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
  artifactType?: string | undefined;
  subject?: Descriptor | undefined;
}

/** A Docker schema 1 manifest: recognised, not read further. */
export interface LegacyManifest {
  kind: 'legacy';
  mediaType: string;
}

export type Manifest = IndexManifest | ImageManifest | LegacyManifest;

/** A body that is not a manifest or config we can read. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** Read a JSON document through a schema; the error says where it came from and what is wrong. */
function readDocument<T>(bytes: Uint8Array, schema: z.ZodType<T>, where: string): T {
  const read = readJsonBody(bytes, schema);
  if (read.ok) return read.data;
  throw new ManifestError(
    read.reason === 'not JSON' ? `${where} is not JSON.` : `${where} is not a JSON object.`,
    { cause: read.cause },
  );
}

function descriptor(value: unknown, where: string): Descriptor {
  const parsed = DescriptorSchema.safeParse(value);
  if (!parsed.success)
    throw new ManifestError(`${where} is not a descriptor (no digest).`, { cause: parsed.error });
  return parsed.data;
}

/**
 * Parse manifest bytes. The media type is the body's `mediaType`, else `contentType`, else the
 * body's shape. Pass `contentType` null for a manifest kept by digest: the cache has no header, and
 * its media type must read the same from the cache as from the network.
 */
export function parseManifest(
  bytes: Uint8Array,
  contentType: string | null,
  where: string,
): Manifest {
  const data = readDocument(bytes, ManifestSchema, where);
  const headerType = (contentType ?? '').split(';')[0]!.trim();
  let mediaType = data.mediaType || headerType;
  if (mediaType === 'application/json' || mediaType === 'application/octet-stream') mediaType = '';
  if (
    data.schemaVersion === 1 ||
    mediaType === MEDIA_TYPES.dockerSchema1 ||
    mediaType === MEDIA_TYPES.dockerSchema1Signed
  ) {
    return { kind: 'legacy', mediaType: mediaType || MEDIA_TYPES.dockerSchema1 };
  }
  if (data.manifests) {
    return {
      kind: 'index',
      mediaType: mediaType || MEDIA_TYPES.ociIndex,
      manifests: data.manifests.map((m, i) => descriptor(m, `${where} manifests[${i}]`)),
      annotations: data.annotations,
    };
  }
  if (data.layers || data.config) {
    return {
      kind: 'image',
      mediaType: mediaType || MEDIA_TYPES.ociManifest,
      config: descriptor(data.config, `${where} config`),
      layers: (data.layers ?? []).map((l, i) => descriptor(l, `${where} layers[${i}]`)),
      annotations: data.annotations,
      artifactType: data.artifactType,
      subject: data.subject ? descriptor(data.subject, `${where} subject`) : undefined,
    };
  }
  throw new ManifestError(
    `${where} has media type "${mediaType || '(none)'}", which is neither an index nor an image manifest.`,
  );
}

/** What we read from an image config blob. */
export interface ImageConfig {
  os: string;
  architecture: string;
  variant?: string | undefined;
  created: string | null;
  labels: Record<string, string>;
  diffIds: string[];
  /** What was cut from the labels to keep them within {@link LABEL_LIMITS}, if anything. */
  warning?: string | undefined;
}

/**
 * The labels kept per platform: the snapshot carries every platform's labels to the pages, so a
 * config that stuffs megabytes into them must not reach it whole.
 */
export const LABEL_LIMITS = {
  /** Labels kept, in key order. */
  count: 256,
  /** Characters of a key; a longer key is dropped (a cut key would be another key). */
  keyLength: 256,
  /** Characters of a value; a longer value is cut and ends with "… [truncated]". */
  valueLength: 4096,
  /** Characters of all kept keys and values together. */
  totalLength: 64 << 10,
} as const;

/** Keep labels within {@link LABEL_LIMITS}; the warning says what was cut, or is undefined. */
export function limitLabels(
  labels: Record<string, string>,
  where: string,
): { labels: Record<string, string>; warning?: string | undefined } {
  const kept: Record<string, string> = {};
  const keys = Object.keys(labels).sort();
  let size = 0;
  let count = 0;
  let longKeys = 0;
  let past = 0;
  let truncated = 0;
  let total = 0;
  for (const key of keys) {
    const raw = labels[key]!;
    total += key.length + raw.length;
    if (key.length > LABEL_LIMITS.keyLength) {
      longKeys++;
      continue;
    }
    const value = truncateText(raw, LABEL_LIMITS.valueLength);
    if (
      count >= LABEL_LIMITS.count ||
      size + key.length + value.length > LABEL_LIMITS.totalLength
    ) {
      past++;
      continue;
    }
    if (value !== raw) truncated++;
    kept[key] = value;
    size += key.length + value.length;
    count++;
  }
  if (longKeys === 0 && past === 0 && truncated === 0) return { labels: kept };
  const cut = [
    longKeys > 0 &&
      `dropped ${longKeys} ${longKeys === 1 ? 'key' : 'keys'} longer than ${LABEL_LIMITS.keyLength} characters`,
    past > 0 &&
      `${longKeys > 0 ? '' : 'dropped '}${past} ${past === 1 ? 'label' : 'labels'} past the limits (${LABEL_LIMITS.count} labels, ${LABEL_LIMITS.totalLength >> 10} KiB in all)`,
  ].filter(Boolean);
  const parts = [
    cut.join(' and '),
    truncated > 0 &&
      `truncated ${truncated} ${truncated === 1 ? 'value' : 'values'} to ${LABEL_LIMITS.valueLength} characters`,
  ].filter(Boolean);
  return {
    labels: kept,
    warning: `${where} has ${keys.length} labels (${Math.ceil(total / 1024)} KiB): kept ${count}; ${parts.join('; ')}.`,
  };
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

const ConfigSchema = z.object({
  os: z.string().catch('unknown'),
  architecture: z.string().catch('unknown'),
  variant: optionalString,
  created: z.unknown().optional(),
  config: z.object({ Labels: stringRecord }).catch(() => ({ Labels: {} })),
  rootfs: z.object({ diff_ids: stringList }).catch(() => ({ diff_ids: [] })),
});

/** Parse an image config blob (OCI or Docker). */
export function parseConfig(bytes: Uint8Array, where: string): ImageConfig {
  const data = readDocument(bytes, ConfigSchema, where);
  const { labels, warning } = limitLabels(data.config.Labels, where);
  return {
    os: data.os,
    architecture: data.architecture,
    variant: data.variant || undefined,
    created: normaliseCreated(data.created),
    labels,
    diffIds: data.rootfs.diff_ids,
    warning,
  };
}
