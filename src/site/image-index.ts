/**
 * The /images/ catalog: images ordered official bases first, then variants, then the rest; the
 * facets its filters work on (subproject, role, architecture, bootable, signed, stream); and the
 * architecture by image coverage matrix.
 */
import type { Image } from '../catalog/index.ts';
import { isSigned, type ImageView } from './images.ts';

/** The order roles are listed in, with the heading of each. */
export const ROLE_SECTIONS: { role: Image['role']; heading: string }[] = [
  { role: 'base', heading: 'Official base images' },
  { role: 'variant', heading: 'Official variants' },
  { role: 'downstream', heading: 'Built outside Fedora' },
  { role: 'ci', heading: 'Development and CI images' },
  { role: 'tool', heading: 'Build tools' },
];

/** Group the images by role, in {@link ROLE_SECTIONS} order, leaving out empty roles. */
export function groupImagesByRole(
  images: ImageView[],
): { role: Image['role']; heading: string; images: ImageView[] }[] {
  return ROLE_SECTIONS.map((section) => ({
    ...section,
    images: images.filter((view) => view.image.role === section.role),
  })).filter((section) => section.images.length > 0);
}

/** What an image's row is filtered by. */
export interface ImageFacets {
  subproject: string;
  role: Image['role'];
  /** Architectures the newest builds carry, else the catalog's expected ones. */
  architectures: string[];
  /** A tag carries the `containers.bootc=1` or `ostree.bootable=1` label. */
  bootable: boolean;
  signed: boolean;
  streams: string[];
}

/** Name an architecture as the registries do, whichever spelling the catalog uses. */
function architectureName(name: string): string {
  return ({ x86_64: 'amd64', aarch64: 'arm64' } as Record<string, string>)[name] ?? name;
}

/** Work out the facets of one image from the catalog and the snapshot. */
export function imageFacets(view: ImageView): ImageFacets {
  const fetched = view.snapshot.tags.flatMap((tag) => tag.platforms.map((p) => p.architecture));
  const expected = view.image.platforms.map((platform) => platform.split('/')[1] ?? '');
  const architectures = [
    ...new Set((fetched.length > 0 ? fetched : expected).map(architectureName)),
  ]
    .filter(Boolean)
    .sort();
  const labels = view.snapshot.tags.flatMap((tag) => tag.platforms.map((p) => p.labels));
  return {
    subproject: view.subproject.id,
    role: view.image.role,
    architectures,
    bootable: labels.some(
      (set) => set['containers.bootc'] === '1' || set['ostree.bootable'] === '1',
    ),
    signed: view.snapshot.tags.some((tag) => isSigned(tag.signatures)),
    streams: view.image.streams.map((stream) => stream.name),
  };
}

/** The choices each filter offers, sorted, from the facets of every image. */
export function filterChoices(images: ImageView[]): {
  subprojects: { id: string; name: string }[];
  architectures: string[];
  streams: string[];
} {
  const facets = images.map(imageFacets);
  const subprojects = new Map(images.map((view) => [view.subproject.id, view.subproject.name]));
  return {
    subprojects: [...subprojects].map(([id, name]) => ({ id, name })),
    architectures: [...new Set(facets.flatMap((facet) => facet.architectures))].sort(),
    streams: [...new Set(facets.flatMap((facet) => facet.streams))].sort(),
  };
}

/** Tags shown in a list before the rest collapse behind `+N more`; 40-character revision tags always collapse. */
export function visibleTags(names: string[], max = 6): { shown: string[]; hidden: string[] } {
  const readable = names.filter((name) => !/^[0-9a-f]{40}$/.test(name));
  const shown = readable.slice(0, max);
  return { shown, hidden: names.filter((name) => !shown.includes(name)) };
}
