/**
 * What a build holds and where to read more: version, revision and kernel from its labels, the
 * links out a label or the catalog gives (only http(s)), the registry's page, which builds of
 * an image are recent enough to show in full, and what the catalog declares of its lineage (base,
 * builder, each stream's base).
 */
import type { Image, Stream } from '../catalog/index.ts';
import type { PlatformSnapshot, TagSnapshot } from '../snapshot/index.ts';
import type { DigestGroup, ImageView } from './images.ts';
import { withBase } from './base.ts';
import { imagePath, type Link } from './links.ts';
import { commitUrl, registryPageUrl, safeHttpUrl } from './urls.ts';

/** What the labels of a build say it holds. */
export interface BuildContents {
  version?: string | undefined;
  revision?: string | undefined;
  /** Link to the revision's commit, when the source label names a known forge. */
  revisionUrl?: string | undefined;
  kernel?: string | undefined;
  source?: string | undefined;
  url?: string | undefined;
  documentation?: string | undefined;
}

/** Read what a build holds from the labels of its first platform that has labels. */
export function buildContents(platforms: PlatformSnapshot[]): BuildContents {
  const labels = platforms.find((p) => Object.keys(p.labels).length > 0)?.labels ?? {};
  const oci = (key: string) => labels[`org.opencontainers.image.${key}`];
  const source = safeHttpUrl(oci('source'));
  const revision = oci('revision');
  return {
    version: oci('version'),
    revision,
    revisionUrl: revision ? commitUrl(source, revision) : undefined,
    kernel: labels['ostree.linux'],
    source,
    url: safeHttpUrl(oci('url')),
    documentation: safeHttpUrl(oci('documentation')),
  };
}

/** A link out of the site. */
export interface OutLink {
  label: string;
  href: string;
}

/** The guides every image page points to. */
export const IMAGE_GUIDES: OutLink[] = [
  { label: 'Derive an image', href: withBase('/guides/derive-an-image/') },
  { label: 'Make disk images', href: withBase('/guides/make-disk-images/') },
  { label: 'Updates, rollback and switch', href: withBase('/guides/updates-rollback-switch/') },
];

/** List the links out of an image page: registry, source repositories, label links, docs. */
export function imageLinks(view: ImageView): OutLink[] {
  const links: OutLink[] = [];
  const registry = registryPageUrl(view.ref);
  if (registry) links.push({ label: `${view.ref.split('/')[0]} repository page`, href: registry });
  for (const repo of view.subproject.repos.filter((repo) => repo.role === 'source'))
    links.push({ label: `Source: ${new URL(repo.url).pathname.slice(1)}`, href: repo.url });
  const newest = view.snapshot.tags[0];
  if (newest) {
    const contents = buildContents(newest.platforms);
    if (contents.source)
      links.push({ label: 'Source (from the image label)', href: contents.source });
    if (contents.url)
      links.push({ label: 'Project page (from the image label)', href: contents.url });
    if (contents.documentation)
      links.push({ label: 'Documentation (from the image label)', href: contents.documentation });
  }
  const docs = safeHttpUrl(view.subproject.contacts?.docs);
  if (docs) links.push({ label: `${view.subproject.name} documentation`, href: docs });
  return links;
}

/** The digests of the builds shown in full: the `count` newest by build time, the rest show digest and date only. */
export function recentDigests(groups: DigestGroup[], count = 12): Set<string> {
  const dated = [...groups].sort((a, b) => (b.created ?? '').localeCompare(a.created ?? ''));
  return new Set(dated.slice(0, count).map((group) => group.digest));
}

/** Say what signatures and supply-chain artifacts a tag has: `cosign signature, SBOM`. */
export function describeArtifacts(signatures: TagSnapshot['signatures']): string[] {
  const found: string[] = [];
  if (signatures.cosign) found.push('cosign signature');
  if (signatures.attestation) found.push('attestation');
  if (signatures.sbom) found.push('SBOM');
  for (const referrer of signatures.referrers)
    if (!found.includes(referrer.artifactType)) found.push(referrer.artifactType);
  return found;
}

/** What the catalog declares of an image's lineage, each image linked when the catalog lists it. */
export interface DeclaredLineage {
  /** The image's declared base (`basedOn`). */
  basedOn: Link | undefined;
  /** The image its build runs in (`builder`). */
  builder: Link | undefined;
  /** Each stream with what it is built on: its own `basedOn`, else the image's. */
  streams: { stream: Stream; basedOn: Link | undefined; own: boolean }[];
}

/**
 * Read an image's declared lineage: its base, its builder and each stream's base, linked to their
 * pages when `catalogRefs` (the repositories the catalog lists) has them, plain text otherwise.
 */
export function declaredLineage(image: Image, catalogRefs: ReadonlySet<string>): DeclaredLineage {
  const link = (ref: string | undefined): Link | undefined =>
    ref === undefined
      ? undefined
      : { label: ref, href: catalogRefs.has(ref) ? imagePath(ref) : undefined };
  return {
    basedOn: link(image.basedOn),
    builder: link(image.builder),
    streams: image.streams.map((stream) => ({
      stream,
      basedOn: link(stream.basedOn ?? image.basedOn),
      own: stream.basedOn !== undefined && stream.basedOn !== image.basedOn,
    })),
  };
}
