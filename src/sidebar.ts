/**
 * The sidebar: the six sections readers look for, with the generated pages listed from the
 * catalog so that a new subproject, image or SIG appears without touching the config.
 */
import type { Catalog } from './catalog/index.ts';
import { imagePath, orderCatalog, sigPath, subprojectPath } from './site/index.ts';

/**
 * Starlight prefixes every sidebar link with Astro's `base` itself, so the links here are written
 * from the site's root and the path helpers are given the root as their base.
 */
const ROOT = '/';

/**
 * Starlight's `autogenerate` matches a page by its file path relative to src/content/docs; the
 * guides live in content/docs/, so their paths start with that folder, which is written out here.
 */
const docs = (directory: string) => ({ autogenerate: { directory: `content/docs/${directory}` } });

type SidebarItem =
  | { label: string; link: string; badge?: string }
  | { label: string; collapsed?: boolean; items: SidebarItem[] }
  | { autogenerate: { directory: string; collapsed?: boolean } };

/** Build the sidebar of the site from the catalog. */
export function buildSidebar(catalog: Catalog): SidebarItem[] {
  const { subprojects, sigs } = orderCatalog(catalog);
  return [
    { label: 'Start here', items: [docs('start-here')] },
    { label: 'Guides', items: [docs('guides')] },
    {
      label: 'Subprojects',
      items: [
        { label: 'All subprojects', link: '/subprojects/' },
        ...subprojects.map((subproject) => ({
          label: subproject.name,
          link: subprojectPath(subproject.id, ROOT),
        })),
        {
          label: 'Handover guides',
          collapsed: true,
          items: [docs('handover')],
        },
      ],
    },
    {
      label: 'Images',
      items: [
        { label: 'All images', link: '/images/' },
        { label: 'Which image should I use?', link: '/choose/' },
        { label: 'Lineage graph', link: '/images/lineage/' },
        ...subprojects
          .filter((subproject) => subproject.images.length > 0)
          .map((subproject) => ({
            label: subproject.name,
            collapsed: true,
            items: subproject.images.map((image) => ({
              label: image.title ?? image.ref,
              link: imagePath(image.ref, ROOT),
            })),
          })),
      ],
    },
    {
      label: 'Owners',
      items: [
        { label: 'Who owns what', link: '/owners/' },
        { label: 'Handover board', link: '/handover/' },
        {
          label: 'SIGs and teams',
          collapsed: true,
          items: sigs.map((sig) => ({ label: sig.name, link: sigPath(sig.id, ROOT) })),
        },
      ],
    },
    { label: 'Milestones', items: [{ label: 'Fedora 44 and 45', link: '/milestones/' }] },
    {
      label: 'Contributing',
      collapsed: true,
      items: [docs('contributing')],
    },
  ];
}
