/**
 * The snapshot: what `npm run sync` fetched, committed under content/snapshot/ so that a build
 * works offline. One file per source kind:
 *
 * - images.json: every image repository of the catalog (registries): an index
 *   ({@link ImagesIndexSchema}) naming one file per image under images/ ({@link ImageSnapshotSchema}),
 *   read back as one {@link ImagesSnapshotSchema} (an older checkout's single images.json is that
 *   schema itself);
 * - repos.json: every source repository of the catalog (forges), see {@link ReposSnapshotSchema};
 * - audit.json: declared against observed ownership, see {@link AuditSnapshotSchema}.
 *
 * Every record says where it came from, when it was fetched and whether it is live, stale (last
 * good data kept because the source failed) or unavailable (never fetched). This file is the
 * contract between sync and the site; change it only with a schemaVersion bump.
 */
import { z } from 'astro/zod';

/** The version of the snapshot format. */
export const SNAPSHOT_SCHEMA_VERSION = 1;

const IsoDateTime = z.iso.datetime({ offset: true }).describe('ISO 8601 date and time.');
const Digest = z.string().regex(/^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/);

/** live: fetched in the last sync; stale: the last sync failed, data is from `fetchedAt`; unavailable: never fetched. */
export const SourceStatusSchema = z.enum(['live', 'stale', 'unavailable']);

/** Header of every snapshot file. */
export const SnapshotHeaderSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  /** When the sync that wrote this file ran. */
  generatedAt: IsoDateTime,
  /** True when the data comes from fixture registries and forges rather than the real ones. */
  sample: z.boolean().default(false),
  /** Where sample data came from, shown on the site while `sample` is true. */
  sampleNote: z.string().optional(),
});

// ---------------------------------------------------------------------------------------------
// Images (registries)

/** One platform of a tag: an image manifest and its config. */
export const PlatformSnapshotSchema = z.object({
  os: z.string(),
  architecture: z.string(),
  variant: z.string().optional(),
  /** Digest of the platform's image manifest. */
  digest: Digest,
  /** Build time from the config (`created`), or null when unknown or absurd (1970, year 1). */
  created: IsoDateTime.nullable(),
  /** Labels from the config (`config.Labels`), sorted by key. */
  labels: z.record(z.string(), z.string()),
  /** Compressed size in bytes: the sum of the layer sizes. */
  size: z.number().int().nonnegative(),
  /** Number of layers. */
  layers: z.number().int().nonnegative(),
});

/** How a tag's base was established. */
export const LineageMethodSchema = z.enum(['layers', 'annotation', 'declared']);

/** The base tag an image tag is built on. */
export const BasedOnSchema = z.object({
  /** The base tag, e.g. "quay.io/fedora/fedora-bootc:44". */
  ref: z.string(),
  /** Digest of the base as it was when this tag was built (the matched build). */
  digest: Digest.optional(),
  method: LineageMethodSchema,
  /** True when layers or an annotation digest confirmed it; false for a declared base only. */
  verified: z.boolean(),
  /** How far behind the newest build of the base tag this tag is, when known. */
  behind: z
    .object({
      /** Days between the matched base build and the newest base build. */
      days: z.number().nonnegative(),
      /** Number of newer builds of the base tag seen since the matched one. */
      builds: z.number().int().nonnegative(),
    })
    .optional(),
});

/** Signature and attestation facts of a tag. */
export const SignatureFactsSchema = z.object({
  /** A cosign `sha256-<hex>.sig` tag exists for the tag's digest. */
  cosign: z.boolean(),
  /** A cosign `.att` attestation tag exists. */
  attestation: z.boolean(),
  /** A cosign `.sbom` tag exists. */
  sbom: z.boolean(),
  /** Referrers found through the referrers API or its fallback tag. */
  referrers: z.array(z.object({ artifactType: z.string(), digest: Digest })).default([]),
});

/** One build a tag pointed to: its digest, build time and when the sync first saw it. */
export const BuildSchema = z.object({
  digest: Digest,
  created: IsoDateTime.nullable(),
  seenAt: IsoDateTime,
});

/** One tag of an image repository. */
export const TagSnapshotSchema = z.object({
  name: z.string(),
  /** Digest of the manifest or index as served, the sha256 of the bytes received. */
  digest: Digest,
  mediaType: z.string(),
  /** Names of the catalog streams that selected this tag. */
  streams: z.array(z.string()).default([]),
  /** Platforms, sorted by os, architecture, variant. Attestation entries are not platforms. */
  platforms: z.array(PlatformSnapshotSchema),
  basedOn: BasedOnSchema.optional(),
  signatures: SignatureFactsSchema,
  /**
   * Builds this tag has pointed to, newest first, the current one included (at most 10), so that
   * lineage can count how many builds a derived image is behind.
   */
  history: z.array(BuildSchema).optional(),
});

/** A mirror's agreement with its primary repository. */
export const MirrorSnapshotSchema = z.object({
  ref: z.string(),
  status: SourceStatusSchema,
  fetchedAt: IsoDateTime.nullable(),
  error: z.string().optional(),
  /** Tags whose digest differs between the mirror and the primary. */
  drift: z.array(z.object({ tag: z.string(), digest: Digest, expected: Digest })).default([]),
  /** Tags of the primary that the mirror does not have. */
  missing: z.array(z.string()).default([]),
  /** Tags that resolve to the same digest on both. */
  matching: z.array(z.string()).default([]),
});

/** One image repository of the catalog. */
export const ImageSnapshotSchema = z.object({
  /** Repository reference, e.g. "quay.io/fedora/fedora-bootc". */
  ref: z.string(),
  status: SourceStatusSchema,
  /** When the data was last fetched successfully; null when never. */
  fetchedAt: IsoDateTime.nullable(),
  /** What went wrong in the last sync, when it failed. */
  error: z.string().optional(),
  /** Number of tags the repository has in all (before stream selection, without signature tags). */
  tagCount: z.number().int().nonnegative(),
  /** Tags selected by the catalog's streams, in version order. */
  tags: z.array(TagSnapshotSchema),
  mirrors: z.array(MirrorSnapshotSchema).default([]),
});

/** Every image of the catalog in one object: what the sync builds and the site reads (and, up to schema version 1, the whole of images.json). */
export const ImagesSnapshotSchema = SnapshotHeaderSchema.extend({
  images: z.array(ImageSnapshotSchema),
});

/** The version of images.json as an index of per-image files (version 1 held every image itself). */
export const IMAGES_INDEX_SCHEMA_VERSION = 2;

/** One image in the index: its source status, and the file that holds its {@link ImageSnapshotSchema}. */
export const ImageIndexEntrySchema = ImageSnapshotSchema.pick({
  ref: true,
  status: true,
  fetchedAt: true,
  tagCount: true,
}).extend({
  /**
   * The image's file, relative to the index's folder: `images/<registry host>/<repository path>.<first
   * 16 hex digits of its SHA-256>.json`. Named after its content, so that a sync writes new files
   * beside the ones the previous index names and an interrupted sync leaves that index whole.
   */
  file: z
    .string()
    .regex(/^[^/]+(\/[^/]+)+\.json$/)
    .refine((file) => !file.split('/').some((part) => part === '..' || part === '.'), {
      message: 'must not contain "." or ".." segments',
    }),
  /** SHA-256 of the file's bytes, hex, so that the index alone fingerprints the whole snapshot. */
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  /** Size of the file in bytes. */
  size: z.number().int().nonnegative(),
});

/** images.json from schema version 2: the header and one entry per image, in ref order. */
export const ImagesIndexSchema = SnapshotHeaderSchema.extend({
  schemaVersion: z.literal(IMAGES_INDEX_SCHEMA_VERSION),
  images: z.array(ImageIndexEntrySchema),
});

// ---------------------------------------------------------------------------------------------
// Repos (forges)

export const ForgeKindSchema = z.enum(['github', 'gitlab', 'forgejo', 'pagure', 'other']);

/** Where an observed owner came from. */
export const OwnerSourceSchema = z.object({
  kind: z.enum(['codeowners', 'owners-file', 'maintainers-file', 'api']),
  /** File path in the repository, for file sources. */
  file: z.string().optional(),
  /** 1-based line number in that file. */
  line: z.number().int().positive().optional(),
  /** The CODEOWNERS pattern the owner is listed for. */
  pattern: z.string().optional(),
  /** What the API said, e.g. "maintainer (access level 40)". */
  detail: z.string().optional(),
});

/** An owner observed in a repository. */
export const ObservedOwnerSchema = z.object({
  /** "github:login", "github:org/team", "gitlab:user", "forgejo:user", or an e-mail address. */
  handle: z.string(),
  sources: z.array(OwnerSourceSchema).min(1),
});

/** A Konflux PipelineRun found under .tekton/. */
export const PipelineSnapshotSchema = z.object({
  file: z.string(),
  name: z.string(),
  /** "push" or "pull_request", from the pipelinesascode on-event annotation or the CEL expression. */
  event: z.string().optional(),
  /** Branch the PipelineRun triggers on, from on-cel-expression or on-target-branch. */
  branch: z.string().optional(),
  onCelExpression: z.string().optional(),
  application: z.string().optional(),
  component: z.string().optional(),
  /** The output-image param, e.g. "quay.io/konflux-fedora/bootc-tenant/fedora-bootc-44-standard:{{revision}}". */
  outputImage: z.string().optional(),
  /** The build-platforms param, e.g. ["linux/x86_64", "linux/arm64"]. */
  platforms: z.array(z.string()).default([]),
  /** Catalog image repositories this PipelineRun is linked to. */
  images: z.array(z.string()).default([]),
  /**
   * How each of `images` was linked: "output-image" (the output image's repository is the catalog
   * image or a mirror), "component-name" (the Konflux component is the image's last path segment),
   * "konflux-intermediate" (quay.io/konflux-fedora/<tenant>/<name>, released to the image).
   */
  imageLinks: z
    .array(
      z.object({
        image: z.string(),
        rule: z.enum(['output-image', 'component-name', 'konflux-intermediate']),
      }),
    )
    .default([]),
});

/** Facts about one repository. */
export const RepoFactsSchema = z.object({
  description: z.string().nullable(),
  defaultBranch: z.string(),
  lastCommitAt: IsoDateTime.nullable(),
  archived: z.boolean(),
  license: z.string().nullable(),
  latestRelease: z
    .object({
      name: z.string(),
      tag: z.string(),
      publishedAt: IsoDateTime.nullable(),
      url: z.string(),
    })
    .nullable(),
  openIssues: z.number().int().nonnegative().nullable(),
  goodFirstIssues: z.object({
    count: z.number().int().nonnegative(),
    items: z.array(z.object({ title: z.string(), url: z.string(), labels: z.array(z.string()) })),
  }),
});

/** One source repository of the catalog. */
export const RepoSnapshotSchema = z.object({
  /** The repository URL as the catalog lists it. */
  url: z.string(),
  forge: ForgeKindSchema,
  status: SourceStatusSchema,
  fetchedAt: IsoDateTime.nullable(),
  error: z.string().optional(),
  facts: RepoFactsSchema.nullable(),
  owners: z.array(ObservedOwnerSchema).default([]),
  pipelines: z.array(PipelineSnapshotSchema).default([]),
});

export const ReposSnapshotSchema = SnapshotHeaderSchema.extend({
  repos: z.array(RepoSnapshotSchema),
});

// ---------------------------------------------------------------------------------------------
// Audit

export const AuditFindingKindSchema = z.enum([
  'orphaned-deliverable',
  'declared-owner-not-observed',
  'observed-owner-not-declared',
  'repo-archived',
  'repo-inactive',
  'sig-without-contact',
  'repo-unavailable',
]);

export const AuditFindingSchema = z.object({
  kind: AuditFindingKindSchema,
  severity: z.enum(['error', 'warning', 'info']),
  subproject: z.string().optional(),
  deliverable: z.string().optional(),
  repo: z.string().optional(),
  sig: z.string().optional(),
  owner: z.string().optional(),
  message: z.string(),
});

export const AuditSnapshotSchema = SnapshotHeaderSchema.extend({
  findings: z.array(AuditFindingSchema),
});

export type SourceStatus = z.output<typeof SourceStatusSchema>;
export type SnapshotHeader = z.output<typeof SnapshotHeaderSchema>;
export type PlatformSnapshot = z.output<typeof PlatformSnapshotSchema>;
export type BasedOn = z.output<typeof BasedOnSchema>;
export type SignatureFacts = z.output<typeof SignatureFactsSchema>;
export type Build = z.output<typeof BuildSchema>;
export type TagSnapshot = z.output<typeof TagSnapshotSchema>;
export type MirrorSnapshot = z.output<typeof MirrorSnapshotSchema>;
export type ImageSnapshot = z.output<typeof ImageSnapshotSchema>;
export type ImagesSnapshot = z.output<typeof ImagesSnapshotSchema>;
export type ImageIndexEntry = z.output<typeof ImageIndexEntrySchema>;
export type ImagesIndex = z.output<typeof ImagesIndexSchema>;
export type ObservedOwner = z.output<typeof ObservedOwnerSchema>;
export type PipelineSnapshot = z.output<typeof PipelineSnapshotSchema>;
export type RepoFacts = z.output<typeof RepoFactsSchema>;
export type RepoSnapshot = z.output<typeof RepoSnapshotSchema>;
export type ReposSnapshot = z.output<typeof ReposSnapshotSchema>;
export type AuditFinding = z.output<typeof AuditFindingSchema>;
export type AuditSnapshot = z.output<typeof AuditSnapshotSchema>;
