import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { satteri } from '@astrojs/markdown-satteri';
import { readSiteConfig } from './src/site-config.ts';
import { loadCatalog } from './src/catalog/load.ts';
import { buildSidebar } from './src/sidebar.ts';
import { withBase } from './src/site/index.ts';
import { linkCheck } from './src/integrations/link-check.ts';
import { baseLinks } from './src/integrations/base-links.ts';

const config = readSiteConfig();
// The sidebar lists every subproject, image and SIG, so an invalid catalog fails here with every problem listed.
const catalog = await loadCatalog(config.catalogDir);

export default defineConfig({
  site: config.siteUrl,
  // IMAGE_MODE_BASE: the path the site is served under (a GitHub or GitLab Pages project site).
  base: config.base,
  cacheDir: config.cacheDir,
  trailingSlash: 'always',
  // Astro's default Markdown processor (Sätteri, also used for MDX), with the guides' links from the
  // site's root (`/guides/…`) prefixed with the base.
  markdown: { processor: satteri({ mdastPlugins: [baseLinks(config.base)] }) },
  integrations: [
    starlight({
      title: 'Image Mode Hub',
      description:
        'Fedora’s image mode at a glance: bootable container images, who owns them, and how to contribute.',
      logo: { src: './src/assets/logo.svg', alt: '' },
      favicon: '/favicon.svg',
      customCss: ['./src/styles/fedora.css'],
      // Long commands and digests wrap instead of scrolling, so every code block reads without a
      // scrollbar (and passes axe's scrollable-region rule without being focusable).
      expressiveCode: { defaultProps: { wrap: true } },
      // Edit links only where IMAGE_MODE_REPO names this project's repository (none is confirmed yet).
      ...(config.repoUrl
        ? { editLink: { baseUrl: `${config.repoUrl}/src/branch/${config.repoBranch}/` } }
        : {}),
      lastUpdated: true,
      routeMiddleware: './src/route-data.ts',
      head: [
        {
          tag: 'link',
          attrs: {
            rel: 'alternate',
            type: 'application/atom+xml',
            title: 'New image builds',
            href: withBase('/feeds/images.xml', config.base),
          },
        },
      ],
      social: [
        {
          icon: 'comment',
          label: 'Discussion',
          href: config.discussionUrl,
        },
      ],
      sidebar: buildSidebar(catalog),
    }),
    linkCheck(),
  ],
  vite: { environments: { prerender: { resolve: { noExternal: ['js-yaml'] } } } },
});
