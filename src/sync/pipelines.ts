/**
 * Linking Konflux PipelineRuns to the catalog's images: which image a PipelineRun under .tekton/
 * builds, by three explicit rules that are recorded with each link and shown on the page.
 */
import type { CandidateImage } from '../catalog/index.ts';
import { buildsOnPush, type PipelineRunInfo } from '../forges/tekton.ts';

/** How a PipelineRun was linked to a catalog image. */
export type ImageLinkRule = 'output-image' | 'component-name' | 'konflux-intermediate';

export interface ImageLink {
  /** Catalog image repository, e.g. "quay.io/bootc-devel/fedora-bootc-44-standard". */
  image: string;
  rule: ImageLinkRule;
}

/**
 * The repository of an output image, without tag or digest:
 * "quay.io/konflux-fedora/bootc-tenant/fedora-bootc-44-standard:{{revision}}" → "quay.io/konflux-fedora/bootc-tenant/fedora-bootc-44-standard".
 */
export function outputRepository(outputImage: string): string {
  let repository = outputImage.trim().split('@')[0]!;
  const slash = repository.lastIndexOf('/');
  const colon = repository.indexOf(':', slash + 1);
  if (colon >= 0) repository = repository.slice(0, colon);
  return repository.toLowerCase();
}

function lastSegment(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1).toLowerCase();
}

const KONFLUX_INTERMEDIATE = /^quay\.io\/konflux-fedora\/[^/]+\/([^/]+)$/;

/**
 * Link a PipelineRun to catalog images. Rules, tried in this order, and all explicit in the result:
 * - output-image: the output image's repository is a catalog image (or one of its mirrors);
 * - component-name: the Konflux component label equals the last path segment of an image of the
 *   repo's own subprojects (quay.io/bootc-devel/fedora-bootc-44-standard for component fedora-bootc-44-standard);
 * - konflux-intermediate: the output goes to quay.io/konflux-fedora/<tenant>/<name> (Konflux's
 *   intermediate repository, released elsewhere) and <name>, or <name> without the "-<branch>"
 *   suffix of the PipelineRun's target branch, is the last segment of an image of the repo's subprojects.
 * When a name rule matches several images, only the "ci" ones are kept (Konflux in Fedora releases
 * to development repositories such as quay.io/coreos-devel); if none of them is "ci", nothing is
 * linked, since the match is ambiguous.
 * Pull-request PipelineRuns build test images only and are never linked.
 */
export function linkPipelineToImages(
  pipeline: PipelineRunInfo,
  candidates: readonly CandidateImage[],
  repoSubprojects: readonly string[],
): ImageLink[] {
  if (!buildsOnPush(pipeline)) return [];
  const links = new Map<string, ImageLinkRule>();
  const output = pipeline.outputImage ? outputRepository(pipeline.outputImage) : undefined;
  if (output) {
    for (const image of candidates) {
      if (
        image.ref.toLowerCase() === output ||
        image.mirrors.some((mirror) => mirror.toLowerCase() === output)
      )
        links.set(image.ref, 'output-image');
    }
  }
  if (links.size > 0) return [...links].map(([image, rule]) => ({ image, rule }));
  const own = candidates.filter((image) => repoSubprojects.includes(image.subproject));
  const unambiguous = (matches: CandidateImage[]): CandidateImage[] => {
    if (matches.length <= 1) return matches;
    return matches.filter((image) => image.role === 'ci');
  };
  const component = pipeline.component?.toLowerCase();
  if (component) {
    for (const image of unambiguous(own.filter((image) => lastSegment(image.ref) === component)))
      links.set(image.ref, 'component-name');
  }
  const intermediate = output ? KONFLUX_INTERMEDIATE.exec(output)?.[1] : undefined;
  if (intermediate && links.size === 0) {
    const names = new Set([intermediate]);
    if (pipeline.branch && !pipeline.branch.includes(',')) {
      const suffix = `-${pipeline.branch.toLowerCase()}`;
      if (intermediate.endsWith(suffix)) names.add(intermediate.slice(0, -suffix.length));
    }
    for (const image of unambiguous(own.filter((image) => names.has(lastSegment(image.ref)))))
      links.set(image.ref, 'konflux-intermediate');
  }
  return [...links]
    .map(([image, rule]) => ({ image, rule }))
    .sort((a, b) => a.image.localeCompare(b.image));
}
